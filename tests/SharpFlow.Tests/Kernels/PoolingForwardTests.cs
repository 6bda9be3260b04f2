using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// The vectorised max and average pooling forward loops against plain loops over every output element: channel
/// counts around the 128/256/512-bit widths, 1×1 outputs, windows larger than the stride and than the image, SAME
/// and VALID, NaNs and signed zeros. The float32 results must be bitwise those of the plain loops (same operations,
/// same order), and the averages also agree with a float64 reference.
/// </summary>
public class PoolingForwardTests
{
    // (batch, height, width, channels, kernel h, kernel w, stride h, stride w, dilation, same)
    public static TheoryData<int, int, int, int, int, int, int, int, int, bool> Shapes => new()
    {
        { 2, 8, 8, 1, 2, 2, 2, 2, 1, true },
        { 2, 7, 9, 3, 2, 2, 2, 2, 1, true },
        { 3, 28, 28, 6, 2, 2, 2, 2, 1, true },     // LeNet-5's first pooling
        { 2, 10, 10, 16, 2, 2, 2, 2, 1, false },   // LeNet-5's second
        { 2, 9, 9, 17, 3, 3, 2, 2, 1, true },      // overlapping windows, padded on both sides
        { 1, 6, 5, 31, 3, 3, 1, 1, 1, true },
        { 1, 6, 5, 33, 3, 2, 1, 2, 1, false },
        { 2, 5, 5, 64, 5, 5, 1, 1, 1, false },     // one 1×1 output per image: the whole image
        { 1, 3, 4, 70, 3, 4, 3, 4, 1, false },
        { 1, 2, 3, 9, 4, 5, 1, 1, 1, true },       // window larger than the image
        { 2, 4, 4, 8, 1, 1, 1, 1, 1, true },       // 1×1 window
        { 1, 7, 7, 40, 2, 3, 3, 2, 1, true },      // stride larger than the window
        { 1, 9, 9, 12, 3, 3, 1, 1, 2, true },      // dilated window (the kernels allow it)
        { 1, 1, 1, 100, 1, 1, 1, 1, 1, false },
        { 2, 6, 10, 3, 2, 2, 2, 2, 1, false },     // windows that tile the input: 3 channels, masked (a spill of 5)
        { 1, 5, 9, 7, 2, 2, 2, 2, 1, false },      // tiling, a row and a column past the last window, a spill of 1
        { 2, 9, 9, 12, 3, 3, 3, 3, 1, false },     // a block of 8 and 4 channels that spill into the next pixel
        { 1, 5, 6, 152, 3, 3, 1, 1, 1, true },     // Inception's 3×3/1 SAME mean: two blocks of four vectors, one vector, a tail
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxPoolFloat32IsBitwiseThePlainLoop(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int d, bool same)
    {
        var g = Window2D.Create(n, h, w, c, kh, kw, sh, sw, d, d, same);
        var x = Data(n * h * w * c, seed: c * 31 + h, nanEvery: 0);
        var y = new float[n * g.OutPositions * c];
        PoolingKernels.MaxPool<float>(x, y, g);
        AssertBitwise(ReferenceMax(x, g), y);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxPoolPropagatesNaNAndPrefersPositiveZero(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int d, bool same)
    {
        var g = Window2D.Create(n, h, w, c, kh, kw, sh, sw, d, d, same);
        var x = Data(n * h * w * c, seed: c * 17 + w, nanEvery: 7);
        var y = new float[n * g.OutPositions * c];
        PoolingKernels.MaxPool<float>(x, y, g);
        var expected = ReferenceMax(x, g);
        Assert.Contains(expected, float.IsNaN);
        AssertBitwise(expected, y);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxPoolFloat64IsThePlainLoop(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int d, bool same)
    {
        var g = Window2D.Create(n, h, w, c, kh, kw, sh, sw, d, d, same);
        var x = Data(n * h * w * c, seed: c + 3, nanEvery: 11).Select(v => (double)v).ToArray();
        var y = new double[n * g.OutPositions * c];
        PoolingKernels.MaxPool<double>(x, y, g);
        var expected = Reference(x, g, (acc, v) => Math.Max(acc, v), (acc, _) => acc, start: null);
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), y.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgPoolFloat32IsBitwiseThePlainLoopAndCloseToFloat64(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int d, bool same)
    {
        var g = Window2D.Create(n, h, w, c, kh, kw, sh, sw, d, d, same);
        var x = Data(n * h * w * c, seed: c * 7 + kh, nanEvery: 0);
        var y = new float[n * g.OutPositions * c];
        PoolingKernels.AvgPool<float>(x, y, g);
        // Counting excludes the padding: the divisor is the number of taps inside the image.
        AssertBitwise(Reference(x, g, (acc, v) => acc + v, (acc, count) => acc / count, start: 0f), y);
        var exact = Reference(x.Select(v => (double)v).ToArray(), g, (acc, v) => acc + v, (acc, count) => acc / count, start: 0.0);
        for (var i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - exact[i]) <= 1e-6 * (1 + Math.Abs(exact[i])), $"element {i}: {y[i]} vs {exact[i]}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgPoolFloat64MatchesTheReference(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int d, bool same)
    {
        var g = Window2D.Create(n, h, w, c, kh, kw, sh, sw, d, d, same);
        var x = Data(n * h * w * c, seed: c * 5 + sw, nanEvery: 0).Select(v => (double)v).ToArray();
        var y = new double[n * g.OutPositions * c];
        PoolingKernels.AvgPool<double>(x, y, g);
        Assert.Equal(Reference(x, g, (acc, v) => acc + v, (acc, count) => acc / count, start: 0.0), y);
    }

    [Fact]
    public void AvgPoolNaNPropagatesToEveryWindowThatHoldsIt()
    {
        var g = Window2D.Create(1, 4, 4, 20, 2, 2, 2, 2, 1, 1, same: false);
        var x = Data(4 * 4 * 20, seed: 9, nanEvery: 0);
        x[(1 * 4 + 1) * 20 + 18] = float.NaN; // row 1, column 1, channel 18: in output (0, 0) only
        var y = new float[4 * 20];
        PoolingKernels.AvgPool<float>(x, y, g);
        for (var i = 0; i < y.Length; i++) Assert.Equal(i == 18, float.IsNaN(y[i]));
    }

    /// <summary>Values in [-4, 4) with exact zeros of both signs, and a NaN every <paramref name="nanEvery"/>-th element when positive.</summary>
    private static float[] Data(int count, int seed, int nanEvery)
    {
        var rng = new Random(seed);
        var x = new float[count];
        for (var i = 0; i < count; i++)
        {
            var r = rng.Next(10);
            x[i] = r == 0 ? 0f : r == 1 ? -0f : (float)(rng.NextDouble() * 8 - 4);
            if (nanEvery > 0 && rng.Next(nanEvery) == 0) x[i] = float.NaN;
        }
        return x;
    }

    /// <summary>MathF.Max over the taps inside the image, from the first tap: IEEE maximum (a NaN wins, +0 over -0).</summary>
    private static float[] ReferenceMax(float[] x, Window2D g) => Reference(x, g, MathF.Max, (acc, _) => acc, start: null);

    /// <summary>A fold over each window's taps inside the image in row-major order, one output element at a time.</summary>
    private static T[] Reference<T>(T[] x, Window2D g, Func<T, T, T> step, Func<T, int, T> finish, T? start) where T : struct
    {
        var y = new T[g.Batch * g.OutPositions * g.Channels];
        for (var n = 0; n < g.Batch; n++)
            for (var oh = 0; oh < g.OutHeight; oh++)
                for (var ow = 0; ow < g.OutWidth; ow++)
                    for (var ch = 0; ch < g.Channels; ch++)
                    {
                        T? acc = start;
                        var count = 0;
                        for (var kh = 0; kh < g.KernelHeight; kh++)
                            for (var kw = 0; kw < g.KernelWidth; kw++)
                            {
                                var row = oh * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                                var col = ow * g.StrideWidth - g.PadLeft + kw * g.DilationWidth;
                                if (row < 0 || row >= g.InHeight || col < 0 || col >= g.InWidth) continue;
                                var v = x[((n * g.InHeight + row) * g.InWidth + col) * g.Channels + ch];
                                acc = acc is { } a ? step(a, v) : v;
                                count++;
                            }
                        Assert.True(count > 0);
                        y[((n * g.OutHeight + oh) * g.OutWidth + ow) * g.Channels + ch] = finish(acc!.Value, count);
                    }
        return y;
    }

    private static void AssertBitwise(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
