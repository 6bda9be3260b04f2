using static SharpFlow.Tests.Support.KernelData;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// Prepacked constant operands (<see cref="PackedMatrix"/>, <see cref="PrepackedFilter"/>): a product or convolution
/// that reads its B or filter from panels packed once gives the result of the one that packs them on every call, bit
/// for bit, on every path (GEMM with either transpose and an epilogue, im2col, 1×1, Winograd F(4×4) and F(2×2),
/// the small-channel kernel), on the first call (which packs) and on later ones (which only read); the packed forms
/// are really made and reused. (The one exception, 1×7 and 7×1 windows, which a prepacked filter may send to the
/// one-dimensional Winograd, is tested in <see cref="WinogradLineTests"/>.) Some cases flip process-wide kernel settings, hence the collection.
/// </summary>
[Collection("kernel settings")]
public class PrepackTests
{
    [Theory]
    // m, k, n, transposeA, transposeB: several k blocks (k > 256), partial row and column panels, a one-row product
    [InlineData(145, 600, 70, false, false)]
    [InlineData(145, 600, 70, true, true)]
    [InlineData(13, 300, 17, false, true)]
    [InlineData(1, 512, 1000, false, false)]
    [InlineData(49, 2304, 256, false, false)]
    [InlineData(64, 300, 1024, true, false)]
    public void AProductWithPackedBIsBitwiseTheUnpackedOne(int m, int k, int n, bool ta, bool tb)
    {
        var a = Uniform(m * k, 1);
        var b = Uniform(k * n, 2);
        var bias = Uniform(n, 3);
        var residual = Uniform(m * n, 4);
        var packed = PackedMatrix.Pack(b, k, n, tb)!;
        Assert.NotNull(packed);
        Assert.True(Gemm.ReadsPackedB(m, k, n));
        var plain = new float[m * n];
        var fromPanels = new float[m * n];
        Gemm.Multiply<float>(a, b, plain, m, k, n, ta, tb);
        for (var call = 0; call < 2; call++)
        {
            Array.Fill(fromPanels, float.NaN);
            Gemm.Multiply<float>(a, b, fromPanels, m, k, n, ta, tb, packed);
            Assert.Equal(plain, fromPanels);
        }
        // With the epilogue (bias, residual, Relu) applied per tile.
        var epilogue = new GemmEpilogue<float>(bias, residual, FusedActivation.Relu);
        Gemm.FusedMultiply<float>(a, b, plain, m, k, n, ta, tb, epilogue);
        Gemm.FusedMultiply<float>(a, b, fromPanels, m, k, n, ta, tb, epilogue, packed);
        Assert.Equal(plain, fromPanels);
        if (!ta && !tb)
        {
            Array.Fill(fromPanels, float.NaN);
            Gemm.Multiply<float>(a, b, plain, m, k, n);
            Gemm.MultiplyPacked(a, packed, fromPanels, m, k, n);
            Assert.Equal(plain, fromPanels);
        }
    }

    [Theory]
    // m, k, n: one row, a partial panel only, 49 rows (ResNet18's 7×7 at batch 1) in 18 k blocks, 4 row blocks with a
    // partial panel, 5 row blocks (the loop per k block either way), a k of one block
    [InlineData(1, 700, 96)]
    [InlineData(5, 513, 40)]
    [InlineData(49, 4608, 512)]
    [InlineData(287, 600, 70)]
    [InlineData(289, 300, 33)]
    [InlineData(100, 200, 64)]
    public void ThinProductsRunningAllKBlocksInOneLoopAreBitwiseTheLoopPerKBlock(int m, int k, int n)
    {
        var a = Uniform(m * k, 11);
        var b = Uniform(k * n, 12);
        var bias = Uniform(n, 13);
        var residual = Uniform(m * n, 14);
        var epilogue = new GemmEpilogue<float>(bias, residual, FusedActivation.Relu6);
        var saved = PackedSgemm.OnePassRowBlocks;
        var savedWide = PackedSgemm.Wide;
        try
        {
            foreach (var wide in PackedSgemm.Wide ? new[] { true, false } : new[] { false })
            {
                PackedSgemm.Wide = wide;
                var packed = PackedMatrix.Pack(b, k, n, false)!;
                var (perBlock, onePass) = (new float[m * n], new float[m * n]);
                var (perBlockFused, onePassFused) = (new float[m * n], new float[m * n]);
                PackedSgemm.OnePassRowBlocks = 0;
                Gemm.Multiply<float>(a, b, perBlock, m, k, n, packedB: packed);
                Gemm.FusedMultiply<float>(a, b, perBlockFused, m, k, n, false, false, epilogue, packed);
                PackedSgemm.OnePassRowBlocks = saved;
                Array.Fill(onePass, float.NaN);
                Gemm.Multiply<float>(a, b, onePass, m, k, n, packedB: packed);
                Gemm.FusedMultiply<float>(a, b, onePassFused, m, k, n, false, false, epilogue, packed);
                Assert.Equal(perBlock, onePass);
                Assert.Equal(perBlockFused, onePassFused);
                // And both are the product: a float64 reference within float32's rounding over k terms.
                var (i, j) = (m - 1, n - 1);
                var exact = 0.0;
                for (var p = 0; p < k; p++) exact += (double)a[i * k + p] * b[p * n + j];
                Assert.Equal(exact, onePass[i * n + j], 1e-5 * k);
            }
        }
        finally
        {
            PackedSgemm.OnePassRowBlocks = saved;
            PackedSgemm.Wide = savedWide;
        }
    }

