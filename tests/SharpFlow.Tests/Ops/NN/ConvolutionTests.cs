using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// Conv2D, DepthwiseConv2dNative, MaxPool and AvgPool: output shapes by the seed's §35 formulas (TensorFlow's GetWindowedOutputSize), forward values against
/// plain float64 loops, and the errors for bad attributes, shapes and feeds.
/// </summary>
public class ConvolutionTests
{
    private static NDArray Random(Shape shape, int seed)
    {
        var r = new System.Random(seed);
        var v = new double[shape.NumElements];
        for (var i = 0; i < v.Length; i++) v[i] = r.NextDouble() * 2 - 1;
        return NDArray.FromFlat(v, shape);
    }

    /// <summary>The seed's §35: VALID ceil((in - k + 1) / s); SAME ceil(in / s).</summary>
    private static int Expected(int input, int k, int s, string padding) =>
        padding == "VALID" ? (int)Math.Ceiling((input - k + 1) / (double)s) : (int)Math.Ceiling(input / (double)s);

    public static TheoryData<int, int, int, string> ShapeCases()
    {
        var data = new TheoryData<int, int, int, string>();
        foreach (var input in new[] { 5, 6, 7, 9, 28, 32 })
            foreach (var k in new[] { 1, 2, 3, 5 })
                foreach (var s in new[] { 1, 2, 3 })
                    foreach (var p in new[] { "SAME", "VALID" })
                        data.Add(input, k, s, p);
        return data;
    }

