using static SharpFlow.Tests.Support.KernelData;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;
using Xunit.Abstractions;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// Winograd F(4×4, 3×3) and F(2×2, 3×3) against a float64 direct convolution. The error of each output is bounded
/// relative to <c>S = Σ|x|·|w|</c> over its window (the measure of Winograd error analyses: it scales with the
/// channel count and the magnitudes, not with the output, which cancellation can make arbitrarily small):
/// <c>|y − y₆₄| ≤ 1e-5·S</c> for F(4×4) and <c>≤ 1e-6·S</c> for F(2×2). Measured on ResNet18's layers: F(4×4) up to
/// 2.6e-6·S, F(2×2) up to 1.1e-7·S, the im2col product up to 1.5e-7·S.
/// </summary>
public class WinogradTests(ITestOutputHelper output)
{
    /// <summary>
    /// The float64 direct convolution of any window (stride 1, no dilation: the Winograd kernels' geometries) and, per
    /// output, Σ|x|·|w| over its window. Also <see cref="WinogradLineTests"/>'.
    /// </summary>
    internal static (double[] Y, double[] Scale) Direct(float[] x, float[] f, Window2D g, int k)
    {
        var y = new double[g.Batch * g.OutPositions * k];
        var scale = new double[y.Length];
        for (var n = 0; n < g.Batch; n++)
            for (var oh = 0; oh < g.OutHeight; oh++)
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var yo = ((n * g.OutHeight + oh) * g.OutWidth + ow) * k;
                    for (var kh = 0; kh < g.KernelHeight; kh++)
                        for (var kw = 0; kw < g.KernelWidth; kw++)
                        {
                            var (h, w) = (oh - g.PadTop + kh, ow - g.PadLeft + kw);
                            if (h < 0 || h >= g.InHeight || w < 0 || w >= g.InWidth) continue;
                            var xo = ((n * g.InHeight + h) * g.InWidth + w) * g.Channels;
                            for (var c = 0; c < g.Channels; c++)
                            {
                                double xv = x[xo + c];
                                var fo = ((kh * g.KernelWidth + kw) * g.Channels + c) * k;
                                for (var o = 0; o < k; o++)
                                {
                                    y[yo + o] += xv * f[fo + o];
                                    scale[yo + o] += Math.Abs(xv * f[fo + o]);
                                }
                            }
                        }
                }
        return (y, scale);
    }

    /// <summary>The largest |y − y₆₄| / Σ|x|·|w| over the outputs (an output whose window is all padding must be exactly 0).</summary>
    internal static double RelativeError(float[] y, double[] reference, double[] scale)
    {
        var worst = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var e = Math.Abs(y[i] - reference[i]);
            worst = Math.Max(worst, scale[i] == 0 ? (e == 0 ? 0 : double.PositiveInfinity) : e / scale[i]);
        }
        return worst;
    }

    private static double Bound(int tileSize) => tileSize == 4 ? 1e-5 : 1e-6;

    [Theory]
    // batch, height, width, channels, output channels, SAME
    [InlineData(1, 8, 8, 16, 16, true)]
    [InlineData(1, 8, 8, 16, 16, false)]
    [InlineData(3, 9, 7, 5, 3, true)] // channels and output channels not multiples of 8 or 16, odd sizes
    [InlineData(3, 9, 7, 5, 3, false)]
    [InlineData(1, 1, 1, 4, 6, true)] // a 1×1 image: every tap but the centre is padding
    [InlineData(2, 2, 2, 17, 9, true)] // a 2×2 image
    [InlineData(2, 3, 3, 17, 9, false)] // VALID on 3×3: one output
    [InlineData(1, 13, 11, 24, 40, true)] // a 16- and an 8-lane block plus a scalar remainder of channels
    [InlineData(3, 10, 6, 33, 20, false)]
    [InlineData(1, 5, 17, 1, 1, true)]
    public void MatchesTheFloat64DirectConvolution(int n, int h, int w, int c, int k, bool same)
    {
        var g = Window2D.Create(n, h, w, c, 3, 3, 1, 1, 1, 1, same);
        var x = Uniform(n * h * w * c, h * 100 + c);
        var f = Uniform(9 * c * k, w * 100 + k);
        var (reference, scale) = Direct(x, f, g, k);
        foreach (var tile in new[] { 4, 2 })
        {
            var y = new float[g.Batch * g.OutPositions * k];
            Array.Fill(y, float.NaN); // every output must be written
            Winograd.Forward(x, f, y, g, k, tile);
            var error = RelativeError(y, reference, scale);
            output.WriteLine($"F({tile}×{tile}, 3×3) on [{n},{h},{w},{c}]→{k} {(same ? "SAME" : "VALID")}: max |y − y64| / Σ|x||w| = {error:E2}");
            Assert.True(error <= Bound(tile), $"F({tile}): relative error {error:E2} above {Bound(tile):E0}");
        }
    }

    [Theory]
    [InlineData(4, 14)] // 27 tiles: passes of 14 and 13
    [InlineData(2, 15)] // 75 tiles: five passes
    [InlineData(4, 1)] // one tile a pass
    public void SeveralPassesOverTheTilesGiveTheSameResult(int tile, int tilesPerPass)
    {
        var g = Window2D.Create(3, 9, 10, 20, 3, 3, 1, 1, 1, 1, true);
        var x = Uniform(3 * 9 * 10 * 20, 1);
        var f = Uniform(9 * 20 * 18, 2);
        var whole = new float[g.Batch * g.OutPositions * 18];
        var passes = new float[whole.Length];
        Winograd.Forward(x, f, whole, g, 18, tile);
        Winograd.Forward(x, f, passes, g, 18, tile, maxBlockElements: (tile + 2) * (tile + 2) * 20 * tilesPerPass);
        // With passes of a dozen tiles or more, every product takes the packed GEMM as the single pass does, and the
        // tiles' arithmetic is the same: equal bit for bit. A pass of one tile is a product too small to pack, which
        // rounds differently (TensorPrimitives' row update).
        if (tilesPerPass > 1) Assert.Equal(whole, passes);
        var (reference, scale) = Direct(x, f, g, 18);
        Assert.True(RelativeError(passes, reference, scale) <= Bound(tile));
    }

    [Theory]
    // ResNet18's 3×3 stride-1 layers at batch 1.
    [InlineData(56, 64)]
    [InlineData(28, 128)]
    [InlineData(14, 256)]
    [InlineData(7, 512)]
    public void ResNetLayersStayWithinTheBound(int size, int channels)
    {
        var g = Window2D.Create(1, size, size, channels, 3, 3, 1, 1, 1, 1, true);
        var x = Uniform(size * size * channels, size);
        var f = Uniform(9 * channels * channels, channels);
        var (reference, scale) = Direct(x, f, g, channels);
        var im2col = new float[g.OutPositions * channels];
        var patches = new float[g.OutPositions * g.PatchSize];
        Im2Col.Expand<float>(x, g, 0, 1, patches);
        Gemm.Multiply<float>(patches, f, im2col, g.OutPositions, g.PatchSize, channels);
        var line = $"[1,{size},{size},{channels}]→{channels}: im2col {RelativeError(im2col, reference, scale):E2}";
        foreach (var tile in new[] { 4, 2 })
        {
            var y = new float[g.OutPositions * channels];
            Winograd.Forward(x, f, y, g, channels, tile);
            var error = RelativeError(y, reference, scale);
            line += $", F({tile}×{tile}) {error:E2}";
            Assert.True(error <= Bound(tile), $"F({tile}): relative error {error:E2} above {Bound(tile):E0}");
        }
        output.WriteLine(line + " (max |y − y64| / Σ|x||w|)");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public void OneThreadAndAllThreadsGiveBitwiseEqualResults(int tile)
    {
        var g = Window2D.Create(2, 20, 18, 48, 3, 3, 1, 1, 1, 1, true);
        var x = Uniform(2 * 20 * 18 * 48, 3);
        var f = Uniform(9 * 48 * 40, 4);
        var parallel = new float[g.Batch * g.OutPositions * 40];
        var serial = new float[parallel.Length];
        Winograd.Forward(x, f, parallel, g, 40, tile, maxBlockElements: 20_000);
        // While the worker pool is held, every parallel loop runs its ranges one after another on this thread.
        SpinWait.SpinUntil(WorkerPool.TryEnter);
        try
        {
            Winograd.Forward(x, f, serial, g, 40, tile, maxBlockElements: 20_000);
        }
        finally
        {
            WorkerPool.Exit();
        }
        Assert.Equal(parallel, serial);
    }

    [Fact]
    public void TheConvolutionTakesTheChosenVariant()
    {
        // 7×7 images at batch 8: 32 tiles of 4×4, 128 of 2×2: F(2×2). 16×16 at batch 3: 48 tiles of 4×4: F(4×4).
        foreach (var (n, size, tile) in new[] { (8, 7, 2), (3, 16, 4) })
        {
            var g = Window2D.Create(n, size, size, 16, 3, 3, 1, 1, 1, 1, true);
            Assert.Equal(tile, Winograd.ChooseTileSize(g));
            var x = Uniform(n * size * size * 16, size);
            var f = Uniform(9 * 16 * 24, n);
            var conv = new float[n * g.OutPositions * 24];
            var expected = new float[conv.Length];
            Conv2DKernels.Forward<float>(x, f, conv, g, 24);
            Winograd.Forward(x, f, expected, g, 24, tile);
            Assert.Equal(expected, conv);
        }
    }

    [Fact]
    public void AppliesOnlyToFloat3x3StrideOneUndilatedConvolutions()
    {
        Window2D Conv(int kernel, int stride, int dilation, int channels = 64, int size = 56, int batch = 1) =>
            Window2D.Create(batch, size, size, channels, kernel, kernel, stride, stride, dilation, dilation, true);
        Assert.True(Winograd.Applies<float>(Conv(3, 1, 1), 64));
        Assert.True(Winograd.Applies<float>(Conv(3, 1, 1, channels: 128, size: 28), 128)); // 49 tiles
        Assert.False(Winograd.Applies<float>(Conv(3, 1, 1, channels: 256, size: 14), 256)); // 16 tiles: too few
        Assert.True(Winograd.Applies<float>(Conv(3, 1, 1, channels: 256, size: 14, batch: 8), 256)); // 128 tiles
        Assert.Equal(4, Winograd.ChooseTileSize(Conv(3, 1, 1, channels: 256, size: 14, batch: 8)));
        // 7×7 at batch 8: 32 tiles of 4×4 (too few), 128 of 2×2 (enough for F(2×2)); at batch 1 neither.
        Assert.Equal(2, Winograd.ChooseTileSize(Conv(3, 1, 1, channels: 512, size: 7, batch: 8)));
        Assert.True(Winograd.Applies<float>(Conv(3, 1, 1, channels: 512, size: 7, batch: 8), 512));
        Assert.False(Winograd.Applies<float>(Conv(3, 1, 1, channels: 512, size: 7), 512));
        // With a prepacked filter: F(4×4) from 32 tiles of 4×4 (7×7 at batch 8, 28×28 at batch 1), F(2×2) from 16 of
        // 2×2 below that (14×14 and 7×7 at batch 1, whose F(4×4) filters cost more memory traffic than they save).
        Assert.Equal(4, Winograd.ChooseTileSize(Conv(3, 1, 1, channels: 512, size: 7, batch: 8), prepacked: true));
        Assert.Equal(4, Winograd.ChooseTileSize(Conv(3, 1, 1, channels: 128, size: 28), prepacked: true));
        Assert.Equal(2, Winograd.ChooseTileSize(Conv(3, 1, 1, channels: 256, size: 14), prepacked: true));
        Assert.Equal(2, Winograd.ChooseTileSize(Conv(3, 1, 1, channels: 512, size: 7), prepacked: true));
        Assert.Equal(0, Winograd.ChooseTileSize(Conv(3, 1, 1, channels: 512, size: 6), prepacked: true)); // 9 tiles of 2×2
        Assert.False(Winograd.Applies<float>(Conv(3, 2, 1), 64)); // stride 2
        Assert.False(Winograd.Applies<float>(Conv(3, 1, 2), 64)); // dilation 2
        Assert.False(Winograd.Applies<float>(Conv(5, 1, 1), 64)); // 5×5
        Assert.False(Winograd.Applies<float>(Conv(1, 1, 1), 64)); // 1×1
        Assert.False(Winograd.Applies<double>(Conv(3, 1, 1), 64)); // float64
        Assert.False(Winograd.Applies<float>(Conv(3, 1, 1, channels: 3), 64)); // an RGB first layer
        Assert.False(Winograd.Applies<float>(Conv(3, 1, 1), 8)); // few output channels
        Assert.Throws<ArgumentException>(() => Winograd.Forward(new float[64], new float[25], new float[64], Conv(5, 1, 1, 1, 8), 1));
    }
}

