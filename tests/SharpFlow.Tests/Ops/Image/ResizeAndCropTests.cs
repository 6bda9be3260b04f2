namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// ResizeNearestNeighbor, ResizeBicubic, ResizeArea and CropAndResize against plain float64 reference loops of
/// TensorFlow's rules (core/kernels/resize_nearest_neighbor_op.cc, resize_bicubic_op.cc, resize_area_op.cc,
/// crop_and_resize_op.cc), and resize_images with every ResizeMethod.
/// </summary>
public class ResizeAndCropTests
{
    private static double[] Random(int n, int seed)
    {
        var r = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1).ToArray();
    }

    private static double Scale(int inSize, int outSize, bool align) => align && outSize > 1 ? (inSize - 1) / (double)(outSize - 1) : inSize / (double)outSize;

    private static double[] NearestReference(double[] x, int n, int h, int w, int c, int oh, int ow, bool align, bool half)
    {
        int Source(int i, int inSize, int outSize)
        {
            var s = Scale(inSize, outSize, align);
            var f = half ? (i + 0.5) * s : i * s;
            var k = align ? (int)System.Math.Round(f, MidpointRounding.AwayFromZero) : (int)System.Math.Floor(f);
            return System.Math.Min(System.Math.Max(k, 0), inSize - 1);
        }
        var y = new double[n * oh * ow * c];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var ch = 0; ch < c; ch++)
                        y[((b * oh + i) * ow + j) * c + ch] = x[((b * h + Source(i, h, oh)) * w + Source(j, w, ow)) * c + ch];
        return y;
    }

    /// <summary>Keys' cubic convolution kernel with parameter a.</summary>
    private static double Cubic(double t, double a)
    {
        t = System.Math.Abs(t);
        return t <= 1 ? ((a + 2) * t - (a + 3)) * t * t + 1 : t < 2 ? ((a * t - 5 * a) * t + 8 * a) * t - 4 * a : 0;
    }

    private static double[] BicubicReference(double[] x, int n, int h, int w, int c, int oh, int ow, bool align)
    {
        var y = new double[n * oh * ow * c];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var ch = 0; ch < c; ch++)
                    {
                        var (fy, fx) = (i * Scale(h, oh, align), j * Scale(w, ow, align));
                        var (y0, x0) = ((int)System.Math.Floor(fy), (int)System.Math.Floor(fx));
                        var sum = 0.0;
                        for (var dy = -1; dy <= 2; dy++)
                            for (var dx = -1; dx <= 2; dx++)
                            {
                                var yy = System.Math.Clamp(y0 + dy, 0, h - 1);
                                var xx = System.Math.Clamp(x0 + dx, 0, w - 1);
                                sum += Cubic(fy - (y0 + dy), -0.75) * Cubic(fx - (x0 + dx), -0.75) * x[((b * h + yy) * w + xx) * c + ch];
                            }
                        y[((b * oh + i) * ow + j) * c + ch] = sum;
                    }
        return y;
    }

    private static double[] AreaReference(double[] x, int n, int h, int w, int c, int oh, int ow)
    {
        var (sy, sx) = (h / (double)oh, w / (double)ow);
        var y = new double[n * oh * ow * c];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var ch = 0; ch < c; ch++)
                    {
                        var sum = 0.0;
                        for (var yy = 0; yy < h; yy++)
                            for (var xx = 0; xx < w; xx++)
                            {
                                var wy = System.Math.Max(0, System.Math.Min(yy + 1, (i + 1) * sy) - System.Math.Max(yy, i * sy));
                                var wx = System.Math.Max(0, System.Math.Min(xx + 1, (j + 1) * sx) - System.Math.Max(xx, j * sx));
                                sum += wy * wx * x[((b * h + yy) * w + xx) * c + ch];
                            }
                        y[((b * oh + i) * ow + j) * c + ch] = sum / (sy * sx);
                    }
        return y;
    }

    [Fact]
    public void NearestNeighbourPicksTensorFlowsPixels()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[] { 1, 2, 3, 4 }, shape: new Shape(1, 2, 2, 1));
        AssertArray.Equal(new float[] { 1, 1, 2, 1, 1, 2, 3, 3, 4 }, g.Eval(tf.image.resize_nearest_neighbor(x, new[] { 3, 3 })));
        AssertArray.Equal(new float[] { 1, 2, 2, 3, 4, 4, 3, 4, 4 }, g.Eval(tf.image.resize_nearest_neighbor(x, new[] { 3, 3 }, align_corners: true)));
        var bytes = tf.constant(NDArray.FromFlat(new byte[] { 10, 20, 30, 40 }, new Shape(1, 2, 2, 1)));
        var up = tf.image.resize_nearest_neighbor(bytes, new[] { 4, 4 });
        Assert.Equal(tf.uint8, up.dtype);
        AssertArray.Equal(new byte[] { 10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40 }, g.Eval(up));
    }

    [Theory]
    [InlineData(5, 7, 11, 3, false, false)]
    [InlineData(8, 8, 3, 5, true, false)]
    [InlineData(6, 5, 12, 4, false, true)]
    [InlineData(1, 1, 4, 4, false, false)]
    public void NearestNeighbourAndItsGradientMatchTheReference(int h, int w, int oh, int ow, bool align, bool half)
    {
        var (n, c) = (2, 3);
        var x = Random(n * h * w * c, h * 31 + oh);
        var dy = Random(n * oh * ow * c, w * 17 + ow);
        using var g = TestGraph.Enter();
        var image = tf.constant(NDArray.FromFlat(x, new Shape(n, h, w, c)));
        var y = tf.image.resize_nearest_neighbor(image, new[] { oh, ow }, align_corners: align, half_pixel_centers: half);
        Assert.Equal(tf.float64, y.dtype);
        var grad = tf.gradients(y, [image], tf.constant(NDArray.FromFlat(dy, new Shape(n, oh, ow, c))))[0]!;
        using var sess = tf.Session();
        var (values, gradient) = sess.run((y, grad));
        AssertArray.Close(NDArray.FromFlat(NearestReference(x, n, h, w, c, oh, ow, align, half), y.shape), values, 1e-12);
        // The adjoint: <resize(v), dy> = <v, grad(dy)>.
        var v = Random(x.Length, 5);
        var lhs = NearestReference(v, n, h, w, c, oh, ow, align, half).Zip(dy, (a, b) => a * b).Sum();
        var rhs = v.Zip(gradient.ToArray<double>(), (a, b) => a * b).Sum();
        Assert.Equal(lhs, rhs, 1e-9);
    }

    [Theory]
    [InlineData(5, 7, 11, 3, false)]
    [InlineData(8, 8, 3, 5, false)]
    [InlineData(4, 6, 9, 9, true)]
    [InlineData(1, 1, 3, 3, false)]
    public void BicubicMatchesKeysConvolutionWithTensorFlowsLegacyCoefficient(int h, int w, int oh, int ow, bool align)
    {
        var (n, c) = (1, 2);
        var x = Random(n * h * w * c, h * 7 + oh);
        using var g = TestGraph.Enter();
        var image = tf.constant(NDArray.FromFlat(x, new Shape(n, h, w, c)));
        var y = tf.image.resize_bicubic(image, new[] { oh, ow }, align_corners: align);
        Assert.Equal(tf.float32, y.dtype);
        // TensorFlow quantizes the fractional offset to 1/1024 (its coefficient table): errors up to ~2e-3 of the range.
        AssertArray.Close(NDArray.FromFlat(BicubicReference(x, n, h, w, c, oh, ow, align), y.shape), g.Eval(y).Cast(tf.float64), 4e-3);
    }

    [Fact]
    public void BicubicKeepsConstantsAndGridPoints()
    {
        using var g = TestGraph.Enter();
        var ones = g.Eval(tf.image.resize_bicubic(tf.ones(new Shape(1, 3, 4, 1)), new[] { 7, 5 }));
        Assert.All(ones.ToArray<float>(), v => Assert.Equal(1f, v, 1e-5));
        var x = Random(16, 3);
        var exact = g.Eval(tf.image.resize_bicubic(tf.constant(NDArray.FromFlat(x, new Shape(1, 4, 4, 1))), new[] { 4, 4 }));
        AssertArray.Close(NDArray.FromFlat(x, new Shape(1, 4, 4, 1)), exact.Cast(tf.float64), 1e-6);
    }

    [Theory]
    [InlineData(4, 4, 2, 2)]
    [InlineData(5, 7, 3, 2)]
    [InlineData(3, 3, 7, 5)]
    public void AreaAveragesTheCoveredPixels(int h, int w, int oh, int ow)
    {
        var x = Random(2 * h * w * 3, h + ow);
        using var g = TestGraph.Enter();
        var y = g.Eval(tf.image.resize_area(tf.constant(NDArray.FromFlat(x, new Shape(2, h, w, 3))), new[] { oh, ow }));
        AssertArray.Close(NDArray.FromFlat(AreaReference(x, 2, h, w, 3, oh, ow), new Shape(2, oh, ow, 3)), y.Cast(tf.float64), 1e-5);
        var blocks = g.Eval(tf.image.resize_area(tf.constant(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, shape: new Shape(1, 4, 4, 1)), new[] { 2, 2 }));
        AssertArray.Equal(new float[] { 3.5f, 5.5f, 11.5f, 13.5f }, blocks);
    }

    [Fact]
    public void ResizeImagesDispatchesOnTheMethodAndSkipsSameSizes()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromFlat(Random(4 * 6 * 2, 9).Select(v => (float)v).ToArray(), new Shape(4, 6, 2)));
        foreach (var (method, type) in new[]
                 {
                     (tf.image.ResizeMethod.BILINEAR, "ResizeBilinear"), (tf.image.ResizeMethod.NEAREST_NEIGHBOR, "ResizeNearestNeighbor"),
                     (tf.image.ResizeMethod.BICUBIC, "ResizeBicubic"), (tf.image.ResizeMethod.AREA, "ResizeArea"),
                 })
        {
            var y = tf.image.resize_images(x, new[] { 8, 3 }, method);
            Assert.Equal(new Shape(8, 3, 2), y.shape);
            Assert.Contains(g.Graph.get_operations(), op => op.type == type);
            Assert.Equal(new Shape(8, 3, 2), g.Eval(y).shape);
        }
        var same = tf.image.resize_images(tf.zeros(new Shape(4, 6, 2), tf.uint8), new[] { 4, 6 });
        Assert.Equal(tf.uint8, same.dtype);
        var keep = tf.image.resize_images(tf.zeros(new Shape(1, 100, 50, 3)), new[] { 20, 20 }, preserve_aspect_ratio: true);
        Assert.Equal(new Shape(1, 20, 10, 3), keep.shape);
    }

    private static double[] CropReference(double[] image, int h, int w, int d, float[] boxes, int[] index, int ch, int cw, bool bilinear, double extrapolation)
    {
        var n = index.Length;
        var y = new double[n * ch * cw * d];
        for (var b = 0; b < n; b++)
        {
            var (y1, x1, y2, x2) = ((double)boxes[b * 4], (double)boxes[b * 4 + 1], (double)boxes[b * 4 + 2], (double)boxes[b * 4 + 3]);
            for (var i = 0; i < ch; i++)
                for (var j = 0; j < cw; j++)
                    for (var c = 0; c < d; c++)
                    {
                        var fy = ch > 1 ? y1 * (h - 1) + i * (y2 - y1) * (h - 1) / (ch - 1) : 0.5 * (y1 + y2) * (h - 1);
                        var fx = cw > 1 ? x1 * (w - 1) + j * (x2 - x1) * (w - 1) / (cw - 1) : 0.5 * (x1 + x2) * (w - 1);
                        var o = ((b * ch + i) * cw + j) * d + c;
                        if (fy < 0 || fy > h - 1 || fx < 0 || fx > w - 1) { y[o] = extrapolation; continue; }
                        double P(int yy, int xx) => image[((index[b] * h + yy) * w + xx) * d + c];
                        if (!bilinear) { y[o] = P((int)System.Math.Round(fy, MidpointRounding.AwayFromZero), (int)System.Math.Round(fx, MidpointRounding.AwayFromZero)); continue; }
                        var (t, l) = ((int)System.Math.Floor(fy), (int)System.Math.Floor(fx));
                        var (bo, r) = ((int)System.Math.Ceiling(fy), (int)System.Math.Ceiling(fx));
                        var (ly, lx) = (fy - t, fx - l);
                        var top = P(t, l) + (P(t, r) - P(t, l)) * lx;
                        var bottom = P(bo, l) + (P(bo, r) - P(bo, l)) * lx;
                        y[o] = top + (bottom - top) * ly;
                    }
        }
        return y;
    }

    [Theory]
    [InlineData("bilinear", 3, 4)]
    [InlineData("nearest", 3, 4)]
    [InlineData("bilinear", 1, 1)]
    [InlineData("bilinear", 5, 2)]
    public void CropAndResizeMatchesTheReference(string method, int ch, int cw)
    {
        var (batch, h, w, d) = (2, 5, 6, 2);
        var image = Random(batch * h * w * d, ch * 10 + cw);
        // No sample falls on a rounding tie of the nearest method (float32 and float64 would round those apart).
        float[] boxes = [0, 0, 1, 1, 0.1f, 0.2f, 0.7f, 0.85f, 0.8f, 0.62f, 0.2f, 0.15f, -0.2f, 0.32f, 1.3f, 0.55f];
        int[] index = [0, 1, 1, 0];
        using var g = TestGraph.Enter();
        var y = tf.image.crop_and_resize(tf.constant(NDArray.FromFlat(image, new Shape(batch, h, w, d))), tf.constant(NDArray.FromFlat(boxes, new Shape(4, 4))),
            index, new[] { ch, cw }, method, extrapolation_value: -7);
        Assert.Equal(new Shape(4, ch, cw, d), y.shape);
        AssertArray.Close(NDArray.FromFlat(CropReference(image, h, w, d, boxes, index, ch, cw, method == "bilinear", -7), new Shape(4, ch, cw, d)), g.Eval(y).Cast(tf.float64), 1e-5);
    }

    [Fact]
    public void CropAndResizeAsInTensorFlowsKernelTest()
    {
        // crop_and_resize_op_test.py's testForward-style case: a 2x2 image cropped whole to 3x3 and its centre to 1x1.
        using var g = TestGraph.Enter();
        var image = tf.constant(new float[] { 1, 2, 3, 4 }, shape: new Shape(1, 2, 2, 1));
        var whole = g.Eval(tf.image.crop_and_resize(image, new float[,] { { 0, 0, 1, 1 } }, new[] { 0 }, new[] { 3, 3 }));
        AssertArray.Equal(new float[] { 1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4 }, whole);
        var centre = g.Eval(tf.image.crop_and_resize(image, new float[,] { { 0, 0, 1, 1 } }, new[] { 0 }, new[] { 1, 1 }));
        AssertArray.Equal(new float[] { 2.5f }, centre);
    }

    [Fact]
    public void CropAndResizeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var image = tf.zeros(new Shape(2, 4, 4, 1));
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.image.crop_and_resize(image, new float[,] { { 0, 0, 1, 1 } }, new[] { 2 }, new[] { 2, 2 }, name: "crops")));
        Assert.Contains("crops", e.Message);
        Assert.Contains("box_index has values outside [0, batch_size)", e.Message);
        Assert.Contains("boxes must be 2-D", Assert.Throws<ValueError>(() => tf.image.crop_and_resize(image, new float[] { 0, 0, 1, 1 }, new[] { 0 }, new[] { 2, 2 })).Message);
        Assert.Contains("method", Assert.Throws<ValueError>(() => tf.image.crop_and_resize(image, new float[,] { { 0, 0, 1, 1 } }, new[] { 0 }, new[] { 2, 2 }, "cubic")).Message);
        Assert.Contains("ResizeNearestNeighbor", Assert.Throws<ValueError>(() => tf.image.resize_nearest_neighbor(tf.zeros(new Shape(4, 4, 1)), new[] { 2, 2 })).Message);
        var size = tf.placeholder(tf.int32, new Shape(2));
        var area = tf.image.resize_area(image, size, name: "area");
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(area, new FeedDict { [size] = new[] { 0, 3 } }));
        Assert.Contains("area", e.Message);
        Assert.Contains("output dimensions must be positive", e.Message);
    }
}
