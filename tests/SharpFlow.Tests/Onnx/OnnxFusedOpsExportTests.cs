using SharpFlow.Framework;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.NN;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The graph optimizer's fused ops (<c>_FusedConv2D</c>, <c>_FusedDepthwiseConv2dNative</c>, <c>_FusedMatMul</c>,
/// with every <c>fused_ops</c> form the remapper writes: BiasAdd, then a residual Add, then Relu, Relu6, Elu, Tanh or
/// Sigmoid), made here as the remapper makes them (the product's attributes plus <c>fused_ops</c>, <c>num_args</c>
/// and <c>epsilon</c>), as a graph imported from TensorFlow holds them: exported to ONNX they expand back into
/// Conv/Gemm with the bias, Add and the activation, and ONNX Runtime and the re-imported model give the fused
/// kernel's values, at opsets 13 and 17. Fusions SharpFlow.Onnx does not expand are refused naming the op and its fused_ops; the fused
/// batch norm's refusals name the op and the problem; explicit convolution padding exports as ONNX pads.
/// </summary>
public sealed class OnnxFusedOpsExportTests
{
    /// <summary>The fused op the remapper would make of <paramref name="product"/> + bias (+ residual) (+ activation).</summary>
    private static Tensor Fused(Tensor product, OpDef def, string fusedOps, Tensor bias, Tensor? residual = null, string name = "fused")
    {
        var attrs = new Dictionary<string, object>(product.op.attrs, StringComparer.Ordinal)
        {
            ["fused_ops"] = fusedOps.Split(','),
            ["num_args"] = residual is null ? 1 : 2,
            ["epsilon"] = 0f,
        };
        Tensor[] inputs = residual is null ? [product.op.inputs[0], product.op.inputs[1], bias] : [product.op.inputs[0], product.op.inputs[1], bias, residual];
        return product.graph.CreateOp(def, name, inputs, attrs).outputs[0];
    }