    [Theory, MemberData(nameof(ShapeCases))]
    public void OutputShapesFollowSpec35(int input, int k, int s, string padding)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, input, input + 1, 3));
        var expectedH = Expected(input, k, s, padding);
        var expectedW = Expected(input + 1, k, s, padding);
        var conv = tf.nn.conv2d(x, tf.zeros(new Shape(k, k, 3, 4)), [1, s, s, 1], padding);
        Assert.Equal(new Shape(2, expectedH, expectedW, 4), conv.shape);
        var pool = tf.nn.max_pool(x, [1, k, k, 1], [1, s, s, 1], padding);
        Assert.Equal(new Shape(2, expectedH, expectedW, 3), pool.shape);
        var dw = tf.nn.depthwise_conv2d(x, tf.zeros(new Shape(k, k, 3, 2)), [1, s, s, 1], padding);
        Assert.Equal(new Shape(2, expectedH, expectedW, 6), dw.shape);
        // The run-time shape agrees with the static one.
        var feed = NDArray.Zeros(DType.float32, new Shape(2, input, input + 1, 3));
        Assert.Equal(conv.shape, g.Eval(conv, new FeedDict { [x] = feed }).shape);
    }

    [Fact]
    public void SamePaddingPutsTheExtraPixelAfter()
    {
        // 4 wide, window 2, stride 1, SAME: one column of padding in all, on the right. A [1, 1] filter over
        // [1, 2, 3, 4] gives [3, 5, 7, 4].
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[] { 1, 2, 3, 4 }, shape: new Shape(1, 1, 4, 1));
        var y = tf.nn.conv2d(x, tf.ones(new Shape(1, 2, 1, 1)), [1, 1, 1, 1], "SAME");
        AssertArray.Equal(new float[] { 3, 5, 7, 4 }, g.Eval(tf.reshape(y, new[] { -1 })));
        // 5 wide, window 4, stride 1, SAME: 3 in all, 1 before and 2 after.
        var x5 = tf.constant(new float[] { 1, 2, 3, 4, 5 }, shape: new Shape(1, 1, 5, 1));
        var y5 = tf.nn.conv2d(x5, tf.ones(new Shape(1, 4, 1, 1)), [1, 1, 1, 1], "SAME");
        AssertArray.Equal(new float[] { 6, 10, 14, 12, 9 }, g.Eval(tf.reshape(y5, new[] { -1 })));
    }

    [Fact]
    public void AveragePoolingDoesNotCountPadding()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[] { 1, 2, 3, 4 }, shape: new Shape(1, 2, 2, 1));
        var y = tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "SAME");
        AssertArray.Equal(new float[] { 2.5f, 3, 3.5f, 4 }, g.Eval(tf.reshape(y, new[] { -1 })));
    }

    public static TheoryData<int, int, int, int, int, string, int> ForwardCases() => new()
    {
        // h, w, k, stride, dilation, padding, batch
        { 8, 8, 3, 1, 1, "SAME", 2 }, { 9, 7, 5, 2, 1, "VALID", 3 }, { 11, 10, 3, 3, 1, "SAME", 1 }, { 7, 9, 3, 1, 2, "SAME", 2 },
        { 6, 6, 1, 1, 1, "VALID", 2 }, { 6, 6, 1, 2, 1, "SAME", 2 }, { 12, 12, 4, 2, 1, "SAME", 5 }, { 10, 10, 3, 1, 3, "VALID", 1 },
    };

    [Theory, MemberData(nameof(ForwardCases))]
    public void ForwardMatchesPlainLoops(int h, int w, int k, int stride, int dilation, string padding, int batch)
    {
        using var g = TestGraph.Enter();
        var x = Random(new Shape(batch, h, w, 3), 1);
        var f = Random(new Shape(k, k, 3, 4), 2);
        var df = Random(new Shape(k, k, 3, 2), 3);
        int[] strides = [1, stride, stride, 1], dilations = [1, dilation, dilation, 1];
        var geometry = Window2D.Create(batch, h, w, 3, k, k, stride, stride, dilation, dilation, padding == "SAME");

        AssertArray.Close(ReferenceConv(x, f, geometry, depthwise: false), g.Eval(tf.nn.conv2d(x, f, strides, padding, dilations)), 1e-12, "conv2d");
        AssertArray.Close(ReferenceConv(x, df, geometry, depthwise: true), g.Eval(tf.nn.depthwise_conv2d(x, df, strides, padding, [dilation, dilation])), 1e-12, "depthwise");
        if (dilation != 1) return;
        int[] ksize = [1, k, k, 1];
        AssertArray.Close(ReferencePool(x, geometry, max: true), g.Eval(tf.nn.max_pool(x, ksize, strides, padding)), 0, "max_pool");
        AssertArray.Close(ReferencePool(x, geometry, max: false), g.Eval(tf.nn.avg_pool(x, ksize, strides, padding)), 1e-12, "avg_pool");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(20)]
    public void ManyAndFewOutputChannelsMatchPlainLoopsWithGradients(int outChannels)
    {
        // Few output channels take the transposed product; many the direct one: both against float64 loops, in
        // float32 through the packed GEMM, and the filter gradient against the input-gradient identity.
        using var g = TestGraph.Enter();
        var x = Random(new Shape(4, 12, 11, 3), 7);
        var f = Random(new Shape(3, 3, 3, outChannels), 8);
        var geometry = Window2D.Create(4, 12, 11, 3, 3, 3, 1, 1, 1, 1, same: true);
        var expected = ReferenceConv(x, f, geometry, depthwise: false);
        var y32 = g.Eval(tf.nn.conv2d(tf.constant(x.Cast(DType.float32)), tf.constant(f.Cast(DType.float32)), [1, 1, 1, 1], "SAME"));
        AssertArray.Close(expected, y32.Cast(DType.float64), 1e-4);
        // <dy, conv(x, f)> = <filter_grad(x, dy), f>: the filter gradient is the adjoint in f.
        var dy = Random(expected.shape, 9);
        var xt = tf.constant(x);
        var ft = tf.constant(f);
        var grad = tf.gradients(tf.reduce_sum(tf.nn.conv2d(xt, ft, [1, 1, 1, 1], "SAME") * tf.constant(dy)), [ft])[0]!;
        var lhs = g.Eval(tf.reduce_sum(tf.constant(expected) * tf.constant(dy))).ToArray<double>()[0];
        var rhs = g.Eval(tf.reduce_sum(grad * ft)).ToArray<double>()[0];
        Assert.Equal(lhs, rhs, 1e-9);
    }

    [Fact]
    public void BuildTimeErrorsNameTheOpAndTheProblem()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 8, 8, 3));
        var e = Assert.Throws<ValueError>(() => tf.nn.conv2d(x, tf.zeros(new Shape(3, 3, 2, 4)), [1, 1, 1, 1], "SAME", name: "c1"));
        Assert.Contains("Conv2D \"c1\"", e.Message);
        Assert.Contains("in_channels", e.Message);
        Assert.Contains("\"SAME\" or \"VALID\"", Assert.Throws<ValueError>(() => tf.nn.conv2d(x, tf.zeros(new Shape(3, 3, 3, 4)), [1, 1, 1, 1], "same")).Message);
        Assert.Contains("batch and depth", Assert.Throws<ValueError>(() => tf.nn.max_pool(x, [1, 2, 2, 1], [2, 2, 2, 1], "VALID")).Message);
        Assert.Contains("4 entries", Assert.Throws<ValueError>(() => tf.nn.avg_pool(x, [2, 2], [1, 1, 1, 1], "VALID")).Message);
        Assert.Contains("4-dimensional", Assert.Throws<ValueError>(() => tf.nn.conv2d(tf.zeros(new Shape(8, 8, 3)), tf.zeros(new Shape(3, 3, 3, 4)), [1, 1, 1, 1], "SAME")).Message);
        Assert.Contains("negative", Assert.Throws<ValueError>(() => tf.nn.conv2d(x, tf.zeros(new Shape(11, 11, 3, 4)), [1, 1, 1, 1], "VALID")).Message);
        Assert.Contains("float32 or float64", Assert.Throws<TypeError>(() => tf.nn.max_pool(tf.zeros(new Shape(1, 4, 4, 1), tf.int32), [1, 2, 2, 1], [1, 2, 2, 1], "VALID")).Message);
        // conv2d_transpose: the value must be what convolving output_shape with the filter gives.
        var value = tf.zeros(new Shape(1, 4, 4, 3));
        var transposed = tf.nn.conv2d_transpose(value, tf.zeros(new Shape(3, 3, 2, 3)), new[] { 1, 8, 8, 2 }, [1, 2, 2, 1], "SAME");
        Assert.Equal(new Shape(1, 8, 8, 2), transposed.shape);
        var wrong = Assert.Throws<ValueError>(() => tf.nn.conv2d_transpose(value, tf.zeros(new Shape(3, 3, 2, 3)), new[] { 1, 12, 12, 2 }, [1, 2, 2, 1], "SAME"));
        Assert.Contains("out_backprop has shape [1,4,4,3]", wrong.Message);
        Assert.Contains("gives [1,6,6,3]", wrong.Message);
    }

    [Fact]
    public void RunTimeShapeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, -1, -1));
        var y = tf.nn.conv2d(x, tf.zeros(new Shape(3, 3, 3, 4)), [1, 1, 1, 1], "VALID", name: "conv");
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [x] = NDArray.Zeros(DType.float32, new Shape(1, 5, 5, 2)) }));
        Assert.Equal("conv", e.NodeName);
        Assert.Contains("depth", e.Message);
        var small = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, new FeedDict { [x] = NDArray.Zeros(DType.float32, new Shape(1, 1, 1, 3)) }));
        Assert.Contains("negative", small.Message);
    }

    private static NDArray ReferenceConv(NDArray input, NDArray filter, Window2D g, bool depthwise)
    {
        var x = input.Cast(DType.float64).AsReadOnlySpan<double>();
        var f = filter.Cast(DType.float64).AsReadOnlySpan<double>();
        var (kh, kw, ci, co) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3]);
        var outC = depthwise ? ci * co : co;
        var y = new double[g.Batch * g.OutHeight * g.OutWidth * outC];
        for (var n = 0; n < g.Batch; n++)
            for (var oh = 0; oh < g.OutHeight; oh++)
                for (var ow = 0; ow < g.OutWidth; ow++)
                    for (var i = 0; i < kh; i++)
                        for (var j = 0; j < kw; j++)
                        {
                            var ih = oh * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                            var iw = ow * g.StrideWidth - g.PadLeft + j * g.DilationWidth;
                            if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                            for (var c = 0; c < ci; c++)
                                for (var o = 0; o < co; o++)
                                {
                                    var value = x[((n * g.InHeight + ih) * g.InWidth + iw) * ci + c] * f[((i * kw + j) * ci + c) * co + o];
                                    var oc = depthwise ? c * co + o : o;
                                    y[((n * g.OutHeight + oh) * g.OutWidth + ow) * outC + oc] += value;
                                }
                        }
        return NDArray.FromFlat(y, new Shape(g.Batch, g.OutHeight, g.OutWidth, outC));
    }

    private static NDArray ReferencePool(NDArray input, Window2D g, bool max)
    {
        var x = input.AsReadOnlySpan<double>();
        var c = g.Channels;
        var y = new double[g.Batch * g.OutHeight * g.OutWidth * c];
        for (var n = 0; n < g.Batch; n++)
            for (var oh = 0; oh < g.OutHeight; oh++)
                for (var ow = 0; ow < g.OutWidth; ow++)
                    for (var ch = 0; ch < c; ch++)
                    {
                        var (acc, count) = (max ? double.NegativeInfinity : 0.0, 0);
                        for (var i = 0; i < g.KernelHeight; i++)
                            for (var j = 0; j < g.KernelWidth; j++)
                            {
                                var ih = oh * g.StrideHeight - g.PadTop + i;
                                var iw = ow * g.StrideWidth - g.PadLeft + j;
                                if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                                var v = x[((n * g.InHeight + ih) * g.InWidth + iw) * c + ch];
                                acc = max ? Math.Max(acc, v) : acc + v;
                                count++;
                            }
                        y[((n * g.OutHeight + oh) * g.OutWidth + ow) * c + ch] = max ? acc : acc / count;
                    }
        return NDArray.FromFlat(y, new Shape(g.Batch, g.OutHeight, g.OutWidth, c));
    }
}

