using System.Numerics;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// The GEMM epilogue act((C + bias) + residual) against the product followed by the separate BiasAdd, Add and
/// activation computations, bit for bit, on shapes that take the packed float32 kernel (tiles at the edges, several
/// k blocks, column-split and few-column products) and on the small and float64 paths; NaN and infinities included.
/// </summary>
public class GemmEpilogueTests
{
    public static readonly TheoryData<int, int, int, bool, bool> Shapes = new()
    {
        { 3, 5, 4, false, false },      // small: the row update, then the epilogue
        { 145, 600, 70, false, false }, // packed: edge tiles, three k blocks, several row blocks
        { 145, 600, 70, true, true },
        { 7, 513, 33, true, false },
        { 64, 300, 1024, false, true }, // few rows: split by columns
        { 500, 25, 6, false, false },   // few columns: the transposed product
        { 40, 0, 9, false, false },     // k = 0: the bias alone
    };

    public static readonly FusedActivation[] AllActivations =
        [FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.Elu, FusedActivation.Tanh, FusedActivation.Sigmoid];

    private static T[] Random<T>(Random rng, int count, double scale) where T : INumber<T> =>
        [.. Enumerable.Range(0, count).Select(_ => T.CreateTruncating((rng.NextDouble() * 2 - 1) * scale))];

