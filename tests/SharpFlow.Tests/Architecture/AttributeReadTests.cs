using System.Text.RegularExpressions;
using SharpFlow.Tests.Examples;

namespace SharpFlow.Tests.Architecture;

/// <summary>
/// Op files read their attributes through declared <see cref="SharpFlow.Framework.OpAttr{T}"/> descriptors, never
/// by string: no <c>op.Attr&lt;T&gt;("name")</c>, <c>ctx.Attr&lt;T&gt;("name")</c> or <c>op.get_attr("name")</c>,
/// no <c>attrs["name"]</c> read and no <c>attrs.TryGetValue</c>/<c>ContainsKey</c> on an attribute map (writing an
/// op's attribute map while building it is allowed). <c>Operation.get_attr</c> and <c>Operation.Attr&lt;T&gt;</c>
/// stay TensorFlow's public <c>op.get_attr</c> for users.
/// </summary>
public sealed partial class AttributeReadTests
{
    /// <summary>
    /// Op files that still read attributes by string, with the number of such reads. The list may only shrink: a
    /// file not listed fails <see cref="OpFilesReadAttributesOnlyThroughDeclaredDescriptors"/> at its first string
    /// read, and a listed file with fewer reads (or none) must be updated.
    /// </summary>
    internal static readonly Dictionary<string, int> KnownRemaining = new(StringComparer.Ordinal)
    {
    };

    [GeneratedRegex(@"\.Attr<[^>]+>\(")]
    private static partial Regex GenericAttrRead();

    [GeneratedRegex(@"\bget_attr\(")]
    private static partial Regex GetAttr();

    [GeneratedRegex(@"\w*[aA]ttrs\??\.(TryGetValue|ContainsKey|GetValueOrDefault)\(")]
    private static partial Regex MapLookup();

    // attrs["x"] or attrs[name] not followed by an assignment (a write of the map being built).
    [GeneratedRegex(@"\w*[aA]ttrs\[[^\]]+\](?!\s*=[^=])")]
    private static partial Regex IndexerRead();

    internal static IEnumerable<(string File, int Line, string Text)> StringReads()
    {
        var ops = Path.Combine(ExampleRunner.RepositoryRoot, "src", "SharpFlow", "Ops");
        foreach (var file in Directory.EnumerateFiles(ops, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(ops, file).Replace('\\', '/');
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                if (GenericAttrRead().IsMatch(code) || GetAttr().IsMatch(code) || MapLookup().IsMatch(code) || IndexerRead().IsMatch(code))
                    yield return (rel, i + 1, code);
            }
        }
    }

    [Fact]
    public void OpFilesReadAttributesOnlyThroughDeclaredDescriptors()
    {
        var byFile = StringReads().GroupBy(r => r.File).ToDictionary(g => g.Key, g => g.ToList());
        var problems = new List<string>();
        foreach (var (file, reads) in byFile)
        {
            if (KnownRemaining.TryGetValue(file, out var known) && reads.Count <= known) continue;
            problems.AddRange(reads.Select(r => $"Ops/{r.File}:{r.Line}: {r.Text}"));
        }
        Assert.True(problems.Count == 0,
            "Read attributes through a declared OpAttr<T> (static readonly OpAttr<bool> TransposeA = new(\"transpose_a\", false); TransposeA.Of(op)):\n" +
            string.Join("\n", problems));
        var stale = KnownRemaining.Where(k => byFile.GetValueOrDefault(k.Key)?.Count is not { } n || n < k.Value)
            .Select(k => $"{k.Key}: listed with {k.Value}, has {byFile.GetValueOrDefault(k.Key)?.Count ?? 0}").ToList();
        Assert.True(stale.Count == 0, "KnownRemaining may only shrink; update it:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void TheScanFindsStringReads()
    {
        // The patterns themselves: each form of a string read is caught, a write of the map being built is not.
        Assert.Matches(GenericAttrRead(), "var ta = op.Attr<bool>(\"transpose_a\");");
        Assert.Matches(GetAttr(), "var t = op.get_attr(\"T\");");
        Assert.Matches(MapLookup(), "ctx.Attrs.TryGetValue(\"num_args\", out var n)");
        Assert.Matches(MapLookup(), "op.attrs.ContainsKey(\"dtype\")");
        Assert.Matches(IndexerRead(), "var k = (int[])attrs[\"ksize\"];");
        Assert.Matches(IndexerRead(), "[\"bias\"] = lrnAttrs[\"bias\"],");
        Assert.DoesNotMatch(IndexerRead(), "attrs[\"Targmax\"] = targmax;");
        Assert.DoesNotMatch(GenericAttrRead(), "private static readonly OpAttr<bool> TransposeA = new(\"transpose_a\", false);");
    }
}
