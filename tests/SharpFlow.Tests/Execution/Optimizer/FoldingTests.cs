using SharpFlow.Execution;
using SharpFlow.Execution.Optimizer;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution.Optimizer;

/// <summary>
/// The folding passes: batch norm folded into the preceding Conv2D/DepthwiseConv2dNative/MatMul (within 1e-5
/// relative of the unfolded graph: the multiplication moves), and Pad folded into a convolution's or max pooling's
/// explicit padding (bitwise), each on graphs where it applies and on ones where it must not.
/// </summary>
public class FoldingTests
{
    private static NDArray Values(Shape shape, double scale = 0.1, double offset = 0, DType? dtype = null)
    {
        var n = shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d);
        var v = NDArray.FromFlat(Enumerable.Range(0, n).Select(i => System.Math.Sin(i * 1.3 + offset) * scale * (1 + i % 7)).ToArray(), shape);
        return v.Cast(dtype ?? DType.float32);
    }

    private static NDArray Positive(Shape shape, double offset) =>
        NDArray.FromFlat(Enumerable.Range(0, shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d)).Select(i => (float)(0.5 + 0.4 * System.Math.Sin(i * 0.7 + offset))).ToArray(), shape);

    private static (NDArray[] On, NDArray[] Off, OptimizedGraph Graph) RunBoth(Tensor[] fetches, FeedDict feeds, Action<RewriterConfig>? tweak = null, bool initialize = false)
    {
        using var on = tf.Session(GraphOptimizerTests.Config(true, tweak));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        if (initialize)
        {
            on.run(tf.global_variables_initializer());
            off.run(tf.global_variables_initializer());
        }
        var a = on.run(fetches, feeds);
        var b = off.run(fetches, feeds);
        return (a, b, on.OptimizedGraphOf(fetches, feeds: [.. feeds.Select(kv => kv.Key)])!);
    }

    /// <summary>|on - off| ≤ 1e-5 · max |off| per fetch (the tolerance of a moved multiplication in float32).</summary>
    private static void Close(NDArray[] on, NDArray[] off, double relative = 1e-5)
    {
        for (var i = 0; i < on.Length; i++)
        {
            Assert.Equal(off[i].shape, on[i].shape);
            var (a, b) = (on[i].Cast(DType.float64).ToArray<double>(), off[i].Cast(DType.float64).ToArray<double>());
            var scale = b.Max(System.Math.Abs);
            var worst = a.Zip(b, (x, y) => System.Math.Abs(x - y)).Max();
            Assert.True(worst <= relative * scale, $"fetch {i}: max |folded - unfolded| = {worst:G3}, scale {scale:G3}");
        }
    }

    private static void Bitwise(NDArray[] on, NDArray[] off)
    {
        for (var i = 0; i < on.Length; i++) Assert.True(off[i].ValueEquals(on[i]), $"fetch {i} differs with the optimizer on");
    }

    /// <summary>tf.nn.batch_normalization's decomposed inference form with constant statistics.</summary>
    private static Tensor BatchNorm(Tensor x, int channels, double seed, bool variables = false)
    {
        Tensor P(NDArray v, string name) => variables ? tf.Variable(v, name: name).read_value() : tf.constant(v, name: name);
        return tf.nn.batch_normalization(x, P(Values(new Shape(channels), 0.3, seed), "mean"), P(Positive(new Shape(channels), seed), "variance"),
            P(Values(new Shape(channels), 0.5, seed + 1), "beta"), P(Positive(new Shape(channels), seed + 2), "gamma"), 1e-3);
    }

    [Fact]
    public void ABatchNormAfterAConvolutionFoldsIntoItsFilterAndABiasThenFusesWithTheRelu()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 3), name: "x");
        var w = tf.constant(Values(new Shape(3, 3, 3, 8), 0.3, 1), name: "w");
        var y = tf.nn.relu(BatchNorm(tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"), 8, 2), name: "y");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 9, 9, 3), 1, 3) };
        var (on, off, graph) = RunBoth([y], feeds);
        Close(on, off);
        Assert.Equal(1, graph.Count(BatchNormFolding.Name));
        // The folded filter and bias are constants (constant folding), the convolution, bias and relu one fused op.
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal("BiasAdd,Relu", string.Join(",", (string[])fused.Op.attrs["fused_ops"]));
        Assert.Equal("Const", fused.Inputs[1].op.type);
        Assert.Equal("Const", fused.Inputs[2].op.type);
        Assert.DoesNotContain("Mul", graph.Types);
        Assert.DoesNotContain("Rsqrt", graph.Types);

        // Switched off, nothing folds and the result is the unoptimized one bit for bit.
        var (on2, off2, graph2) = RunBoth([y], feeds, r => r.batchnorm_folding = RewriterConfig.Toggle.OFF);
        Assert.Equal(0, graph2.Count(BatchNormFolding.Name));
        Bitwise(on2, off2);
    }

    [Fact]
    public void WithVariablesTheFoldedFilterIsRecomputedEachRun()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 7, 7, 4), name: "x");
        var w = tf.Variable(Values(new Shape(3, 3, 4, 5), 0.3, 1), name: "w");
        var y = BatchNorm(tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID"), 5, 4, variables: true);
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(2, 7, 7, 4), 1, 3) }, initialize: true);
        Close(on, off);
        Assert.Equal(1, graph.Count(BatchNormFolding.Name));
        Assert.Contains(graph.Nodes, n => n.Op.type == "Mul" && n.Op.name.EndsWith("/folded_filter", StringComparison.Ordinal));
    }

    [Fact]
    public void DepthwiseConvolutionsMatMulsAndAConvolutionsBiasFold()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float64, new Shape(3, 6, 6, 2), name: "x");
        var dw = tf.constant(Values(new Shape(3, 3, 2, 3), 0.4, 1, DType.float64));
        var depthwise = tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], "SAME");
        var scale = tf.constant(Values(new Shape(6), 1, 5, DType.float64));
        var offset = tf.constant(Values(new Shape(1, 1, 1, 6), 1, 6, DType.float64));
        var y1 = depthwise * scale - offset;                                             // Sub of the offset, [1,1,1,C] shaped
        var w = tf.constant(Values(new Shape(3, 3, 2, 4), 0.4, 2, DType.float64));
        var b0 = tf.constant(Values(new Shape(4), 1, 7, DType.float64));
        var y2 = BatchNorm64(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b0), 4);
        var m = tf.placeholder(tf.float64, new Shape(5, 3), name: "m");
        var a = tf.constant(Values(new Shape(3, 4), 1, 8, DType.float64));
        var y3 = BatchNorm64(tf.matmul(m, a), 4);
        var at = tf.constant(Values(new Shape(4, 3), 1, 9, DType.float64));
        var y4 = tf.matmul(m, at, transpose_b: true) * tf.constant(NDArray.Scalar(2.5));                  // a lone scalar Mul
        var feeds = new FeedDict { [x] = Values(new Shape(3, 6, 6, 2), 1, 3, DType.float64), [m] = Values(new Shape(5, 3), 1, 4, DType.float64) };
        var (on, off, graph) = RunBoth([y1, y2, y3, y4], feeds);
        Close(on, off, 1e-13);
        Assert.Equal(4, graph.Count(BatchNormFolding.Name));
        Assert.Contains(graph.Log, l => l.Contains("BiasAdd '", StringComparison.Ordinal) && l.Contains("Conv2D", StringComparison.Ordinal));
    }

    private static Tensor BatchNorm64(Tensor x, int channels) =>
        tf.nn.batch_normalization(x, tf.constant(Values(new Shape(channels), 0.3, 1, DType.float64)), tf.constant(Positive(new Shape(channels), 2).Cast(DType.float64)),
            tf.constant(Values(new Shape(channels), 0.5, 3, DType.float64)), tf.constant(Positive(new Shape(channels), 4).Cast(DType.float64)), 1e-3);

    [Fact]
    public void NothingFoldsInATrainingGraphOrWhereTheProductIsFetchedOrTheScaleDependsOnTheInput()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 5, 5, 2), name: "x");
        var w = tf.Variable(Values(new Shape(3, 3, 2, 4), 0.3, 1), name: "w");
        var conv = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME");
        var gamma = tf.Variable(Positive(new Shape(4), 1), name: "gamma");
        var beta = tf.Variable(Values(new Shape(4), 1, 2), name: "beta");
        var y = conv * gamma + beta;
        var loss = tf.reduce_sum(y * y);
        var grads = tf.gradients(loss, new Tensor[] { w, gamma, beta });
        var feeds = new FeedDict { [x] = Values(new Shape(2, 5, 5, 2), 1, 3) };
        // Training: the scale's gradient reads the convolution's output, which then has two readers.
        var (on, off, graph) = RunBoth([loss, grads[0]!, grads[1]!, grads[2]!], feeds, initialize: true);
        Bitwise(on, off);
        Assert.Equal(0, graph.Count(BatchNormFolding.Name));
        // The convolution's output fetched too.
        var (_, _, fetched) = RunBoth([y, conv], feeds, initialize: true);
        Assert.Equal(0, fetched.Count(BatchNormFolding.Name));
        // A scale computed from the convolution's input.
        var fromInput = conv * tf.tile(tf.reduce_mean(x, axis: new[] { 0, 1, 2 }), new[] { 2 }) + 1f;
        var (_, _, dependent) = RunBoth([fromInput], feeds, initialize: true);
        Assert.Equal(0, dependent.Count(BatchNormFolding.Name));
        // A scale that is not per channel (one value per position).
        var perPosition = conv * tf.constant(Values(new Shape(5, 5, 4), 1, 2)) + 1f;
        var (_, _, position) = RunBoth([perPosition], feeds, initialize: true);
        Assert.Equal(0, position.Count(BatchNormFolding.Name));
    }

    [Fact]
    public void APadBeforeAValidConvolutionBecomesItsExplicitPaddingBitwise()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 8, 7, 3), name: "x");
        var w = tf.constant(Values(new Shape(3, 3, 3, 5), 0.3, 1));
        var b = tf.constant(Values(new Shape(5), 1, 2));
        var padded = tf.pad(x, new[,] { { 0, 0 }, { 2, 1 }, { 0, 3 }, { 0, 0 } });
        var y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(padded, w, [1, 2, 1, 1], "VALID"), b));
        var dw = tf.constant(Values(new Shape(2, 2, 3, 2), 0.3, 3));
        var y2 = tf.nn.depthwise_conv2d(tf.pad(x, new[,] { { 0, 0 }, { 1, 1 }, { 1, 0 }, { 0, 0 } }), dw, [1, 1, 1, 1], "VALID");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 8, 7, 3), 1, 3) };
        var (on, off, graph) = RunBoth([y, y2], feeds);
        Bitwise(on, off);
        Assert.Equal(2, graph.Count(PadFolding.Name));
        Assert.DoesNotContain("Pad", graph.Types);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal("EXPLICIT", fused.Op.attrs["padding"]);
        Assert.Equal(new[] { 0, 0, 2, 1, 0, 3, 0, 0 }, (int[])fused.Op.attrs["explicit_paddings"]);

        var (_, _, offGraph) = RunBoth([y, y2], feeds, r => r.pad_folding = RewriterConfig.Toggle.OFF);
        Assert.Equal(0, offGraph.Count(PadFolding.Name));
        Assert.Contains("Pad", offGraph.Types);
    }

    [Fact]
    public void APadWithMinusInfinityBeforeAValidMaxPoolBecomesItsExplicitPaddingBitwise()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 7, 6, 3), name: "x");
        var paddings = new[,] { { 0, 0 }, { 1, 1 }, { 0, 2 }, { 0, 0 } };
        var y = tf.nn.max_pool(PadV2.Build(x, paddings, float.NegativeInfinity), [1, 3, 3, 1], [1, 2, 2, 1], "VALID");
        // Not folded: zeros may win the maximum; a pad as large as the window leaves windows with no input cell;
        // average pooling would count the padded cells; a SAME pooling; padding of the batch axis.
        var zeros = tf.nn.max_pool(tf.pad(x, paddings), [1, 3, 3, 1], [1, 2, 2, 1], "VALID");
        var wide = tf.nn.max_pool(PadV2.Build(x, new[,] { { 0, 0 }, { 3, 0 }, { 0, 0 }, { 0, 0 } }, float.NegativeInfinity), [1, 3, 3, 1], [1, 1, 1, 1], "VALID");
        var average = tf.nn.avg_pool(tf.pad(x, paddings), [1, 3, 3, 1], [1, 2, 2, 1], "VALID");
        var same = tf.nn.max_pool(PadV2.Build(x, new[,] { { 0, 0 }, { 1, 1 }, { 0, 1 }, { 0, 0 } }, float.NegativeInfinity), [1, 3, 3, 1], [1, 2, 2, 1], "SAME");
        var batch = tf.nn.max_pool(PadV2.Build(x, new[,] { { 1, 0 }, { 1, 1 }, { 0, 0 }, { 0, 0 } }, float.NegativeInfinity), [1, 3, 3, 1], [1, 2, 2, 1], "VALID");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 7, 6, 3), 1, 3) };
        var (on, off, graph) = RunBoth([y, zeros, wide, average, same, batch], feeds);
        Bitwise(on, off);
        var line = Assert.Single(graph.Log, l => l.StartsWith(PadFolding.Name, StringComparison.Ordinal));
        Assert.Contains("[0, 0, 1, 1, 0, 2, 0, 0]", line);
        var pool = Assert.Single(graph.Nodes, n => n.Op.type == "MaxPool" && n.Op.attrs.ContainsKey("_explicit_paddings"));
        Assert.Equal("EXPLICIT", pool.Op.attrs["padding"]);
    }

    [Fact]
    public void NothingFoldsWhenThePaddedTensorIsFetchedOrTheGradientReadsIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 5, 5, 2), name: "x");
        var w = tf.Variable(Values(new Shape(3, 3, 2, 2), 0.3, 1), name: "w");
        var padded = tf.pad(x, new[,] { { 0, 0 }, { 1, 1 }, { 1, 1 }, { 0, 0 } });
        var y = tf.nn.conv2d(padded, w, [1, 1, 1, 1], "VALID");
        var grad = tf.gradients(tf.reduce_sum(y * y), w)[0]!;
        var feeds = new FeedDict { [x] = Values(new Shape(1, 5, 5, 2), 1, 3) };
        var (on, off, graph) = RunBoth([y, grad], feeds, initialize: true);
        Bitwise(on, off);
        Assert.Equal(0, graph.Count(PadFolding.Name));
        var (_, _, fetched) = RunBoth([y, padded], feeds, initialize: true);
        Assert.Equal(0, fetched.Count(PadFolding.Name));
    }

    [Fact]
    public void APadAndABatchNormAroundOneConvolutionBothFold()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 10, 10, 3), name: "x");
        var w = tf.constant(Values(new Shape(7, 7, 3, 6), 0.2, 1));
        var conv = tf.nn.conv2d(tf.pad(x, new[,] { { 0, 0 }, { 3, 3 }, { 3, 3 }, { 0, 0 } }), w, [1, 2, 2, 1], "VALID");
        var y = tf.nn.max_pool(PadV2.Build(tf.nn.relu(BatchNorm(conv, 6, 2)), new[,] { { 0, 0 }, { 1, 1 }, { 1, 1 }, { 0, 0 } }, float.NegativeInfinity),
            [1, 3, 3, 1], [1, 2, 2, 1], "VALID");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(1, 10, 10, 3), 1, 3) });
        Close(on, off);
        Assert.Equal(1, graph.Count(BatchNormFolding.Name));
        Assert.Equal(2, graph.Count(PadFolding.Name));
        Assert.Equal(new[] { "_FusedConv2D", "MaxPool" }, graph.Types.Where(t => t is "_FusedConv2D" or "MaxPool" or "Conv2D"));
    }

    /// <summary>An inference FusedBatchNormV3 of constant statistics (what tf.layers.batch_normalization builds by default).</summary>
    private static Tensor FusedBatchNorm(Tensor x, int channels, double seed, bool training = false, string format = "NHWC")
    {
        if (training) return tf.nn.fused_batch_norm(x, Positive(new Shape(channels), seed + 2), Values(new Shape(channels), 0.5, seed + 1), data_format: format).y;
        return tf.nn.fused_batch_norm(x, Positive(new Shape(channels), seed + 2), Values(new Shape(channels), 0.5, seed + 1),
            mean: Values(new Shape(channels), 0.3, seed), variance: Positive(new Shape(channels), seed), epsilon: 1e-3, data_format: format, is_training: false).y;
    }

    [Fact]
    public void AnInferenceFusedBatchNormAfterAConvolutionFoldsIntoItsFilterAndABias()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 3), name: "x");
        var w = tf.constant(Values(new Shape(3, 3, 3, 8), 0.3, 1), name: "w");
        var y = tf.nn.relu(FusedBatchNorm(tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"), 8, 2), name: "y");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 9, 9, 3), 1, 3) };
        var (on, off, graph) = RunBoth([y], feeds);
        Close(on, off);
        Assert.Equal(1, graph.Count(BatchNormFolding.Name) - 1); // the decomposition, then the fold
        Assert.DoesNotContain(graph.Nodes, n => n.Op.type.StartsWith("FusedBatchNorm", StringComparison.Ordinal));
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal("BiasAdd,Relu", string.Join(",", (string[])fused.Op.attrs["fused_ops"]));
        Assert.Equal("Const", fused.Inputs[1].op.type);
        Assert.Equal("Const", fused.Inputs[2].op.type);
    }

    [Fact]
    public void AFusedBatchNormStaysInTrainingWhenTheProductIsReadAndInNchw()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 3), name: "x");
        var w = tf.constant(Values(new Shape(3, 3, 3, 8), 0.3, 1), name: "w");
        var conv = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 9, 9, 3), 1, 3) };
        foreach (var (fetches, what) in new (Tensor[], string)[]
                 {
                     ([FusedBatchNorm(conv, 8, 2, training: true)], "training"),
                     ([FusedBatchNorm(conv, 8, 4), conv], "product fetched"),
                     ([FusedBatchNorm(tf.nn.relu(conv), 8, 5)], "no product before it"),
                     ([FusedBatchNorm(tf.transpose(conv, new[] { 0, 3, 1, 2 }), 8, 6, format: "NCHW")], "NCHW"),
                 })
        {
            var (on, off, graph) = RunBoth(fetches, feeds);
            Bitwise(on, off);
            Assert.True(graph.Count(BatchNormFolding.Name) == 0, what);
            Assert.Contains(graph.Nodes, n => n.Op.type == "FusedBatchNormV3");
        }
    }
}