    /// <summary>Exports y, runs it in ONNX Runtime and re-imported in SharpFlow, both compared with SharpFlow's run of the fused op.</summary>
    private static ModelProto Agrees(Session sess, Dictionary<string, Tensor> inputs, Tensor y, (string Name, NDArray Value)[] feed, int opset = 13, double tolerance = 1e-5)
    {
        var exported = OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["y"] = y }, opset);
        var dict = new FeedDict();
        foreach (var (name, value) in feed) dict[inputs[name]] = value;
        var ours = sess.run(y, dict);
        var bytes = exported.ToByteArray();
        Same(ours, RunOnnxRuntime(bytes, feed, ["y"])[0], $"ONNX Runtime, {y.op.type} {string.Join(",", (string[])y.op.attrs["fused_ops"])}", tolerance);
        Same(ours, RunSharpFlow(bytes, feed, ["y"])[0], $"re-imported, {y.op.type} {string.Join(",", (string[])y.op.attrs["fused_ops"])}", tolerance);
        Assert.DoesNotContain(exported.Proto.Graph.Node, n => n.OpType.StartsWith('_'));
        return exported.Proto;
    }

    [Theory]
    [InlineData("BiasAdd", "SAME", 2, 1)]
    [InlineData("BiasAdd,Relu", "VALID", 1, 2)]
    [InlineData("BiasAdd,Relu6", "SAME", 1, 1)]
    [InlineData("BiasAdd,Elu", "EXPLICIT", 2, 1)]
    [InlineData("BiasAdd,Tanh", "SAME", 1, 2)]
    [InlineData("BiasAdd,Sigmoid", "VALID", 2, 1)]
    [InlineData("BiasAdd,Add", "SAME", 1, 1)]
    [InlineData("BiasAdd,Add,Relu", "SAME", 2, 1)]
    [InlineData("BiasAdd,Add,Relu6", "EXPLICIT", 1, 1)]
    [InlineData("BiasAdd,Add,Elu", "VALID", 1, 1)]
    [InlineData("BiasAdd,Add,Tanh", "SAME", 1, 1)]
    [InlineData("BiasAdd,Add,Sigmoid", "VALID", 1, 2)]
    public void FusedConv2DExpandsBackToConvWithItsBiasResidualAndActivation(string fusedOps, string padding, int stride, int dilation)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 7, 6, 3), name: "x");
        var filter = tf.constant(Uniform(1, -1, 1, 3, 3, 3, 4));
        int[] strides = [1, stride, stride, 1], dilations = [1, dilation, dilation, 1];
        var conv = padding == "EXPLICIT"
            ? tf.nn.conv2d(x, filter, strides, [[0, 0], [1, 2], [2, 0], [0, 0]], dilations)
            : tf.nn.conv2d(x, filter, strides, padding, dilations);
        var bias = tf.constant(Uniform(2, -1, 1, 4));
        var inputs = new Dictionary<string, Tensor> { ["x"] = x };
        List<(string, NDArray)> feed = [("x", F(3, 2, 7, 6, 3))];
        Tensor? residual = null;
        if (fusedOps.Split(',').Contains("Add"))
        {
            residual = tf.placeholder(tf.float32, conv.shape, name: "r");
            inputs["r"] = residual;
            var dims = conv.shape.Dims;
            dims[0] = 2;
            feed.Add(("r", F(4, dims)));
        }
        var y = Fused(conv, FusedConv2D.Def, fusedOps, bias, residual);
        using var sess = tf.Session();
        var model = Agrees(sess, inputs, y, [.. feed]);
        Agrees(sess, inputs, y, [.. feed], opset: 17);
        var onnxConv = Assert.Single(model.Graph.Node, n => n.OpType == "Conv");
        Assert.Equal(3, onnxConv.Input.Count); // the bias is Conv's B
        if (padding == "EXPLICIT") Assert.Equal(new long[] { 1, 2, 2, 0 }, onnxConv.Attribute.Single(a => a.Name == "pads").Ints);
    }

    [Theory]
    [InlineData("BiasAdd")]
    [InlineData("BiasAdd,Relu6")]
    [InlineData("BiasAdd,Relu")]
    public void FusedDepthwiseConv2dNativeExpandsBackToAGroupedConv(string fusedOps)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 6, 3), name: "x");
        var depthwise = tf.nn.depthwise_conv2d(x, tf.constant(Uniform(5, -1, 1, 3, 3, 3, 2)), [1, 2, 2, 1], "SAME");
        Assert.Equal("DepthwiseConv2dNative", depthwise.op.type);
        var y = Fused(depthwise, FusedDepthwiseConv2dNative.Def, fusedOps, tf.constant(Uniform(6, -1, 1, 6)));
        using var sess = tf.Session();
        var model = Agrees(sess, new() { ["x"] = x }, y, [("x", F(7, 2, 6, 6, 3))]);
        Assert.Equal(3L, model.Graph.Node.Single(n => n.OpType == "Conv").Attribute.Single(a => a.Name == "group").I);
    }

    [Theory]
    [InlineData("BiasAdd", false, false)]
    [InlineData("BiasAdd,Relu", true, false)]
    [InlineData("BiasAdd,Relu6", false, true)]
    [InlineData("BiasAdd,Elu", true, true)]
    [InlineData("BiasAdd,Tanh", false, false)]
    [InlineData("BiasAdd,Sigmoid", false, true)]
    [InlineData("BiasAdd,Add", true, false)]
    [InlineData("BiasAdd,Add,Relu", false, false)]
    [InlineData("BiasAdd,Add,Relu6", true, true)]
    [InlineData("BiasAdd,Add,Elu", false, true)]
    [InlineData("BiasAdd,Add,Tanh", true, false)]
    [InlineData("BiasAdd,Add,Sigmoid", false, false)]
    public void FusedMatMulExpandsBackToGemmWithItsBiasResidualAndActivation(string fusedOps, bool transposeA, bool transposeB)
    {
        // float64 too (ONNX Runtime's CPU Elu is float32 only).
        foreach (var dtype in fusedOps.EndsWith("Elu", StringComparison.Ordinal) ? new[] { DType.float32 } : [DType.float32, DType.float64])
        {
            using var g = TestGraph.Enter();
            var a = tf.placeholder(dtype, transposeA ? new Shape(5, 3) : new Shape(3, 5), name: "a");
            var b = tf.constant(Uniform(8, -1, 1, transposeB ? new[] { 4, 5 } : new[] { 5, 4 }).Cast(dtype));
            var product = tf.matmul(a, b, transpose_a: transposeA, transpose_b: transposeB);
            var inputs = new Dictionary<string, Tensor> { ["a"] = a };
            List<(string, NDArray)> feed = [("a", Uniform(9, -2, 2, transposeA ? new[] { 5, 3 } : new[] { 3, 5 }).Cast(dtype))];
            Tensor? residual = null;
            if (fusedOps.Split(',').Contains("Add"))
            {
                residual = tf.placeholder(dtype, new Shape(3, 4), name: "r");
                inputs["r"] = residual;
                feed.Add(("r", Uniform(10, -1, 1, 3, 4).Cast(dtype)));
            }
            var y = Fused(product, FusedMatMul.Def, fusedOps, tf.constant(Uniform(11, -1, 1, 4).Cast(dtype)), residual);
            using var sess = tf.Session();
            var model = Agrees(sess, inputs, y, [.. feed], tolerance: dtype == DType.float64 ? 1e-12 : 1e-5);
            Agrees(sess, inputs, y, [.. feed], opset: 17, tolerance: dtype == DType.float64 ? 1e-12 : 1e-5);
            Assert.Equal(3, model.Graph.Node.Single(n => n.OpType == "Gemm").Input.Count); // the bias is Gemm's C
        }
    }

    /// <summary>A GraphDef holding fused ops (as TensorFlow's optimized graphs do), imported and exported.</summary>
    [Fact]
    public void FusedOpsOfAnImportedGraphDefExport()
    {
        Tensorflow.GraphDef graphDef;
        using (var source = TestGraph.Enter())
        {
            var x = tf.placeholder(tf.float32, new Shape(-1, 5, 5, 2), name: "x");
            var conv = tf.nn.conv2d(x, tf.constant(Uniform(1, -1, 1, 3, 3, 2, 4)), [1, 1, 1, 1], "SAME");
            var features = Fused(conv, FusedConv2D.Def, "BiasAdd,Relu", tf.constant(Uniform(2, -1, 1, 4)), name: "conv_relu");
            var flat = tf.reshape(features, new[] { -1, 100 });
            var dense = tf.matmul(flat, tf.constant(Uniform(3, -0.2, 0.2, 100, 3)));
            Fused(dense, FusedMatMul.Def, "BiasAdd,Sigmoid", tf.constant(Uniform(4, -1, 1, 3)), name: "logits");
            graphDef = source.Graph.as_graph_def();
        }
        using var g = TestGraph.Enter();
        var r = tf.import_graph_def(graphDef, return_elements: ["x:0", "logits:0"], name: "")!;
        var (input, y) = ((Tensor)r[0], (Tensor)r[1]);
        Assert.Equal("_FusedMatMul", y.op.type);
        using var sess = tf.Session();
        var model = Agrees(sess, new() { ["x"] = input }, y, [("x", F(5, 2, 5, 5, 2))]);
        Assert.Contains(model.Graph.Node, n => n.OpType == "Conv");
        Assert.Contains(model.Graph.Node, n => n.OpType == "Gemm");
    }

    [Fact]
    public void AFusionSharpFlowOnnxDoesNotExpandIsRefusedNamingTheOpAndItsFusedOps()
    {
        using var g = TestGraph.Enter();
        var a = tf.placeholder(tf.float32, new Shape(3, 5), name: "a");
        var product = tf.matmul(a, tf.constant(Uniform(8, -1, 1, 5, 4)));
        var y = Fused(product, FusedMatMul.Def, "BiasAdd,LeakyRelu", tf.constant(Uniform(11, -1, 1, 4)), name: "leaky");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["a"] = a }, new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Contains("_FusedMatMul \"leaky\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("fused_ops [BiasAdd, LeakyRelu]", e.Message, StringComparison.Ordinal);

        // num_args that do not fit fused_ops (a residual without its Add).
        var extra = Fused(product, FusedMatMul.Def, "BiasAdd", tf.constant(Uniform(11, -1, 1, 4)), residual: tf.zeros(new Shape(3, 4)), name: "extra");
        var numArgs = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["a"] = a }, new Dictionary<string, Tensor> { ["y"] = extra }));
        Assert.Contains("_FusedMatMul \"extra\" to ONNX: num_args 2 with 4 inputs for fused_ops [BiasAdd]", numArgs.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Explicit padding (a user's Conv2D, and a depthwise convolution's <c>explicit_paddings</c> as the optimizer's
    /// Pad folding writes it) exports as ONNX pads, as does SAME with dilations (which ONNX Runtime's SAME_UPPER
    /// refuses): ONNX Runtime and the re-imported model give SharpFlow's values.
    /// </summary>
    [Fact]
    public void ExplicitPaddingAndDilatedSamePaddingExportAsPads()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 6, 2), name: "x");
        var conv = tf.nn.conv2d(x, tf.constant(Uniform(12, -1, 1, 2, 3, 2, 3)), [1, 1, 2, 1], [[0, 0], [2, 1], [0, 3], [0, 0]]);
        var dilated = tf.nn.conv2d(x, tf.constant(Uniform(14, -1, 1, 3, 2, 2, 3)), [1, 1, 1, 1], "SAME", [1, 2, 3, 1]);
        var depthwise = tf.nn.depthwise_conv2d(x, tf.constant(Uniform(15, -1, 1, 3, 3, 2, 2)), [1, 1, 1, 1], "VALID");
        var explicitDepthwise = g.Graph.CreateOp(depthwise.op.Def, "explicit_depthwise", [x, depthwise.op.inputs[1]],
            new Dictionary<string, object>(depthwise.op.attrs, StringComparer.Ordinal) { ["padding"] = "EXPLICIT", ["explicit_paddings"] = new[] { 0, 0, 1, 0, 2, 1, 0, 0 } }).outputs[0];
        using var sess = tf.Session();
        var outputs = new Dictionary<string, Tensor> { ["conv"] = conv, ["dilated"] = dilated, ["depthwise"] = explicitDepthwise };
        var exported = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, outputs);
        Assert.Equal(3, exported.Proto.Graph.Node.Count(n => n.Attribute.Any(a => a.Name == "pads")));
        var bytes = exported.ToByteArray();
        var input = F(13, 2, 5, 6, 2);
        string[] names = [.. outputs.Keys];
        var ours = sess.run(names.Select(n => outputs[n]).ToArray(), new FeedDict { [x] = input });
        var theirs = RunOnnxRuntime(bytes, [("x", input)], names);
        var back = RunSharpFlow(bytes, [("x", input)], names);
        for (var k = 0; k < names.Length; k++)
        {
            Same(ours[k], theirs[k], $"ONNX Runtime, {names[k]}", 1e-5);
            Same(ours[k], back[k], $"re-imported, {names[k]}", 1e-5);
        }
    }

    [Fact]
    public void FusedBatchNormOfThreeDimensionalDataIsRefusedNamingTheOpAndItsDataFormat()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 2, 3, 3, 4), name: "x");
        var stats = Uniform(1, 0.5, 2, 4);
        var (y, _, _) = tf.nn.fused_batch_norm(x, stats, stats, mean: stats, variance: stats, data_format: "NDHWC", is_training: false, name: "bn3d");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Contains("FusedBatchNormV3 \"bn3d\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("data_format NDHWC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FusedBatchNormOfHalfDataWithFloatStatisticsIsRefusedNamingTheOpAndBothDtypes()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float16, new Shape(-1, 3, 3, 4), name: "x");
        var stats = Uniform(1, 0.5, 2, 4);
        var (y, _, _) = tf.nn.fused_batch_norm(x, stats, stats, mean: stats, variance: stats, is_training: false, name: "bn_half");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Contains("FusedBatchNormV3 \"bn_half\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("x of float16 with float32 statistics", e.Message, StringComparison.Ordinal);
    }
}