    /// <summary>The unfused computation: the product, BiasAdd's add, Add's add, the in-block activation's kernel.</summary>
    private static T[] Unfused<T>(T[] a, T[] b, T[]? bias, T[]? residual, int m, int k, int n, bool ta, bool tb, FusedActivation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new T[m * n];
        Gemm.Multiply<T>(a, b, c, m, k, n, ta, tb);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                if (bias is not null) c[i * n + j] += bias[j];
                if (residual is not null) c[i * n + j] += residual[i * n + j];
            }
        switch (activation)
        {
            case FusedActivation.Relu: ReluOperator.Invoke<T>(c, c); break;
            case FusedActivation.Relu6: Relu6Operator.Invoke<T>(c, c); break;
            case FusedActivation.Elu: EluOperator.Invoke<T>(c, c); break;
        }
        return c;
    }

    private static (T[] A, T[] B, T[] Bias, T[] Residual) Operands<T>(int m, int k, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(m * 7919 + k * 31 + n);
        var a = Random<T>(rng, m * k, 1);
        var b = Random<T>(rng, k * n, 1);
        var bias = Random<T>(rng, n, 3);
        var residual = Random<T>(rng, m * n, 3);
        // Special values: a NaN bias column, infinities that meet (NaN) or pass through, exact cancellations to zero.
        bias[0] = T.NaN;
        if (n > 2) bias[2] = T.PositiveInfinity;
        for (var i = 0; i < m; i++)
        {
            if (n > 2 && i % 3 == 0) residual[i * n + 2] = T.NegativeInfinity;
            if (n > 3 && i % 4 == 1) residual[i * n + 3] = T.NegativeInfinity;
            if (n > 5 && i % 5 == 2) residual[i * n + 5] = -bias[5];
        }
        return (a, b, bias, residual);
    }

    private static void AssertBitwise<T>(T[] expected, T[] actual, string what) where T : unmanaged
    {
        var e = System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected.AsSpan());
        var g = System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual.AsSpan());
        if (e.SequenceEqual(g)) return;
        for (var i = 0; i < expected.Length; i++)
            Assert.True(EqualityComparer<T>.Default.Equals(expected[i], actual[i]) && e.Slice(i * g.Length / expected.Length, g.Length / expected.Length).SequenceEqual(g.Slice(i * g.Length / expected.Length, g.Length / expected.Length)),
                $"{what}: element {i} is {actual[i]}, unfused {expected[i]}");
    }

    private static void Check<T>(int m, int k, int n, bool ta, bool tb) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, b, bias, residual) = Operands<T>(m, k, n);
        foreach (var activation in AllActivations)
            foreach (var (withBias, withResidual) in new[] { (true, false), (true, true), (false, true), (false, false) })
            {
                var expected = Unfused(a, b, withBias ? bias : null, withResidual ? residual : null, m, k, n, ta, tb,
                    BiasActivation.AppliesInBlocks(activation) ? activation : FusedActivation.None);
                var fused = new T[m * n];
                Array.Fill(fused, T.CreateTruncating(12345)); // the product must overwrite whatever was there
                Gemm.FusedMultiply<T>(a, b, fused, m, k, n, ta, tb, new GemmEpilogue<T>(withBias ? bias : default, withResidual ? residual : default, activation));
                AssertBitwise(expected, fused, $"{typeof(T).Name} {m}x{k}x{n} {activation} bias={withBias} residual={withResidual}");
            }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Float32IsBitwiseTheUnfusedOps(int m, int k, int n, bool ta, bool tb) => Check<float>(m, k, n, ta, tb);

    /// <summary>The same check on the AVX micro-kernel (6×16 tiles); run by <see cref="ConvolutionEpilogueTests"/>, which may change the kernel.</summary>
    internal static void CheckFloat32(int m, int k, int n, bool ta, bool tb) => Check<float>(m, k, n, ta, tb);

    [Theory, MemberData(nameof(Shapes))]
    public void Float64IsBitwiseTheUnfusedOps(int m, int k, int n, bool ta, bool tb) => Check<double>(m, k, n, ta, tb);

    [Fact]
    public void TheBlockPassMatchesTheTilePass()
    {
        // The epilogue after a product (small products, float64, other kernels) and the packed kernel's per-tile one agree.
        var (_, _, bias, residual) = Operands<float>(37, 1, 45);
        var rng = new Random(3);
        var y = Random<float>(rng, 37 * 45, 4);
        foreach (var activation in AllActivations.Where(BiasActivation.AppliesInBlocks))
        {
            var block = (float[])y.Clone();
            BiasActivation.Apply<float>(block, 45, new GemmEpilogue<float>(bias, residual, activation));
            var tile = (float[])y.Clone();
            BiasActivation.Tile(tile, 45, bias, residual, 37, 45, activation);
            AssertBitwise(block, tile, activation.ToString());
        }
    }

    [Fact]
    public void IntegerProductsRefuseAnEpilogue()
    {
        var c = new int[4];
        Assert.Throws<NotSupportedException>(() => Gemm.FusedMultiply<int>([1, 2, 3, 4], [5, 6, 7, 8], c, 2, 2, 2, false, false,
            new GemmEpilogue<int>([1, 2], default, FusedActivation.None)));
    }

    [Fact]
    public void AWrongBiasLengthIsRefused()
    {
        var (a, b, _, _) = Operands<float>(145, 600, 70);
        var c = new float[145 * 70];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.FusedMultiply<float>(a, b, c, 145, 600, 70, false, false,
            new GemmEpilogue<float>(new float[69], default, FusedActivation.Relu)));
        Assert.Contains("69 biases", ex.Message);
    }

    /// <summary>
    /// The direct convolutions (one input channel; a few, as in a stem) refuse a bias of the wrong length and a
    /// residual shorter than the output before they write anything.
    /// </summary>
    [Fact]
    public void TheDirectConvolutionsRefuseAWrongEpilogueAndWriteNothing()
    {
        var one = Window2D.Create(1, 9, 8, 1, 3, 3, 1, 1, 1, 1, same: true);
        var stem = Window2D.Create(1, 11, 12, 3, 7, 7, 2, 2, 1, 1, same: true);
        Assert.True(SingleChannelConv.Applies(one));
        Assert.True(SmallChannelConv.AppliesToForward(stem, 20));
        foreach (var (g, channels, run) in new (Window2D, int, Action<float[], float[], float[], GemmEpilogue<float>>)[]
        {
            (one, 5, (x, f, y, e) => SingleChannelConv.Forward(x, f, y, one, 5, e)),
            (stem, 20, (x, f, y, e) => SmallChannelConv.Forward(x, f, y, stem, 20, epilogue: e)),
        })
        {
            var x = new float[g.InImageSize];
            var f = new float[g.PatchSize * channels];
            var y = Enumerable.Repeat(7f, g.OutPositions * channels).ToArray();
            var bias = Assert.Throws<ArgumentException>(() => run(x, f, y, new GemmEpilogue<float>(new float[channels - 1], default, FusedActivation.Relu)));
            Assert.Equal($"epilogue: {channels - 1} biases for rows of {channels}", bias.Message);
            var residual = Assert.Throws<ArgumentException>(() => run(x, f, y, new GemmEpilogue<float>(default, new float[y.Length - 1], FusedActivation.None)));
            Assert.Equal($"epilogue: a residual of {y.Length - 1} elements for {y.Length}", residual.Message);
            Assert.All(y, v => Assert.Equal(7f, v));
        }
    }
}

