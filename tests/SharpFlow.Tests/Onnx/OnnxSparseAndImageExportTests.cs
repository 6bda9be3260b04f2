using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// SparseToDense exported as ScatterND into the filled default (its index check kept, the order and repeat checks
/// of validate_indices not); RGBToHSV, HSVToRGB, AdjustHue and AdjustSaturation as the kernels' arithmetic in
/// element-wise operators (within 1e-5, on random pixels and the edge cases); DynamicStitch and
/// ParallelDynamicStitch as ScatterND (the later repeat wins), DynamicPartition as Compress, NonMaxSuppressionV2
/// and V3 as NonMaxSuppression, CropAndResize as GatherND of the sampled pixels. Each graph runs in ONNX Runtime against SharpFlow's own run (itself checked against
/// plain values) at opsets 13 and 17; the refusals name the op and the reason.
/// </summary>
public sealed class OnnxSparseAndImageExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static NDArray Floats(float[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    private static NDArray Ints(int[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SparseToDenseFromMatrixVectorAndScalarIndices(int opset)
    {
        using var g = TestGraph.Enter();
        var indices = tf.placeholder(tf.int32, new Shape(-1, 2), name: "indices");
        var values = tf.placeholder(tf.float32, new Shape(-1), name: "values");
        var shape = tf.placeholder(tf.int32, new Shape(2), name: "shape");
        var positions = tf.placeholder(tf.int64, new Shape(-1), name: "positions");
        var at = tf.placeholder(tf.int64, Shape.Scalar, name: "at");
        Tensor[] ys =
        [
            tf.sparse_to_dense(indices, shape, values, -1f),
            tf.sparse_to_dense(positions, new long[] { 5 }, 7, validate_indices: false),
            tf.sparse_to_dense(positions, new long[] { 5 }, tf.cast(positions, tf.float64) * 0.5, 2.0, validate_indices: false),
            tf.sparse_to_dense(at, new long[] { 4 }, true, false),
        ];
        Assert.All(ys, y => Assert.Equal("SparseToDense", y.op.type));
        using var sess = tf.Session();
        // Re-imported too: the importer's ScatterND writes the updates in order, as ONNX Runtime does, for booleans as well.
        var ours = ExportAgrees(sess, In(indices, values, shape, positions, at), ys,
            [("indices", Ints([0, 1, 1, 0, 2, 3], 3, 2)), ("values", Floats([5f, 6f, 7f], 3)), ("shape", Ints([3, 4], 2)), ("positions", L(4, 1, 4)), ("at", NDArray.Scalar(2L))], opset);
        Assert.Equal(new[] { -1f, 5f, -1f, -1f, 6f, -1f, -1f, -1f, -1f, -1f, -1f, 7f }, ours[0].ToArray<float>());
        Assert.Equal(new[] { 0, 7, 0, 0, 7 }, ours[1].ToArray<int>());
        // A repeated index (validate_indices=False): the value written last, in TensorFlow's kernel and in ONNX Runtime.
        Assert.Equal(new[] { 2.0, 0.5, 2.0, 2.0, 2.0 }, ours[2].ToArray<double>());
        Assert.Equal(new[] { false, false, true, false }, ours[3].ToArray<bool>());
    }

    [Fact]
    public void SparseToDenseKeepsTheBoundsCheckForNegativeIndices()
    {
        using var g = TestGraph.Enter();
        var positions = tf.placeholder(tf.int32, new Shape(-1), name: "positions");
        var y = tf.sparse_to_dense(positions, new[] { 4 }, 1f);
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, In(positions), new Dictionary<string, Tensor> { ["y"] = y }, 13).ToByteArray();
        Assert.Equal(new[] { 0f, 1f, 0f, 1f }, RunOnnxRuntime(model, [("positions", Ints([1, 3], 2))], ["y"])[0].ToArray<float>());
        // ONNX would read -1 as the last index; the model fails on it as TensorFlow's kernel does, and on 4.
        Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model, [("positions", Ints([-1], 1))], ["y"]));
        Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model, [("positions", Ints([4], 1))], ["y"]));
        Assert.Throws<InvalidArgumentError>(() => sess.run(y, new FeedDict { [positions] = Ints([-1], 1) }));
        var unknown = tf.placeholder(tf.int32, name: "unknown");
        var z = tf.sparse_to_dense(unknown, new[] { 4 }, 1f);
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(unknown), new Dictionary<string, Tensor> { ["z"] = z }, 13));
        Assert.Equal($"Cannot export SparseToDense \"{z.op.name}\" to ONNX: the rank of its sparse_indices is unknown.", e.RawMessage);
    }

    /// <summary>Random RGB pixels in [0, 1] followed by the edge cases: gray, black, white, ties for the maximum, each hue sector.</summary>
    private static NDArray Pixels(DType dtype)
    {
        var random = Uniform(11, 0, 1, 4, 3, 3).ToArray<float>();
        float[] edges = [0.5f, 0.5f, 0.5f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f, 0f, 0f, 1f, 1f, 1f, 0f, 1f, 0.2f, 0.9f, 0.9f, 1f, 0f, 0.3f, 0.1f, 0.2f, 0.8f];
        return NDArray.FromFlat([.. random, .. edges], new Shape(7, 3, 3)).Cast(dtype);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ColorConversionsAndAdjustmentsComputeAsTheKernels(int opset)
    {
        using var g = TestGraph.Enter();
        var rgb = tf.placeholder(tf.float32, new Shape(-1, 3, 3), name: "rgb");
        var wide = tf.placeholder(tf.float64, new Shape(-1, 3, 3), name: "wide");
        var delta = tf.placeholder(tf.float32, Shape.Scalar, name: "delta");
        Tensor[] ys =
        [
            tf.image.rgb_to_hsv(rgb), tf.image.hsv_to_rgb(rgb), tf.image.rgb_to_hsv(wide), tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(wide)),
            tf.image.adjust_hue(rgb, delta), tf.image.adjust_hue(wide, -0.7f), tf.image.adjust_saturation(rgb, 1.8f), tf.image.adjust_saturation(wide, delta),
        ];
        // The adjustments end in convert_image_dtype's Identity (and a Cast back to float64).
        static string TypeOf(Tensor t) => t.op.type is "Identity" or "Cast" ? TypeOf(t.op.inputs[0]) : t.op.type;
        Assert.Equal(new[] { "RGBToHSV", "HSVToRGB", "RGBToHSV", "HSVToRGB", "AdjustHue", "AdjustHue", "AdjustSaturation", "AdjustSaturation" }, ys.Select(TypeOf));
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(rgb, wide, delta), ys, [("rgb", Pixels(DType.float32)), ("wide", Pixels(DType.float64)), ("delta", NDArray.Scalar(0.35f))], opset, tolerance: 1e-5);
        var hsv = ours[0].ToArray<float>();
        // Gray (0.5, 0.5, 0.5): hue 0, saturation 0; yellow (1, 1, 0): hue 1/6; (1, 0, 0.3): hue 1 - 0.05.
        Assert.Equal(new[] { 0f, 0f, 0.5f }, hsv[36..39]);
        Assert.Equal(1f / 6f, hsv[45], 1e-6);
        Assert.Equal(1f - 0.3f / 6f, hsv[57], 1e-6);
        Same(ours[2].Cast(DType.float32), ours[0], "the float64 conversion", 1e-6);
        Same(Pixels(DType.float64), ours[3], "RGB to HSV to RGB", 1e-12);
    }

    [Fact]
    public void ColorOpsOfHalfImagesAreRefused()
    {
        using var g = TestGraph.Enter();
        var rgb = tf.placeholder(tf.float16, new Shape(-1, 3), name: "rgb");
        var y = tf.image.rgb_to_hsv(rgb);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(rgb), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal($"Cannot export RGBToHSV \"{y.op.name}\" to ONNX: images of float16 (float32 and float64 export).", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void DynamicStitchInterleavesAndTheLaterRepeatWins(int opset)
    {
        using var g = TestGraph.Enter();
        var i0 = tf.placeholder(tf.int32, Shape.Scalar, name: "i0");
        var i1 = tf.placeholder(tf.int32, new Shape(-1), name: "i1");
        var i2 = tf.placeholder(tf.int32, new Shape(2, -1), name: "i2");
        var d0 = tf.placeholder(tf.float32, new Shape(2), name: "d0");
        var d1 = tf.placeholder(tf.float32, new Shape(-1, 2), name: "d1");
        var d2 = tf.placeholder(tf.float32, new Shape(2, -1, 2), name: "d2");
        var a = tf.placeholder(tf.int32, new Shape(-1), name: "a");
        var b = tf.placeholder(tf.int32, new Shape(-1), name: "b");
        var va = tf.placeholder(tf.int64, new Shape(-1), name: "va");
        var vb = tf.placeholder(tf.int64, new Shape(-1), name: "vb");
        Tensor[] ys = [tf.dynamic_stitch([i0, i1, i2], [d0, d1, d2]), tf.parallel_dynamic_stitch([a, b], [va, vb]), tf.dynamic_stitch([b], [vb])];
        Assert.Equal(new[] { "DynamicStitch", "ParallelDynamicStitch", "DynamicStitch" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        // TensorFlow's documented example, then a repeated index (1) and rows no index names (2, 4).
        (string, NDArray)[] feed =
        [
            ("i0", NDArray.Scalar(6)), ("i1", Ints([4, 1], 2)), ("i2", Ints([5, 2, 0, 3], 2, 2)),
            ("d0", Floats([61f, 62f], 2)), ("d1", Floats([41f, 42f, 11f, 12f], 2, 2)), ("d2", Floats([51f, 52f, 21f, 22f, 1f, 2f, 31f, 32f], 2, 2, 2)),
            ("a", Ints([0, 1, 5], 3)), ("b", Ints([1, 3], 2)), ("va", L(10, 20, 50)), ("vb", L(99, 30)),
        ];
        // Re-imported too: the importer's ScatterND lets the later repeat win, as ONNX Runtime does.
        var ours = ExportAgrees(sess, In(i0, i1, i2, d0, d1, d2, a, b, va, vb), ys, feed, opset);
        Assert.Equal(new[] { 1f, 2f, 11f, 12f, 21f, 22f, 31f, 32f, 41f, 42f, 51f, 52f, 61f, 62f }, ours[0].ToArray<float>());
        Assert.Equal(new long[] { 10, 99, 0, 30, 0, 50 }, ours[1].ToArray<long>());
        Assert.Equal(new long[] { 0, 99, 0, 30 }, ours[2].ToArray<long>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void DynamicPartitionKeepsEachPartitionsRowsInOrder(int opset)
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2), name: "data");
        var p = tf.placeholder(tf.int32, new Shape(-1), name: "p");
        var grid = tf.placeholder(tf.int64, new Shape(2, 2, -1), name: "grid");
        var q = tf.placeholder(tf.int32, new Shape(2, 2), name: "q");
        var parts = tf.dynamic_partition(data, p, 4);
        var cells = tf.dynamic_partition(grid, q, 2);
        Assert.All(parts.Concat(cells), t => Assert.Equal("DynamicPartition", t.op.type));
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(data, p, grid, q), [.. parts, .. cells],
            [("data", Floats([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f], 5, 2)), ("p", Ints([0, 1, 0, 2, 1], 5)), ("grid", L([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2)), ("q", Ints([1, 0, 1, 1], 2, 2))], opset);
        Assert.Equal(new[] { 1f, 2f, 5f, 6f }, ours[0].ToArray<float>());
        Assert.Equal(new[] { 3f, 4f, 9f, 10f }, ours[1].ToArray<float>());
        Assert.Equal(new[] { 7f, 8f }, ours[2].ToArray<float>());
        Assert.Equal(new Shape(0, 2), ours[3].shape);
        Assert.Equal(new long[] { 3, 4 }, ours[4].ToArray<long>());
        Assert.Equal(new long[] { 1, 2, 5, 6, 7, 8 }, ours[5].ToArray<long>());
    }

    [Fact]
    public void StitchAndPartitionOfUnknownRanksAreRefused()
    {
        using var g = TestGraph.Enter();
        var i = tf.placeholder(tf.int32, name: "i");
        var d = tf.placeholder(tf.float32, name: "d");
        var y = tf.dynamic_stitch([i], [d]);
        var parts = tf.dynamic_partition(d, i, 2);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(i, d), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal($"Cannot export DynamicStitch \"{y.op.name}\" to ONNX: the rank of indices[0] is unknown.", e.RawMessage);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(i, d), new Dictionary<string, Tensor> { ["p"] = parts[0] }, 13));
        Assert.Equal($"Cannot export DynamicPartition \"{parts[0].op.name}\" to ONNX: the rank of its partitions is unknown.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void NonMaxSuppressionKeepsTensorFlowsBoxesInOrder(int opset)
    {
        using var g = TestGraph.Enter();
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var scores = tf.placeholder(tf.float32, new Shape(-1), name: "scores");
        var max = tf.placeholder(tf.int32, Shape.Scalar, name: "max");
        Tensor[] ys =
        [
            tf.image.non_max_suppression(boxes, scores, max, 0.5f), tf.image.non_max_suppression(boxes, scores, 6, 0.5f, 0.4f),
            SharpFlow.Ops.Image.NonMaxSuppressionV2.Build(boxes, scores, max, 0.9f),
        ];
        Assert.Equal(new[] { "NonMaxSuppressionV3", "NonMaxSuppressionV3", "NonMaxSuppressionV2" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        // TensorFlow's test boxes (the second given by its other two corners), and a box equal in score to the first.
        var corners = Floats([0f, 0f, 1f, 1f, 1f, 1.1f, 0f, 0.1f, 0f, -0.1f, 1f, 0.9f, 0f, 10f, 1f, 11f, 0f, 10.1f, 1f, 11.1f, 0f, 100f, 1f, 101f, 5f, 5f, 6f, 6f], 7, 4);
        var values = Floats([0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f, 0.9f], 7);
        var ours = ExportAgrees(sess, In(boxes, scores, max), ys, [("boxes", corners), ("scores", values), ("max", NDArray.Scalar(4))], opset);
        Assert.Equal(new[] { 3, 0, 6, 5 }, ours[0].ToArray<int>());
        Assert.Equal(new[] { 3, 0, 6 }, ours[1].ToArray<int>());
        Assert.Equal(new[] { 3, 0, 6, 1 }, ours[2].ToArray<int>());
        ours = ExportAgrees(sess, In(boxes, scores, max), ys, [("boxes", corners), ("scores", values), ("max", NDArray.Scalar(0))], opset);
        Assert.Empty(ours[0].ToArray<int>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void CropAndResizeSamplesAsTheKernel(int opset)
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, 4, 5, 2), name: "images");
        var ints = tf.placeholder(tf.int32, new Shape(-1, 3, 3, 1), name: "ints");
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var index = tf.placeholder(tf.int32, new Shape(-1), name: "index");
        Tensor[] ys =
        [
            tf.image.crop_and_resize(images, boxes, index, new[] { 3, 4 }), tf.image.crop_and_resize(images, boxes, index, new[] { 1, 1 }, extrapolation_value: -7f),
            tf.image.crop_and_resize(images, boxes, index, new[] { 5, 3 }, "nearest", 9f), tf.image.crop_and_resize(ints, boxes, index, new[] { 2, 3 }),
        ];
        Assert.All(ys, y => Assert.Equal("CropAndResize", y.op.type));
        using var sess = tf.Session();
        // A box inside, one flipped, one partly outside the image, one of a single point, one that samples at halves.
        var corners = Floats([0.1f, 0.2f, 0.9f, 0.7f, 1f, 1f, 0f, 0f, -0.9f, 0.3f, 0.1f, 1.4f, 0.5f, 0.5f, 0.5f, 0.5f, 0f, 0.125f, 1f, 0.875f], 5, 4);
        var feed = new (string, NDArray)[]
        {
            ("images", F(5, 2, 4, 5, 2)), ("ints", NDArray.FromFlat(Enumerable.Range(0, 18).Select(v => v * v - 40).ToArray(), new Shape(2, 3, 3, 1))),
            ("boxes", corners), ("index", Ints([0, 1, 1, 0, 1], 5)),
        };
        var ours = ExportAgrees(sess, In(images, ints, boxes, index), ys, feed, opset);
        Assert.Equal(new Shape(5, 3, 4, 2), ours[0].shape);
        Assert.Contains(-7f, ours[1].ToArray<float>());
        Assert.Contains(9f, ours[2].ToArray<float>());
        var crop = tf.image.crop_and_resize(images, boxes, index, tf.placeholder(tf.int32, new Shape(2), name: "size"));
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(images, boxes, index, (Tensor)crop.op.inputs[3]), new Dictionary<string, Tensor> { ["y"] = crop }, 13));
        Assert.Equal($"Cannot export CropAndResize \"{crop.op.name}\" to ONNX: its crop_size depends on the inputs.", e.RawMessage);
    }
}
