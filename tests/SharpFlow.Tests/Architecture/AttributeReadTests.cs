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
        // The same files as the write scan: Ops/**, every *Ops folder (the dataset, checkpoint, file, reader, parsing
        // and summary ops live next to their formats) and the graph rewrites.
        var root = Path.Combine(ExampleRunner.RepositoryRoot, "src", "SharpFlow");
        foreach (var file in AttributeWriteTests.ScannedFolders()
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*.cs", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, file).Replace('\\', '/');
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
        var problems = StringReads().Select(r => $"{r.File}:{r.Line}: {r.Text}").ToList();
        Assert.True(problems.Count == 0,
            "Read attributes through a declared OpAttr<T> (static readonly OpAttr<bool> TransposeA = new(\"transpose_a\", false); TransposeA.Of(op)):\n" +
            string.Join("\n", problems));
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