/// <summary>Im2col in chunks of images gives the same results as one chunk (changes a process-wide setting).</summary>
[Collection("kernel settings")]
public class ConvolutionChunkingTests
{
    private static NDArray Random(Shape shape, int seed)
    {
        var r = new System.Random(seed);
        var v = new double[shape.NumElements];
        for (var i = 0; i < v.Length; i++) v[i] = r.NextDouble() * 2 - 1;
        return NDArray.FromFlat(v, shape);
    }

    [Fact]
    public void ChunkedImagesGiveTheSameConvolutionAndGradients()
    {
        // Lower the patch budget so every image is its own chunk, and compare with the unchunked result.
        using var g = TestGraph.Enter();
        var x = tf.constant(Random(new Shape(5, 9, 9, 3), 4));
        var f = tf.constant(Random(new Shape(3, 3, 3, 4), 5));
        var y = tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME");
        var grads = tf.gradients(tf.reduce_sum(tf.square(y)), [x, f]);
        using var sess = tf.Session();
        var whole = sess.run([y, grads[0]!, grads[1]!]);
        var saved = (Conv2DKernels.MaxPatchElements, Conv2DKernels.ImplicitGemm);
        NDArray[] chunked;
        try
        {
            // The forward pass chunked by im2col's budget too (the implicit GEMM ignores it).
            (Conv2DKernels.MaxPatchElements, Conv2DKernels.ImplicitGemm) = (1, false);
            chunked = sess.run([y, grads[0]!, grads[1]!]);
        }
        finally
        {
            (Conv2DKernels.MaxPatchElements, Conv2DKernels.ImplicitGemm) = saved;
        }
        for (var i = 0; i < 3; i++) AssertArray.Close(whole[i], chunked[i], 1e-12);
    }
}

