using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The gradient of tf.nn.dynamic_rnn exported whole: its gradient TensorArrays (TensorArrayGradV3, written by the
/// backprop loop at indices popped off a stack, adding repeated writes) as dense tensors carried by the ONNX Loops;
/// run in ONNX Runtime and compared with SharpFlow's own gradients.
/// </summary>
public sealed class OnnxTensorArrayGradExportTests
{
    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TheGradientOfABasicRnnCellsDynamicRnnRunsInOnnxRuntime(int opset)
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        var x = tf.placeholder(tf.float32, new Shape(2, 3, 3), name: "x");
        var (outputs, state) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype: tf.float32);
        GradientsRunAsInSharpFlow(g, x, tf.reduce_sum(outputs * outputs) + tf.reduce_sum((Tensor)state), opset);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TheGradientOfABasicLstmCellsDynamicRnnRunsInOnnxRuntime(int opset)
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(4);
        var x = tf.placeholder(tf.float32, new Shape(2, 3, 3), name: "x");
        var (outputs, state) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x, dtype: tf.float32);
        var lstm = (SharpFlow.Rnn.LSTMStateTuple)state;
        GradientsRunAsInSharpFlow(g, x, tf.reduce_sum(outputs * outputs) + tf.reduce_sum(lstm.c * 0.5f) + tf.reduce_sum(lstm.h), opset);
    }

    /// <summary>
    /// The gradients of <paramref name="loss"/> with respect to x and the cell's kernel and bias (the reads the loop
    /// takes in as invariants) exported at <paramref name="opset"/>, run in ONNX Runtime and compared with SharpFlow's.
    /// </summary>
    private static void GradientsRunAsInSharpFlow(TestGraph g, Tensor x, Tensor loss, int opset)
    {
        var reads = g.Graph.get_operations().Where(o => o.type == "Identity" && o.name.EndsWith("/read", StringComparison.Ordinal)).Select(o => o.outputs[0]).ToArray();
        Assert.Equal(2, reads.Length);
        var grads = tf.gradients(loss, [x, .. reads]);
        Assert.Contains(g.Graph.get_operations(), o => o.type == "TensorArrayGradV3");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var named = new Dictionary<string, Tensor> { ["loss"] = loss, ["dx"] = grads[0]!, ["dkernel"] = grads[1]!, ["dbias"] = grads[2]! };
        var exported = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, named, opset);
        Assert.DoesNotContain(AllNodes(exported.Proto.Graph), n => n.OpType is "Switch" or "Merge" or "Enter" or "Exit" or "NextIteration" or "LoopCond");
        Assert.Equal(2, AllNodes(exported.Proto.Graph).Count(n => n.OpType == "Loop"));
        var names = named.Keys.ToArray();
        var bytes = exported.ToByteArray();
        var rng = new Random(5);
        var feed = NDArray.FromFlat(Enumerable.Range(0, 18).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), new Shape(2, 3, 3));
        var ours = sess.run(names.Select(n => named[n]).ToArray(), new FeedDict { [x] = feed });
        var ort = RunOnnxRuntime(bytes, [("x", feed)], names);
        for (var i = 0; i < names.Length; i++) Same(ours[i], ort[i], $"ONNX Runtime at opset {opset}: {names[i]}", 1e-5);
    }

    [Fact]
    public void AConcatOfAGradientTensorArrayIsRefusedNamingTheOpAndTheFormsThatExport()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(5, 2), name: "x");
        var array = new TensorArray(tf.float32, 2).split(x, tf.constant(new long[] { 2, 3 }));
        var dy = tf.placeholder(tf.float32, new Shape(3, 2), name: "dy");
        var grad = tf.gradients([array.read(1)], [x], [dy])[0]!;
        Assert.Contains(g.Graph.get_operations(), o => o.type == "TensorArrayConcatV3");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["dy"] = dy }, new Dictionary<string, Tensor> { ["grad"] = grad }));
        Assert.Matches("^Cannot export TensorArrayConcatV3 \"[^\"]+\" to ONNX: its TensorArray is a gradient TensorArray, of which SharpFlow.Onnx exports the write, read, scatter, gather and size only", e.Message);
    }
}
