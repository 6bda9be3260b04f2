using System.Text;
using System.Text.Json;

namespace SharpFlow.Tests.Ops.Sparse;

/// <summary>
/// SparseToDense and StringSplit against TensorFlow.js (its CPU backend runs TensorFlow's kernels), from
/// Golden/tfjs_Records.json written by tools/golden/generate-tfjs-Records.mjs.
/// </summary>
public class GoldenRecordsOpTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("tfjs_Records.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone()));

    public static TheoryData<string> CaseNames() => [.. Cases.Value.Keys];

    [Fact]
    public void GoldenFileCoversEveryOp()
    {
        var ops = Cases.Value.Values.Select(c => c.GetProperty("op").GetString()).ToHashSet();
        Assert.Contains("sparse_to_dense", ops);
        Assert.Contains("string_split", ops);
    }

    private static string[] Strings(JsonElement e) => e.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToArray();

    [Theory, MemberData(nameof(CaseNames))]
    public void MatchesTensorFlowJs(string name)
    {
        var c = Cases.Value[name];
        using var g = TestGraph.Enter();
        var inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        if (c.GetProperty("op").GetString() == "sparse_to_dense")
        {
            var x = inputs.Select(Golden.Array).Select(a => tf.constant(a)).ToArray();
            AssertArray.Close(Golden.Array(c.GetProperty("expected")), g.Eval(tf.sparse_to_dense(x[0], x[1], x[2], x[3])), 0, name);
            return;
        }
        var attrs = c.GetProperty("attrs");
        var st = tf.string_split(Strings(inputs[0]), attrs.GetProperty("delimiter").GetString()!, attrs.GetProperty("skip_empty").GetBoolean());
        using var sess = new Session(g.Graph);
        var v = sess.run(st);
        var expected = c.GetProperty("expected");
        Assert.Equal(Golden.Array(expected.GetProperty("indices")).ToArray<long>(), v.indices.ToArray<long>());
        Assert.Equal(Strings(expected.GetProperty("values")), Enumerable.Range(0, v.values.size).Select(i => Encoding.UTF8.GetString(v.values.StringBytes(i))));
        Assert.Equal(Golden.Array(expected.GetProperty("shape")).ToArray<long>(), v.dense_shape.ToArray<long>());
    }
}