/// <summary>
/// The direct kernels for one-channel float images agree with float64 convolution and its filter gradient (the
/// im2col path), for paddings, vertical strides, widths that leave partial vector blocks and channel counts that leave
/// partial channel groups. Turning the direct kernels off changes a process-wide setting.
/// </summary>
[Collection("kernel settings")]
public class SingleChannelConvolutionTests
{
    [Fact]
    public void AShortInputIsRefusedNamingTheKernel()
    {
        var g = SharpFlow.Kernels.Convolution.Window2D.Create(2, 8, 8, 1, 3, 3, 1, 1, 1, 1, true);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SingleChannelConv.Forward(new float[2 * 64 - 1], new float[9 * 4], new float[2 * 64 * 4], g, 4));
        Assert.Contains("SingleChannelConv: 127 input values for 2 images of 64", e.Message);
    }

    public static TheoryData<int, int, int, int, int, int, string> Cases() => new()
    {
        // batch, height, width, kernel height, kernel width, vertical stride, padding; then out channels below
        { 4, 32, 32, 5, 5, 1, "VALID" },  // LeNet-5's first layer
        { 3, 28, 28, 5, 5, 1, "SAME" },   // the tutorial convnet's first layer
        { 2, 7, 19, 3, 2, 2, "SAME" },
        { 2, 9, 17, 1, 3, 3, "VALID" },
        { 1, 3, 2, 5, 5, 1, "SAME" },     // a window larger than the image
        { 2, 6, 40, 2, 7, 1, "VALID" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void MatchesFloat64ConvolutionAndFilterGradient(int batch, int height, int width, int kh, int kw, int strideH, string padding)
    {
        foreach (var channels in new[] { 1, 6, 13, 32 })
        {
            var r = new System.Random(height * 31 + channels);
            double[] Values(int n) => Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1).ToArray();
            var x64 = NDArray.FromFlat(Values(batch * height * width), new Shape(batch, height, width, 1));
            var f64 = NDArray.FromFlat(Values(kh * kw * channels), new Shape(kh, kw, 1, channels));
            int[] strides = [1, strideH, 1, 1];

            (NDArray Y, NDArray Df) Run(NDArray x, NDArray f, NDArray? dy)
            {
                using var g = TestGraph.Enter();
                var y = tf.nn.conv2d(tf.constant(x), tf.constant(f), strides, padding);
                var df = tf.nn.conv2d_backprop_filter(tf.constant(x), f.shape.Dims, tf.constant(dy ?? NDArray.Zeros(x.dtype, y.shape)), strides, padding);
                using var sess = tf.Session();
                var both = sess.run([y, df]);
                return (both[0], both[1]);
            }

            var outShape = Run(x64, f64, null).Y.shape;
            var dy64 = NDArray.FromFlat(Values((int)outShape.NumElements), outShape);
            var expected = Run(x64, f64, dy64);
            var direct = Run(x64.Cast(DType.float32), f64.Cast(DType.float32), dy64.Cast(DType.float32));
            var because = $"{channels} channels";
            AssertArray.Close(expected.Y, direct.Y.Cast(DType.float64), 1e-5, because);
            AssertArray.Close(expected.Df, direct.Df.Cast(DType.float64), 1e-4 * System.Math.Sqrt(outShape.NumElements / channels), because);

            // The other vector width (8-float vectors where 16-float ones ran, and the reverse): the same forward sums,
            // the filter gradient's columns summed in other lanes.
            SingleChannelConv.Wide512 = !SingleChannelConv.Wide512;
            try
            {
                var other = Run(x64.Cast(DType.float32), f64.Cast(DType.float32), dy64.Cast(DType.float32));
                AssertArray.Close(expected.Y, other.Y.Cast(DType.float64), 1e-5, because + ", other width");
                AssertArray.Close(expected.Df, other.Df.Cast(DType.float64), 1e-4 * System.Math.Sqrt(outShape.NumElements / channels), because + ", other width");
                Assert.Equal(direct.Y.ToArray<float>(), other.Y.ToArray<float>()); // the forward sums do not depend on the width
            }
            finally
            {
                SingleChannelConv.Wide512 = !SingleChannelConv.Wide512;
            }
            SingleChannelConv.Enabled = false;
            try
            {
                var im2col = Run(x64.Cast(DType.float32), f64.Cast(DType.float32), dy64.Cast(DType.float32));
                AssertArray.Close(im2col.Y, direct.Y, 1e-5, because);
                AssertArray.Close(im2col.Df, direct.Df, 1e-4 * System.Math.Sqrt(outShape.NumElements / channels), because);
            }
            finally
            {
                SingleChannelConv.Enabled = true;
            }
        }
    }
}

