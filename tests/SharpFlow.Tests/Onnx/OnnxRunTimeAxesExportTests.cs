using SharpFlow.Onnx;
using SharpFlow.Ops.ArrayOps;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Reductions whose axes are known only at run time, exported to ONNX: the gradient of a broadcast with an unknown
/// batch sums over BroadcastGradientArgs' axes, so a training graph with a dynamic batch exports whole. ReduceSum
/// takes its axes as an input from opset 13, the other reductions from 18 (refused below, naming the opset); an empty
/// list reduces nothing in both (noop_with_empty_axes). Each runs in ONNX Runtime and re-imported, against SharpFlow.
/// </summary>
public sealed class OnnxRunTimeAxesExportTests
{
    [Theory]
    [InlineData(14)]
    [InlineData(17)]
    public void TheGradientOfABroadcastWithAnUnknownBatchExports(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var b = tf.constant(NDArray.FromFlat(new[] { 0.5f, -1f, 2f }, new Shape(3)), name: "b");
        var s = tf.constant(NDArray.FromFlat(new[] { 1.5f }, new Shape(1, 1)), name: "s");
        var y = (x + b) * s;
        var loss = tf.reduce_sum(y * y);
        var grads = tf.gradients(loss, [x, b, s]);
        Assert.Contains(g.Graph.get_operations(), o => o.type == "BroadcastGradientArgs");
        using var sess = tf.Session();
        foreach (var batch in new[] { 1, 2, 5 })
        {
            var feed = F(batch, batch, 3);
            var ours = ExportAgrees(sess, new() { ["x"] = x }, [grads[0]!, grads[1]!, grads[2]!], [("x", feed)], opset, tolerance: 1e-5);
            // d/db of Σ((x + b)s)² = Σ_rows 2(x + b)s², d/ds = Σ 2(x + b)²s.
            var xs = feed.ToArray<float>();
            var bs = new[] { 0.5, -1, 2 };
            for (var j = 0; j < 3; j++)
                Assert.Equal(Enumerable.Range(0, batch).Sum(r => 2 * (xs[r * 3 + j] + bs[j]) * 1.5 * 1.5), ours[1].ToArray<float>()[j], 1e-4);
            Assert.Equal(Enumerable.Range(0, batch * 3).Sum(k => 2 * Math.Pow(xs[k] + bs[k % 3], 2) * 1.5), ours[2].ToArray<float>()[0], 1e-3);
        }
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["db"] = grads[1]! }, opset);
        Assert.Contains(model.Proto.Graph.Node, n => n.OpType == "ReduceSum" && n.Input.Count == 2 && n.Attribute.Any(a => a.Name == "noop_with_empty_axes" && a.I == 1));
    }

    [Fact]
    public void AtOpset13TheGradientsRunTimeReshapeIsRefusedNamingOpset14()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var b = tf.constant(NDArray.FromFlat(new[] { 0.5f, -1f, 2f }, new Shape(3)), name: "b");
        var db = tf.gradients(tf.reduce_sum((x + b) * (x + b)), [b])[0]!;
        var reshape = g.Graph.get_operations().First(o => o.type == "Reshape" && !o.inputs[1].op.type.Equals("Const"));
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["db"] = db }, 13));
        Assert.Equal($"Cannot export Reshape \"{reshape.name}\" to ONNX at opset 13: its shape depends on the inputs and may hold a zero-sized dimension, " +
            "which ONNX's Reshape reads as the input's before allowzero (opset 14).", e.RawMessage);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(17)]
    public void AReshapeToAFedOrZeroSizedShapeKeepsTensorFlowsMeaning(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var shape = tf.placeholder(tf.int32, new Shape(2), name: "shape");
        var fed = tf.reshape(x, shape, name: "fed");
        var empty = tf.reshape(x, new[] { 0, 3 }, name: "empty");
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, new() { ["x"] = x, ["shape"] = shape }, [fed], [("x", F(1, 4, 3)), ("shape", NDArray.FromFlat(new[] { -1, 2 }, new Shape(2)))], opset);
        Assert.Equal(new Shape(6, 2), ours[0].shape);
        // A 0 in the fed shape is an empty dimension in both, not ONNX's "copy the input's".
        ours = ExportAgrees(sess, new() { ["x"] = x, ["shape"] = shape }, [fed], [("x", F(1, 0, 3)), ("shape", NDArray.FromFlat(new[] { 3, 0 }, new Shape(2)))], opset);
        Assert.Equal(new Shape(3, 0), ours[0].shape);
        ours = ExportAgrees(sess, new() { ["x"] = x }, [empty], [("x", F(1, 0, 3))], opset);
        Assert.Equal(new Shape(0, 3), ours[0].shape);
    }

    [Theory]
    [InlineData("Sum", 13)]
    [InlineData("Sum", 17)]
    [InlineData("Mean", 18)]
    [InlineData("Max", 18)]
    [InlineData("Min", 18)]
    [InlineData("Prod", 18)]
    public void AReductionOverFedAxesReducesThemAndNoAxesReduceNothing(string type, int opset)
    {
        foreach (var keepDims in new[] { false, true })
        {
            using var g = TestGraph.Enter();
            var x = tf.placeholder(tf.float32, new Shape(2, 3, 4), name: "x");
            var axes = tf.placeholder(tf.int32, new Shape(-1), name: "axes");
            var y = type switch
            {
                "Sum" => tf.reduce_sum(x, axes, keepdims: keepDims),
                "Mean" => tf.reduce_mean(x, axes, keepdims: keepDims),
                "Max" => tf.reduce_max(x, axes, keepdims: keepDims),
                "Min" => tf.reduce_min(x, axes, keepdims: keepDims),
                _ => tf.reduce_prod(x, axes, keepdims: keepDims),
            };
            Assert.Equal(type, y.op.type);
            using var sess = tf.Session();
            var value = F(3, 2, 3, 4);
            foreach (var fed in new[] { new[] { 0 }, new[] { 2, 0 }, new[] { -1 }, Array.Empty<int>() })
            {
                // The reduced shape varies with the fed axes: export once per axes list (a model has one output rank).
                var ours = ExportAgrees(sess, new() { ["x"] = x, ["axes"] = axes }, [y], [("x", value), ("axes", NDArray.FromFlat(fed, new Shape(fed.Length)))], opset, tolerance: 1e-5);
                if (fed.Length == 0) Assert.Equal(value.ToArray<float>(), ours[0].ToArray<float>());
                else Assert.Equal(keepDims ? 3 : 3 - fed.Length, ours[0].ndim);
            }
        }
    }

    [Fact]
    public void AMeanOverFedAxesBelowOpset18IsRefusedNamingTheOpset()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3), name: "x");
        var axes = tf.placeholder(tf.int32, new Shape(-1), name: "axes");
        var y = tf.reduce_mean(x, axes, name: "mean");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["axes"] = axes }, new Dictionary<string, Tensor> { ["y"] = y }, 17));
        Assert.Equal("Cannot export Mean \"mean\" to ONNX at opset 17: its axes depend on the inputs, and ReduceMean takes them as an input from opset 18.", e.RawMessage);
    }

    [Fact]
    public void BroadcastGradientArgsListsAnAxisOfOneOnEverySideThatHasIt()
    {
        // TensorFlow's BCast (grad_reduce_idx): where both shapes have 1, both sides reduce that axis.
        using var g = TestGraph.Enter();
        var (r0, r1) = BroadcastGradientArgs.Build(tf.constant(new[] { 1, 4, 1 }), tf.constant(new[] { 7, 1, 1, 6 }));
        var (q0, q1) = BroadcastGradientArgs.Build(tf.constant(new[] { 2, 3, 5 }), tf.constant(new[] { 1 }));
        using var sess = tf.Session();
        var got = sess.run([r0, r1, q0, q1]);
        Assert.Equal(new[] { 0, 1, 3 }, got[0].ToArray<int>());
        Assert.Equal(new[] { 1, 2 }, got[1].ToArray<int>());
        Assert.Empty(got[2].ToArray<int>());
        Assert.Equal(new[] { 0, 1, 2 }, got[3].ToArray<int>());
    }
}