/// <summary>The switch: with Winograd off, the convolution is the im2col product (a process-wide setting).</summary>
[Collection("kernel settings")]
public class WinogradSwitchTests
{
    [Fact]
    public void TurningWinogradOffGivesTheIm2ColResultAndOnGivesWinograd()
    {
        var g = Window2D.Create(1, 32, 32, 32, 3, 3, 1, 1, 1, 1, true);
        var r = new Random(5);
        var x = Enumerable.Range(0, 32 * 32 * 32).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var f = Enumerable.Range(0, 9 * 32 * 32).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var im2col = new float[g.OutPositions * 32];
        var patches = new float[g.OutPositions * g.PatchSize];
        Im2Col.Expand<float>(x, g, 0, 1, patches);
        Gemm.Multiply<float>(patches, f, im2col, g.OutPositions, g.PatchSize, 32);
        var winograd = new float[im2col.Length];
        Winograd.Forward(x, f, winograd, g, 32);
        Assert.NotEqual(im2col, winograd); // the two differ in rounding, so the comparisons below tell them apart

        var on = new float[im2col.Length];
        var off = new float[im2col.Length];
        var saved = Winograd.Enabled;
        try
        {
            Winograd.Enabled = true;
            Conv2DKernels.Forward<float>(x, f, on, g, 32);
            Winograd.Enabled = false;
            Assert.False(Winograd.Applies<float>(g, 32));
            Conv2DKernels.Forward<float>(x, f, off, g, 32);
        }
        finally
        {
            Winograd.Enabled = saved;
        }
        Assert.Equal(winograd, on);
        Assert.Equal(im2col, off);
    }
}

