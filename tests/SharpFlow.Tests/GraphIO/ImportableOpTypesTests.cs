using SharpFlow.GraphIO;
using SharpFlow.Tests.Examples;

namespace SharpFlow.Tests.GraphIO;

/// <summary>The README's list of the TensorFlow op types a GraphDef may hold is the op registry's, no more, no less.</summary>
public sealed class ImportableOpTypesTests
{
    private const string Begin = "<!-- tf-op-types: generated from the op registry (ImportableOpTypesTests) -->";
    private const string End = "<!-- /tf-op-types -->";

    private static string Block(IReadOnlyList<string> types) =>
        $"{types.Count} op types: " + string.Join(", ", types.Select(t => $"`{t}`")) + ".";

    [Fact]
    public void TheReadmeListsExactlyTheRegisteredOpTypes()
    {
        var path = Path.Combine(ExampleRunner.RepositoryRoot, "README.md");
        var readme = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md lacks the tf-op-types block");
        var expected = Block(OpRegistry.BuiltinTypes);
        var actual = readme[(start + Begin.Length)..end].Trim();
        if (actual != expected && Environment.GetEnvironmentVariable("SHARPFLOW_UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme[..(start + Begin.Length)] + "\n" + expected + "\n" + readme[end..]);
            return;
        }
        Assert.True(actual == expected, "README's op type list differs from the registry (run this test with SHARPFLOW_UPDATE_README=1 to rewrite it):\n" + expected);
    }

    [Fact]
    public void TheListHoldsTensorFlowsCoreTypes()
    {
        var types = OpRegistry.BuiltinTypes;
        foreach (var t in new[] { "Conv2D", "MatMul", "VariableV2", "VarHandleOp", "Switch", "Merge", "Enter", "SaveV2", "RestoreV2", "ParseExample", "IteratorGetNext" })
            Assert.Contains(t, types);
        Assert.DoesNotContain("ZeroOut", types); // a custom op registered by the tests is not SharpFlow's own
        Assert.Equal(types.Count, types.Distinct().Count());
    }
}
