using SharpFlow.Execution;
using SharpFlow.Execution.Optimizer;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution.Optimizer;

/// <summary>
/// Transpose sinking: element-wise ops with a broadcast operand move above the Transpose they read, and Transposes
/// that cancel are dropped, so the NCHW batch norm an exported-then-imported ONNX model runs between two Transposes
/// folds into its convolution. Bitwise the unoptimized graph where batch norm folding is off, within 1e-5 of the
/// largest value where it folds.
/// </summary>
public class TransposeSinkingTests
{
    private static NDArray Values(Shape shape, double scale = 1, double offset = 0)
    {
        var n = shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(i => (float)(System.Math.Sin(i * 0.7 + offset) * scale)).ToArray(), shape);
    }

    private static (NDArray On, NDArray Off, OptimizedGraph Graph) RunBoth(Tensor fetch, FeedDict feeds, Action<RewriterConfig>? change = null)
    {
        using var on = tf.Session(GraphOptimizerTests.Config(true, change));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        var a = on.run(fetch, feeds);
        var b = off.run(fetch, feeds);
        return (a, b, on.OptimizedGraphOf([fetch], feeds: [.. feeds.Select(kv => kv.Key)])!);
    }

    // conv (NHWC) -> NCHW -> x * scale[C,1,1] + offset[C,1,1] -> NHWC -> Relu: what the ONNX importer makes of a
    // convolution and batch norm that SharpFlow's exporter wrote between Transposes.
    private static (Tensor X, Tensor Y) ExportedConvBatchNorm()
    {
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 6, 3), name: "x");
        var conv = tf.nn.conv2d(x, tf.constant(Values(new Shape(3, 3, 3, 4), 0.3, 1)), [1, 1, 1, 1], "SAME");
        var nchw = tf.transpose(conv, new[] { 0, 3, 1, 2 }, name: "to_nchw");
        var normalized = tf.add(tf.multiply(nchw, tf.constant(Values(new Shape(4, 1, 1), 2, 2)), name: "bn_mul"),
            tf.constant(Values(new Shape(4, 1, 1), 1, 3)), name: "bn_add");
        return (x, tf.nn.relu(tf.transpose(normalized, new[] { 0, 2, 3, 1 }, name: "to_nhwc"), name: "y"));
    }

    [Fact]
    public void AnNchwBatchNormBetweenTransposesFoldsIntoItsConvolution()
    {
        using var g = TestGraph.Enter();
        var (x, y) = ExportedConvBatchNorm();
        var (on, off, graph) = RunBoth(y, new FeedDict { [x] = Values(new Shape(2, 6, 6, 3), 1, 4) });
        var scale = off.ToArray<float>().Max(System.Math.Abs);
        var worst = on.ToArray<float>().Zip(off.ToArray<float>(), (a, b) => System.Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-5 * scale, $"{worst} on values up to {scale}");
        Assert.False(graph.Types.Contains("Transpose"), graph.Describe());
        // The Mul and the Add moved, then one pair cancelled.
        Assert.Equal(2, graph.Log.Count(l => l.StartsWith(TransposeSinking.Name, StringComparison.Ordinal) && l.Contains("moved above", StringComparison.Ordinal)));
        Assert.Contains(graph.Log, l => l.Contains("Transpose 'to_nhwc' undoes", StringComparison.Ordinal));
        Assert.Equal(1, graph.Count(BatchNormFolding.Name));
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal(["BiasAdd", "Relu"], (string[])fused.Op.attrs["fused_ops"]);
    }

    [Fact]
    public void WithoutBatchNormFoldingTheMovedOpsGiveTheSameBits()
    {
        using var g = TestGraph.Enter();
        var (x, y) = ExportedConvBatchNorm();
        var (on, off, graph) = RunBoth(y, new FeedDict { [x] = Values(new Shape(2, 6, 6, 3), 1, 4) }, c => c.batchnorm_folding = RewriterConfig.Toggle.OFF);
        Assert.True(on.ValueEquals(off));
        Assert.False(graph.Types.Contains("Transpose"), graph.Describe());
        Assert.Contains(graph.Log, l => l.Contains("Mul 'bn_mul' moved above Transpose 'to_nchw'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { 3, 1, 5 })] // two axes that the permutation reorders: the operand is transposed too
    [InlineData(new[] { 1, 1, 5 })] // one axis: a reshape lays it out
    [InlineData(new[] { 5 })]
    public void AnOperandOfSeveralAxesIsLaidOutAsTheTransposesInput(int[] operandShape)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 5, 4, 3), name: "x");
        var t = tf.transpose(x, new[] { 0, 3, 2, 1 }, name: "t"); // [2, 3, 4, 5]
        var c = tf.constant(Values(new Shape(operandShape), 3, 5));
        var y = tf.sqrt(tf.abs(tf.subtract(c, t, name: "sub")), name: "y"); // the operand on the left, a non-commutative op
        var (on, off, graph) = RunBoth(y, new FeedDict { [x] = Values(new Shape(2, 5, 4, 3), 1, 6) });
        Assert.True(on.ValueEquals(off));
        Assert.Contains(graph.Log, l => l.Contains("Sub 'sub' moved above Transpose 't'", StringComparison.Ordinal));
        // The moved Transpose stays (nothing undoes it); constant folding makes the laid-out operand a constant.
        Assert.True(graph.Types.Count(t => t == "Transpose") == 1, graph.Describe());
    }

    [Fact]
    public void AFetchedOrTwiceReadTransposeStaysWhereItIs()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3, 4, 5), name: "x");
        var t = tf.transpose(x, new[] { 0, 2, 3, 1 }, name: "t");
        var y = tf.multiply(t, tf.constant(Values(new Shape(3), 2)), name: "y");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 3, 4, 5)) };
        using var on = tf.Session(GraphOptimizerTests.Config(true));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        var fetches = new[] { y, t };
        var a = on.run(fetches, feeds);
        var b = off.run(fetches, feeds);
        Assert.True(a[0].ValueEquals(b[0]) && a[1].ValueEquals(b[1]));
        Assert.Equal(0, on.OptimizedGraphOf(fetches, feeds: [x])!.Count(TransposeSinking.Name));

        var twice = y + tf.reduce_sum(t);
        var (r1, r2, graph) = RunBoth(twice, feeds);
        Assert.True(r1.ValueEquals(r2));
        Assert.Equal(0, graph.Count(TransposeSinking.Name));
    }

    [Fact]
    public void ArithmeticOptimizationOffLeavesTheTransposes()
    {
        using var g = TestGraph.Enter();
        var (x, y) = ExportedConvBatchNorm();
        var (on, off, graph) = RunBoth(y, new FeedDict { [x] = Values(new Shape(1, 6, 6, 3)) }, c => c.arithmetic_optimization = RewriterConfig.Toggle.OFF);
        Assert.True(on.ValueEquals(off));
        Assert.Equal(0, graph.Count(TransposeSinking.Name));
        Assert.Contains("Transpose", graph.Types);
    }
}
