using SharpFlow.Execution;
using SharpFlow.Framework;
using SharpFlow.Execution.Optimizer;
using SharpFlow.Ops;
using SharpFlow.Ops.NN;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution.Optimizer;

/// <summary>
/// The remapper's residual and depthwise fusions: ResNet's conv-bias-add-relu block becomes one <c>_FusedConv2D</c>
/// with <c>fused_ops = ["BiasAdd", "Add", "Relu"]</c> (and <c>_FusedMatMul</c> likewise), in inference and training
/// graphs, bitwise the unfused result; the chain stops where an intermediate is fetched, fed or read twice; and
/// <c>DepthwiseConv2dNative + BiasAdd (+ activation)</c> becomes <c>_FusedDepthwiseConv2dNative</c>.
/// </summary>
public class RemapperResidualTests
{
    private static NDArray Values(Shape shape, double scale = 0.1, double offset = 0)
    {
        var n = shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(i => (float)(System.Math.Sin(i * 1.3 + offset) * scale * (1 + i % 7))).ToArray(), shape);
    }

    private static (NDArray[] On, NDArray[] Off, OptimizedGraph Graph) RunBoth(Tensor[] fetches, FeedDict? feeds = null)
    {
        using var on = tf.Session(GraphOptimizerTests.Config(true));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        var a = on.run(fetches, feeds);
        var b = off.run(fetches, feeds);
        return (a, b, on.OptimizedGraphOf(fetches, feeds: feeds?.Select(kv => kv.Key).ToList())!);
    }

    private static void Bitwise(NDArray[] on, NDArray[] off)
    {
        Assert.Equal(off.Length, on.Length);
        for (var i = 0; i < on.Length; i++)
        {
            Assert.Equal(off[i].shape, on[i].shape);
            Assert.True(off[i].ValueEquals(on[i]), $"fetch {i} differs with the optimizer on");
        }
    }

    private static Tensor Activate(string activation, Tensor x) => activation switch
    {
        "" => x,
        "Relu" => tf.nn.relu(x, name: "act"),
        "Relu6" => tf.nn.relu6(x, name: "act"),
        "Elu" => tf.nn.elu(x, name: "act"),
        "Tanh" => tf.tanh(x, name: "act"),
        _ => tf.sigmoid(x, name: "act"),
    };

    private static string[] FusedOpsOf(OptNode n) => (string[])n.Op.attrs["fused_ops"];

    public static readonly TheoryData<string, string, bool> Blocks = new()
    {
        { "Relu", "float32", false }, { "Relu", "float32", true }, { "", "float32", false }, { "Relu6", "float32", false },
        { "Elu", "float32", true }, { "Tanh", "float32", false }, { "Sigmoid", "float32", true }, { "Relu", "float64", false },
    };

    [Theory, MemberData(nameof(Blocks))]
    public void AResNetBlockBecomesOneFusedConv2DWithTheResidual(string activation, string dtype, bool residualFirst)
    {
        using var g = TestGraph.Enter();
        var type = dtype == "float32" ? tf.float32 : tf.float64;
        var x = tf.placeholder(type, new Shape(-1, 10, 10, 16), name: "x");
        var f = tf.cast(tf.constant(Values(new Shape(3, 3, 16, 16), 0.1, 1)), type);
        var b = tf.cast(tf.constant(Values(new Shape(16), 1, 2)), type);
        var conv = tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"), b);
        var y = Activate(activation, residualFirst ? tf.add(x, conv, name: "residual") : tf.add(conv, x, name: "residual"));
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(3, 10, 10, 16), 1, 3).Cast(type) });
        Bitwise(on, off);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal(activation == "" ? ["BiasAdd", "Add"] : new[] { "BiasAdd", "Add", activation }, FusedOpsOf(fused));
        Assert.Equal(2, fused.Op.attrs["num_args"]);
        Assert.Equal(4, fused.Inputs.Length);
        Assert.Equal("x", fused.Inputs[3].op.name);
        Assert.Equal(y.op.name, fused.Op.name);
        Assert.DoesNotContain("Add", graph.Types);
        Assert.DoesNotContain("BiasAdd", graph.Types);
        Assert.Contains("Add 'residual'", graph.Describe());
    }

    [Fact]
    public void AResNetBlockOnTheWinogradPathAppliesTheEpilogue()
    {
        // 28×28 images with 16 channels, batch 2: 98 tiles of 4×4, so the 3×3 convolution takes Winograd F(4×4, 3×3),
        // after which the fused op's bias, residual and Relu must still be applied.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 16), name: "x");
        var f = tf.constant(Values(new Shape(3, 3, 16, 16), 0.1, 1));
        var b = tf.constant(Values(new Shape(16), 1, 2));
        var y = tf.nn.relu(tf.add(tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"), b), x, name: "residual"));
        var geometry = SharpFlow.Kernels.Convolution.Window2D.Create(2, 28, 28, 16, 3, 3, 1, 1, 1, 1, same: true);
        Assert.True(SharpFlow.Kernels.Convolution.Winograd.Applies<float>(geometry, 16));
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(2, 28, 28, 16), 1, 3) });
        Bitwise(on, off);
        Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Contains(on[0].ToArray<float>(), v => v > 0);
    }

    /// <summary>
    /// A one-channel input takes the direct one-channel kernel, which applies the fused bias, residual and activation
    /// to each output row as it finishes it (the bias repeated per pixel): bitwise the separate ops, with the row's
    /// width not a multiple of the vector widths (19 columns × 7 channels) and NaNs and negative values in the residual.
    /// </summary>
    [Theory]
    [InlineData("Relu")]
    [InlineData("Relu6")]
    [InlineData("Elu")]
    [InlineData("Tanh")]
    [InlineData("")]
    public void AOneChannelConvolutionAppliesTheEpilogueRowByRow(string activation)
    {
        var geometry = SharpFlow.Kernels.Convolution.Window2D.Create(3, 13, 19, 1, 5, 3, 1, 1, 1, 1, same: true);
        Assert.True(SharpFlow.Kernels.Convolution.SingleChannelConv.Applies(geometry));
        AssertTheEpilogueMatchesTheSeparateOps(activation, geometry, 7);
    }

    /// <summary>
    /// A few-channel input (a stem: 3 channels, 7×7 stride 2) takes the small-channel direct kernel, which applies the
    /// fused epilogue to each output row as it finishes it: bitwise the separate ops for the 8-, 32- and 64-channel
    /// blocks with AVX-512 (7; 20; 40 and 64 output channels; 16-channel blocks without it), rows of 9 pixels (not a
    /// whole number of blocks).
    /// </summary>
    [Theory]
    [InlineData("Relu", 40)]
    [InlineData("Relu6", 7)]
    [InlineData("Elu", 20)]
    [InlineData("Tanh", 40)]
    [InlineData("", 64)]
    public void ASmallChannelConvolutionAppliesTheEpilogueRowByRow(string activation, int outChannels)
    {
        var geometry = SharpFlow.Kernels.Convolution.Window2D.Create(2, 17, 18, 3, 7, 7, 2, 2, 1, 1, same: true);
        Assert.True(SharpFlow.Kernels.Convolution.SmallChannelConv.AppliesToForward(geometry, outChannels));
        AssertTheEpilogueMatchesTheSeparateOps(activation, geometry, outChannels);
    }

    /// <summary>
    /// conv2d (SAME, the geometry's input, window and strides) + bias + a residual holding a NaN, then
    /// <paramref name="activation"/>: one <c>_FusedConv2D</c> with all of them, bitwise the unfused ops.
    /// </summary>
    private static void AssertTheEpilogueMatchesTheSeparateOps(string activation, SharpFlow.Kernels.Convolution.Window2D geometry, int outChannels)
    {
        using var g = TestGraph.Enter();
        var input = new Shape(geometry.Batch, geometry.InHeight, geometry.InWidth, geometry.Channels);
        var output = new Shape(geometry.Batch, geometry.OutHeight, geometry.OutWidth, outChannels);
        var x = tf.placeholder(tf.float32, new Shape(-1, geometry.InHeight, geometry.InWidth, geometry.Channels), name: "x");
        var r = tf.placeholder(tf.float32, new Shape(-1, geometry.OutHeight, geometry.OutWidth, outChannels), name: "r");
        var f = tf.constant(Values(new Shape(geometry.KernelHeight, geometry.KernelWidth, geometry.Channels, outChannels), 0.5, 1));
        var b = tf.constant(Values(new Shape(outChannels), 2, 2));
        var conv = tf.nn.conv2d(x, f, [1, geometry.StrideHeight, geometry.StrideWidth, 1], "SAME");
        var y = Activate(activation, tf.add(tf.nn.bias_add(conv, b), r, name: "residual"));
        var residual = Values(output, 3, 4).ToArray<float>();
        residual[17] = float.NaN;
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(input, 1, 3), [r] = NDArray.FromFlat(residual, output) });
        Bitwise(on, off);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal(activation == "" ? ["BiasAdd", "Add"] : new[] { "BiasAdd", "Add", activation }, FusedOpsOf(fused));
        Assert.Contains(on[0].ToArray<float>(), float.IsNaN);
        if (activation is "Relu" or "Relu6") Assert.Contains(on[0].ToArray<float>(), v => v == 0);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void ADownsamplingBlockFusesBothConvolutions(bool shortcutFirst, bool shortcutOnTheLeft)
    {
        // ResNet's downsampling block adds two bias sums, the main branch's and the 1×1 stride-2 shortcut's: one
        // fuses with the Add and Relu and takes the other as its residual, which then fuses as Conv2D + BiasAdd (it
        // stayed unfused while the remapper still saw the absorbed Add as its reader), whichever is built first.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 12, 12, 8), name: "x");
        Tensor Shortcut() => tf.nn.bias_add(tf.nn.conv2d(x, tf.constant(Values(new Shape(1, 1, 8, 16), 0.3, 5)), [1, 2, 2, 1], "VALID"),
            tf.constant(Values(new Shape(16), 1, 6)), name: "shortcut");
        Tensor Main()
        {
            var h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, tf.constant(Values(new Shape(3, 3, 8, 16), 0.1, 1)), [1, 2, 2, 1], "SAME"),
                tf.constant(Values(new Shape(16), 1, 2))), name: "h");
            return tf.nn.bias_add(tf.nn.conv2d(h, tf.constant(Values(new Shape(3, 3, 16, 16), 0.1, 3)), [1, 1, 1, 1], "SAME"),
                tf.constant(Values(new Shape(16), 1, 4)), name: "main");
        }
        Tensor shortcut, main;
        if (shortcutFirst) (shortcut, main) = (Shortcut(), Main());
        else (main, shortcut) = (Main(), Shortcut());
        var y = tf.nn.relu(shortcutOnTheLeft ? tf.add(shortcut, main, name: "sum") : tf.add(main, shortcut, name: "sum"), name: "out");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(2, 12, 12, 8), 1, 7) });
        Bitwise(on, off);
        var fused = graph.Nodes.Where(n => n.Op.type == "_FusedConv2D").ToDictionary(n => n.Op.name, n => string.Join(",", FusedOpsOf(n)));
        Assert.Equal(3, fused.Count);
        Assert.Equal("BiasAdd,Add,Relu", fused["out"]);
        Assert.Equal("BiasAdd,Relu", fused["h"]);
        Assert.Equal("BiasAdd", fused[shortcutFirst ? "main" : "shortcut"]);
        Assert.DoesNotContain("BiasAdd", graph.Types);
        Assert.DoesNotContain("Conv2D", graph.Types);
        Assert.DoesNotContain("Add", graph.Types);
    }

    [Theory]
    [InlineData("Relu", 257)] // the packed GEMM applies the epilogue per tile
    [InlineData("Relu6", 5)]   // a small product: the epilogue after it
    [InlineData("Tanh", 257)]
    public void AMatMulWithAResidualBecomesOneFusedMatMul(string activation, int rows)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 70), name: "x");
        var r = tf.placeholder(tf.float32, new Shape(-1, 40), name: "r");
        var w = tf.constant(Values(new Shape(70, 40), 0.2, 1));
        var b = tf.constant(Values(new Shape(40), 1, 2));
        var y = Activate(activation, tf.nn.bias_add(tf.matmul(x, w), b) + r);
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(rows, 70), 1, 3), [r] = Values(new Shape(rows, 40), 2, 4) });
        Bitwise(on, off);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedMatMul");
        Assert.Equal(["BiasAdd", "Add", activation], FusedOpsOf(fused));
        Assert.Equal("r", fused.Inputs[3].op.name);
    }

    [Fact]
    public void TheResidualBlockFusesInTrainingAndGivesTheUnfusedGradients()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 8, 8, 8), name: "x");
        var f1 = tf.Variable(Values(new Shape(3, 3, 8, 8), 0.2, 1), name: "f1");
        var b1 = tf.Variable(Values(new Shape(8), 0.5, 2), name: "b1");
        var f2 = tf.Variable(Values(new Shape(3, 3, 8, 8), 0.2, 3), name: "f2");
        var b2 = tf.Variable(Values(new Shape(8), 0.5, 4), name: "b2");
        var h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, f1, [1, 1, 1, 1], "SAME"), b1), name: "h");
        var y = tf.nn.relu(tf.add(tf.nn.bias_add(tf.nn.conv2d(h, f2, [1, 1, 1, 1], "SAME"), b2), x, name: "residual"), name: "out");
        var loss = tf.reduce_sum(tf.square(y));
        var grads = tf.gradients(loss, new Tensor[] { f1, b1, f2, b2, x });
        var step = tf.train.GradientDescentOptimizer(0.01f).minimize(loss);
        var fetches = new[] { loss, grads[0]!, grads[1]!, grads[2]!, grads[3]!, grads[4]! };
        var feeds = new FeedDict { [x] = Values(new Shape(4, 8, 8, 8), 1) };
        using var on = tf.Session(GraphOptimizerTests.Config(true));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        on.run(tf.global_variables_initializer());
        off.run(tf.global_variables_initializer());
        Bitwise(on.run(fetches, feeds), off.run(fetches, feeds));
        var graph = on.OptimizedGraphOf(fetches, feeds: [x])!;
        var fused = graph.Nodes.Where(n => n.Op.type == "_FusedConv2D").ToDictionary(n => n.Op.name, n => string.Join(",", FusedOpsOf(n)));
        Assert.True(fused.TryGetValue("out", out var block), graph.Describe());
        Assert.Equal("BiasAdd,Add,Relu", block);
        Assert.Equal("BiasAdd,Relu", fused["h"]);
        // Training steps with the fused forward pass keep the weights of the unfused ones, bit for bit.
        for (var i = 0; i < 3; i++)
        {
            on.run(step, feeds);
            off.run(step, feeds);
        }
        Bitwise(on.run(new[] { f1.value(), b1.value(), f2.value(), b2.value() }), off.run(new[] { f1.value(), b1.value(), f2.value(), b2.value() }));
    }

    private static (Tensor X, Tensor Sum, Tensor Residual) Block(Shape input)
    {
        var x = tf.placeholder(tf.float32, input, name: "x");
        var f = tf.constant(Values(new Shape(3, 3, 4, 4), 0.3, 1));
        var b = tf.constant(Values(new Shape(4), 1, 2));
        var pre = tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"), b, name: "pre");
        return (x, pre, tf.add(pre, x, name: "residual"));
    }

    [Fact]
    public void AFetchedOrTwiceReadSumStopsTheChainBeforeTheActivation()
    {
        using var g = TestGraph.Enter();
        var (x, _, sum) = Block(new Shape(-1, 6, 6, 4));
        var relu = tf.nn.relu(sum, name: "relu");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 6, 6, 4), 1) };

        // The sum fetched with the activation: conv + bias + add fuse, the Relu reads the fused op's output.
        var (on, off, graph) = RunBoth([relu, sum], feeds);
        Bitwise(on, off);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D");
        Assert.Equal(["BiasAdd", "Add"], FusedOpsOf(fused));
        Assert.Equal("residual", fused.Op.name);
        Assert.Contains("Relu", graph.Types);

        // The sum read twice: likewise.
        var twice = relu + tf.reduce_mean(sum);
        (on, off, graph) = RunBoth([twice], feeds);
        Bitwise(on, off);
        Assert.Equal(["BiasAdd", "Add"], FusedOpsOf(Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D")));
        Assert.Contains("Relu", graph.Types);
    }

    [Fact]
    public void AFedSumOrATwiceReadBiasSumKeepsTheAddOutOfTheFusion()
    {
        using var g = TestGraph.Enter();
        var (x, pre, sum) = Block(new Shape(2, 6, 6, 4));
        var relu = tf.nn.relu(sum, name: "relu");
        var feeds = new FeedDict { [x] = Values(new Shape(2, 6, 6, 4), 1) };

        // The Add's output fed: the Relu reads the fed value, the convolution is not needed at all.
        var fedSum = new FeedDict { [x] = feeds[x], [sum] = Values(new Shape(2, 6, 6, 4), 1, 5) };
        var (on, off, graph) = RunBoth([relu, pre], fedSum);
        Bitwise(on, off);
        Assert.DoesNotContain(graph.Nodes, n => n.Op.type.StartsWith("_Fused", StringComparison.Ordinal) && FusedOpsOf(n).Contains("Add"));

        // The bias sum read by something else too: only conv + bias fuse, the Add and Relu stay.
        var other = relu + tf.reduce_sum(pre);
        (on, off, graph) = RunBoth([other], feeds);
        Bitwise(on, off);
        Assert.Equal(["BiasAdd"], FusedOpsOf(Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D")));
        Assert.Contains("Add", graph.Types);
        Assert.Contains("Relu", graph.Types);
    }

    [Fact]
    public void AnOperandOfAnotherRankIsABroadcastNotAResidual()
    {
        using var g = TestGraph.Enter();
        var (x, pre, _) = Block(new Shape(2, 6, 6, 4));
        var y = tf.nn.relu(tf.add(pre, tf.constant(new[] { 1f, -2f, 3f, -4f })), name: "y");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(2, 6, 6, 4), 1) });
        Bitwise(on, off);
        Assert.Equal(["BiasAdd"], FusedOpsOf(Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D")));
        Assert.Contains("Add", graph.Types);
    }

    [Fact]
    public void AResidualThatBroadcastsAtRunTimeIsAddedAsAddWould()
    {
        // The static shapes [?, 6, 6, 4] agree, but the batches fed differ (1 and 3): Add broadcasts, and so does the fused op.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 6, 4), name: "x");
        var r = tf.placeholder(tf.float32, new Shape(-1, 6, 6, 4), name: "r");
        var f = tf.constant(Values(new Shape(3, 3, 4, 4), 0.3, 1));
        var b = tf.constant(Values(new Shape(4), 1, 2));
        var y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"), b) + r, name: "y");
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(1, 6, 6, 4), 1), [r] = Values(new Shape(3, 6, 6, 4), 1, 7) });
        Bitwise(on, off);
        Assert.Equal(new Shape(3, 6, 6, 4), on[0].shape);
        Assert.Equal(["BiasAdd", "Add", "Relu"], FusedOpsOf(Assert.Single(graph.Nodes, n => n.Op.type == "_FusedConv2D")));

        // Batches that do not broadcast fail as Add fails, the error naming the fused op.
        using var on2 = tf.Session(GraphOptimizerTests.Config(true));
        var ex = Assert.Throws<InvalidArgumentError>(() => on2.run(y, new FeedDict { [x] = Values(new Shape(2, 6, 6, 4), 1), [r] = Values(new Shape(3, 6, 6, 4)) }));
        Assert.Contains("Incompatible shapes", ex.Message);
        Assert.Contains("y", ex.Message);
    }

    [Theory]
    [InlineData("Relu6", "float32", 1)]
    [InlineData("Relu", "float32", 2)]
    [InlineData("", "float32", 1)]
    [InlineData("Tanh", "float32", 2)]
    [InlineData("Elu", "float64", 1)]
    public void DepthwiseConvolutionBiasAddAndActivationBecomeOneFusedDepthwiseConv2dNative(string activation, string dtype, int multiplier)
    {
        using var g = TestGraph.Enter();
        var type = dtype == "float32" ? tf.float32 : tf.float64;
        var x = tf.placeholder(type, new Shape(-1, 9, 9, 6), name: "x");
        var f = tf.cast(tf.constant(Values(new Shape(3, 3, 6, multiplier), 0.3, 1)), type);
        var b = tf.cast(tf.constant(Values(new Shape(6 * multiplier), 1, 2)), type);
        var y = Activate(activation, tf.nn.bias_add(tf.nn.depthwise_conv2d(x, f, [1, 2, 2, 1], "SAME"), b));
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(3, 9, 9, 6), 1, 3).Cast(type) });
        Bitwise(on, off);
        var fused = Assert.Single(graph.Nodes, n => n.Op.type == "_FusedDepthwiseConv2dNative");
        Assert.Equal(activation == "" ? ["BiasAdd"] : new[] { "BiasAdd", activation }, FusedOpsOf(fused));
        Assert.Equal(1, fused.Op.attrs["num_args"]);
        Assert.DoesNotContain("DepthwiseConv2dNative", graph.Types);
        Assert.DoesNotContain("BiasAdd", graph.Types);
    }

    [Fact]
    public void ADepthwiseConvolutionsResidualAddIsNotFused()
    {
        // TensorFlow's remapper has no residual pattern for depthwise convolutions: conv + bias fuse, the Add stays.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 9, 9, 6), name: "x");
        var f = tf.constant(Values(new Shape(3, 3, 6, 1), 0.3, 1));
        var b = tf.constant(Values(new Shape(6), 1, 2));
        var y = tf.nn.relu(tf.nn.bias_add(tf.nn.depthwise_conv2d(x, f, [1, 1, 1, 1], "SAME"), b) + x);
        var (on, off, graph) = RunBoth([y], new FeedDict { [x] = Values(new Shape(2, 9, 9, 6), 1, 3) });
        Bitwise(on, off);
        Assert.Equal(["BiasAdd"], FusedOpsOf(Assert.Single(graph.Nodes, n => n.Op.type == "_FusedDepthwiseConv2dNative")));
        Assert.Contains("Add", graph.Types);
    }

    private static Tensor BuildFused(OpDef def, Tensor[] inputs, string[] fusedOps, int numArgs, string name)
    {
        var attrs = WindowAttrs.ForConv([1, 1, 1, 1], "SAME", null).ToAttrs(inputs[0].dtype);
        attrs["fused_ops"] = fusedOps;
        attrs["num_args"] = numArgs;
        attrs["epsilon"] = 0f;
        using var b = OpBuilder.Begin(name, def.Type, [.. inputs.Select(t => (TensorLike)t)]);
        return b.Create(def, inputs, attrs).outputs[0];
    }

    [Fact]
    public void TheFusedOpsCheckTheirResidualAndFusionNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 4, 4, 2), name: "x");
        var f = tf.constant(Values(new Shape(1, 1, 2, 2)));
        var bias = tf.constant(new[] { 1f, 2f });
        var wrongType = tf.zeros(new Shape(1, 4, 4, 2), tf.float64);
        var e1 = Assert.Throws<TypeError>(() => BuildFused(FusedConv2D.Def, [x, f, bias, wrongType], ["BiasAdd", "Add"], 2, "typed"));
        Assert.Contains("_FusedConv2D \"typed\"", e1.Message);
        Assert.Contains("residual", e1.Message);
        var e2 = Assert.Throws<ValueError>(() => BuildFused(FusedConv2D.Def, [x, f, bias], ["BiasAdd", "Add"], 2, "counted"));
        Assert.Contains("_FusedConv2D \"counted\"", e2.Message);
        var e3 = Assert.Throws<ValueError>(() => BuildFused(FusedDepthwiseConv2dNative.Def, [x, f, bias, tf.zeros(new Shape(1, 3, 4, 2))], ["BiasAdd", "Add"], 2, "broadcast"));
        Assert.Contains("_FusedDepthwiseConv2dNative \"broadcast\"", e3.Message);

        // A fusion the kernels do not know fails when the op runs, naming it.
        var softplus = BuildFused(FusedConv2D.Def, [x, f, bias, x], ["BiasAdd", "Add", "Softplus"], 2, "softplus");
        using var sess = tf.Session();
        var e4 = Assert.ThrowsAny<Exception>(() => sess.run(softplus, new FeedDict { [x] = Values(new Shape(1, 4, 4, 2)) }));
        Assert.Contains("softplus", e4.Message);
        Assert.Contains("Softplus", e4.Message);

        // The fused op built by hand computes what the separate ops compute.
        var made = BuildFused(FusedConv2D.Def, [x, f, bias, x], ["BiasAdd", "Add", "Relu6"], 2, "made");
        var separate = tf.nn.relu6(tf.nn.bias_add(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"), bias) + x);
        var feeds = new FeedDict { [x] = Values(new Shape(1, 4, 4, 2), 3) };
        Bitwise(sess.run(new[] { made }, feeds), sess.run(new[] { separate }, feeds));
    }
}