/// <summary>
/// Max-pooling gradients of float32 with disjoint or overlapping windows (the vectorized paths) equal those of float64
/// (the general path) exactly: the gradient is added at the first maximum of each window, ties, clipped windows and
/// overlaps included.
/// </summary>
public class DisjointMaxPoolGradientTests
{
    [Theory]
    [InlineData(2, 8, 8, 32, 2, 2, "VALID")]
    [InlineData(3, 7, 9, 19, 2, 2, "SAME")]
    [InlineData(1, 9, 9, 5, 3, 3, "SAME")]
    [InlineData(2, 6, 6, 16, 2, 3, "VALID")]
    [InlineData(3, 28, 28, 6, 2, 2, "VALID")]   // LeNet-5's first pooling: all channels below the vector width
    [InlineData(2, 7, 7, 6, 2, 2, "SAME")]
    [InlineData(1, 8, 8, 11, 2, 2, "VALID")]
    [InlineData(2, 12, 12, 64, 3, 2, "SAME")]   // ResNet18's pooling: overlapping windows, 8 channels at a time
    [InlineData(2, 9, 11, 19, 3, 2, "VALID")]   // two blocks of 8 and 3 channels one by one
    [InlineData(1, 7, 7, 8, 3, 1, "SAME")]
    [InlineData(2, 6, 10, 3, 2, 2, "VALID")]   // windows that tile the input: 3 channels spill 5 lanes over two pixels
    [InlineData(2, 9, 9, 12, 3, 3, "VALID")]   // a block of 8, then 4 channels whose spill the block rewrites
    [InlineData(1, 4, 8, 1, 2, 2, "VALID")]    // one channel: a spill of 7 would leave the next window, so masked
    [InlineData(2, 8, 6, 16, 2, 2, "VALID")]   // blocks of 8 only
    [InlineData(1, 5, 9, 7, 2, 2, "VALID")]    // a row and a column past the last window
    public void EqualsTheGeneralPath(int batch, int h, int w, int c, int k, int s, string padding)
    {
        var r = new System.Random(h * 7 + c);
        // Few distinct values, so windows often hold ties and the first maximum matters.
        var x = Enumerable.Range(0, batch * h * w * c).Select(_ => (double)r.Next(4)).ToArray();
        NDArray Gradient(DType dtype)
        {
            using var g = TestGraph.Enter();
            var input = tf.constant(NDArray.FromFlat(x, new Shape(batch, h, w, c)).Cast(dtype));
            var y = tf.nn.max_pool(input, [1, k, k, 1], [1, s, s, 1], padding);
            var dy = tf.cast(tf.reshape(tf.range(tf.size(y)), tf.shape(y)), dtype) + 1;
            return g.Eval(tf.gradients(y, [input], dy)[0]!);
        }
        Assert.Equal(Gradient(DType.float64).ToArray<double>(), Gradient(DType.float32).ToArray<double>());
    }

