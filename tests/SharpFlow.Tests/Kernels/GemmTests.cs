using SharpFlow.Kernels;

namespace SharpFlow.Tests.Kernels;

/// <summary>Matrix multiplication against the triple loop in double precision, including skinny shapes and the parallel path.</summary>
public class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(3, 5, 4, false, false)]
    [InlineData(3, 5, 4, true, false)]
    [InlineData(3, 5, 4, false, true)]
    [InlineData(3, 5, 4, true, true)]
    [InlineData(64, 400, 120, false, false)]
    [InlineData(200, 30, 300, false, false)] // large enough to take the parallel path
    [InlineData(17, 0, 5, false, false)]
    [InlineData(1, 257, 33, false, true)]
    // The packed float32 kernel: edges of its 6-row and 16/32-column tiles, several 256-deep k blocks, 72-row tasks.
    [InlineData(145, 600, 70, false, false)]
    [InlineData(145, 600, 70, true, false)]
    [InlineData(145, 600, 70, false, true)]
    [InlineData(145, 600, 70, true, true)]
    [InlineData(7, 513, 33, true, true)]
    [InlineData(500, 25, 6, false, false)] // LeNet's first convolution: few columns
    [InlineData(64, 300, 1024, false, false)] // few rows, many columns: split by columns
    public void MatchesTripleLoop(int m, int k, int n, bool ta, bool tb)
    {
        var rng = new Random(m * 1000 + k * 10 + n);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var c = new float[m * n];
        Gemm.Multiply<float>(a, b, c, m, k, n, ta, tb);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                    sum += (double)a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
                Assert.True(Math.Abs(sum - c[i * n + j]) <= 1e-5 * Math.Max(1, Math.Sqrt(k)), $"C[{i},{j}] = {c[i * n + j]}, expected {sum}");
            }
    }

    [Fact]
    public void NaNAndInfinityPropagate()
    {
        var c = new double[1];
        Gemm.Multiply<double>([0.0], [double.NaN], c, 1, 1, 1);
        Assert.True(double.IsNaN(c[0]));
    }

    /// <summary>
    /// Products that underflow sum to -0 in the registers; the packed kernel stores its first k block as +0 + sum (the
    /// addition a cleared C received), so C holds +0 as before, whatever C held, on both kernel widths and with
    /// several k blocks, full and partial tiles.
    /// </summary>
    [Theory]
    [InlineData(12, 16, 64)]
    [InlineData(13, 300, 37)]
    public void ASumOfUnderflowedProductsIsPositiveZero(int m, int k, int n)
    {
        var a = Enumerable.Repeat(-1e-30f, m * k).ToArray();
        var b = Enumerable.Repeat(1e-30f, k * n).ToArray();
        var wide = SharpFlow.Kernels.PackedSgemm.Wide;
        try
        {
            foreach (var width in wide ? new[] { true, false } : new[] { false })
            {
                SharpFlow.Kernels.PackedSgemm.Wide = width;
                var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                Gemm.Multiply<float>(a, b, c, m, k, n);
                Assert.All(c, v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
            }
        }
        finally
        {
            SharpFlow.Kernels.PackedSgemm.Wide = wide;
        }
    }

    [Fact]
    public void IntegerMatricesAreExact()
    {
        var c = new long[4];
        Gemm.Multiply<long>([1, 2, 3, 4], [5, 6, 7, 8], c, 2, 2, 2);
        Assert.Equal(new long[] { 19, 22, 43, 50 }, c);
    }

    [Fact]
    public void RepeatedRunsAreBitwiseEqual()
    {
        // Every element sums over k in one fixed order, whichever thread computes it, so runs that schedule the
        // parallel tiles differently agree bit for bit.
        var rng = new Random(7);
        int m = 300, k = 700, n = 90;
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var parallel = new float[m * n];
        Gemm.Multiply<float>(a, b, parallel, m, k, n);
        for (var run = 0; run < 5; run++)
        {
            var again = new float[m * n];
            Gemm.Multiply<float>(a, b, again, m, k, n);
            Assert.Equal(parallel, again);
        }
    }
}

/// <summary>
/// Tests that change process-wide kernel settings (the GEMM micro-kernel, the im2col chunk size); xUnit runs this
/// collection alone, after the parallel ones, so no other test sees the changed setting.
/// </summary>
[CollectionDefinition("kernel settings", DisableParallelization = true)]
public sealed class KernelSettingsGroup;

[Collection("kernel settings")]
public class GemmAvxKernelTests
{
    [Theory]
    [InlineData(145, 600, 70, false, false)]
    [InlineData(145, 600, 70, true, true)]
    [InlineData(13, 300, 17, false, true)]
    [InlineData(64, 300, 1024, true, false)]
    public void TheAvxKernelMatchesTheAvx512Kernel(int m, int k, int n, bool ta, bool tb)
    {
        var rng = new Random(m + k + n);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var wide = new float[m * n];
        var narrow = new float[m * n];
        Gemm.Multiply<float>(a, b, wide, m, k, n, ta, tb);
        var saved = PackedSgemm.Wide;
        try
        {
            PackedSgemm.Wide = false;
            Gemm.Multiply<float>(a, b, narrow, m, k, n, ta, tb);
        }
        finally
        {
            PackedSgemm.Wide = saved;
        }
        // Both kernels sum over k in the same order with fused multiply-adds: the results agree bit for bit.
        Assert.Equal(wide, narrow);
    }
}
