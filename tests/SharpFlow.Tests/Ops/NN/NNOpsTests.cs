using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// conv1d, atrous_conv2d, separable_conv2d, LRN and MaxPoolWithArgmax against plain reference loops in float64, and
/// the values of TensorFlow's own kernel tests where they exist.
/// </summary>
public class NNOpsTests
{
    private static double[] Rand(int n, int seed)
    {
        var r = new System.Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1)];
    }

    private static Tensor Const(double[] v, params int[] shape) => tf.constant(NDArray.FromFlat(v, new Shape(shape)));

    /// <summary>TensorFlow's SAME/VALID output size and padding before.</summary>
    private static (int Out, int Pad) Window(int size, int k, int stride, int dilation, bool same)
    {
        var eff = (k - 1) * dilation + 1;
        if (!same) return ((size - eff + stride) / stride, 0);
        var output = (size + stride - 1) / stride;
        return (output, Math.Max(0, (output - 1) * stride + eff - size) / 2);
    }

    /// <summary>A dilated NHWC 2-D convolution, plain loops.</summary>
    private static double[] Conv2DRef(double[] x, int n, int h, int w, int cin, double[] f, int kh, int kw, int cout, int sh, int sw, int dh, int dw, bool same,
        out int oh, out int ow)
    {
        var (outH, padT) = Window(h, kh, sh, dh, same);
        var (outW, padL) = Window(w, kw, sw, dw, same);
        var y = new double[n * outH * outW * cout];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < outH; i++)
                for (var j = 0; j < outW; j++)
                    for (var o = 0; o < cout; o++)
                    {
                        var s = 0.0;
                        for (var a = 0; a < kh; a++)
                            for (var c = 0; c < kw; c++)
                            {
                                var yy = i * sh - padT + a * dh;
                                var xx = j * sw - padL + c * dw;
                                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                for (var q = 0; q < cin; q++)
                                    s += x[((b * h + yy) * w + xx) * cin + q] * f[((a * kw + c) * cin + q) * cout + o];
                            }
                        y[((b * outH + i) * outW + j) * cout + o] = s;
                    }
        (oh, ow) = (outH, outW);
        return y;
    }

    [Theory]
    [InlineData("SAME", 1, 1)]
    [InlineData("VALID", 1, 1)]
    [InlineData("SAME", 2, 1)]
    [InlineData("VALID", 3, 1)]
    [InlineData("SAME", 1, 2)]
    public void Conv1DIsAConv2DOfHeightOne(string padding, int stride, int dilation)
    {
        using var g = TestGraph.Enter();
        var x = Rand(2 * 9 * 3, 1);
        var f = Rand(3 * 3 * 4, 2);
        var y = tf.nn.conv1d(Const(x, 2, 9, 3), Const(f, 3, 3, 4), stride, padding, dilations: dilation);
        var expected = Conv2DRef(x, 2, 1, 9, 3, f, 1, 3, 4, 1, stride, 1, dilation, padding == "SAME", out _, out var ow);
        Assert.Equal(new Shape(2, ow, 4), y.shape);
        Assert.Equal("Squeeze", y.op.type);
        Assert.StartsWith("conv1d/", y.op.name);
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(2, ow, 4)), g.Eval(y), 1e-12);
        Assert.Contains("conv1d: value must be 3-dimensional", Assert.Throws<ValueError>(() => tf.nn.conv1d(Const(x, 2, 27, 1, 1), Const(f, 3, 3, 4), 1, "SAME")).Message);
    }

    [Fact]
    public void Conv1DFromTensorFlowsTest()
    {
        // conv1d_test.testBasic: x = [1, 2, 3, 4] in [2, 4, 1] batches, filters [2, 1, 1] of [2, 1], stride 2, VALID.
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromFlat(new[] { 1f, 2, 3, 4, 1, 2, 3, 4 }, new Shape(2, 4, 1)));
        var filters = tf.constant(NDArray.FromFlat(new[] { 2f, 1 }, new Shape(2, 1, 1)));
        var c = tf.nn.conv1d(x, filters, 2, "VALID");
        AssertArray.Close(NDArray.FromFlat(new[] { 2f * 1 + 1 * 2, 2 * 3 + 1 * 4, 2 * 1 + 1 * 2, 2 * 3 + 1 * 4 }, new Shape(2, 2, 1)), g.Eval(c));
    }

    [Theory]
    [InlineData(1, "SAME")]
    [InlineData(2, "SAME")]
    [InlineData(2, "VALID")]
    [InlineData(3, "SAME")]
    public void AtrousConv2DDilatesTheFilter(int rate, string padding)
    {
        using var g = TestGraph.Enter();
        var x = Rand(1 * 8 * 7 * 2, 3);
        var f = Rand(3 * 2 * 2 * 3, 4);
        var y = tf.nn.atrous_conv2d(Const(x, 1, 8, 7, 2), Const(f, 3, 2, 2, 3), rate, padding);
        var expected = Conv2DRef(x, 1, 8, 7, 2, f, 3, 2, 3, 1, 1, rate, rate, padding == "SAME", out var oh, out var ow);
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(1, oh, ow, 3)), g.Eval(y), 1e-12);
        Assert.Equal("rate 0 cannot be less than one", Assert.Throws<ValueError>(() => tf.nn.atrous_conv2d(Const(x, 1, 8, 7, 2), Const(f, 3, 2, 2, 3), 0, padding)).Message);
    }

    [Theory]
    [InlineData("SAME", 1, 1)]
    [InlineData("VALID", 2, 1)]
    [InlineData("SAME", 1, 2)]
    public void SeparableConv2DIsDepthwiseThenPointwise(string padding, int stride, int rate)
    {
        using var g = TestGraph.Enter();
        int n = 2, h = 6, w = 5, cin = 2, mult = 2, cout = 3;
        var x = Rand(n * h * w * cin, 5);
        var dwf = Rand(3 * 3 * cin * mult, 6);
        var pwf = Rand(cin * mult * cout, 7);
        var y = tf.nn.separable_conv2d(Const(x, n, h, w, cin), Const(dwf, 3, 3, cin, mult), Const(pwf, 1, 1, cin * mult, cout),
            [1, stride, stride, 1], padding, rate == 1 ? null : [rate, rate]);
        // Depthwise: channel q with multiplier m gives output channel q * mult + m.
        var (oh, padT) = Window(h, 3, stride, rate, padding == "SAME");
        var (ow, padL) = Window(w, 3, stride, rate, padding == "SAME");
        var depth = new double[n * oh * ow * cin * mult];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var q = 0; q < cin; q++)
                        for (var m = 0; m < mult; m++)
                        {
                            var s = 0.0;
                            for (var a = 0; a < 3; a++)
                                for (var c = 0; c < 3; c++)
                                {
                                    var yy = i * stride - padT + a * rate;
                                    var xx = j * stride - padL + c * rate;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                    s += x[((b * h + yy) * w + xx) * cin + q] * dwf[((a * 3 + c) * cin + q) * mult + m];
                                }
                            depth[((b * oh + i) * ow + j) * cin * mult + q * mult + m] = s;
                        }
        var expected = Conv2DRef(depth, n, oh, ow, cin * mult, pwf, 1, 1, cout, 1, 1, 1, 1, false, out _, out _);
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(n, oh, ow, cout)), g.Eval(y), 1e-12);
        Assert.Contains("separable_conv2d/depthwise", g.Graph.get_operations().Select(o => o.name));
        var bad = Assert.Throws<ValueError>(() => tf.nn.separable_conv2d(Const(x, n, h, w, cin), Const(dwf, 3, 3, cin, mult), Const(Rand(2 * 2 * 4 * 3, 1), 2, 2, 4, 3), [1, 1, 1, 1], "SAME"));
        Assert.Contains("pointwise filter", bad.Message);
    }

    private static double[] LrnRef(double[] x, int depth, int r, double bias, double alpha, double beta)
    {
        var y = new double[x.Length];
        for (var row = 0; row < x.Length / depth; row++)
            for (var d = 0; d < depth; d++)
            {
                var s = 0.0;
                for (var k = Math.Max(0, d - r); k <= Math.Min(depth - 1, d + r); k++) s += x[row * depth + k] * x[row * depth + k];
                y[row * depth + d] = x[row * depth + d] / Math.Pow(bias + alpha * s, beta);
            }
        return y;
    }

    [Theory]
    [InlineData(5, 1.0, 1.0, 0.5)]
    [InlineData(2, 2.0, 1e-4, 0.75)]
    [InlineData(0, 0.5, 0.3, 1.0)]
    [InlineData(3, 1.5, 0.2, 0.33)]
    public void LocalResponseNormalization(int radius, double bias, double alpha, double beta)
    {
        using var g = TestGraph.Enter();
        var x = Rand(2 * 3 * 2 * 7, 8);
        // TensorFlow's attributes are float32: the reference uses the rounded values.
        var (fb, fa, fbeta) = ((double)(float)bias, (double)(float)alpha, (double)(float)beta);
        var expected = NDArray.FromFlat(LrnRef(x, 7, radius, fb, fa, fbeta), new Shape(2, 3, 2, 7));
        var y64 = tf.nn.local_response_normalization(Const(x, 2, 3, 2, 7), radius, bias, alpha, beta);
        Assert.Equal("LRN", y64.op.type);
        Assert.Equal(radius, (int)y64.op.attrs["depth_radius"]);
        AssertArray.Close(expected, g.Eval(y64), 1e-12);
        var y32 = tf.nn.lrn(tf.constant(NDArray.FromFlat(x.Select(v => (float)v).ToArray(), new Shape(2, 3, 2, 7))), radius, bias, alpha, beta);
        var actual = g.Eval(y32).ToArray<float>();
        var want = LrnRef(x.Select(v => (double)(float)v).ToArray(), 7, radius, fb, fa, fbeta);
        for (var i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - actual[i]) <= 1e-6, $"{i}: {want[i]} vs {actual[i]}");
    }

    [Fact]
    public void LrnGradMatchesTheDerivativeOfTheReference()
    {
        using var g = TestGraph.Enter();
        var x = Rand(1 * 2 * 1 * 6, 9);
        var dy = Rand(x.Length, 10);
        var input = Const(x, 1, 2, 1, 6);
        var y = tf.nn.lrn(input, 2, 1.5, 0.4, 0.75);
        var grad = tf.gradients(tf.reduce_sum(y * Const(dy, 1, 2, 1, 6)), input)[0]!;
        Assert.Contains("LRNGrad", g.Graph.get_operations().Select(o => o.type));
        var actual = g.Eval(grad).ToArray<double>();
        for (var i = 0; i < x.Length; i++)
        {
            double Loss(double[] v) => LrnRef(v, 6, 2, 1.5, (float)0.4, 0.75).Select((t, k) => t * dy[k]).Sum();
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            Assert.Equal((Loss(plus) - Loss(minus)) / 2e-6, actual[i], 1e-6);
        }
    }

    [Fact]
    public void LrnErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.nn.lrn(tf.zeros(new Shape(2, 3, 4))));
        Assert.StartsWith("LRN \"LRN\": Shape must be rank 4", e.Message);
        Assert.Contains("LRN", Assert.Throws<TypeError>(() => tf.nn.lrn(tf.zeros(new Shape(1, 1, 1, 2), tf.int32))).Message);
        Assert.Contains("depth_radius = -1", Assert.Throws<ValueError>(() => tf.nn.lrn(tf.zeros(new Shape(1, 1, 1, 2)), depth_radius: -1)).Message);
        // A shape unknown at build time is checked by the kernel.
        var p = tf.placeholder(tf.float32);
        var y = tf.nn.lrn(p);
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [p] = new float[] { 1, 2 } }));
        Assert.Contains("input must be 4-dimensional", run.Message);
        Assert.Contains("LRN", run.Message);
    }

    private static readonly float[] ArgmaxInput = [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1];

    [Theory]
    [InlineData(false, new long[] { 0, 1, 3, 5, 0, 2, 6, 8 })]
    [InlineData(true, new long[] { 0, 1, 3, 5, 9, 11, 15, 17 })]
    public void MaxPoolWithArgmaxFromTensorFlowsTest(bool includeBatch, long[] argmax)
    {
        // pooling_ops_test.testMaxPoolingWithArgmax and testMaxPoolingGradWithArgmax.
        using var g = TestGraph.Enter();
        var t = tf.constant(NDArray.FromFlat(ArgmaxInput, new Shape(2, 3, 3, 1)));
        var (output, indexes) = tf.nn.max_pool_with_argmax(t, [1, 2, 2, 1], [1, 1, 1, 1], "VALID", include_batch_in_index: includeBatch);
        Assert.Equal(new Shape(2, 2, 2, 1), output.shape);
        Assert.Equal(tf.int64, indexes.dtype);
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1, 1, 1 }, g.Eval(output).ToArray<float>());
        Assert.Equal(argmax, g.Eval(indexes).ToArray<long>());

        var grads = tf.constant(NDArray.FromFlat(new[] { 11f, 12, 13, 14, 21, 22, 23, 24 }, new Shape(2, 2, 2, 1)));
        var dx = MaxPoolGradWithArgmax.Build(t, grads, tf.constant(NDArray.FromFlat(argmax, new Shape(2, 2, 2, 1))), WindowAttrs.Of(indexes.op), MaxPoolWithArgmax.IncludeBatchInIndex.Of(indexes.op));
        Assert.Equal(new float[] { 11, 12, 0, 13, 0, 14, 0, 0, 0, 21, 0, 22, 0, 0, 0, 23, 0, 24 }, g.Eval(dx).ToArray<float>());
    }

    [Theory]
    [InlineData("SAME", 2, 2, false)]
    [InlineData("VALID", 3, 2, false)]
    [InlineData("SAME", 3, 1, true)]
    public void MaxPoolWithArgmaxAgainstAReferenceLoop(string padding, int k, int s, bool includeBatch)
    {
        using var g = TestGraph.Enter();
        int n = 2, h = 5, w = 6, c = 3;
        var x = Rand(n * h * w * c, 11);
        var (output, indexes) = tf.nn.max_pool_with_argmax(Const(x, n, h, w, c), [1, k, k, 1], [1, s, s, 1], padding, Targmax: tf.int32, include_batch_in_index: includeBatch);
        var (oh, padT) = Window(h, k, s, 1, padding == "SAME");
        var (ow, padL) = Window(w, k, s, 1, padding == "SAME");
        var values = new List<double>();
        var where = new List<int>();
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var q = 0; q < c; q++)
                    {
                        var best = double.NegativeInfinity;
                        var at = -1;
                        for (var a = 0; a < k; a++)
                            for (var e = 0; e < k; e++)
                            {
                                var yy = i * s - padT + a;
                                var xx = j * s - padL + e;
                                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                var flat = (yy * w + xx) * c + q;
                                if (x[b * h * w * c + flat] > best) (best, at) = (x[b * h * w * c + flat], flat);
                            }
                        values.Add(best);
                        where.Add(includeBatch ? at + b * h * w * c : at);
                    }
        Assert.Equal(tf.int32, indexes.dtype);
        AssertArray.Close(NDArray.FromFlat(values.ToArray(), new Shape(n, oh, ow, c)), g.Eval(output), 0);
        Assert.Equal(where.ToArray(), g.Eval(indexes).ToArray<int>());
    }

    [Fact]
    public void MaxPoolWithArgmaxErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.nn.max_pool_with_argmax(tf.zeros(new Shape(1, 4, 4, 1)), [1, 2, 2, 1], [1, 1, 1, 1], "FULL"));
        Assert.StartsWith("MaxPoolWithArgmax \"MaxPoolWithArgmax\": padding must be", e.Message);
        Assert.Contains("MaxPoolWithArgmax", Assert.Throws<TypeError>(() => tf.nn.max_pool_with_argmax(tf.zeros(new Shape(1, 4, 4, 1)), [1, 2, 2, 1], [1, 1, 1, 1], "SAME", Targmax: tf.float32)).Message);
        var t = tf.zeros(new Shape(1, 3, 3, 1));
        var (_, argmax) = tf.nn.max_pool_with_argmax(t, [1, 2, 2, 1], [1, 1, 1, 1], "VALID");
        var dx = MaxPoolGradWithArgmax.Build(t, tf.ones(new Shape(1, 2, 2, 1)), tf.constant(NDArray.FromFlat(new long[] { 0, 1, 2, 99 }, new Shape(1, 2, 2, 1))), WindowAttrs.Of(argmax.op), MaxPoolWithArgmax.IncludeBatchInIndex.Of(argmax.op));
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(dx));
        Assert.Contains("Invalid argmax 99", run.Message);
        Assert.Contains("MaxPoolGradWithArgmax", run.Message);
    }
}
