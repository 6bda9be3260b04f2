using static SharpFlow.Tests.Support.KernelData;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// The direct kernels for small channel counts (<see cref="SmallChannelConv"/>) against plain float64 loops for the
/// convolution and both its gradients, over shapes where they apply (LeNet-5's second convolution, SAME and VALID,
/// strides, widths that leave partial column blocks, channel counts that leave partial channel groups); the same
/// results on one thread and on all; and the im2col path's results through <see cref="Conv2DKernels"/>. Turning the
/// direct kernels off changes a process-wide setting.
/// </summary>
[Collection("kernel settings")]
public class SmallChannelConvTests
{
    /// <summary>Calls <paramref name="visit"/>(n, oh, ow, kh, kw, input offset) for every tap inside the image.</summary>
    private static void Taps(in Window2D g, Action<int, int, int, int, int, int> visit)
    {
        for (var n = 0; n < g.Batch; n++)
            for (var oh = 0; oh < g.OutHeight; oh++)
                for (var ow = 0; ow < g.OutWidth; ow++)
                    for (var kh = 0; kh < g.KernelHeight; kh++)
                        for (var kw = 0; kw < g.KernelWidth; kw++)
                        {
                            var (h, w) = (oh * g.StrideHeight - g.PadTop + kh, ow * g.StrideWidth - g.PadLeft + kw);
                            if (h < 0 || h >= g.InHeight || w < 0 || w >= g.InWidth) continue;
                            visit(n, oh, ow, kh, kw, ((n * g.InHeight + h) * g.InWidth + w) * g.Channels);
                        }
    }

    private static (double[] Y, double[] Dx, double[] Df) Reference(float[] x, float[] f, float[] dy, Window2D g, int k)
    {
        var y = new double[g.Batch * g.OutPositions * k];
        var dx = new double[x.Length];
        var df = new double[f.Length];
        Taps(g, (n, oh, ow, kh, kw, xo) =>
        {
            var yo = ((n * g.OutHeight + oh) * g.OutWidth + ow) * k;
            for (var c = 0; c < g.Channels; c++)
            {
                var fo = ((kh * g.KernelWidth + kw) * g.Channels + c) * k;
                for (var o = 0; o < k; o++)
                {
                    y[yo + o] += (double)x[xo + c] * f[fo + o];
                    dx[xo + c] += (double)dy[yo + o] * f[fo + o];
                    df[fo + o] += (double)x[xo + c] * dy[yo + o];
                }
            }
        });
        return (y, dx, df);
    }

    /// <summary>Largest |a − b| relative to the largest |b| (at least 1).</summary>
    private static double Error(float[] actual, double[] expected)
    {
        var scale = Math.Max(1, expected.Max(Math.Abs));
        return actual.Select((v, i) => Math.Abs(v - expected[i])).DefaultIfEmpty(0).Max() / scale;
    }

    public static TheoryData<int, int, int, int, int, int, int, int, bool> Cases() => new()
    {
        // batch, height, width, channels, out channels, kernel height, kernel width, stride, SAME
        { 4, 14, 14, 6, 16, 5, 5, 1, false },  // LeNet-5's second convolution
        { 3, 14, 14, 6, 16, 5, 5, 1, true },
        { 2, 9, 11, 3, 5, 3, 3, 1, true },     // at most 8 output channels: the narrow block
        { 2, 9, 11, 16, 32, 3, 3, 1, false },  // two 16-channel groups
        { 2, 10, 13, 12, 7, 5, 5, 1, true },   // the input gradient's branch: 12 input channels, 7 output channels
        { 2, 9, 15, 9, 16, 3, 5, 1, false },
        { 2, 8, 13, 2, 20, 2, 4, 1, true },    // a partial second group, even kernel
        { 3, 11, 17, 5, 12, 3, 3, 2, true },   // stride 2: forward and filter gradient only
        { 2, 13, 10, 7, 9, 4, 2, 3, false },
        { 1, 2, 3, 4, 6, 5, 5, 1, true },      // a window larger than the image
        { 1, 1, 1, 3, 17, 3, 3, 1, true },     // a 1×1 image: only the centre tap is inside
        { 2, 9, 14, 16, 12, 3, 3, 1, true },   // 16 input channels: the input gradient's full 12-column blocks
        { 1, 14, 13, 16, 16, 13, 11, 1, true }, // 2,288 taps a window: the tap table past the stack's
    };

