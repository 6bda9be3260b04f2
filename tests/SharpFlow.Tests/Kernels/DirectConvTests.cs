using static SharpFlow.Tests.Support.KernelData;
using System.Runtime.Intrinsics;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// The direct AVX-512 convolution (<see cref="DirectConv"/>) against the float64 convolution (im2col and the product in
/// double) on the shapes it takes: Inception-v3's 1×7, 7×1, 5×5 and stride-2 layers and ResNet18's first stride-2 layer
/// (with fewer channels), a partial last block of columns, a partial last group of channels, pairs of groups and a
/// group alone (bitwise what each group alone gives), batches; with the fused
/// ops' epilogue; through <see cref="Conv2DKernels"/> with its filter prepacked, the same bits; and the float32 product
/// path within float32 rounding. Turning the kernel off changes a process-wide setting.
/// </summary>
[Collection("kernel settings")]
public class DirectConvTests
{
    public static TheoryData<string, int, int, int, int, int, int, int, int, int> Cases() => new()
    {
        // name, batch, height, width, channels, out channels, kernel height, kernel width, stride, padding (-1: SAME, else explicit)
        { "1x7 SAME, 17 columns (blocks of 6, 6, 5), a partial channel group, batch 4", 4, 17, 17, 128, 48, 1, 7, 1, -1 },
        { "7x1 SAME, batch 4", 4, 17, 17, 112, 64, 7, 1, 1, -1 },
        { "5x5 SAME (Inception-v3's, fewer output channels)", 1, 35, 35, 48, 32, 5, 5, 1, -1 },
        { "3x3 stride 2 VALID, 17 columns, batch 4", 4, 35, 35, 96, 40, 3, 3, 2, 0 },
        { "1x7 of the longest rows taken (2,044), batch 4", 4, 17, 17, 292, 32, 1, 7, 1, -1 },
        { "3x3 stride 2, pads of 1, 28 columns, batch 2", 2, 56, 56, 96, 32, 3, 3, 2, 1 },
        { "2x4 SAME, an even window, batch 5", 5, 9, 24, 97, 33, 2, 4, 1, -1 },
        { "3x3 stride 2 VALID past the blocks' reads (37 of 38 rows and columns), batch 4", 4, 38, 38, 96, 32, 3, 3, 2, 0 },
        { "5x5 SAME, 96 output channels: a pair of groups and one alone", 1, 35, 35, 48, 96, 5, 5, 1, -1 },
        { "7x1 SAME, 72 output channels: a pair and a partial group of 8, batch 4", 4, 17, 17, 112, 72, 7, 1, 1, -1 },
        { "1x7 SAME, 160 output channels: two pairs and one alone, batch 4", 4, 17, 17, 128, 160, 1, 7, 1, -1 },
    };

    private static Window2D Geometry(int n, int h, int w, int c, int kh, int kw, int s, int pad) =>
        pad < 0 ? Window2D.Create(n, h, w, c, kh, kw, s, s, 1, 1, true) : Window2D.CreateExplicit(n, h, w, c, kh, kw, s, s, 1, 1, pad, pad, pad, pad);

    [SkippableTheory, MemberData(nameof(Cases))]
    public void MatchesTheFloat64ConvolutionWithAndWithoutItsEpilogue(string name, int n, int h, int w, int c, int k, int kh, int kw, int s, int pad)
    {
        Skip.IfNot(Vector512.IsHardwareAccelerated, "the direct kernel needs AVX-512 (elsewhere the product paths run, tested on their own)");
        var g = Geometry(n, h, w, c, kh, kw, s, pad);
        Assert.True(DirectConv.Applies(g, k), name);
        var x = Uniform(n * h * w * c, h * 7 + c);
        var f = Uniform(kh * kw * c * k, w * 5 + k);
        var bias = Uniform(k, k + 3);
        var outLength = n * g.OutPositions * k;
        var residual = Uniform(outLength, outLength % 97);
        var expected = new double[outLength];
        Conv2DKernels.Forward<double>(x.Select(v => (double)v).ToArray(), f.Select(v => (double)v).ToArray(), expected, g, k);
        var scale = Math.Max(1, expected.Max(Math.Abs));

        var y = new float[outLength];
        Array.Fill(y, float.NaN); // every output must be written
        DirectConv.Forward(x, f, y, g, k);
        Assert.DoesNotContain(y, float.IsNaN);
        var error = y.Select((v, i) => Math.Abs(v - expected[i])).Max() / scale;
        Assert.True(error < 1e-5, $"{name}: error {error:E2}");

        // Two groups at once in 24 registers or each alone: the same chains of multiply-adds, the same bits.
        var pairs = DirectConv.Pairs64;
        try
        {
            DirectConv.Pairs64 = !pairs;
            var other = new float[outLength];
            DirectConv.Forward(x, f, other, g, k);
            Assert.Equal(y, other);
        }
        finally
        {
            DirectConv.Pairs64 = pairs;
        }

        // act((y + bias) + residual), ReLU, against the float64 sums with the same epilogue.
        var fused = new float[outLength];
        DirectConv.Forward(x, f, fused, g, k, epilogue: new GemmEpilogue<float>(bias, residual, FusedActivation.Relu));
        for (var i = 0; i < outLength; i++)
        {
            var want = Math.Max(0, expected[i] + bias[i % k] + residual[i]);
            Assert.True(Math.Abs(fused[i] - want) < 1e-5 * scale, $"{name}: fused output {i}: {fused[i]} against {want}");
            // The same float operations as the sums followed by BiasAdd, Add and Relu: bitwise.
            Assert.Equal(Math.Max(0f, (y[i] + bias[i % k]) + residual[i]), fused[i]);
        }

        // Through the convolution, its filter prepacked (the layout made once, used twice): the same bits. (With the
        // one-dimensional Winograd off, which would take the 1×7 and 7×1 layers with a prepacked filter.)
        var prepacked = new PrepackedFilter();
        var line = WinogradLine.Enabled;
        try
        {
            WinogradLine.Enabled = false;
            for (var call = 0; call < 2; call++)
            {
                var through = new float[outLength];
                Conv2DKernels.Forward<float>(x, f, through, g, k, prepacked: prepacked);
                Assert.Equal(y, through);
            }
        }
        finally
        {
            WinogradLine.Enabled = line;
        }
        Assert.Equal(1, prepacked.Forms);

        // The product paths, the kernel off: the same convolution within float32 rounding.
        DirectConv.Enabled = false;
        try
        {
            var product = new float[outLength];
            Conv2DKernels.Forward<float>(x, f, product, g, k);
            var gap = product.Select((v, i) => Math.Abs(v - y[i])).Max() / scale;
            Assert.True(gap < 1e-5, $"{name}: the product path differs by {gap:E2}");
        }
        finally
        {
            DirectConv.Enabled = true;
        }
    }

