using SharpFlow.GraphIO;
using SharpFlow.Onnx;
using SharpFlow.Tests.Examples;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The exporter's one table: the README lists exactly its op types, each is an op type SharpFlow registers, with
/// a note of the ONNX operators it becomes.
/// </summary>
public sealed class OnnxExportTableTests
{
    private const string Begin = "<!-- onnx-export-op-types: generated from the exporter's table (OnnxExportTableTests) -->";
    private const string End = "<!-- /onnx-export-op-types -->";

    [Fact]
    public void TheReadmeListsExactlyTheTablesOpTypes()
    {
        var path = Path.Combine(ExampleRunner.RepositoryRoot, "README.md");
        var readme = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md lacks the onnx-export-op-types block");
        var expected = OnnxExporter.ReadmeOpTypeList();
        var actual = readme[(start + Begin.Length)..end].Trim('\n');
        if (actual != expected && Environment.GetEnvironmentVariable("SHARPFLOW_UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme[..(start + Begin.Length)] + "\n" + expected + "\n" + readme[end..]);
            return;
        }
        Assert.True(actual == expected, "README's exported op type list differs from the exporter's table (run this test with SHARPFLOW_UPDATE_README=1 to rewrite it):\n" + expected);
    }

    [Fact]
    public void EveryRowIsARegisteredOpTypeWithItsOnnxOperators()
    {
        var registered = OpRegistry.BuiltinTypes.ToHashSet(StringComparer.Ordinal);
        var unknown = OnnxExporter.SupportedOpTypes.Where(t => !registered.Contains(t)).ToList();
        Assert.True(unknown.Count == 0, $"rows for op types SharpFlow does not register: {string.Join(", ", unknown)}");
        Assert.All(OnnxExporter.SupportedOpTypes, t => Assert.False(string.IsNullOrWhiteSpace(OnnxExporter.NotesOf(t)), t));
        Assert.Equal("Reciprocal of Sqrt", OnnxExporter.NotesOf("Rsqrt"));
        Assert.Null(OnnxExporter.NotesOf("DecodeRaw"));
        Assert.Contains("Conv2D", OnnxExporter.SupportedOpTypes);
        Assert.DoesNotContain("DecodeRaw", OnnxExporter.SupportedOpTypes);
    }
}
