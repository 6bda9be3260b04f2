using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// SparseToDense exported as ScatterND into the filled default (its index check kept, the order and repeat checks
/// of validate_indices not); RGBToHSV, HSVToRGB, AdjustHue and AdjustSaturation as the kernels' arithmetic in
/// element-wise operators (within 1e-5, on random pixels and the edge cases). Each graph runs in ONNX Runtime against SharpFlow's own run (itself checked against
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
        // Not re-imported: the importer reads ScatterND as SharpFlow's ScatterNd, which adds repeated indices and takes no booleans.
        var ours = ExportAgrees(sess, In(indices, values, shape, positions, at), ys,
            [("indices", Ints([0, 1, 1, 0, 2, 3], 3, 2)), ("values", Floats([5f, 6f, 7f], 3)), ("shape", Ints([3, 4], 2)), ("positions", L(4, 1, 4)), ("at", NDArray.Scalar(2L))], opset, reimport: false);
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
        Assert.Equal(1f / 6f, hsv[45], 6);
        Assert.Equal(1f - 0.3f / 6f, hsv[57], 6);
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
}
