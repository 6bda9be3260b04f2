using System.Text.RegularExpressions;
using SharpFlow.Tests.Examples;

namespace SharpFlow.Tests.Architecture;

/// <summary>
/// Op builders write their attributes through declared <see cref="SharpFlow.Framework.OpAttr{T}"/> descriptors,
/// never by string: <c>new() { { ComponentTypes, dtypes }, { TimeoutMs, -1L } }</c> (the collection initializer of
/// <see cref="SharpFlow.Framework.OpAttrMap"/>) or <c>TimeoutMs.Set(attrs, -1L)</c>, not
/// <c>new() { ["component_types"] = dtypes }</c>, <c>attrs["T"] = dtype</c>, <c>attrs[key] = value</c> or
/// <c>attrs.Add("T", dtype)</c>. The descriptor's type decides the stored value's type, and the graph checks a
/// declared attribute's value when the op is built. Scanned: the op files (<c>Ops/**</c> and every folder named
/// <c>*Ops</c>) and the graph rewrites that build fused and folded ops (<c>Execution/Optimizer</c>).
/// </summary>
public sealed partial class AttributeWriteTests
{
    // ["name"] = value (a dictionary initializer's entry) or x["name"] = value, also with a computed key that names
    // attributes by string ([flag ? "Tpaddings" : "Tcrops"] = value).
    [GeneratedRegex("""\[[^\[\]]*"[^"]*"[^\[\]]*\]\s*=(?![=>])""")]
    private static partial Regex StringKeyWrite();

    // attrs[key] = value: a write into an attribute map by a key held in a variable.
    [GeneratedRegex(@"\w*[aA]ttrs\[[^\]]+\]\s*=(?![=>])")]
    private static partial Regex AttributeMapIndexerWrite();

    // attrs.Add("name", value), attrs.TryAdd("name", value).
    [GeneratedRegex("""\w*[aA]ttrs\.(Add|TryAdd)\(\s*"[^"]*"\s*,""")]
    private static partial Regex AttributeMapAdd();

    // new Dictionary<string, object> { { "name", value } }.
    [GeneratedRegex("""Dictionary<string,\s*object>(\([^)]*\))?\s*\{\s*\{\s*"[^"]*"\s*,""")]
    private static partial Regex PairInitializer();

    /// <summary>The folders scanned, relative to <c>src/SharpFlow</c>.</summary>
    internal static IEnumerable<string> ScannedFolders()
    {
        var root = Path.Combine(ExampleRunner.RepositoryRoot, "src", "SharpFlow");
        var folders = new SortedSet<string>(StringComparer.Ordinal) { "Ops", Path.Combine("Execution", "Optimizer") };
        foreach (var dir in Directory.EnumerateDirectories(root, "*Ops", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, dir);
            if (!rel.Split(Path.DirectorySeparatorChar).Contains("Ops")) folders.Add(rel);
        }
        return folders.Select(f => f.Replace('\\', '/'));
    }

    internal static IEnumerable<(string File, int Line, string Text)> StringWrites()
    {
        var root = Path.Combine(ExampleRunner.RepositoryRoot, "src", "SharpFlow");
        foreach (var folder in ScannedFolders())
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var rel = Path.GetRelativePath(root, file).Replace('\\', '/');
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = lines[i].TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                    if (StringKeyWrite().IsMatch(code) || AttributeMapIndexerWrite().IsMatch(code) || AttributeMapAdd().IsMatch(code) || PairInitializer().IsMatch(code))
                        yield return (rel, i + 1, code);
                }
            }
    }

    [Fact]
    public void TheScannedFoldersAreTheOpFoldersAndTheGraphRewrites()
    {
        var folders = ScannedFolders().ToList();
        Assert.Contains("Ops", folders);
        Assert.Contains("Execution/Optimizer", folders);
        Assert.Contains("Summaries/SummaryOps", folders);
        Assert.Contains("Data/DatasetOps", folders);
        Assert.Contains("Checkpoints/CheckpointOps", folders);
        Assert.Contains("FileIO/ParsingOps", folders);
        Assert.DoesNotContain("Ops/ArrayOps", folders); // under Ops already
    }

    [Fact]
    public void OpFilesWriteAttributesOnlyThroughDeclaredDescriptors()
    {
        var problems = StringWrites().Select(r => $"{r.File}:{r.Line}: {r.Text}").ToList();
        Assert.True(problems.Count == 0,
            "Write attributes through the op's declared OpAttr<T> (new() { { T, x.dtype }, { TransposeA, transposeA } } or TransposeA.Set(attrs, value)); " +
            "declare one with TensorFlow's name, type and default where the op has none:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheScanFindsStringWrites()
    {
        // Each form of a string-keyed write is caught; typed writes, reads and comparisons are not.
        Assert.Matches(StringKeyWrite(), "new() { [\"component_types\"] = dtypes, [\"timeout_ms\"] = -1L }");
        Assert.Matches(StringKeyWrite(), "if (Version > 1) attrs[\"U\"] = inputs[1].dtype;");
        Assert.Matches(StringKeyWrite(), "[pool ? \"_explicit_paddings\" : \"explicit_paddings\"] = explicitPaddings,");
        Assert.Matches(AttributeMapIndexerWrite(), "foreach (var (k, v) in extra) attrs[k] = v;");
        Assert.Matches(AttributeMapAdd(), "attrs.Add(\"T\", dtype);");
        Assert.Matches(PairInitializer(), "new Dictionary<string, object>(StringComparer.Ordinal) { { \"T\", dtype } }");
        Assert.DoesNotMatch(StringKeyWrite(), "new() { { ComponentTypes, dtypes }, { TimeoutMs, -1L } }");
        Assert.DoesNotMatch(StringKeyWrite(), "if (attrs[\"T\"] == other) return;");
        Assert.DoesNotMatch(AttributeMapIndexerWrite(), "TimeoutMs.Set(attrs, -1L);");
        Assert.DoesNotMatch(AttributeMapAdd(), "attrs.Add(T, dtype);");
        Assert.DoesNotMatch(PairInitializer(), "var allowed = new[] { \"NHWC\", \"NCHW\" };");
    }
}