/// <summary>
/// Tile blocks taken by one thread through all three steps (<see cref="Winograd.TileLocal"/>): the same result as the
/// three parallel steps per block and the epilogue pass after them, bit for bit, with F(4×4) and F(2×2), partial tiles at
/// the right and bottom edges, blocks that run across image boundaries, and a bias, a residual and an activation applied
/// to each block's pixels. The blocks are sized from the thread count (about three per thread), so that the path is
/// taken on any machine. Flips a process-wide setting, hence the collection.
/// </summary>
[Collection("kernel settings")]
public class WinogradTileLocalTests
{
    public static IEnumerable<object[]> Cases() => new object[][]
    {
        // tile, batch, height, width, channels, out channels, same padding, float64 check
        [4, 2, 23, 19, 64, 64, true, true],     // 60 tiles; partial tiles on both edges
        [2, 5, 9, 8, 64, 64, false, true],      // 7×6 outputs: 12 tiles an image, blocks across images
        [2, 1, 30, 30, 64, 48, true, true],
        [4, 1, 149, 149, 32, 32, false, false], // Inception's 147×147×32 layer (the float64 loop would take seconds)
    };

    [Theory, MemberData(nameof(Cases))]
    public void TileBlocksLocalToAThreadGiveTheThreeStepsResultBitForBit(int tile, int batch, int height, int width, int channels, int k, bool same,
        bool checkFloat64)
    {
        var g = Window2D.Create(batch, height, width, channels, 3, 3, 1, 1, 1, 1, same);
        var total = batch * ((g.OutHeight + tile - 1) / tile) * ((g.OutWidth + tile - 1) / tile);
        var tilesPerBlock = Math.Max(1, total / (3 * WorkerPool.Threads));
        var maxBlock = (long)(tile + 2) * (tile + 2) * (channels + k) * tilesPerBlock;
        Assert.True(Winograd.TileLocal(g, k, tile, maxBlock).Applies);
        var x = Uniform(batch * height * width * channels, 1);
        var f = Uniform(9 * channels * k, 2);
        var bias = Uniform(k, 3);
        var count = batch * g.OutPositions * k;
        var residual = Uniform(count, 4);
        var prepacked = new PrepackedFilter();
        var local = new float[count];
        var threeSteps = new float[count];
        Winograd.Forward(x, f, local, g, k, tile, maxBlock, prepacked, new GemmEpilogue<float>(bias, residual, FusedActivation.Relu));
        var saved = Winograd.LocalFilterBytes;
        try
        {
            Winograd.LocalFilterBytes = 0;
            Assert.False(Winograd.TileLocal(g, k, tile, maxBlock).Applies);
            Winograd.Forward(x, f, threeSteps, g, k, tile, maxBlock, prepacked, new GemmEpilogue<float>(bias, residual, FusedActivation.Relu));
        }
        finally
        {
            Winograd.LocalFilterBytes = saved;
        }
        Assert.Equal(threeSteps, local);
        Assert.Contains(local, v => v == 0); // the activation ran
        if (!checkFloat64) return;
        var (reference, scale) = WinogradTests.Direct(x, f, g, k);
        for (var i = 0; i < count; i++)
        {
            var expected = Math.Max(0, reference[i] + bias[i % k] + residual[i]);
            Assert.True(Math.Abs(local[i] - expected) <= 1e-5 * (scale[i] + Math.Abs(bias[i % k]) + Math.Abs(residual[i])),
                $"output {i}: {local[i]} against {expected}");
        }
    }

