using static SharpFlow.Tests.Support.KernelData;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// The implicit GEMM (<see cref="PackedSgemm.MultiplyFilled"/> with <see cref="Im2Col.ExpandColumns"/>): a float32
/// convolution whose patch matrix is made a k block at a time inside the product gives the result of im2col and the
/// product, bit for bit, with and without prepacked filters, fused epilogues, products split in row chunks that start
/// inside an image, k blocks that cut a filter row, padding on every side, strides, and products of few rows (whose
/// tasks split the columns); and matches a float64 loop. The products here are small, so the test lets products that
/// would run in one pass take the filled path too (<see cref="PackedSgemm.OnePassRowBlocks"/> = 0) and asserts that
/// they take it; the first cases are also large enough to take it as they are. Flips process-wide kernel settings,
/// hence the collection.
/// </summary>
[Collection("kernel settings")]
public class ImplicitGemmTests
{
    public static IEnumerable<object[]> Cases() => new object[][]
    {
        // batch, height, width, channels, kh, kw, stride, padding, outChannels, rows per product, wide kernel
        [1, 19, 19, 48, 5, 5, 1, "same", 64, 4032, true],   // Inception's 5×5 (361 rows): k blocks of 256 cut the 240-value filter rows
        [2, 13, 13, 24, 3, 3, 2, "explicit4", 40, 50, true],  // padding of 4 > the window: whole windows in the padding; 144 rows in products of 48
        [2, 9, 9, 40, 7, 1, 1, "same", 24, 4032, true],     // 7×1: rows above and below the image are zeros
        [2, 9, 9, 40, 1, 7, 1, "same", 24, 30, true],       // 1×7, in products of 27 rows (at most 30) that start inside an image
        [2, 10, 10, 64, 3, 3, 2, "explicit", 40, 18, true], // ResNet's stride-2 3×3 with explicit padding, partial column panel
        [1, 13, 11, 5, 3, 4, 2, "valid", 16, 4032, true],   // no padding, uneven window and image
        [1, 3, 3, 20, 3, 3, 1, "valid", 70, 4032, true],    // one output position: a one-row product split by columns
        [1, 8, 8, 96, 1, 3, 1, "same", 100, 4032, true],    // 64 rows: one row block, its columns in groups
        [3, 7, 6, 12, 3, 3, 1, "same", 33, 40, false],      // the 16-wide kernel
    };