    /// <summary>
    /// The kernel writes every element of the input gradient, whatever the buffer held (a reused buffer), including
    /// the elements outside every window. NaNs in the input are never chosen after the first tap, as in the general
    /// path.
    /// </summary>
    [Theory]
    [InlineData(2, 8, 8, 32, 2, 2, false)]
    [InlineData(3, 28, 28, 6, 2, 2, false)]
    [InlineData(1, 8, 8, 11, 2, 2, false)]
    [InlineData(2, 7, 7, 6, 2, 2, false)]   // VALID leaves the last row and column outside every window
    [InlineData(2, 7, 7, 6, 2, 2, true)]
    [InlineData(1, 9, 9, 19, 2, 3, false)]  // stride past the window: elements between windows
    [InlineData(2, 11, 11, 64, 3, 2, true)] // overlapping windows
    [InlineData(1, 8, 9, 21, 3, 1, false)]
    [InlineData(1, 6, 6, 9, 4, 2, true)]
    [InlineData(2, 6, 10, 3, 2, 2, false)]  // windows that tile the input (no clearing), spills over two pixels
    [InlineData(2, 9, 9, 12, 3, 3, false)]
    [InlineData(1, 4, 8, 1, 2, 2, false)]
    [InlineData(1, 5, 9, 7, 2, 2, false)]   // tiling with a row and a column past the last window
    public void KernelOverwritesAReusedBufferAsTheGeneralPath(int batch, int h, int w, int c, int k, int s, bool same)
    {
        var r = new System.Random(h * 13 + c);
        var g = SharpFlow.Kernels.Convolution.Window2D.Create(batch, h, w, c, k, k, s, s, 1, 1, same);
        var x = Enumerable.Range(0, batch * h * w * c).Select(i => i % 37 == 5 ? double.NaN : r.Next(4)).ToArray();
        var dy = Enumerable.Range(1, batch * g.OutPositions * c).Select(i => (double)i).ToArray();
        var expected = new double[x.Length];
        SharpFlow.Kernels.Convolution.PoolingKernels.MaxPoolGrad<double>(x, dy, expected, g);
        var dx = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        SharpFlow.Kernels.Convolution.PoolingKernels.MaxPoolGrad<float>(x.Select(v => (float)v).ToArray(), dy.Select(v => (float)v).ToArray(), dx, g);
        Assert.Equal(expected, dx.Select(v => (double)v));
    }
}
