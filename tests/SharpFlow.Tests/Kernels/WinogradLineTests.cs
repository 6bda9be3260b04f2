using static SharpFlow.Tests.Support.KernelData;
using System.Runtime.Intrinsics;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;
using Xunit.Abstractions;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// The one-dimensional Winograd F(4, 7) and F(2, 7) for 1×7 and 7×1 convolutions (<see cref="WinogradLine"/>) against a
/// float64 direct convolution, with the error of each output bounded relative to <c>S = Σ|x|·|w|</c> over its window (as
/// <see cref="WinogradTests"/>): <c>|y − y₆₄| ≤ 1e-5·S</c> for F(4, 7) and <c>≤ 2e-6·S</c> for F(2, 7). Measured:
/// F(4, 7) 1.3e-6 to 5.7e-6·S on every case here (Inception-v3's 17×17 shapes 1.8e-6 to 3.7e-6, one input channel
/// 5.7e-6), F(2, 7) 2.7e-7 to 9.3e-7·S (the 17×17 shapes 3.3e-7 to 4.2e-7), where the product of the patch matrix
/// measures 0.7e-7 to 1.1e-7·S. Also: the epilogue on each pixel is the pass after, bit for bit; the result does not depend on how the tiles are split into blocks; the convolution takes this path
/// exactly where it applies and only with a prepacked filter. Flips a process-wide setting, hence the collection.
/// </summary>
[Collection("kernel settings")]
public class WinogradLineTests(ITestOutputHelper output)
{
    private static double Bound(int tileSize) => tileSize == 4 ? 1e-5 : 2e-6;

    private static float[] Line(float[] x, float[] f, Window2D g, int k, GemmEpilogue<float> epilogue = default, int blocks = 0, int tile = 4)
    {
        var transformed = WinogradLine.TransformFilter(f, g.Channels, k, tile);
        Assert.NotNull(transformed);
        var y = new float[g.Batch * g.OutPositions * k];
        Array.Fill(y, float.NaN); // every output must be written
        WinogradLine.Forward(x, y, g, k, transformed, epilogue, blocks);
        return y;
    }

    [Theory]
    // batch, height, width, channels, output channels, 1×7 (else 7×1), SAME
    [InlineData(1, 17, 17, 16, 16, true, true)]
    [InlineData(1, 17, 17, 16, 16, false, true)]
    [InlineData(2, 9, 12, 20, 17, true, true)]    // channels and output channels not multiples of 16: the zero-padded remainder
    [InlineData(2, 12, 9, 20, 17, false, true)]
    [InlineData(1, 6, 7, 1, 16, true, true)]      // one input channel: all of it the remainder
    [InlineData(3, 5, 11, 33, 40, true, false)]   // VALID: 5 columns out of 11, an odd count
    [InlineData(3, 11, 5, 33, 40, false, false)]
    [InlineData(1, 3, 3, 16, 32, true, true)]     // a line shorter than the window: most taps in the padding
    [InlineData(2, 1, 1, 16, 16, false, true)]    // a 1×1 image
    [InlineData(1, 8, 30, 48, 24, true, true)]    // several tiles a line, even line length
    public void MatchesTheFloat64DirectConvolution(int n, int h, int w, int c, int k, bool rows, bool same)
    {
        var g = Window2D.Create(n, h, w, c, rows ? 1 : 7, rows ? 7 : 1, 1, 1, 1, 1, same);
        var x = Uniform(n * h * w * c, h * 100 + c);
        var f = Uniform(7 * c * k, w * 100 + k);
        var (reference, scale) = WinogradTests.Direct(x, f, g, k);
        foreach (var tile in new[] { 4, 2 })
        {
            var error = WinogradTests.RelativeError(Line(x, f, g, k, tile: tile), reference, scale);
            output.WriteLine($"F({tile}, 7) {(rows ? "1×7" : "7×1")} on [{n},{h},{w},{c}]→{k} {(same ? "SAME" : "VALID")}: max |y − y64| / Σ|x||w| = {error:E2}");
            Assert.True(error <= Bound(tile), $"F({tile}, 7): relative error {error:E2} above {Bound(tile):E0}");
        }
    }

    [Theory]
    // Explicit padding: top, bottom, left, right. A 1×7 window with rows of padding above and below (whole lines of
    // zeros), and uneven padding along the line.
    [InlineData(true, 1, 2, 4, 1)]
    [InlineData(false, 0, 6, 2, 3)]
    [InlineData(false, 5, 1, 1, 0)] // a 7×1 window with rows of padding above and a column beside
    [InlineData(true, 0, 0, 0, 0)]
    public void ExplicitPaddingMatchesTheFloat64DirectConvolution(bool rows, int top, int bottom, int left, int right)
    {
        var g = Window2D.CreateExplicit(2, 10, 13, 24, rows ? 1 : 7, rows ? 7 : 1, 1, 1, 1, 1, top, bottom, left, right);
        var x = Uniform(2 * 10 * 13 * 24, 5);
        var f = Uniform(7 * 24 * 32, 6);
        var (reference, scale) = WinogradTests.Direct(x, f, g, 32);
        foreach (var tile in new[] { 4, 2 })
        {
            var error = WinogradTests.RelativeError(Line(x, f, g, 32, tile: tile), reference, scale);
            output.WriteLine($"F({tile}, 7), explicit padding {top},{bottom},{left},{right} ({(rows ? "1×7" : "7×1")}): {error:E2}");
            Assert.True(error <= Bound(tile), $"F({tile}, 7): relative error {error:E2} above {Bound(tile):E0}");
        }
    }