    [Fact]
    public void TakesOnlyWhatItIsFor()
    {
        var saved = DirectConv.Enabled;
        try
        {
            DirectConv.Enabled = true;
            var wide = Vector512.IsHardwareAccelerated;
            Assert.Equal(wide, DirectConv.Applies(Window2D.Create(1, 35, 35, 48, 5, 5, 1, 1, 1, 1, true), 64));    // Inception's 5×5
            Assert.False(DirectConv.Applies(Window2D.Create(1, 17, 17, 192, 1, 7, 1, 1, 1, 1, true), 192));        // its 1×7: 289 positions
            Assert.Equal(wide, DirectConv.Applies(Window2D.Create(4, 17, 17, 192, 1, 7, 1, 1, 1, 1, true), 192));  // at batch 4: 1,156
            Assert.False(DirectConv.Applies(Window2D.Create(1, 28, 28, 128, 3, 3, 2, 2, 1, 1, true), 256));        // 14 columns: blocks of 18
            Assert.False(DirectConv.Applies(Window2D.Create(1, 56, 56, 64, 3, 3, 2, 2, 1, 1, true), 128));         // rows of 576: a product
            Assert.False(DirectConv.Applies(Window2D.Create(1, 35, 35, 288, 3, 3, 2, 2, 1, 1, false), 384));       // rows of 2,592: a product
            Assert.False(DirectConv.Applies(Window2D.Create(256, 35, 35, 48, 5, 5, 1, 1, 1, 1, true), 64));        // a padded batch past 64 MiB
            Assert.Equal(wide, DirectConv.Applies(Window2D.Create(64, 35, 35, 48, 5, 5, 1, 1, 1, 1, true), 64));
            Assert.False(DirectConv.Applies(Window2D.Create(1, 8, 8, 384, 1, 3, 1, 1, 1, 1, true), 384));          // 8 columns
            Assert.False(DirectConv.Applies(Window2D.Create(1, 17, 17, 8, 3, 3, 1, 1, 1, 1, true), 64));           // 8 input channels
            Assert.False(DirectConv.Applies(Window2D.Create(1, 17, 17, 64, 3, 3, 1, 1, 1, 1, true), 16));          // 16 output channels
            Assert.False(DirectConv.Applies(Window2D.Create(1, 17, 17, 64, 1, 1, 1, 1, 1, 1, true), 64));          // 1×1: a product
            Assert.False(DirectConv.Applies(Window2D.Create(1, 17, 17, 64, 3, 3, 1, 1, 2, 2, true), 64));          // dilated
            DirectConv.Enabled = false;
            Assert.False(DirectConv.Applies(Window2D.Create(1, 35, 35, 48, 5, 5, 1, 1, 1, 1, true), 64));
        }
        finally
        {
            DirectConv.Enabled = saved;
        }
    }

    [Fact]
    public void ShortOperandsAreRefusedBeforeAnythingIsWritten()
    {
        var g = Window2D.Create(1, 17, 17, 128, 1, 7, 1, 1, 1, 1, true);
        var output = new float[17 * 17 * 32 - 1];
        Array.Fill(output, 7f);
        Assert.Throws<ArgumentException>(() => DirectConv.Forward(new float[17 * 17 * 128], new float[7 * 128 * 32], output, g, 32));
        Assert.Throws<ArgumentException>(() => DirectConv.Forward(new float[17 * 17 * 128], new float[7 * 128 * 32], new float[17 * 17 * 32], g, 32,
            epilogue: new GemmEpilogue<float>(new float[31], default, FusedActivation.None)));
        Assert.All(output, v => Assert.Equal(7f, v));
    }

    [Fact]
    public void APaddedBatchPastTheCapIsRefusedNamingIt()
    {
        // 256 images of 35×35×48 padded to 39×40: 19.2 million floats, past the 2^24 that Applies keeps it to.
        var g = Window2D.Create(256, 35, 35, 48, 5, 5, 1, 1, 1, 1, true);
        var e = Assert.Throws<ArgumentException>(() => DirectConv.Forward(new float[256 * 35 * 35 * 48], new float[25 * 48 * 64],
            new float[256 * 35 * 35 * 64], g, 64));
        Assert.Contains("DirectConv: a padded input of 19169280 floats", e.Message);
    }
}
