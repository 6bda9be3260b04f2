namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// convert_image_dtype, the colour adjustments, colour spaces, grey conversion and per-image standardization, with
/// expected values copied from TensorFlow's python/ops/image_ops_test.py and references written from
/// python/ops/image_ops_impl.py and Python's colorsys.
/// </summary>
public class ColorTests
{
    /// <summary>image_ops_test.py's test picture: [2, 2, 3] uint8.</summary>
    private static readonly byte[] TestPixels = [0, 5, 13, 54, 135, 226, 37, 8, 234, 90, 255, 1];

    private static Tensor Pixels(int batch = 0) =>
        tf.constant(NDArray.FromFlat(TestPixels, batch > 0 ? new Shape(1, 2, 2, 3) : new Shape(2, 2, 3)));

    [Theory]
    [InlineData("uint8", "float32", new double[] { 0, 255 }, new double[] { 0, 1 })]
    [InlineData("uint8", "int32", new double[] { 0, 255 }, new double[] { 0, 255 * 8388608.0 })]
    [InlineData("int32", "uint8", new double[] { 0, 2147483647 }, new double[] { 0, 255 })]
    [InlineData("int64", "int32", new double[] { 0, 4294967296 }, new double[] { 0, 1 })]
    [InlineData("int32", "int64", new double[] { 0, 1 }, new double[] { 0, 4294967296 })]
    [InlineData("float32", "uint8", new double[] { 0, 1 }, new double[] { 0, 255 })]
    [InlineData("float32", "uint8", new double[] { 0.5, 0.2 }, new double[] { 127, 51 })]
    [InlineData("float64", "int32", new double[] { 0, 0.5 }, new double[] { 0, 1073741823 })]
    [InlineData("float32", "float64", new double[] { 0.25, 1 }, new double[] { 0.25, 1 })]
    public void ConvertImageDtypeScalesAsTensorFlow(string from, string to, double[] input, double[] expected)
    {
        // image_ops_test.py's ConvertImageTest cases (uint8 -> int16 there becomes uint8 -> int32 here: same rule).
        using var g = TestGraph.Enter();
        var x = tf.cast(tf.constant(input), DType.Parse(from));
        var y = g.Eval(tf.image.convert_image_dtype(x, DType.Parse(to)));
        Assert.Equal(DType.Parse(to), y.dtype);
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(2)), y.Cast(tf.float64), 1e-7);
    }

    [Fact]
    public void ConvertImageDtypeSaturatesOnRequest()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[] { -0.5f, 0.5f, 1.5f });
        AssertArray.Equal(new byte[] { 0, 127, 255 }, g.Eval(tf.image.convert_image_dtype(x, tf.uint8, saturate: true)));
        AssertArray.Equal(new[] { -2147483647, 1073741823, int.MaxValue }, g.Eval(tf.image.convert_image_dtype(tf.constant(NDArray.FromFlat(new double[] { -1, 0.5, 3 }, new Shape(3))), tf.int32, saturate: true)));
        var same = tf.image.convert_image_dtype(x, tf.float32);
        Assert.Equal("Identity", same.op.type);
        Assert.Throws<TypeError>(() => tf.image.convert_image_dtype(x, tf.@bool));
    }

    [Fact]
    public void BrightnessContrastHueAndSaturationMatchTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        // image_ops_test.py: AdjustBrightnessTest.testPositiveDeltaUint8, AdjustContrastTest.testDoubleContrastUint8,
        // AdjustHueTest.testAdjustNegativeHue/testAdjustPositiveHue, AdjustSaturationTest.testHalfSaturation/testTwiceSaturation.
        AssertArray.Equal(new byte[] { 10, 15, 23, 64, 145, 236, 47, 18, 244, 100, 255, 11 }, g.Eval(tf.image.adjust_brightness(Pixels(), 10f / 255f)));
        AssertArray.Equal(new byte[] { 0, 0, 0, 62, 169, 255, 28, 0, 255, 135, 255, 0 }, g.Eval(tf.image.adjust_contrast(Pixels(1), 2.0f)));
        AssertArray.Equal(new byte[] { 0, 13, 1, 54, 226, 59, 8, 234, 150, 255, 39, 1 }, g.Eval(tf.image.adjust_hue(Pixels(), -0.25f)));
        AssertArray.Equal(new byte[] { 13, 0, 11, 226, 54, 221, 234, 8, 92, 1, 217, 255 }, g.Eval(tf.image.adjust_hue(Pixels(), 0.25f)));
        AssertArray.Equal(new byte[] { 6, 9, 13, 140, 180, 226, 135, 121, 234, 172, 255, 128 }, g.Eval(tf.image.adjust_saturation(Pixels(), 0.5f)));
        AssertArray.Equal(new byte[] { 0, 5, 13, 0, 106, 226, 30, 0, 234, 89, 255, 0 }, g.Eval(tf.image.adjust_saturation(Pixels(), 2.0f)));
    }

    /// <summary>Python's colorsys.rgb_to_hsv.</summary>
    private static (double H, double S, double V) Hsv(double r, double g, double b)
    {
        var (max, min) = (System.Math.Max(r, System.Math.Max(g, b)), System.Math.Min(r, System.Math.Min(g, b)));
        if (max == min) return (0, 0, max);
        var s = (max - min) / max;
        var (rc, gc, bc) = ((max - r) / (max - min), (max - g) / (max - min), (max - b) / (max - min));
        var h = r == max ? bc - gc : g == max ? 2 + rc - bc : 4 + gc - rc;
        h = h / 6 % 1.0;
        return (h < 0 ? h + 1 : h, s, max);
    }

    [Fact]
    public void HsvMatchesColorsysAndRoundTrips()
    {
        var r = new System.Random(4);
        var rgb = Enumerable.Range(0, 3 * 60).Select(_ => r.NextDouble()).ToArray();
        rgb[0] = rgb[1] = rgb[2] = 0.5; // grey: hue and saturation 0
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromFlat(rgb, new Shape(4, 15, 3)));
        var hsv = tf.image.rgb_to_hsv(x);
        var (h, back) = (g.Eval(hsv), g.Eval(tf.image.hsv_to_rgb(hsv)));
        var expected = new double[rgb.Length];
        for (var i = 0; i < rgb.Length; i += 3) (expected[i], expected[i + 1], expected[i + 2]) = Hsv(rgb[i], rgb[i + 1], rgb[i + 2]);
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(4, 15, 3)), h, 1e-12);
        AssertArray.Close(NDArray.FromFlat(rgb, new Shape(4, 15, 3)), back, 1e-12);
        Assert.Contains("3 channels", Assert.Throws<ValueError>(() => tf.image.rgb_to_hsv(tf.zeros(new Shape(2, 4)))).Message);
        Assert.Throws<TypeError>(() => tf.image.rgb_to_hsv(tf.zeros(new Shape(2, 3), tf.uint8)));
    }

    [Fact]
    public void GammaAndGreyFollowTheirFormulas()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[] { 0, 0.25f, 0.5f, 1 }, shape: new Shape(1, 4, 1));
        AssertArray.Close(NDArray.FromFlat(new float[] { 0, 0.125f, 0.5f * MathF.Sqrt(0.5f), 1 }.Select(v => v * 2).ToArray(), new Shape(1, 4, 1)),
            g.Eval(tf.image.adjust_gamma(x, 1.5, 2)), 1e-6);
        Assert.Throws<ValueError>(() => tf.image.adjust_gamma(x, -1));
        var grey = g.Eval(tf.image.rgb_to_grayscale(Pixels()));
        Assert.Equal(new Shape(2, 2, 1), grey.shape);
        var expected = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var f = (0.2989 * TestPixels[i * 3] + 0.5870 * TestPixels[i * 3 + 1] + 0.1140 * TestPixels[i * 3 + 2]) / 255.0;
            expected[i] = (byte)(f * 255.5);
        }
        AssertArray.Equal(expected, grey);
    }

    [Fact]
    public void PerImageStandardizationGivesZeroMeanAndUnitVariance()
    {
        // image_ops_test.py's PerImageWhiteningTest: arange over [13, 9, 3] against its numpy version.
        using var g = TestGraph.Enter();
        var x = Enumerable.Range(0, 13 * 9 * 3).ToArray();
        var y = g.Eval(tf.image.per_image_standardization(tf.constant(NDArray.FromFlat(x, new Shape(13, 9, 3))))).ToArray<float>();
        var mean = x.Average();
        var std = System.Math.Max(System.Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average()), 1 / System.Math.Sqrt(x.Length));
        for (var i = 0; i < x.Length; i++) Assert.Equal((x[i] - mean) / std, y[i], 1e-4);
        var flat = g.Eval(tf.image.per_image_standardization(tf.ones(new Shape(2, 2, 2, 1))));
        Assert.All(flat.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RandomAdjustmentsAreSeededAndBounded()
    {
        NDArray[] Draw()
        {
            using var g = TestGraph.Enter();
            var image = tf.constant(NDArray.FromFlat(Enumerable.Range(0, 48).Select(i => i / 48f).ToArray(), new Shape(4, 4, 3)));
            var ops = new[]
            {
                tf.image.random_brightness(image, 0.2, seed: 3), tf.image.random_contrast(image, 0.5, 1.5, seed: 4),
                tf.image.random_hue(image, 0.1, seed: 5), tf.image.random_saturation(image, 0.5, 2, seed: 6),
            };
            using var sess = tf.Session();
            return sess.run(ops);
        }
        var (a, b) = (Draw(), Draw());
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i].ToArray<float>(), b[i].ToArray<float>());
        var shift = a[0].ToArray<float>()[0];
        Assert.InRange(shift, -0.2f, 0.2f);
        using var g2 = TestGraph.Enter();
        var img = tf.zeros(new Shape(2, 2, 3));
        Assert.Throws<ValueError>(() => tf.image.random_brightness(img, -1));
        Assert.Throws<ValueError>(() => tf.image.random_contrast(img, 1, 0.5));
        Assert.Throws<ValueError>(() => tf.image.random_hue(img, 0.6));
        Assert.Throws<ValueError>(() => tf.image.random_saturation(img, -1, 1));
    }
}
