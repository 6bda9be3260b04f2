using SharpFlow.GraphIO;
using SharpFlow.Ops.Image;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// AdjustContrastv2 and tf.image.adjust_contrast: TensorFlow's image_ops_test.py AdjustContrastTest values, a plain
/// per-channel reference for half and float32 batches, the node TensorFlow 1.15 builds, no gradient (LookupError as
/// in TensorFlow 1.15), a GraphDef import and the shape and run-time errors.
/// </summary>
public sealed class AdjustContrastv2Tests
{
    private static readonly double[] TestPixels = [0, 5, 13, 54, 135, 226, 37, 8, 234, 90, 255, 1];

    private static Tensor Pixels(Shape shape) => tf.constant(NDArray.FromFlat(TestPixels.Select(v => (byte)v).ToArray(), shape));

    /// <summary>(x - mean) · factor + mean per image and channel, mean over height and width.</summary>
    private static double[] Reference(double[] x, int batch, int plane, int channels, double factor)
    {
        var y = new double[x.Length];
        for (var b = 0; b < batch; b++)
            for (var c = 0; c < channels; c++)
            {
                var mean = 0.0;
                for (var p = 0; p < plane; p++) mean += x[(b * plane + p) * channels + c];
                mean /= plane;
                for (var p = 0; p < plane; p++)
                {
                    var i = (b * plane + p) * channels + c;
                    y[i] = (x[i] - mean) * factor + mean;
                }
            }
        return y;
    }