    [Theory]
    // Inception-v3's 17×17 shapes at batch 1.
    [InlineData(128, 128, true)]
    [InlineData(128, 192, false)]
    [InlineData(160, 160, true)]
    [InlineData(192, 192, false)]
    public void InceptionLayersStayWithinTheBound(int channels, int k, bool rows)
    {
        var g = Window2D.Create(1, 17, 17, channels, rows ? 1 : 7, rows ? 7 : 1, 1, 1, 1, 1, true);
        var x = Uniform(17 * 17 * channels, channels);
        var f = Uniform(7 * channels * k, k);
        var (reference, scale) = WinogradTests.Direct(x, f, g, k);
        var im2col = new float[g.OutPositions * k];
        var patches = new float[g.OutPositions * g.PatchSize];
        Im2Col.Expand<float>(x, g, 0, 1, patches);
        Gemm.Multiply<float>(patches, f, im2col, g.OutPositions, g.PatchSize, k);
        var line = $"[1,17,17,{channels}]→{k} {(rows ? "1×7" : "7×1")}: im2col {WinogradTests.RelativeError(im2col, reference, scale):E2}";
        foreach (var tile in new[] { 4, 2 })
        {
            var error = WinogradTests.RelativeError(Line(x, f, g, k, tile: tile), reference, scale);
            line += $", F({tile}, 7) {error:E2}";
            Assert.True(error <= Bound(tile), $"F({tile}, 7): relative error {error:E2} above {Bound(tile):E0}");
        }
        output.WriteLine(line);
    }

    [Theory]
    [InlineData(true, 4)]
    [InlineData(false, 4)]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    public void TheEpilogueOnEachPixelIsThePassAfterBitForBit(bool rows, int tile)
    {
        var g = Window2D.Create(2, 9, 11, 32, rows ? 1 : 7, rows ? 7 : 1, 1, 1, 1, 1, true);
        var k = 40; // two 16-channel vectors and a remainder
        var x = Uniform(2 * 9 * 11 * 32, 7);
        var f = Uniform(7 * 32 * k, 8);
        var bias = Uniform(k, 9);
        var residual = Uniform(2 * 9 * 11 * k, 10);
        foreach (var activation in new[] { FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.Elu, FusedActivation.None })
        {
            var after = Line(x, f, g, k, tile: tile);
            BiasActivation.Apply<float>(after, k, new GemmEpilogue<float>(bias, residual, activation));
            var fused = Line(x, f, g, k, new GemmEpilogue<float>(bias, residual, activation), tile: tile);
            Assert.Equal(after, fused);
            var biasOnly = Line(x, f, g, k, tile: tile);
            BiasActivation.Apply<float>(biasOnly, k, new GemmEpilogue<float>(bias, default, activation));
            Assert.Equal(biasOnly, Line(x, f, g, k, new GemmEpilogue<float>(bias, default, activation), tile: tile));
        }
    }

    [Theory]
    [InlineData(true, 4, 24)]
    [InlineData(false, 4, 24)]
    [InlineData(true, 2, 24)]
    [InlineData(false, 2, 24)]
    [InlineData(true, 4, 300)] // two k blocks in each product
    public void TheResultDoesNotDependOnTheBlocks(bool rows, int tile, int channels)
    {
        // 3 images of 17×17: 255 tiles of F(4, 7), 459 of F(2, 7); blocks across images and lines.
        var g = Window2D.Create(3, 17, 17, channels, rows ? 1 : 7, rows ? 7 : 1, 1, 1, 1, 1, true);
        var x = Uniform(3 * 17 * 17 * channels, 11);
        var f = Uniform(7 * channels * 48, 12);
        var one = Line(x, f, g, 48, blocks: 1, tile: tile);
        foreach (var blocks in new[] { 2, 7, 64, 255 })
            Assert.Equal(one, Line(x, f, g, 48, blocks: blocks, tile: tile));
        Assert.Equal(one, Line(x, f, g, 48, tile: tile));
    }

