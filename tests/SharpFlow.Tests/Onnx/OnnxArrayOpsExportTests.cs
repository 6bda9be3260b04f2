using SharpFlow.Onnx;
using SharpFlow.Ops.MathOps;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Split, SplitV, Unpack, BatchMatMul/BatchMatMulV2, NotEqual, FloorDiv, FloorMod, ZerosLike, OnesLike, Size and Rank
/// exported to ONNX: each graph runs in ONNX Runtime and, re-imported, in SharpFlow with SharpFlow's own values, at
/// opsets 13 and 17; the integer and floating forms of the floor ops keep TensorFlow's signs; what cannot be exported
/// is refused naming the op and the reason.
/// </summary>
public sealed class OnnxArrayOpsExportTests
{
    private static Dictionary<string, Tensor> In(Tensor x) => new() { ["x"] = x };

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SplitAndSplitVGiveEveryPiece(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 5), name: "x");
        var equal = tf.split(x, 3, axis: 1);
        var sized = tf.split(x, new[] { 1, -1, 2 }, axis: -1);
        Assert.Equal("Split", equal[0].op.type);
        Assert.Equal("SplitV", sized[0].op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), [.. equal, .. sized], [("x", F(1, 2, 6, 5))], opset);
        Assert.Equal(new[] { 2, 2, 5 }, ours[0].shape.Dims);
        Assert.Equal(new[] { 2, 6, 2 }, ours[4].shape.Dims); // the -1 takes the rest: 5 - 1 - 2
    }

    [Theory]
    [InlineData(13, 1)]
    [InlineData(17, -1)]
    [InlineData(13, 0)]
    public void UnpackGivesEverySliceWithoutTheAxis(int opset, int axis)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.int32, new Shape(3, 4, 2), name: "x");
        var parts = tf.unstack(x, axis: axis);
        Assert.Equal("Unpack", parts[0].op.type);
        using var sess = tf.Session();
        var value = NDArray.FromFlat(Enumerable.Range(0, 24).ToArray(), new Shape(3, 4, 2));
        var ours = ExportAgrees(sess, In(x), parts, [("x", value)], opset);
        Assert.Equal(axis switch { 0 => 3, 1 => 4, _ => 2 }, ours.Length);
        if (axis == -1) Assert.Equal(new[] { 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23 }, ours[1].ToArray<int>());
    }

    [Theory]
    [InlineData(13, false, false)]
    [InlineData(13, true, false)]
    [InlineData(17, false, true)]
    [InlineData(17, true, true)]
    public void BatchMatMulIsMatMulWithItsAdjointsTransposed(int opset, bool adjX, bool adjY)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, adjX ? new Shape(-1, 1, 4, 3) : new Shape(-1, 1, 3, 4), name: "x");
        var w = tf.constant(F(2, adjY ? new[] { 3, 5, 4 } : new[] { 3, 4, 5 }));
        var v2 = tf.matmul(x, w, adjoint_a: adjX, adjoint_b: adjY); // the batch dimensions broadcast: [2, 3]
        Assert.Equal("BatchMatMulV2", v2.op.type);
        var a = tf.placeholder(tf.float64, adjX ? new Shape(2, 4, 3) : new Shape(2, 3, 4), name: "a");
        var v1 = BatchMatMul.Build(a, tf.constant(Uniform(3, -1, 1, adjY ? new[] { 2, 3, 4 } : new[] { 2, 4, 3 }).Cast(DType.float64)), adjX, adjY);
        Assert.Equal("BatchMatMul", v1.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, new() { ["x"] = x, ["a"] = a }, [v2, v1],
            [("x", F(4, adjX ? new[] { 2, 1, 4, 3 } : new[] { 2, 1, 3, 4 })), ("a", Uniform(5, -1, 1, adjX ? new[] { 2, 4, 3 } : new[] { 2, 3, 4 }).Cast(DType.float64))], opset, 1e-5);
        Assert.Equal(new[] { 2, 3, 3, 5 }, ours[0].shape.Dims);
        Assert.Equal(new[] { 2, 3, 3 }, ours[1].shape.Dims);
    }

    [Theory]
    [InlineData(13, "float32")]
    [InlineData(17, "float32")]
    [InlineData(13, "float64")]
    [InlineData(13, "int32")]
    [InlineData(17, "int64")]
    public void FloorDivFloorModAndNotEqualKeepTensorFlowsSigns(int opset, string type)
    {
        var dtype = DType.Parse(type);
        using var g = TestGraph.Enter();
        var x = tf.placeholder(dtype, new Shape(-1), name: "x");
        var y = tf.placeholder(dtype, new Shape(-1), name: "y");
        var outputs = new[] { tf.floordiv(x, y), tf.floormod(x, y), tf.not_equal(x, y) };
        Assert.Equal(new[] { "FloorDiv", "FloorMod", "NotEqual" }, outputs.Select(t => t.op.type));
        // Every sign pair, exact multiples, and a zero dividend.
        double[] xs = [7, -7, 7, -7, 6, -6, 0, 5, 3], ys = [2, 2, -2, -2, 3, 3, 4, 5, -4];
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, new() { ["x"] = x, ["y"] = y },
            outputs, [("x", NDArray.FromFlat(xs, new Shape(xs.Length)).Cast(dtype)), ("y", NDArray.FromFlat(ys, new Shape(ys.Length)).Cast(dtype))], opset);
        // Python's // and %: the quotient rounds down, the remainder takes the divisor's sign.
        Assert.Equal(new double[] { 3, -4, -4, 3, 2, -2, 0, 1, -1 }, ours[0].Cast(DType.float64).ToArray<double>());
        Assert.Equal(new double[] { 1, 1, -1, -1, 0, 0, 0, 0, -1 }, ours[1].Cast(DType.float64).ToArray<double>());
        Assert.Equal(new[] { true, true, true, true, true, true, true, false, true }, ours[2].ToArray<bool>());
    }

    [Fact]
    public void FloatingFloorModOfFractionsIsTensorFlows()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var divisor = tf.constant(NDArray.FromFlat(new[] { 0.75f, -1.5f, 2.25f }, new Shape(3)));
        using var sess = tf.Session();
        foreach (var opset in new[] { 13, 17 })
            ExportAgrees(sess, In(x), [tf.floormod(x, divisor), tf.floordiv(x, divisor)], [("x", Uniform(6, -5, 5, 4, 3))], opset);
    }

    [Theory]
    [InlineData(13, "float32")]
    [InlineData(17, "int32")]
    [InlineData(13, "bool")]
    [InlineData(17, "float64")]
    public void ZerosLikeAndOnesLikeTakeTheInputsShapeAndDType(int opset, string type)
    {
        var dtype = DType.Parse(type);
        using var g = TestGraph.Enter();
        var x = tf.placeholder(dtype, new Shape(-1, 3), name: "x");
        var zeros = tf.zeros_like(x);
        var ones = tf.ones_like(x);
        Assert.Equal("ZerosLike", zeros.op.type);
        Assert.Equal("OnesLike", ones.op.type);
        using var sess = tf.Session();
        var value = Uniform(7, -3, 3, 2, 3).Cast(dtype);
        var ours = ExportAgrees(sess, In(x), [zeros, ones], [("x", value)], opset);
        Assert.Equal(dtype, ours[1].dtype);
        Assert.Equal(dtype, ours[0].dtype);
        Assert.Equal(new[] { 2, 3 }, ours[1].shape.Dims);
        Assert.All(ours[0].Cast(DType.float64).ToArray<double>(), v => Assert.Equal(0.0, v));
        Assert.All(ours[1].Cast(DType.float64).ToArray<double>(), v => Assert.Equal(1.0, v));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SizeAndRankCountTheFedValue(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 3), name: "x");
        var size32 = tf.size(x);
        var size64 = tf.size(x, out_type: tf.int64);
        var rank = tf.rank(x);
        Assert.Equal(new[] { "Size", "Size", "Rank" }, new[] { size32, size64, rank }.Select(t => t.op.type));
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), [size32, size64, rank], [("x", F(8, 5, 4, 3))], opset);
        Assert.Equal(60, ours[0].ToArray<int>()[0]);
        Assert.Equal(60L, ours[1].ToArray<long>()[0]);
        Assert.Equal(3, ours[2].ToArray<int>()[0]);
    }

    [Theory]
    [InlineData(13, 2)]
    [InlineData(17, 3)]
    public void DepthToSpaceAndSpaceToDepthKeepTensorFlowsNhwcOrder(int opset, int block)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 2, 3, 2 * block * block), name: "x");
        var deep = tf.depth_to_space(x, block);
        var back = tf.space_to_depth(deep, block);
        Assert.Equal("DepthToSpace", deep.op.type);
        Assert.Equal("SpaceToDepth", back.op.type);
        var image = tf.placeholder(tf.float32, new Shape(-1, 2 * block, 4 * block, 3), name: "image");
        var flat = tf.space_to_depth(image, block);
        using var sess = tf.Session();
        var value = F(10, 2, 2, 3, 2 * block * block);
        var ours = ExportAgrees(sess, new() { ["x"] = x, ["image"] = image }, [deep, back, flat], [("x", value), ("image", F(11, 1, 2 * block, 4 * block, 3))], opset);
        Assert.Equal(new[] { 2, 2 * block, 3 * block, 2 }, ours[0].shape.Dims);
        Assert.True(value.ValueEquals(ours[1]));
        // TensorFlow's order: output[0, 0, 1, c] is input[0, 0, 0, block offset (0, 1) · 2 channels + c].
        Assert.Equal(value.ToArray<float>()[2], ours[0].ToArray<float>()[2]);
    }

    [Theory]
    [InlineData(13, 2, 1.0, 0.1, 0.75)]
    [InlineData(17, 1, 2.0, 0.5, 0.5)]
    [InlineData(13, 5, 1.0, 1.0, 0.5)]
    public void LrnMapsTheDepthRadiusAndAlphaToOnnxs(int opset, int radius, double bias, double alpha, double beta)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 2, 7), name: "x");
        var y = tf.nn.lrn(x, radius, bias, alpha, beta);
        Assert.Equal("LRN", y.op.type);
        using var sess = tf.Session();
        var value = Uniform(12, -2, 2, 2, 3, 2, 7);
        var ours = ExportAgrees(sess, In(x), [y], [("x", value)], opset, 1e-5);
        // TensorFlow's definition at one element: x / (bias + alpha · Σ x² over channels d ± radius)^beta.
        var v = value.ToArray<float>();
        const int D = 3;
        var sum = 0.0;
        for (var c = System.Math.Max(0, D - radius); c <= System.Math.Min(6, D + radius); c++) sum += (double)v[c] * v[c];
        Assert.Equal(v[D] / System.Math.Pow(bias + alpha * sum, beta), ours[0].ToArray<float>()[D], 1e-4);
    }

    [Theory]
    [InlineData(13, false, false)]
    [InlineData(13, true, false)]
    [InlineData(17, false, true)]
    [InlineData(17, true, true)]
    public void CumsumKeepsExclusiveAndReverse(int opset, bool exclusive, bool reverse)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        var n = tf.placeholder(tf.int32, new Shape(4), name: "n");
        var rows = tf.cumsum(x, 1, exclusive, reverse);
        var columns = tf.cumsum(x, 0, exclusive, reverse);
        var ints = tf.cumsum(n, 0, exclusive, reverse);
        Assert.Equal("Cumsum", rows.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, new() { ["x"] = x, ["n"] = n }, [rows, columns, ints], [("x", F(13, 3, 4)), ("n", NDArray.FromFlat(new[] { 1, 2, 3, 4 }, new Shape(4)))], opset, 1e-5);
        int[] expected = (exclusive, reverse) switch
        {
            (false, false) => [1, 3, 6, 10],
            (true, false) => [0, 1, 3, 6],
            (false, true) => [10, 9, 7, 4],
            _ => [9, 7, 4, 0],
        };
        Assert.Equal(expected, ours[2].ToArray<int>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void GatherNdTakesSlicesAndElements(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 4), name: "x");
        var rows = tf.gather_nd(x, tf.constant(NDArray.FromFlat(new[] { 0, 1, 1, 2, 1, 0 }, new Shape(3, 2))));
        var at = tf.placeholder(tf.int64, new Shape(-1, 3), name: "at");
        var elements = tf.gather_nd(x, at);
        Assert.Equal("GatherNd", rows.op.type);
        using var sess = tf.Session();
        var value = F(14, 2, 3, 4);
        var ours = ExportAgrees(sess, new() { ["x"] = x, ["at"] = at }, [rows, elements], [("x", value), ("at", L([1, 2, 3, 0, 0, 0], 2, 3))], opset);
        Assert.Equal(new[] { 3, 4 }, ours[0].shape.Dims);
        Assert.Equal(new[] { value.ToArray<float>()[23], value.ToArray<float>()[0] }, ours[1].ToArray<float>());
    }

    [Theory]
    [InlineData(13, -1, "float32")]
    [InlineData(17, 0, "float32")]
    [InlineData(13, 1, "int64")]
    public void OneHotGivesTheOffValueForIndicesOutOfRangeNegativeIncluded(int opset, int axis, string type)
    {
        var dtype = DType.Parse(type);
        using var g = TestGraph.Enter();
        var i = tf.placeholder(tf.int32, new Shape(-1, 3), name: "i");
        var y = tf.one_hot(i, 4, on_value: tf.constant(NDArray.Scalar(5.0).Cast(dtype)), off_value: tf.constant(NDArray.Scalar(-2.0).Cast(dtype)), axis: axis);
        Assert.Equal("OneHot", y.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, new() { ["i"] = i }, [y], [("i", NDArray.FromFlat(new[] { 0, 3, -1, 4, 2, -4 }, new Shape(2, 3)))], opset);
        // TensorFlow: -1, 4 and -4 are out of [0, 4): every value off (ONNX alone would count -1 and -4 from the end).
        var perIndex = NDArray.FromFlat(ours[0].Cast(DType.float64).ToArray<double>(), ours[0].shape);
        var onCount = perIndex.ToArray<double>().Count(v => v == 5);
        Assert.Equal(3, onCount);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TopKGivesTheLargestWithTheLowerIndexFirstOnTies(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6), name: "x");
        var (values, indices) = tf.math.top_k(x, 3);
        Assert.Equal("TopKV2", values.op.type);
        using var sess = tf.Session();
        var value = NDArray.FromFlat(new[] { 1f, 5, 3, 5, -1, 2, 0, 0, 0, 7, 0, -3 }, new Shape(2, 6));
        var ours = ExportAgrees(sess, In(x), [values, indices], [("x", value)], opset);
        Assert.Equal(DType.int32, ours[1].dtype);
        Assert.Equal(new[] { 1, 3, 2, 3, 0, 1 }, ours[1].ToArray<int>());
        Assert.Equal(new[] { 5f, 5, 3, 7, 0, 0 }, ours[0].ToArray<float>());
    }

    [Theory]
    [InlineData(13, false, false)]
    [InlineData(17, true, false)]
    [InlineData(13, false, true)]
    [InlineData(17, false, true)]
    public void ResizeBilinearAndNearestNeighborKeepTensorFlowsCoordinates(int opset, bool alignCorners, bool halfPixelCenters)
    {
        using var g = TestGraph.Enter();
        // A known batch gives constant sizes; an unknown one sizes computed from the image's Shape, which the
        // importer reads back as the input's own batch and channels.
        foreach (var batch in new[] { 2, -1 })
            ResizesAgree(opset, alignCorners, halfPixelCenters, batch);
    }

    private static void ResizesAgree(int opset, bool alignCorners, bool halfPixelCenters, int batch)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(batch, 4, 5, 3), name: "x");
        var bytes = tf.placeholder(tf.uint8, new Shape(batch, 4, 5, 3), name: "bytes");
        var up = tf.constant(NDArray.FromFlat(new[] { 7, 9 }, new Shape(2)));
        var down = tf.constant(NDArray.FromFlat(new[] { 3, 2 }, new Shape(2)));
        Tensor[] outputs =
        [
            tf.image.resize_bilinear(x, up, alignCorners, halfPixelCenters),
            tf.image.resize_bilinear(x, down, alignCorners, halfPixelCenters),
            tf.image.resize_bilinear(bytes, up, alignCorners, halfPixelCenters),
            tf.image.resize_nearest_neighbor(x, up, alignCorners, halfPixelCenters),
            tf.image.resize_nearest_neighbor(x, down, alignCorners, halfPixelCenters),
            tf.image.resize_nearest_neighbor(bytes, up, alignCorners, halfPixelCenters),
        ];
        Assert.Equal(DType.float32, outputs[2].dtype);
        using var sess = tf.Session();
        var image = Uniform(15, 0, 255, 2, 4, 5, 3);
        (string, NDArray)[] feed = [("x", image), ("bytes", image.Cast(DType.uint8))];
        var bilinear = ExportAgrees(sess, new() { ["x"] = x, ["bytes"] = bytes }, outputs[..3], feed, opset, 1e-5, dynamicBatch: false);
        var nearest = ExportAgrees(sess, new() { ["x"] = x, ["bytes"] = bytes }, outputs[3..], feed, opset, 1e-5, dynamicBatch: false);
        Assert.Equal(new[] { 2, 7, 9, 3 }, bilinear[0].shape.Dims);
        Assert.Equal(new[] { 2, 3, 2, 3 }, nearest[1].shape.Dims);
        Assert.Equal(DType.uint8, nearest[2].dtype);
    }

    [Theory]
    [InlineData(13, "SAME", 2, 6, 8)]
    [InlineData(17, "SAME", 2, 5, 7)]
    [InlineData(13, "VALID", 2, 7, 9)]
    [InlineData(17, "VALID", 2, 8, 10)]
    [InlineData(13, "SAME", 1, 4, 5)]
    [InlineData(17, "VALID", 3, 9, 11)]
    public void Conv2DBackpropInputIsConvTransposeCroppedToItsInputSizes(int opset, string padding, int stride, int height, int width)
    {
        using var g = TestGraph.Enter();
        // The forward convolution's output size for these input sizes: out_backprop's.
        int Out(int size) => padding == "SAME" ? (size + stride - 1) / stride : (size - 3 + stride) / stride;
        var x = tf.placeholder(tf.float32, new Shape(-1, Out(height), Out(width), 2), name: "x");
        var filter = tf.constant(F(16, 3, 3, 4, 2));
        var y = tf.nn.conv2d_transpose(x, filter, new[] { 2, height, width, 4 }, [1, stride, stride, 1], padding);
        Assert.Equal("Conv2DBackpropInput", y.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), [y], [("x", F(17, 2, Out(height), Out(width), 2))], opset, 1e-5);
        Assert.Equal(new[] { 2, height, width, 4 }, ours[0].shape.Dims);
    }

    [Theory]
    [InlineData(13, "SAME", 1, 1)]
    [InlineData(17, "VALID", 2, 1)]
    [InlineData(13, "SAME", 2, 1)]
    [InlineData(17, "SAME", 1, 2)]
    public void Conv3DAndThe3DPoolsRunInNdhwc(int opset, string padding, int stride, int dilation)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 6, 7, 2), name: "x");
        int[] strides = [1, stride, stride, stride, 1];
        var conv = tf.nn.conv3d(x, tf.constant(F(19, 3, 2, 3, 2, 4)), strides, padding, dilations: [1, dilation, dilation, dilation, 1]);
        var max = tf.nn.max_pool3d(x, [1, 2, 3, 2, 1], strides, padding);
        var mean = tf.nn.avg_pool3d(x, [1, 3, 2, 2, 1], strides, padding);
        Assert.Equal(new[] { "Conv3D", "MaxPool3D", "AvgPool3D" }, new[] { conv, max, mean }.Select(t => t.op.type));
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), [conv, max, mean], [("x", F(20, 2, 5, 6, 7, 2))], opset, 1e-5);
        Assert.Equal(4, ours[0].shape[4]);
    }

    [Fact]
    public void ASplitVWhoseRestIsUnknownIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        var parts = tf.split(x, new[] { 1, -1 }, axis: 0, name: "halves");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = parts[0] }));
        Assert.Contains("SplitV \"halves\"", e.Message);
        Assert.Contains("size_splits has a -1 and dimension 0", e.Message);
        Assert.Contains("unknown", e.Message);
    }

    [Fact]
    public void AnAdjointOfUnknownRankIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, Shape.Unknown, name: "x");
        var product = BatchMatMulV2.Build(x, tf.constant(F(9, 2, 3, 3)), adjX: true, name: "bmm");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = product }));
        Assert.Contains("BatchMatMulV2 \"bmm\"", e.Message);
        Assert.Contains("adj_x of an input of unknown rank", e.Message);
    }

    [Fact]
    public void NchwDepthToSpaceAndConvTransposeAreRefusedNamingTheFormat()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 8, 2, 4), name: "x");
        var deep = tf.depth_to_space(x, 2, name: "d2s", data_format: "NCHW");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = deep }));
        Assert.Contains("DepthToSpace \"d2s\"", e.Message);
        Assert.Contains("data_format NCHW", e.Message);
        var input = tf.placeholder(tf.float32, new Shape(-1, 4, 3, 2), name: "input");
        var transposed = tf.nn.conv2d_backprop_input(new[] { 1, 4, 3, 4 }, tf.constant(F(18, 3, 3, 4, 2)), input, [1, 1, 1, 1], "SAME", name: "deconv");
        var nchw = g.Graph.CreateOp(transposed.op.Def, "deconv_nchw", [.. transposed.op.inputs], new Dictionary<string, object>(transposed.op.attrs) { ["data_format"] = "NCHW" }).outputs[0];
        var e2 = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["input"] = input }, new Dictionary<string, Tensor> { ["y"] = nchw }));
        Assert.Contains("Conv2DBackpropInput \"deconv_nchw\"", e2.Message);
        Assert.Contains("data_format NCHW", e2.Message);
        var padded = g.Graph.CreateOp(transposed.op.Def, "deconv_explicit", [.. transposed.op.inputs],
            new Dictionary<string, object>(transposed.op.attrs) { ["padding"] = "EXPLICIT", ["explicit_paddings"] = new[] { 0, 0, 1, 1, 1, 1, 0, 0 } }).outputs[0];
        var e3 = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["input"] = input }, new Dictionary<string, Tensor> { ["y"] = padded }));
        Assert.Contains("Conv2DBackpropInput \"deconv_explicit\"", e3.Message);
        Assert.Contains("padding EXPLICIT", e3.Message);
    }

    [Fact]
    public void AnLrnOfUnknownRankIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, Shape.Unknown, name: "x");
        var y = tf.nn.lrn(x, 2, name: "norm");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Contains("LRN \"norm\"", e.Message);
        Assert.Contains("is not 4-D", e.Message);
    }

    [Fact]
    public void AResizeWithBothAlignCornersAndHalfPixelCentersIsRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 1), name: "x");
        var resized = tf.image.resize_bilinear(x, new[] { 8, 8 }, align_corners: true);
        var both = g.Graph.CreateOp(resized.op.Def, "both", [.. resized.op.inputs], new Dictionary<string, object>(resized.op.attrs) { ["half_pixel_centers"] = true }).outputs[0];
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = both }));
        Assert.Contains("ResizeBilinear \"both\"", e.Message);
        Assert.Contains("align_corners and half_pixel_centers together", e.Message);
    }

    [Fact]
    public void VolumetricOpsThatOnnxCannotTakeAreRefusedNamingThem()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, -1, -1, 2), name: "x");
        var dilated = tf.nn.conv3d(x, tf.constant(F(21, 2, 2, 2, 2, 3)), [1, 1, 1, 1, 1], "SAME", dilations: [1, 2, 2, 2, 1], name: "dilated");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = dilated }));
        Assert.Contains("Conv3D \"dilated\"", e.Message);
        Assert.Contains("SAME padding with dilations over an input of unknown spatial size", e.Message);
        var pool = tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "VALID");
        var ncdhw = g.Graph.CreateOp(pool.op.Def, "pool_ncdhw", [.. pool.op.inputs], new Dictionary<string, object>(pool.op.attrs) { ["data_format"] = "NCDHW" }).outputs[0];
        var e2 = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = ncdhw }));
        Assert.Contains("MaxPool3D \"pool_ncdhw\"", e2.Message);
        Assert.Contains("data_format NCDHW", e2.Message);
    }
}
