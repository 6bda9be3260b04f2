using SharpFlow.Keras;
using SharpFlow.Keras.Engine;

namespace SharpFlow.Tests.Keras;

/// <summary>Conv3D and the 3-D pooling layers against reference loops; constraints after each update; backend functions.</summary>
public class KerasVolumetricAndConstraintTests
{
    private static float[] Values(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    [Fact]
    public void Conv3DMatchesAReferenceLoop()
    {
        using var g = TestGraph.Enter();
        const int D = 4, H = 5, W = 3, C = 2, F = 3, KD = 2, KH = 3, KW = 2;
        var x = Values(2 * D * H * W * C, 1);
        var k = Values(KD * KH * KW * C * F, 2);
        var b = Values(F, 3);
        var model = tf.keras.Sequential([tf.keras.layers.Conv3D(F, (KD, KH, KW), input_shape: [D, H, W, C])]);
        model.set_weights([NDArray.FromFlat(k, new Shape(KD, KH, KW, C, F)), NDArray.FromFlat(b, new Shape(F))]);
        Assert.Equal(new[] { "conv3d/kernel:0", "conv3d/bias:0" }, model.weights.Select(w => w.name));
        var y = model.predict(NDArray.FromFlat(x, new Shape(2, D, H, W, C)));
        int od = D - KD + 1, oh = H - KH + 1, ow = W - KW + 1;
        Assert.Equal(new[] { 2, od, oh, ow, F }, y.shape.Dims);
        var expected = new float[2 * od * oh * ow * F];
        for (var n = 0; n < 2; n++)
            for (var d = 0; d < od; d++)
                for (var h = 0; h < oh; h++)
                    for (var w = 0; w < ow; w++)
                        for (var f = 0; f < F; f++)
                        {
                            double s = b[f];
                            for (var i = 0; i < KD; i++)
                                for (var j = 0; j < KH; j++)
                                    for (var l = 0; l < KW; l++)
                                        for (var c = 0; c < C; c++)
                                            s += x[(((n * D + d + i) * H + h + j) * W + w + l) * C + c] * k[(((i * KH + j) * KW + l) * C + c) * F + f];
                            expected[(((n * od + d) * oh + h) * ow + w) * F + f] = (float)s;
                        }
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(2, od, oh, ow, F)), y, 1e-5);
        Assert.Equal(KD * KH * KW * C * F + F, model.count_params());
    }

    [Fact]
    public void Conv3DWithStridesAndSamePaddingHasKerasOutputShape()
    {
        using var g = TestGraph.Enter();
        var input = tf.keras.Input(shape: [7, 8, 9, 1]);
        var y = tf.keras.layers.Conv3D(4, 3, strides: (2, 2, 3), padding: "same").Apply(input);
        Assert.Equal(new[] { -1, 4, 4, 3, 4 }, y.shape.Dims);
        var e = Assert.Throws<ValueError>(() => tf.keras.layers.Conv3D(4, 3).Apply(tf.keras.Input(shape: [7, 8, 1])));
        Assert.Equal("Input 0 of layer conv3d_1 is incompatible with the layer: expected ndim=5, found ndim=4. Full shape received: (None, 7, 8, 1)", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pooling3DMatchesAReferenceLoop(bool max)
    {
        using var g = TestGraph.Enter();
        const int D = 4, H = 4, W = 6, C = 2;
        var x = Values(D * H * W * C, 4);
        Layer layer = max ? tf.keras.layers.MaxPooling3D(input_shape: [D, H, W, C]) : tf.keras.layers.AveragePooling3D((2, 2, 3), input_shape: [D, H, W, C]);
        var model = tf.keras.Sequential([layer]);
        var y = model.predict(NDArray.FromFlat(x, new Shape(1, D, H, W, C)));
        var (pd, ph, pw) = max ? (2, 2, 2) : (2, 2, 3);
        int od = D / pd, oh = H / ph, ow = W / pw;
        Assert.Equal(new[] { 1, od, oh, ow, C }, y.shape.Dims);
        var expected = new float[od * oh * ow * C];
        for (var d = 0; d < od; d++)
            for (var h = 0; h < oh; h++)
                for (var w = 0; w < ow; w++)
                    for (var c = 0; c < C; c++)
                    {
                        var window = new List<double>();
                        for (var i = 0; i < pd; i++)
                            for (var j = 0; j < ph; j++)
                                for (var l = 0; l < pw; l++)
                                    window.Add(x[(((d * pd + i) * H + h * ph + j) * W + w * pw + l) * C + c]);
                        expected[((d * oh + h) * ow + w) * C + c] = (float)(max ? window.Max() : window.Average());
                    }
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(1, od, oh, ow, C)), y, 1e-6);
    }

    [Fact]
    public void GlobalPooling3DReducesDepthHeightAndWidth()
    {
        using var g = TestGraph.Enter();
        var x = Values(2 * 2 * 3 * 2 * 4, 5);
        var input = NDArray.FromFlat(x, new Shape(2, 2, 3, 2, 4));
        var avg = tf.keras.Sequential([tf.keras.layers.GlobalAveragePooling3D(input_shape: [2, 3, 2, 4])]).predict(input);
        var mx = tf.keras.Sequential([tf.keras.layers.GlobalMaxPooling3D(input_shape: [2, 3, 2, 4])]).predict(input);
        Assert.Equal(new[] { 2, 4 }, avg.shape.Dims);
        for (var n = 0; n < 2; n++)
            for (var c = 0; c < 4; c++)
            {
                var cell = Enumerable.Range(0, 12).Select(i => (double)x[(n * 12 + i) * 4 + c]).ToList();
                Assert.Equal(cell.Average(), avg.ToArray<float>()[n * 4 + c], 1e-5);
                Assert.Equal(cell.Max(), mx.ToArray<float>()[n * 4 + c], 1e-5);
            }
    }

    [Fact]
    public void Conv3DAndItsConstraintRoundTripThroughJson()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([
            tf.keras.layers.Conv3D(2, (1, 2, 3), strides: 1, input_shape: [3, 4, 5, 1], kernel_constraint: tf.keras.constraints.max_norm(3)),
            tf.keras.layers.MaxPooling3D((1, 2, 2)),
        ]);
        var json = model.to_json();
        Assert.Contains("\"kernel_size\":[1,2,3]", json, StringComparison.Ordinal);
        Assert.Contains("\"kernel_constraint\":{\"class_name\":\"MaxNorm\",\"config\":{\"max_value\":3,\"axis\":0}}", json, StringComparison.Ordinal);
        using var g2 = TestGraph.Enter();
        var copy = tf.keras.models.model_from_json(json);
        var conv = (SharpFlow.Keras.Layers.Conv3D)copy.layers[0];
        Assert.Equal(new[] { 1, 2, 3, 1, 2 }, conv.kernel!.shape.Dims);
        Assert.Equal(new[] { -1, 3, 1, 1, 2 }, copy.output_shape.Dims);
        Assert.Equal(3, Assert.IsType<MaxNorm>(KerasConstraint.Of(conv.kernel)).max_value);
    }

    // ----- constraints -----

    private static readonly float[] W0 = [3, -1, 0.5f, 4, 0.2f, -2]; // a 3×2 kernel: columns (3, 0.5, 0.2) and (−1, 4, −2)

    private static double ColumnNorm(float[] w, int col) => Math.Sqrt(Enumerable.Range(0, 3).Sum(r => (double)w[r * 2 + col] * w[r * 2 + col]));

    /// <summary>The kernel after one step at learning rate 0 (so only the constraint changes it).</summary>
    private static float[] AfterOneStep(KerasConstraint constraint, OptimizerSpec? optimizer = null)
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.Dense(2, use_bias: false, input_shape: [3], kernel_constraint: constraint)]);
        model.compile(optimizer ?? tf.keras.optimizers.SGD(lr: 0), "mse");
        model.set_weights([NDArray.FromFlat(W0, new Shape(3, 2))]);
        model.train_on_batch(NDArray.FromFlat(new float[] { 1, 2, 3 }, new Shape(1, 3)), NDArray.FromFlat(new float[] { 0, 0 }, new Shape(1, 2)));
        return model.get_weights()[0].ToArray<float>();
    }

    [Fact]
    public void MaxNormScalesColumnsAboveTheLimit()
    {
        var w = AfterOneStep(tf.keras.constraints.max_norm(2));
        const double eps = 1e-7;
        for (var col = 0; col < 2; col++)
        {
            var n = ColumnNorm(W0, col);
            var scale = Math.Min(n, 2) / (eps + n);
            for (var r = 0; r < 3; r++) Assert.Equal(W0[r * 2 + col] * scale, w[r * 2 + col], 1e-5);
        }
        Assert.Equal(2, ColumnNorm(w, 0), 1e-5);
        Assert.Equal(2, ColumnNorm(w, 1), 1e-5);
    }

    [Fact]
    public void UnitNormNonNegAndMinMaxNormProjectAsKerasDoes()
    {
        var unit = AfterOneStep("unit_norm");
        Assert.Equal(1, ColumnNorm(unit, 0), 1e-5);
        Assert.Equal(1, ColumnNorm(unit, 1), 1e-5);
        Assert.Equal(W0[0] / ColumnNorm(W0, 0), unit[0], 1e-5);

        var nonNeg = AfterOneStep(tf.keras.constraints.non_neg());
        Assert.Equal(W0.Select(v => Math.Max(0, v)), nonNeg);

        // rate 0.5 moves a norm halfway into [1, 3]: column norms 3.048 and 4.583 become 3.024 and 3.791.
        var mm = AfterOneStep(tf.keras.constraints.MinMaxNorm(min_value: 1, max_value: 3, rate: 0.5));
        for (var col = 0; col < 2; col++)
        {
            var n = ColumnNorm(W0, col);
            Assert.Equal(0.5 * Math.Clamp(n, 1, 3) + 0.5 * n, ColumnNorm(mm, col), 1e-4);
        }
        // A tf.train optimizer applies it too.
        var viaTrain = AfterOneStep("unit_norm", tf.train.GradientDescentOptimizer(0.0));
        Assert.Equal(unit, viaTrain);
    }

    [Fact]
    public void TheConstraintProjectsTheUpdatedWeights()
    {
        // x = (1, 2, 3), y = (0, 0): mse's gradient is (2/2)·x·(xW − y) per column; lr 0.1 then NonNeg.
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.Dense(2, use_bias: false, input_shape: [3], kernel_constraint: "non_neg")]);
        model.compile(tf.keras.optimizers.SGD(lr: 0.1), "mse");
        model.set_weights([NDArray.FromFlat(W0, new Shape(3, 2))]);
        float[] x = [1, 2, 3];
        model.train_on_batch(NDArray.FromFlat(x, new Shape(1, 3)), NDArray.FromFlat(new float[] { 0, 0 }, new Shape(1, 2)));
        var w = model.get_weights()[0].ToArray<float>();
        for (var col = 0; col < 2; col++)
        {
            var z = Enumerable.Range(0, 3).Sum(r => (double)x[r] * W0[r * 2 + col]);
            for (var r = 0; r < 3; r++)
                Assert.Equal(Math.Max(0, W0[r * 2 + col] - 0.1 * x[r] * z), w[r * 2 + col], 1e-5);
        }
        var e = Assert.Throws<ValueError>(() => tf.keras.layers.Dense(2, kernel_constraint: "nope"));
        Assert.Equal("Unknown constraint: nope", e.Message);
    }

    // ----- backend -----

    [Fact]
    public void BackendShapeFunctions()
    {
        using var g = TestGraph.Enter();
        var x = tf.keras.Input(shape: [3, 4]);
        Assert.Equal(new int?[] { null, 3, 4 }, tf.keras.backend.int_shape(x));
        Assert.Equal(3, tf.keras.backend.ndim(x));
        Assert.Equal("channels_last", tf.keras.backend.image_data_format());
        Assert.Equal("float32", tf.keras.backend.floatx());
        Assert.Equal(1e-7, tf.keras.backend.epsilon());
        AssertArray.Close(NDArray.FromFlat(new float[] { 2, 4 }, new Shape(2)), tf.keras.backend.eval(tf.constant(new float[] { 1, 2 }) * 2f), 0);
        var e = Assert.Throws<ValueError>(() => tf.keras.backend.set_image_data_format("nchw"));
        Assert.Equal("Unknown data_format: nchw", e.Message);
    }
}

/// <summary>The process-wide image data format, changed only while no other test runs.</summary>
[Collection("keras settings")]
public class KerasImageDataFormatTests
{
    [Fact]
    public void ChannelsFirstIsRefusedByTheConvolutionLayers()
    {
        using var g = TestGraph.Enter();
        tf.keras.backend.set_image_data_format("channels_first");
        try
        {
            Assert.Equal("channels_first", tf.keras.backend.image_data_format());
            var e = Assert.Throws<ValueError>(() => tf.keras.layers.Conv2D(2, 3, name: "c").Apply(tf.keras.Input(shape: [1, 8, 8])));
            Assert.StartsWith("Layer c: the image data format channels_first (NCHW) is not supported", e.Message);
        }
        finally { tf.keras.backend.set_image_data_format("channels_last"); }
        Assert.Equal("channels_last", tf.keras.backend.image_data_format());
    }
}

/// <summary>Tests that change Keras's process-wide settings.</summary>
[CollectionDefinition("keras settings", DisableParallelization = true)]
public class KerasSettingsGroup;