    [SkippableFact]
    public void AConvolutionTakesItExactlyWhereItAppliesAndOnlyWithAPrepackedFilter()
    {
        Skip.IfNot(Vector512.IsHardwareAccelerated, "convolutions take the kernel only with AVX-512 (elsewhere the product runs; the kernel's values are tested above on any machine)");
        var (saved, savedTile) = (WinogradLine.Enabled, WinogradLine.TileSize);
        try
        {
            WinogradLine.Enabled = true;
            WinogradLine.TileSize = 4;
            var g = Window2D.Create(1, 17, 17, 32, 1, 7, 1, 1, 1, 1, true);
            Assert.True(WinogradLine.Applies(g, 32));
            Assert.False(WinogradLine.Applies(Window2D.Create(1, 17, 17, 32, 1, 7, 1, 2, 1, 1, true), 32));  // stride 2
            Assert.False(WinogradLine.Applies(Window2D.Create(1, 17, 17, 32, 1, 7, 1, 1, 1, 2, true), 32));  // dilation 2
            Assert.False(WinogradLine.Applies(Window2D.Create(1, 17, 17, 32, 1, 5, 1, 1, 1, 1, true), 32));  // 1×5
            Assert.False(WinogradLine.Applies(Window2D.Create(1, 17, 17, 32, 3, 7, 1, 1, 1, 1, true), 32));  // 3×7
            Assert.False(WinogradLine.Applies(Window2D.Create(1, 17, 17, 8, 1, 7, 1, 1, 1, 1, true), 32));   // few channels
            Assert.False(WinogradLine.Applies(g, 8));                                                         // few output channels
            Assert.False(WinogradLine.Applies(Window2D.Create(1, 9, 9, 32, 7, 1, 1, 1, 1, 1, true), 32));    // 27 tiles

            var x = Uniform(17 * 17 * 32, 13);
            var f = Uniform(7 * 32 * 32, 14);
            var bias = Uniform(32, 15);
            var epilogue = new GemmEpilogue<float>(bias, default, FusedActivation.Relu);
            var expected = Line(x, f, g, 32, epilogue);
            var prepacked = new PrepackedFilter();
            for (var call = 0; call < 2; call++)
            {
                var y = new float[17 * 17 * 32];
                Conv2DKernels.Forward<float>(x, f, y, g, 32, epilogue, prepacked);
                Assert.Equal(expected, y);
            }
            Assert.Equal(1, prepacked.Forms); // the transformed filter, made once
            Assert.Equal(10L * 32 * 32 * sizeof(float), prepacked.Bytes);
            // F(2, 7) where the setting says so: its own form beside the first.
            WinogradLine.TileSize = 2;
            var two = new float[17 * 17 * 32];
            Conv2DKernels.Forward<float>(x, f, two, g, 32, epilogue, prepacked);
            Assert.Equal(Line(x, f, g, 32, epilogue, tile: 2), two);
            Assert.Equal(2, prepacked.Forms);
            WinogradLine.TileSize = 4;

            // Without a prepacked filter, or turned off, the product of the patch matrix (which rounds differently).
            var plain = new float[17 * 17 * 32];
            Conv2DKernels.Forward<float>(x, f, plain, g, 32, epilogue);
            Assert.NotEqual(expected, plain);
            WinogradLine.Enabled = false;
            var off = new float[17 * 17 * 32];
            Conv2DKernels.Forward<float>(x, f, off, g, 32, epilogue, new PrepackedFilter());
            Assert.Equal(plain, off);
        }
        finally
        {
            (WinogradLine.Enabled, WinogradLine.TileSize) = (saved, savedTile);
        }
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheKernelsName()
    {
        var g = Window2D.Create(1, 17, 17, 16, 1, 7, 1, 1, 1, 1, true);
        var transformed = WinogradLine.TransformFilter(Uniform(7 * 16 * 16, 1), 16, 16, 4)!;
        var x = new float[17 * 17 * 16];
        var y = new float[17 * 17 * 16];
        Assert.Contains("WinogradLine", Assert.Throws<ArgumentException>(() => WinogradLine.Forward(x, y, Window2D.Create(1, 17, 17, 16, 3, 3, 1, 1, 1, 1, true), 16, transformed)).Message);
        Assert.Contains("WinogradLine", Assert.Throws<ArgumentException>(() => WinogradLine.Forward(x, y, g, 32, transformed)).Message);
        Assert.Contains("WinogradLine", Assert.Throws<ArgumentException>(() => WinogradLine.Forward(x, new float[10], g, 16, transformed)).Message);
        Assert.Contains("WinogradLine", Assert.Throws<ArgumentException>(() => WinogradLine.TransformFilter(new float[10], 16, 16, 4)).Message);
        Assert.Contains("tile size 3", Assert.Throws<ArgumentException>(() => WinogradLine.TransformFilter(Uniform(7 * 16 * 16, 1), 16, 16, 3)).Message);
        var narrow = WinogradLine.TransformFilter(Uniform(7 * 16 * 8, 2), 16, 8, 4)!;
        Assert.Contains("8 output channels", Assert.Throws<ArgumentException>(() => WinogradLine.Forward(x, y, g, 8, narrow)).Message);
    }
}