    [Theory, MemberData(nameof(Cases))]
    public void MatchesFloat64LoopsForTheConvolutionAndBothGradients(int n, int h, int w, int c, int k, int kh, int kw, int s, bool same)
    {
        var g = Window2D.Create(n, h, w, c, kh, kw, s, s, 1, 1, same);
        Assert.True(SmallChannelConv.Applies(g, k));
        var x = Uniform(n * h * w * c, h * 100 + c);
        var f = Uniform(kh * kw * c * k, w * 100 + k);
        var dy = Uniform(n * g.OutPositions * k, k * 7 + n);
        var (ry, rdx, rdf) = Reference(x, f, dy, g, k);

        (float[] Y, float[] Df, float[]? Dx) Run()
        {
            var y = new float[ry.Length];
            Array.Fill(y, float.NaN); // every output must be written
            SmallChannelConv.Forward(x, f, y, g, k);
            Assert.True(Error(y, ry) < 1e-5, $"forward error {Error(y, ry):E2}");

            var df = new float[f.Length];
            Array.Fill(df, float.NaN);
            SmallChannelConv.BackpropFilter(x, dy, df, g, k);
            Assert.True(Error(df, rdf) < 1e-5, $"filter gradient error {Error(df, rdf):E2}");

            Assert.Equal(s == 1 && k <= SmallChannelConv.MaxChannels && c > 8, SmallChannelConv.AppliesToInputGradient(g, k));
            if (s != 1) return (y, df, null);
            var dx = new float[x.Length];
            Array.Fill(dx, float.NaN);
            SmallChannelConv.BackpropInput(f, dy, dx, g, k);
            Assert.True(Error(dx, rdx) < 1e-5, $"input gradient error {Error(dx, rdx):E2}");
            return (y, df, dx);
        }

        var first = Run();
        // The AVX-512 blocks of 12 columns × 16 channels (forward, and the input gradient of 9–16 input channels) and of
        // 12 positions × 16 channels (filter gradient) against the 256-bit blocks of 6: the same sums, bit for bit.
        var saved = (SmallChannelConv.Columns12, SmallChannelConv.Filter512);
        try
        {
            (SmallChannelConv.Columns12, SmallChannelConv.Filter512) = (!saved.Columns12, !saved.Filter512);
            var other = Run();
            Assert.Equal(first.Y.Select(BitConverter.SingleToInt32Bits), other.Y.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(first.Df.Select(BitConverter.SingleToInt32Bits), other.Df.Select(BitConverter.SingleToInt32Bits));
            if (first.Dx is not null) Assert.Equal(first.Dx.Select(BitConverter.SingleToInt32Bits), other.Dx!.Select(BitConverter.SingleToInt32Bits));
        }
        finally
        {
            (SmallChannelConv.Columns12, SmallChannelConv.Filter512) = saved;
        }
    }

    public static TheoryData<int, int, int, int, int, int, int, int> WideCases() => new()
    {
        // batch, height, width, channels, out channels, kernel, stride, padding on each side (-1: VALID)
        { 1, 23, 21, 3, 64, 7, 2, 3 },  // ResNet18's first convolution (ONNX's explicit pads of 3) on a small image
        { 2, 19, 17, 3, 32, 3, 2, -1 }, // Inception-v3's first convolution
        { 1, 9, 11, 5, 40, 3, 1, 1 },   // a partial second 32-channel group (one partial 64-channel block)
        { 2, 14, 20, 3, 64, 7, 2, 3 },  // the stem again: full 64-channel blocks and a partial last column block
        { 2, 8, 13, 2, 17, 2, 1, 0 },   // just past 16 channels: one 32-channel group, mostly zeros
        { 1, 5, 7, 4, 32, 3, 1, 1 },
    };

    [Theory, MemberData(nameof(WideCases))]
    public void TheForwardKernelTakesUpTo64OutputChannelsInAvx512BlocksWithTheSameSums(int n, int h, int w, int c, int k, int kernel, int s, int pad)
    {
        var g = pad < 0
            ? Window2D.Create(n, h, w, c, kernel, kernel, s, s, 1, 1, false)
            : Window2D.CreateExplicit(n, h, w, c, kernel, kernel, s, s, 1, 1, pad, pad, pad, pad);
        var x = Uniform(n * h * w * c, h + c);
        var f = Uniform(kernel * kernel * c * k, w + k);
        var (ry, _, _) = Reference(x, f, new float[n * g.OutPositions * k], g, k);
        var saved = (SmallChannelConv.Wide512, SmallChannelConv.Blocks64);
        try
        {
            (SmallChannelConv.Wide512, SmallChannelConv.Blocks64) = (true, true);
            Assert.True(SmallChannelConv.AppliesToForward(g, k));
            Assert.Equal(k <= SmallChannelConv.MaxOutChannels, SmallChannelConv.Applies(g, k)); // the gradients keep their limit
            var wide = new float[ry.Length];
            Array.Fill(wide, float.NaN); // every output must be written
            SmallChannelConv.Forward(x, f, wide, g, k);
            Assert.True(Error(wide, ry) < 1e-5, $"forward error {Error(wide, ry):E2}");
            // Through the convolution with its filter prepacked (the layout for 32-channel blocks), twice.
            var prepacked = new PrepackedFilter();
            for (var call = 0; call < 2; call++)
            {
                var packed = new float[ry.Length];
                Conv2DKernels.Forward<float>(x, f, packed, g, k, prepacked: prepacked);
                Assert.Equal(wide, packed);
            }
            // Past 32 channels the 64-channel blocks run; the 32-channel ones add the same products in the same order.
            SmallChannelConv.Blocks64 = false;
            var blocks32 = new float[ry.Length];
            SmallChannelConv.Forward(x, f, blocks32, g, k);
            Assert.Equal(wide.Select(BitConverter.SingleToInt32Bits), blocks32.Select(BitConverter.SingleToInt32Bits));
            SmallChannelConv.Wide512 = false;
            Assert.Equal(k <= SmallChannelConv.MaxOutChannels, SmallChannelConv.AppliesToForward(g, k));
            if (k <= SmallChannelConv.MaxOutChannels)
            {
                // The 16-channel blocks add the same products in the same order: bitwise the same outputs.
                var narrow = new float[ry.Length];
                SmallChannelConv.Forward(x, f, narrow, g, k);
                Assert.Equal(wide, narrow);
            }
        }
        finally
        {
            (SmallChannelConv.Wide512, SmallChannelConv.Blocks64) = saved;
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void TheConvolutionKernelsTakeItAndAgreeWithIm2col(int n, int h, int w, int c, int k, int kh, int kw, int s, bool same)
    {
        var g = Window2D.Create(n, h, w, c, kh, kw, s, s, 1, 1, same);
        var x = Uniform(n * h * w * c, h * 10 + c);
        var f = Uniform(kh * kw * c * k, w * 10 + k);
        var dy = Uniform(n * g.OutPositions * k, k * 3 + n);
        (float[] Y, float[] Dx, float[] Df) Run()
        {
            var y = new float[n * g.OutPositions * k];
            var dx = new float[x.Length];
            var df = new float[f.Length];
            Conv2DKernels.Forward<float>(x, f, y, g, k);
            Conv2DKernels.BackpropInput<float>(f, dy, dx, g, k);
            Conv2DKernels.BackpropFilter<float>(x, dy, df, g, k);
            return (y, dx, df);
        }

        var direct = Run();
        float[] directY = new float[direct.Y.Length], directDx = new float[x.Length], directDf = new float[f.Length];
        SmallChannelConv.Forward(x, f, directY, g, k);
        SmallChannelConv.BackpropFilter(x, dy, directDf, g, k);
        Assert.Equal(directY, direct.Y);
        Assert.Equal(directDf, direct.Df);
        if (SmallChannelConv.AppliesToInputGradient(g, k))
        {
            SmallChannelConv.BackpropInput(f, dy, directDx, g, k);
            Assert.Equal(directDx, direct.Dx);
        }

        SmallChannelConv.Enabled = false;
        try
        {
            var im2col = Run();
            var (ry, rdx, rdf) = Reference(x, f, dy, g, k);
            Assert.True(Error(im2col.Y, ry) < 1e-5 && Error(im2col.Dx, rdx) < 1e-5 && Error(im2col.Df, rdf) < 1e-5);
            Assert.True(Error(direct.Y, im2col.Y.Select(v => (double)v).ToArray()) < 1e-5);
            Assert.True(Error(direct.Dx, im2col.Dx.Select(v => (double)v).ToArray()) < 1e-5);
            Assert.True(Error(direct.Df, im2col.Df.Select(v => (double)v).ToArray()) < 1e-5);
        }
        finally
        {
            SmallChannelConv.Enabled = true;
        }
    }

    [Fact]
    public void OneThreadAndAllThreadsGiveBitwiseEqualResults()
    {
        var g = Window2D.Create(64, 14, 14, 6, 5, 5, 1, 1, 1, 1, false);
        var x = Uniform(64 * 14 * 14 * 6, 1);
        var f = Uniform(5 * 5 * 6 * 16, 2);
        var dy = Uniform(64 * g.OutPositions * 16, 3);
        (float[], float[], float[]) Run()
        {
            var y = new float[dy.Length];
            var dx = new float[x.Length];
            var df = new float[f.Length];
            SmallChannelConv.Forward(x, f, y, g, 16);
            SmallChannelConv.BackpropInput(f, dy, dx, g, 16);
            SmallChannelConv.BackpropFilter(x, dy, df, g, 16);
            return (y, dx, df);
        }

        var parallel = Run();
        // While the worker pool is held, every parallel loop runs its ranges one after another on this thread.
        SpinWait.SpinUntil(WorkerPool.TryEnter);
        (float[], float[], float[]) serial;
        try
        {
            serial = Run();
        }
        finally
        {
            WorkerPool.Exit();
        }
        Assert.Equal(parallel.Item1, serial.Item1);
        Assert.Equal(parallel.Item2, serial.Item2);
        Assert.Equal(parallel.Item3, serial.Item3);
    }

    [Fact]
    public void AppliesOnlyToSmallChannelCountsWithoutDilation()
    {
        Window2D Conv(int channels, int dilation = 1, int stride = 1) =>
            Window2D.Create(2, 14, 14, channels, 5, 5, stride, stride, dilation, dilation, false);
        Assert.True(SmallChannelConv.Applies(Conv(6), 16));
        Assert.False(SmallChannelConv.Applies(Conv(1), 16));   // SingleChannelConv's
        Assert.False(SmallChannelConv.Applies(Conv(17), 16));
        Assert.False(SmallChannelConv.Applies(Conv(6), 33));
        Assert.False(SmallChannelConv.Applies(Conv(6, dilation: 2), 16));
        Assert.True(SmallChannelConv.AppliesToInputGradient(Conv(12), 16));
        Assert.False(SmallChannelConv.AppliesToInputGradient(Conv(6), 16)); // LeNet-5's conv2: im2col is faster
        Assert.False(SmallChannelConv.AppliesToInputGradient(Conv(12, stride: 2), 16));
        Assert.False(SmallChannelConv.AppliesToInputGradient(Conv(12), 17));
        Assert.False(SmallChannelConv.TryForward<double>(new double[2 * 14 * 14 * 6], new double[5 * 5 * 6 * 16], new double[2 * 100 * 16], Conv(6), 16));
    }
}
