namespace SharpFlow.Tests.Ops.Image;

/// <summary>tf.image.resize_bilinear / resize_images / grayscale_to_rgb: values, the gradient, and errors.</summary>
public class ResizeBilinearTests
{
    /// <summary>TensorFlow's interpolation written out in float64, pixel by pixel.</summary>
    private static double[] Reference(double[] x, int n, int h, int w, int c, int outH, int outW, bool align, bool half)
    {
        double Scale(int i, int o) => align && o > 1 ? (i - 1) / (double)(o - 1) : i / (double)o;
        var (sy, sx) = (Scale(h, outH), Scale(w, outW));
        var y = new double[n * outH * outW * c];
        for (var b = 0; b < n; b++)
            for (var oy = 0; oy < outH; oy++)
                for (var ox = 0; ox < outW; ox++)
                    for (var ch = 0; ch < c; ch++)
                    {
                        var fy = half ? (oy + 0.5) * sy - 0.5 : oy * sy;
                        var fx = half ? (ox + 0.5) * sx - 0.5 : ox * sx;
                        var (y0, y1) = (System.Math.Max((int)System.Math.Floor(fy), 0), System.Math.Min((int)System.Math.Ceiling(fy), h - 1));
                        var (x0, x1) = (System.Math.Max((int)System.Math.Floor(fx), 0), System.Math.Min((int)System.Math.Ceiling(fx), w - 1));
                        var (ly, lx) = (fy - System.Math.Floor(fy), fx - System.Math.Floor(fx));
                        double P(int yy, int xx) => x[((b * h + yy) * w + xx) * c + ch];
                        var top = P(y0, x0) + (P(y0, x1) - P(y0, x0)) * lx;
                        var bottom = P(y1, x0) + (P(y1, x1) - P(y1, x0)) * lx;
                        y[((b * outH + oy) * outW + ox) * c + ch] = top + (bottom - top) * ly;
                    }
        return y;
    }

    [Fact]
    public void TwoByTwoToThreeByThreeAsTensorFlow()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[] { 1, 2, 3, 4 }, shape: new Shape(1, 2, 2, 1));
        var y = g.Eval(tf.image.resize_bilinear(x, new[] { 3, 3 }));
        AssertArray.Close(NDArray.FromFlat(new float[] { 1, 5f / 3, 2, 7f / 3, 3, 10f / 3, 3, 11f / 3, 4 }, new Shape(1, 3, 3, 1)), y, 1e-6);
        var aligned = g.Eval(tf.image.resize_bilinear(x, new[] { 3, 3 }, align_corners: true));
        AssertArray.Close(NDArray.FromFlat(new float[] { 1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4 }, new Shape(1, 3, 3, 1)), aligned, 1e-6);
    }

    [Theory]
    [InlineData(5, 7, 11, 3, false, false)]
    [InlineData(8, 8, 3, 5, false, false)]
    [InlineData(4, 6, 9, 9, true, false)]
    [InlineData(6, 5, 12, 4, false, true)]
    [InlineData(1, 1, 4, 4, false, false)]
    public void MatchesTheInterpolationRuleAndItsAdjoint(int h, int w, int outH, int outW, bool align, bool half)
    {
        var r = new System.Random(h * 100 + outH);
        var (n, c) = (2, 3);
        var x = Enumerable.Range(0, n * h * w * c).Select(_ => r.NextDouble() * 2 - 1).ToArray();
        var dy = Enumerable.Range(0, n * outH * outW * c).Select(_ => r.NextDouble() * 2 - 1).ToArray();
        using var g = TestGraph.Enter();
        var image = tf.constant(NDArray.FromFlat(x, new Shape(n, h, w, c)));
        var y = tf.image.resize_bilinear(image, new[] { outH, outW }, align_corners: align, half_pixel_centers: half);
        Assert.Equal(tf.float32, y.dtype);
        Assert.Equal(new Shape(n, outH, outW, c), y.shape);
        var grad = tf.gradients(y, [image], tf.constant(NDArray.FromFlat(dy.Select(v => (float)v).ToArray(), y.shape)))[0]!;
        using var sess = tf.Session();
        var (values, gradient) = sess.run((y, grad));
        var expected = Reference(x, n, h, w, c, outH, outW, align, half);
        AssertArray.Close(NDArray.FromFlat(expected, y.shape), values.Cast(DType.float64), 1e-5);
        // The resize is linear, so its gradient is the adjoint: <resize(x), dy> = <x, grad(dy)> for every x.
        Assert.Equal(tf.float64, gradient.dtype);
        var g64 = gradient.ToArray<double>();
        for (var probe = 0; probe < 3; probe++)
        {
            var v = Enumerable.Range(0, x.Length).Select(_ => r.NextDouble()).ToArray();
            var lhs = Reference(v, n, h, w, c, outH, outW, align, half).Zip(dy, (a, b) => a * b).Sum();
            var rhs = v.Zip(g64, (a, b) => a * b).Sum();
            Assert.True(System.Math.Abs(lhs - rhs) <= 1e-4 * System.Math.Max(1, System.Math.Abs(lhs)), $"<resize(v), dy> = {lhs}, <v, grad> = {rhs}");
        }
    }

    [Fact]
    public void GreyImagesBecomeRgbAndResizeForAPretrainedNetwork()
    {
        using var g = TestGraph.Enter();
        var grey = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1));
        var rgb = tf.image.grayscale_to_rgb(grey);
        Assert.Equal(new Shape(-1, 28, 28, 3), rgb.shape);
        var big = tf.image.resize_images(rgb, [224, 224]);
        Assert.Equal(new Shape(-1, 224, 224, 3), big.shape);
        var pixels = Enumerable.Range(0, 2 * 784).Select(i => (float)(i % 251) / 251).ToArray();
        using var sess = tf.Session();
        var (colour, resized) = sess.run((rgb, big), new FeedDict { [grey] = NDArray.FromFlat(pixels, new Shape(2, 28, 28, 1)) });
        var c = colour.ToArray<float>();
        for (var i = 0; i < pixels.Length; i++)
            Assert.Equal(new[] { pixels[i], pixels[i], pixels[i] }, c.AsSpan(i * 3, 3).ToArray());
        Assert.Equal(new Shape(2, 224, 224, 3), resized.shape);
        Assert.Equal(pixels[0], resized.ToArray<float>()[0]);

        var single = tf.image.resize_images(tf.zeros(new Shape(5, 5, 3)), [10, 20]);
        Assert.Equal(new Shape(10, 20, 3), single.shape);
    }

    [Fact]
    public void BadSizesAndShapesAreNamed()
    {
        using var g = TestGraph.Enter();
        Assert.Throws<ValueError>(() => tf.image.resize_bilinear(tf.zeros(new Shape(4, 4, 1)), new[] { 2, 2 }));
        Assert.Throws<ValueError>(() => tf.image.resize_images(tf.zeros(new Shape(1, 4, 4, 1)), [2, 2, 2]));
        Assert.Throws<ValueError>(() => tf.image.grayscale_to_rgb(tf.zeros(new Shape(1, 4, 4, 3))));
        var size = tf.placeholder(tf.int32, new Shape(2));
        var y = tf.image.resize_bilinear(tf.zeros(new Shape(1, 4, 4, 1)), size);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [size] = new[] { 0, 3 } }));
        Assert.Contains("output dimensions must be positive", e.Message);
    }
}