    [Fact]
    public void Uint8ImagesMatchTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        // AdjustContrastTest.test_double_contrast_uint8, test_half_contrast_uint8, test_batch_double_contrast.
        AssertArray.Equal(new byte[] { 0, 0, 0, 62, 169, 255, 28, 0, 255, 135, 255, 0 }, g.Eval(tf.image.adjust_contrast(Pixels(new Shape(1, 2, 2, 3)), 2.0f)));
        AssertArray.Equal(new byte[] { 22, 52, 65, 49, 118, 172, 41, 54, 176, 67, 178, 59 }, g.Eval(tf.image.adjust_contrast(Pixels(new Shape(1, 2, 2, 3)), 0.5f)));
        AssertArray.Equal(new byte[] { 0, 0, 0, 81, 200, 255, 10, 0, 255, 116, 255, 0 }, g.Eval(tf.image.adjust_contrast(Pixels(new Shape(2, 1, 2, 3)), 2.0f)));
    }

    [Fact]
    public void FloatImagesMatchTensorFlowsTest()
    {
        using var g = TestGraph.Enter();
        // AdjustContrastTest.test_double_contrast_float: the pixels / 255, no clipping.
        var x = tf.constant(NDArray.FromFlat(TestPixels.Select(v => (float)(v / 255)).ToArray(), new Shape(1, 2, 2, 3)));
        double[] expected = [-45.25, -90.75, -92.5, 62.75, 169.25, 333.5, 28.75, -84.75, 349.5, 134.75, 409.25, -116.5];
        var y = tf.image.adjust_contrast(x, 2.0f);
        Assert.Equal(tf.float32, y.dtype);
        AssertArray.Close(NDArray.FromFlat(expected.Select(v => v / 255).ToArray(), new Shape(1, 2, 2, 3)), g.Eval(y).Cast(tf.float64), 1e-6);
    }

    [Fact]
    public void FloatAndHalfBatchesMatchAPerChannelReference()
    {
        using var g = TestGraph.Enter();
        var r = new Random(7);
        var shape = new Shape(2, 3, 3, 4, 5); // two leading dimensions fold into the batch
        var data = Enumerable.Range(0, (int)shape.NumElements).Select(_ => r.NextDouble() * 2 - 0.5).ToArray();
        var expected = Reference(data, 6, 12, 5, -0.7);
        var f32 = AdjustContrastv2.Build(tf.constant(NDArray.FromFlat(data.Select(v => (float)v).ToArray(), shape)), -0.7f);
        Assert.Equal(shape, f32.shape);
        AssertArray.Close(NDArray.FromFlat(expected, shape), g.Eval(f32).Cast(tf.float64), 1e-5);
        var half = tf.image.adjust_contrast(tf.cast(tf.constant(NDArray.FromFlat(data, shape)), tf.float16), -0.7f);
        Assert.Equal(tf.float16, half.dtype);
        Assert.Equal(("Identity", "AdjustContrastv2"), (half.op.type, half.op.inputs[0].op.type));
        var halfData = data.Select(v => (double)(Half)v).ToArray();
        AssertArray.Close(NDArray.FromFlat(Reference(halfData, 6, 12, 5, -0.7), shape), g.Eval(half).Cast(tf.float64), 5e-3);
        // An empty batch gives an empty result.
        Assert.Equal(0, g.Eval(AdjustContrastv2.Build(tf.zeros(new Shape(0, 2, 2, 3)), 2f)).size);
    }

    [Fact]
    public void TheFacadeBuildsOneAdjustContrastv2NodeAsTensorFlow115WithNoGradient()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 4, 4, 3));
        var y = tf.image.adjust_contrast(x, 1.5f);
        // convert_image_dtype to the same dtype is an Identity in the scope, as in TensorFlow.
        Assert.Equal(("Identity", "adjust_contrast/Identity"), (y.op.type, y.op.name));
        Assert.Equal(("AdjustContrastv2", "adjust_contrast"), (y.op.inputs[0].op.type, y.op.inputs[0].op.name));
        Assert.Equal(new Shape(2, 4, 4, 3), y.shape);
        var u8 = tf.image.adjust_contrast(tf.zeros(new Shape(4, 4, 3), tf.uint8), 1.5f);
        Assert.Equal(tf.uint8, u8.dtype);
        Assert.Contains(g.Graph.get_operations(), op => op.name == "adjust_contrast_1" && op.type == "AdjustContrastv2");
        var e = Assert.Throws<LookupError>(() => tf.gradients(tf.reduce_sum(y), x));
        Assert.Contains("AdjustContrastv2", e.Message);
        Assert.Contains("adjust_contrast", e.Message);
    }

    private const string GraphText = """
        node { name: "images" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "factor" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 3 } } } }
        node { name: "adjust_contrast" op: "AdjustContrastv2" input: "images" input: "factor" attr { key: "T" value { type: DT_FLOAT } } }
        versions { producer: 27 }
        """;

    [Fact]
    public void ImportsFromAGraphDefAndRuns()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(TextFormat.Parse<Tf.GraphDef>(GraphText), name: "");
        var y = g.Graph.get_tensor_by_name("adjust_contrast:0");
        var x = new float[1, 1, 2, 1] { { { { 1f }, { 3f } } } };
        var r = g.Eval(y, new FeedDict { [g.Graph.get_tensor_by_name("images:0")] = x });
        // Mean 2: (1 - 2) · 3 + 2 and (3 - 2) · 3 + 2.
        Assert.Equal(new[] { -1f, 5f }, r.ToArray<float>());
    }

    [Fact]
    public void ShapesTypesAndRunTimeShapesAreCheckedAndTheErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => AdjustContrastv2.Build(tf.zeros(new Shape(4, 3)), 2f));
        Assert.Contains("AdjustContrastv2", e.Message);
        Assert.Contains("at least rank 3 but is rank 2", e.Message);
        e = Assert.Throws<ValueError>(() => AdjustContrastv2.Build(tf.zeros(new Shape(2, 4, 3)), tf.constant(new[] { 1f, 2f })));
        Assert.Contains("contrast_factor", e.Message);
        Assert.Contains("rank 0 but is rank 1", e.Message);
        var t = Assert.Throws<TypeError>(() => AdjustContrastv2.Build(tf.zeros(new Shape(2, 4, 3), tf.float64), 2f));
        Assert.Contains("AdjustContrastv2", t.Message);
        Assert.Contains("float64", t.Message);
        var x = tf.placeholder(tf.float32);
        var factor = tf.placeholder(tf.float32);
        var y = AdjustContrastv2.Build(x, factor);
        var r = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [x] = new float[,] { { 1f } }, [factor] = 2f }));
        Assert.Contains("AdjustContrastv2", r.Message);
        Assert.Contains("at least 3-D", r.Message);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [x] = new float[1, 1, 1], [factor] = new[] { 2f } }));
        Assert.Contains("contrast_factor must be scalar", r.Message);
    }
}