/// <summary>
/// The epilogue through the convolution (each chunk's product applies it to its rows) and on the AVX micro-kernel:
/// tests that change process-wide kernel settings.
/// </summary>
[Collection("kernel settings")]
public class ConvolutionEpilogueTests
{
    [Theory]
    [InlineData(145, 600, 70, false, false)]
    [InlineData(13, 300, 17, true, true)]
    [InlineData(64, 300, 1024, false, true)]
    public void TheAvxKernelsEpilogueIsBitwiseTheUnfusedOps(int m, int k, int n, bool ta, bool tb)
    {
        var saved = PackedSgemm.Wide;
        try
        {
            PackedSgemm.Wide = false;
            GemmEpilogueTests.CheckFloat32(m, k, n, ta, tb);
        }
        finally
        {
            PackedSgemm.Wide = saved;
        }
    }

    [Theory]
    [InlineData(3, 9, 9, 5, 3, 3, 16, 1, 1L << 20)]   // im2col, one chunk
    [InlineData(3, 9, 9, 5, 3, 3, 16, 2, 1)]          // one image per chunk
    [InlineData(4, 8, 8, 40, 1, 1, 24, 1, 1L << 20)]  // pointwise: the input is the patch matrix
    [InlineData(2, 12, 12, 1, 5, 5, 6, 1, 1L << 20)]  // one channel: the direct kernel, then the epilogue
    public void TheFusedConvolutionIsBitwiseTheUnfusedOps(int batch, int h, int w, int cin, int kh, int kw, int cout, int stride, long maxPatch)
    {
        var rng = new Random(batch + h + cin + cout);
        var x = Enumerable.Range(0, batch * h * w * cin).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var f = Enumerable.Range(0, kh * kw * cin * cout).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var g = Window2D.Create(batch, h, w, cin, kh, kw, stride, stride, 1, 1, true);
        var outputs = batch * g.OutPositions * cout;
        var bias = Enumerable.Range(0, cout).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var residual = Enumerable.Range(0, outputs).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var saved = Conv2DKernels.MaxPatchElements;
        try
        {
            Conv2DKernels.MaxPatchElements = maxPatch;
            foreach (var activation in new[] { FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6, FusedActivation.Elu })
            {
                var expected = new float[outputs];
                Conv2DKernels.Forward<float>(x, f, expected, g, cout);
                for (var i = 0; i < outputs; i++) expected[i] = expected[i] + bias[i % cout] + residual[i];
                switch (activation)
                {
                    case FusedActivation.Relu: ReluOperator.Invoke<float>(expected, expected); break;
                    case FusedActivation.Relu6: Relu6Operator.Invoke<float>(expected, expected); break;
                    case FusedActivation.Elu: EluOperator.Invoke<float>(expected, expected); break;
                }
                var fused = new float[outputs];
                Conv2DKernels.Forward<float>(x, f, fused, g, cout, new GemmEpilogue<float>(bias, residual, activation));
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
            }
        }
        finally
        {
            Conv2DKernels.MaxPatchElements = saved;
        }
    }
}
