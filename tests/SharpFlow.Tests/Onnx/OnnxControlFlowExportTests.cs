using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// tf.cond exported as ONNX If (each branch's ops in its branch graph, the values a branch takes from outside read
/// from the outer scope, nested conds nested), run in ONNX Runtime on inputs that take each branch (while loops: OnnxLoopExportTests).
/// </summary>
public sealed class OnnxControlFlowExportTests
{
    private static void RunsAsInSharpFlow(Session sess, Tensor input, Dictionary<string, Tensor> outputs, IEnumerable<NDArray> values, int expectedIfs)
    {
        var exported = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = input }, outputs);
        var ifs = exported.Proto.Graph.Node.Count(n => n.OpType == "If")
                  + exported.Proto.Graph.Node.Where(n => n.OpType == "If").SelectMany(n => n.Attribute).Sum(a => a.G?.Node.Count(n => n.OpType == "If") ?? 0);
        Assert.Equal(expectedIfs, ifs);
        Assert.DoesNotContain(exported.Proto.Graph.Node, n => n.OpType is "Switch" or "Merge");
        var names = outputs.Keys.ToArray();
        foreach (var value in values)
        {
            var ort = RunOnnxRuntime(exported.ToByteArray(), [("x", value)], names);
            var ours = sess.run(names.Select(n => outputs[n]).ToArray(), new FeedDict { [input] = value });
            for (var i = 0; i < names.Length; i++) Same(ours[i], ort[i], $"{names[i]} for {value}", 1e-6);
        }
    }

    private static NDArray Values(params float[] v) => NDArray.FromFlat(v, new Shape(2, 3));

    [Fact]
    public void ACondOnAComputedPredicateIsAnIfTakingEachBranch()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3), name: "x");
        var w = tf.constant(new[] { 0.5f, -1f, 2f });
        var pred = tf.greater(tf.reduce_sum(x), tf.constant(0f));
        // The true branch reads x and a constant from outside and makes one inside; the false branch reads x only.
        var y = tf.cond(pred, () => x * w + tf.constant(1f), () => tf.nn.relu(x) - 3f);
        using var sess = tf.Session();
        RunsAsInSharpFlow(sess, x, new() { ["y"] = y }, [Values(1, 2, 3, -1, 0, 4), Values(-1, -2, -3, 1, 0, -4)], expectedIfs: 1);
    }

    [Fact]
    public void ACondWithSeveralOutputsAndANestedCondAndAValueFromOutsideAsAResult()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3), name: "x");
        var first = tf.reduce_max(x);
        var outside = tf.tanh(x);
        var results = tf.cond(tf.greater(first, tf.constant(2f)),
            () => new[]
            {
                tf.cond(tf.less(tf.reduce_min(x), tf.constant(0f)), () => x * 2f, () => x + 10f),
                outside,
            },
            () => new[] { -x, tf.sigmoid(x) });
        using var sess = tf.Session();
        RunsAsInSharpFlow(sess, x, new() { ["a"] = results[0], ["b"] = results[1] },
            [Values(1, 2, 3, -1, 0, 4), Values(1, 2, 3, 1, 0, 4), Values(-1, -2, -3, 1, 0, 1)], expectedIfs: 2);
    }
}