    [Theory, MemberData(nameof(Cases))]
    public void AConvolutionWhosePatchesAreMadeInTheProductIsBitwiseIm2colAndTheProduct(int batch, int height, int width, int channels, int kh, int kw,
        int stride, string padding, int outChannels, int rowsPerProduct, bool wide)
    {
        var g = padding.StartsWith("explicit", StringComparison.Ordinal)
            ? Window2D.CreateExplicit(batch, height, width, channels, kh, kw, stride, stride, 1, 1, padding == "explicit4" ? 4 : 1, 1, padding == "explicit4" ? 4 : 1, 2)
            : Window2D.Create(batch, height, width, channels, kh, kw, stride, stride, 1, 1, same: padding == "same");
        var x = Uniform(batch * height * width * channels, 1);
        var f = Uniform(g.PatchSize * outChannels, 2);
        var bias = Uniform(outChannels, 3);
        var residual = Uniform(batch * g.OutPositions * outChannels, 4);
        var saved = (Conv2DKernels.ImplicitGemm, Conv2DKernels.FilledRows, SmallChannelConv.Enabled, Winograd.Enabled, PackedSgemm.Wide, PackedSgemm.OnePassRowBlocks, WinogradLine.Enabled);
        try
        {
            (SmallChannelConv.Enabled, Winograd.Enabled, PackedSgemm.Wide, Conv2DKernels.ImplicitGemm, WinogradLine.Enabled) = (false, false, wide, true, false);
            if (batch * g.OutPositions > 4 * 72) Assert.True(Conv2DKernels.FillsPatches(g, outChannels)); // as the default settings have it
            PackedSgemm.OnePassRowBlocks = 0;
            Assert.True(Conv2DKernels.FillsPatches(g, outChannels));
            foreach (var epilogue in new[] { false, true })
                foreach (var prepacked in new[] { null, new PrepackedFilter() })
                {
                    var expected = new float[residual.Length];
                    var filled = new float[residual.Length];
                    Array.Fill(filled, float.NaN); // every output is written
                    GemmEpilogue<float> Fused() => epilogue ? new(bias, residual, FusedActivation.Relu) : default;
                    Conv2DKernels.ImplicitGemm = false;
                    Conv2DKernels.Forward<float>(x, f, expected, g, outChannels, Fused());
                    (Conv2DKernels.ImplicitGemm, Conv2DKernels.FilledRows) = (true, rowsPerProduct);
                    Conv2DKernels.Forward<float>(x, f, filled, g, outChannels, Fused(), prepacked);
                    if (prepacked is not null) // and again, reading the panels the first call packed
                        Conv2DKernels.Forward<float>(x, f, filled, g, outChannels, Fused(), prepacked);
                    Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), filled.Select(BitConverter.SingleToInt32Bits));
                    if (epilogue) AssertMatchesLoop(x, f, bias, residual, filled, g, outChannels);
                }
        }
        finally
        {
            (Conv2DKernels.ImplicitGemm, Conv2DKernels.FilledRows, SmallChannelConv.Enabled, Winograd.Enabled, PackedSgemm.Wide, PackedSgemm.OnePassRowBlocks,
                WinogradLine.Enabled) = saved;
        }
    }

    // relu(conv + bias + residual) by a float64 loop over the window, for every output.
    private static void AssertMatchesLoop(float[] x, float[] f, float[] bias, float[] residual, float[] y, Window2D g, int outChannels)
    {
        for (var n = 0; n < g.Batch; n++)
            for (var oh = 0; oh < g.OutHeight; oh++)
                for (var ow = 0; ow < g.OutWidth; ow++)
                    for (var o = 0; o < outChannels; o++)
                    {
                        double sum = 0;
                        for (var kh = 0; kh < g.KernelHeight; kh++)
                            for (var kw = 0; kw < g.KernelWidth; kw++)
                            {
                                var (h, w) = (oh * g.StrideHeight - g.PadTop + kh, ow * g.StrideWidth - g.PadLeft + kw);
                                if (h < 0 || h >= g.InHeight || w < 0 || w >= g.InWidth) continue;
                                for (var c = 0; c < g.Channels; c++)
                                    sum += (double)x[((n * g.InHeight + h) * g.InWidth + w) * g.Channels + c] * f[((kh * g.KernelWidth + kw) * g.Channels + c) * outChannels + o];
                            }
                        var i = ((n * g.OutHeight + oh) * g.OutWidth + ow) * outChannels + o;
                        var expected = Math.Max(0, sum + bias[o] + residual[i]);
                        Assert.True(Math.Abs(y[i] - expected) <= 1e-5 * (1 + g.PatchSize), $"output {i}: {y[i]} against {expected}");
                    }
    }

    [Fact]
    public void ExpandColumnsGivesTheColumnsOfIm2colsRows()
    {
        // Every k block of every row range, against the whole patch matrix: blocks that start and end inside filter rows.
        var g = Window2D.CreateExplicit(2, 7, 6, 5, 3, 4, 2, 1, 1, 1, 2, 0, 1, 3);
        var x = Uniform(2 * 7 * 6 * 5, 5);
        var m = g.Batch * g.OutPositions;
        var patches = new float[m * g.PatchSize];
        Im2Col.Expand<float>(x, g, 0, g.Batch, patches);
        foreach (var (row0, rows, p0, kc) in new[] { (0, m, 0, g.PatchSize), (3, 17, 7, 23), (m - 5, 5, 41, 19), (11, 1, 0, 1) })
        {
            var block = new float[rows * kc];
            Im2Col.ExpandColumns(x, g, row0, rows, p0, kc, block);
            for (var r = 0; r < rows; r++)
                for (var p = 0; p < kc; p++)
                    Assert.Equal(patches[(row0 + r) * g.PatchSize + p0 + p], block[r * kc + p]);
        }
        // Columns past the patch (they would read image rows below the window) and rows past the images are refused.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Im2Col.ExpandColumns(x, g, 0, 1, g.PatchSize - 2, 3, new float[3]));
        Assert.Contains("not all in the patch matrix", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Im2Col.ExpandColumns(x, g, m - 1, 2, 0, 1, new float[2]));
    }
}