    [Fact]
    public void PanelsPackedForOneKernelWidthGiveTheSameResultWhenTheOtherIsSelected()
    {
        if (!PackedSgemm.Wide) return; // one width only on this machine
        var (m, k, n) = (70, 300, 90);
        var a = Uniform(m * k, 5);
        var b = Uniform(k * n, 6);
        var packed = PackedMatrix.Pack(b, k, n, false)!;
        var plain = new float[m * n];
        var fromPanels = new float[m * n];
        var saved = PackedSgemm.Wide;
        try
        {
            PackedSgemm.Wide = false;
            Gemm.Multiply<float>(a, b, plain, m, k, n);
            Gemm.Multiply<float>(a, b, fromPanels, m, k, n, packedB: packed);
        }
        finally
        {
            PackedSgemm.Wide = saved;
        }
        Assert.Equal(plain, fromPanels);
    }

    [Theory]
    [InlineData(100, 50, 10)] // few columns: the product swaps its operands and packs b itself
    [InlineData(3, 5, 7)]     // a small product: the row update, no panels
    public void ProductsThatReadNoPanelsUseB(int m, int k, int n)
    {
        var a = Uniform(m * k, 7);
        var b = Uniform(k * n, 8);
        Assert.False(Gemm.ReadsPackedB(m, k, n));
        var packed = PackedMatrix.Pack(b, k, n, false)!;
        var plain = new float[m * n];
        var withPanels = new float[m * n];
        Gemm.Multiply<float>(a, b, plain, m, k, n);
        Gemm.Multiply<float>(a, b, withPanels, m, k, n, packedB: packed);
        Assert.Equal(plain, withPanels);
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyPacked(a, packed, withPanels, m, k, n));
    }

    [Fact]
    public void PanelsOfAnotherShapeAreNotRead()
    {
        var (m, k, n) = (40, 60, 50);
        var a = Uniform(m * k, 9);
        var b = Uniform(k * n, 10);
        var other = PackedMatrix.Pack(Uniform(k * n, 11), n, k, false)!; // k and n swapped
        var plain = new float[m * n];
        var withOther = new float[m * n];
        Gemm.Multiply<float>(a, b, plain, m, k, n);
        Gemm.Multiply<float>(a, b, withOther, m, k, n, packedB: other);
        Assert.Equal(plain, withOther);
    }

    public static readonly TheoryData<string, int, int, int, int, int, int, int, bool> Convolutions = new()
    {
        // path, batch, height, width, channels, kernel, stride, out channels, SAME
        { "im2col", 2, 11, 9, 20, 3, 2, 24, true },
        { "im2col", 1, 6, 6, 64, 3, 1, 64, true },       // 3×3 stride 1 with too few tiles for Winograd
        { "im2col 5x5", 3, 12, 12, 20, 5, 1, 40, false },
        { "pointwise", 2, 7, 7, 64, 1, 1, 48, true },
        { "1x1 stride 2", 1, 14, 14, 64, 1, 2, 128, true },
        { "winograd F4", 1, 28, 28, 16, 3, 1, 32, true },
        { "winograd F4", 3, 13, 17, 24, 3, 1, 40, true },
        { "small channel", 4, 14, 14, 6, 5, 1, 16, false },
        { "small channel", 2, 12, 12, 3, 3, 2, 8, true },
        { "small channel, 32-channel blocks", 1, 23, 23, 3, 7, 2, 64, true }, // ResNet18's first convolution
    };

    [Theory, MemberData(nameof(Convolutions))]
    public void AConvolutionWithAPrepackedFilterIsBitwiseTheUnpackedOne(string path, int batch, int height, int width, int channels, int kernel, int stride,
        int outChannels, bool same)
    {
        var savedWinograd = Winograd.Enabled;
        var savedSmall = SmallChannelConv.Enabled;
        var savedWide = SmallChannelConv.Wide512;
        try
        {
            Winograd.Enabled = true;
            SmallChannelConv.Enabled = true;
            SmallChannelConv.Wide512 = true; // also where the machine lacks AVX-512 (emulated there)
            var g = Window2D.Create(batch, height, width, channels, kernel, kernel, stride, stride, 1, 1, same);
            var winograd = Winograd.Applies<float>(g, outChannels, prepacked: true);
            Assert.Equal(path.StartsWith("winograd", StringComparison.Ordinal), winograd);
            Assert.Equal(path.StartsWith("small", StringComparison.Ordinal), !winograd && SmallChannelConv.AppliesToForward(g, outChannels));
            var x = Uniform(batch * height * width * channels, 12);
            var f = Uniform(kernel * kernel * channels * outChannels, 13);
            var bias = Uniform(outChannels, 14);
            var size = batch * g.OutPositions * outChannels;
            var residual = Uniform(size, 15);
            var prepacked = new PrepackedFilter();
            foreach (var epilogue in new[] { false, true })
            {
                var plain = new float[size];
                var fast = new float[size];
                GemmEpilogue<float> Epilogue() => epilogue ? new GemmEpilogue<float>(bias, residual, FusedActivation.Relu) : default;
                Conv2DKernels.Forward<float>(x, f, plain, g, outChannels, Epilogue());
                for (var call = 0; call < 2; call++)
                {
                    Array.Fill(fast, float.NaN);
                    Conv2DKernels.Forward<float>(x, f, fast, g, outChannels, Epilogue(), prepacked);
                    Assert.Equal(plain, fast);
                }
            }
            Assert.Equal(1, prepacked.Forms); // one form, made on the first call and read by the later ones
            Assert.True(prepacked.Bytes >= f.Length * sizeof(float));
        }
        finally
        {
            Winograd.Enabled = savedWinograd;
            SmallChannelConv.Enabled = savedSmall;
            SmallChannelConv.Wide512 = savedWide;
        }
    }

    [Theory]
    // batch, size, channels, out channels, tile size, largest block (several blocks where small)
    [InlineData(1, 14, 32, 32, 2, 1L << 20)]
    [InlineData(2, 14, 16, 48, 4, 1L << 20)]
    [InlineData(4, 10, 16, 16, 4, 10368)] // blocks of 18 tiles
    [InlineData(1, 7, 64, 64, 2, 1L << 20)]
    public void WinogradWithATransformedFilterIsBitwiseTheUntransformedOne(int batch, int size, int channels, int outChannels, int tileSize, long block)
    {
        var g = Window2D.Create(batch, size, size, channels, 3, 3, 1, 1, 1, 1, same: true);
        var x = Uniform(batch * size * size * channels, 16);
        var f = Uniform(9 * channels * outChannels, 17);
        var plain = new float[batch * g.OutPositions * outChannels];
        var fast = new float[plain.Length];
        var prepacked = new PrepackedFilter();
        Winograd.Forward(x, f, plain, g, outChannels, tileSize, block);
        for (var call = 0; call < 2; call++)
        {
            Array.Fill(fast, float.NaN);
            Winograd.Forward(x, f, fast, g, outChannels, tileSize, block, prepacked);
            Assert.Equal(plain, fast);
        }
        Assert.Equal(1, prepacked.Forms);
        var transformed = Winograd.TransformFilter(f, channels, outChannels, tileSize)!;
        Assert.True(transformed.Fits(tileSize, channels, outChannels));
        Assert.Equal((tileSize + 2) * (tileSize + 2) * channels * outChannels * 4L, transformed.Bytes, (double)transformed.Bytes / 2);
    }

    [Theory]
    // batch, size, channels, kernel, stride, out channels, band limit (elements): a ResNet-like first convolution, stride 1, stride 2
    [InlineData(1, 64, 3, 7, 2, 64, 1L << 16)]
    [InlineData(2, 30, 5, 3, 1, 24, 1L << 13)]
    [InlineData(1, 40, 20, 3, 2, 32, 1L << 15)]
    public void AnImageConvolvedInBandsOfOutputRowsGivesTheWholeImagesResult(int batch, int size, int channels, int kernel, int stride, int outChannels, long band)
    {
        var savedBand = Conv2DKernels.MaxBandElements;
        var savedSmall = SmallChannelConv.Enabled;
        var savedImplicit = Conv2DKernels.ImplicitGemm;
        try
        {
            // Bands are how im2col's path keeps its patch matrix in the cache; the implicit GEMM never makes it whole.
            (SmallChannelConv.Enabled, Conv2DKernels.ImplicitGemm) = (false, false);
            var g = Window2D.Create(batch, size, size, channels, kernel, kernel, stride, stride, 1, 1, same: true);
            var savedLimit = Conv2DKernels.MaxBandElements;
            Conv2DKernels.MaxBandElements = band;
            Assert.InRange(Conv2DKernels.RowsPerBand(g, outChannels), 1, g.OutHeight - 1);
            Conv2DKernels.MaxBandElements = savedLimit;
            var x = Uniform(batch * size * size * channels, 20);
            var f = Uniform(kernel * kernel * channels * outChannels, 21);
            var bias = Uniform(outChannels, 22);
            var residual = Uniform(batch * g.OutPositions * outChannels, 23);
            var whole = new float[residual.Length];
            var banded = new float[residual.Length];
            foreach (var prepacked in new[] { null, new PrepackedFilter() })
            {
                Conv2DKernels.MaxBandElements = long.MaxValue;
                Conv2DKernels.Forward<float>(x, f, whole, g, outChannels, new GemmEpilogue<float>(bias, residual, FusedActivation.Relu), prepacked);
                Conv2DKernels.MaxBandElements = band;
                Conv2DKernels.Forward<float>(x, f, banded, g, outChannels, new GemmEpilogue<float>(bias, residual, FusedActivation.Relu), prepacked);
                Assert.Equal(whole, banded);
            }
            // And both against a float64 loop.
            var k = g.PatchSize;
            for (var n = 0; n < batch; n++)
                for (var oh = 0; oh < g.OutHeight; oh++)
                    for (var ow = 0; ow < g.OutWidth; ow++)
                        for (var o = 0; o < outChannels; o += 7)
                        {
                            double sum = 0;
                            for (var kh = 0; kh < kernel; kh++)
                                for (var kw = 0; kw < kernel; kw++)
                                {
                                    var (h, w) = (oh * stride - g.PadTop + kh, ow * stride - g.PadLeft + kw);
                                    if (h < 0 || h >= size || w < 0 || w >= size) continue;
                                    for (var c = 0; c < channels; c++)
                                        sum += (double)x[((n * size + h) * size + w) * channels + c] * f[((kh * kernel + kw) * channels + c) * outChannels + o];
                                }
                            var i = ((n * g.OutHeight + oh) * g.OutWidth + ow) * outChannels + o;
                            var expected = Math.Max(0, sum + bias[o] + residual[i]);
                            Assert.True(Math.Abs(banded[i] - expected) <= 1e-5 * (1 + k), $"output {i}: {banded[i]} against {expected}");
                        }
        }
        finally
        {
            Conv2DKernels.MaxBandElements = savedBand;
            SmallChannelConv.Enabled = savedSmall;
            Conv2DKernels.ImplicitGemm = savedImplicit;
        }
    }

    [Fact]
    public void BothTileSizesKeepTheirOwnTransformedFilter()
    {
        var (c, k) = (16, 16);
        var f = Uniform(9 * c * k, 18);
        var prepacked = new PrepackedFilter();
        foreach (var (tile, size) in new[] { (4, 28), (2, 28), (4, 20) })
        {
            var g = Window2D.Create(1, size, size, c, 3, 3, 1, 1, 1, 1, same: true);
            var x = Uniform(size * size * c, 19 + tile);
            var plain = new float[g.OutPositions * k];
            var fast = new float[plain.Length];
            Winograd.Forward(x, f, plain, g, k, tile);
            Winograd.Forward(x, f, fast, g, k, tile, prepacked: prepacked);
            Assert.Equal(plain, fast);
        }
        Assert.Equal(2, prepacked.Forms);
    }
}
