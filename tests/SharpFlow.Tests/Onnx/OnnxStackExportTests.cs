using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The gradient of a tf.while_loop exported whole: the stacks the forward loop pushes each iteration's values on
/// and the backprop loop pops them from (StackV2, StackPushV2, StackPopV2) as ONNX sequences carried out of the
/// forward Loop into the backprop Loop; run in ONNX Runtime at opsets 13 and 17 and compared with SharpFlow's own
/// gradients. (SharpFlow's importer does not take these models back: it refuses SequenceErase of a sequence of
/// run-time length.)
/// </summary>
public sealed class OnnxStackExportTests
{
    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    /// <summary>Exports at <paramref name="opset"/>, runs ONNX Runtime on each feed and compares every output with SharpFlow's run.</summary>
    private static ModelProto RunsAsInSharpFlow(Session sess, Dictionary<string, Tensor> inputs, Dictionary<string, Tensor> outputs,
        IEnumerable<(string Name, NDArray Value)[]> feeds, int opset)
    {
        var exported = OnnxModel.Export(sess, inputs, outputs, opset);
        Assert.DoesNotContain(AllNodes(exported.Proto.Graph), n => n.OpType is "Switch" or "Merge" or "Enter" or "Exit" or "NextIteration" or "LoopCond");
        var names = outputs.Keys.ToArray();
        var bytes = exported.ToByteArray();
        foreach (var feed in feeds)
        {
            var dict = new FeedDict();
            foreach (var (name, value) in feed) dict[inputs[name]] = value;
            var ours = sess.run(names.Select(n => outputs[n]).ToArray(), dict);
            var ort = RunOnnxRuntime(bytes, feed, names);
            for (var i = 0; i < names.Length; i++) Same(ours[i], ort[i], $"ONNX Runtime at opset {opset}: {names[i]}", 1e-5);
        }
        return exported.Proto;
    }

    private static NDArray Floats(int[] shape, params float[] values) => NDArray.FromFlat(values, new Shape(shape));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TheGradientOfACumulativeProductLoopRunsInOnnxRuntime(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var n = tf.placeholder(tf.int32, Shape.Scalar, name: "n");
        var (_, y) = tf.while_loop((i, _) => tf.less(i, n), (i, v) => (i + 1, v * x + tf.sin(v)), (tf.constant(0), x));
        var loss = tf.reduce_sum(y * y);
        var grad = tf.gradients(loss, x)[0];
        Assert.Contains(g.Graph.get_operations(), o => o.type == "StackPopV2");
        using var sess = tf.Session();
        var model = RunsAsInSharpFlow(sess, new() { ["x"] = x, ["n"] = n }, new() { ["loss"] = loss, ["grad"] = grad! },
            [[("x", Floats([3], 0.5f, -0.3f, 0.9f)), ("n", NDArray.Scalar(4))], [("x", Floats([3], 0.1f, 0.2f, -0.7f)), ("n", NDArray.Scalar(1))]], opset);
        Assert.Equal(2, AllNodes(model.Graph).Count(o => o.OpType == "Loop"));
        Assert.Contains(AllNodes(model.Graph), o => o.OpType == "SequenceErase");
    }

    [Fact]
    public void APushInsideACondOfTheLoopIsRefusedNamingTheOpAndTheCond()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var (_, y) = tf.while_loop((i, _) => tf.less(i, 3),
            (i, v) => (i + 1, tf.cond(tf.greater(tf.reduce_sum(v), tf.constant(0f)), () => v * x, () => tf.sin(v))), (tf.constant(0), x));
        var grad = tf.gradients(tf.reduce_sum(y), x)[0]!;
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["grad"] = grad }));
        Assert.Matches("^Cannot export Stack(Push|Pop)V2 \"[^\"]+\" to ONNX: it is inside the branch of the cond \"[^\"]+\"", e.Message);
    }

    [Fact]
    public void TheGradientOfADynamicRnnIsRefusedAtItsTensorArrayGrad()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        var x = tf.placeholder(tf.float32, new Shape(2, 4, 3), name: "x");
        var (outputs, _) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype: tf.float32);
        var grad = tf.gradients(tf.reduce_sum(outputs), x)[0]!;
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["grad"] = grad }));
        Assert.Matches("^Cannot export TensorArrayGradV3 \"[^\"]+\" to ONNX: a gradient TensorArray ", e.Message);
    }
}