    [Fact]
    public void AResidualShorterThanTheOutputIsRefusedBeforeAnythingIsWritten()
    {
        var g = Window2D.Create(1, 30, 30, 64, 3, 3, 1, 1, 1, 1, true);
        var output = new float[g.OutPositions * 64];
        Array.Fill(output, 7f);
        var error = Assert.Throws<ArgumentException>(() => Winograd.Forward(Uniform(30 * 30 * 64, 1), Uniform(9 * 64 * 64, 2), output, g, 64,
            prepacked: new PrepackedFilter(), epilogue: new GemmEpilogue<float>(default, new float[100], FusedActivation.Relu)));
        Assert.Contains("a residual of 100 elements", error.Message);
        Assert.All(output, v => Assert.Equal(7f, v));
    }

    [Fact]
    public void LargeTransformedFiltersAndFewTilesKeepTheThreeSteps()
    {
        // 36·128·128 floats (2.4 MB) are more than a core's cache holds beside the blocks.
        Assert.False(Winograd.TileLocal(Window2D.Create(1, 28, 28, 128, 3, 3, 1, 1, 1, 1, true), 128, 4, Winograd.MaxBlockElements).Applies);
        // 4 tiles: fewer blocks than two per thread.
        Assert.False(Winograd.TileLocal(Window2D.Create(1, 8, 8, 16, 3, 3, 1, 1, 1, 1, true), 16, 4, Winograd.MaxBlockElements).Applies);
        // Inception's 147×147×32 → 64: 1,369 tiles in blocks of 75, at least two per thread up to 16 threads.
        if (WorkerPool.Threads <= 16)
            Assert.True(Winograd.TileLocal(Window2D.Create(1, 147, 147, 32, 3, 3, 1, 1, 1, 1, true), 64, 4, Winograd.MaxBlockElements).Applies);
    }
}
