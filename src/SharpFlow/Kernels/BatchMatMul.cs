using System.Numerics;

namespace SharpFlow.Kernels;

/// <summary>
/// Batched matrix products with NumPy broadcasting of the batch dimensions (TensorFlow's BatchMatMulV2): each
/// output matrix is one <see cref="Gemm.Multiply{T}"/> of the two input matrices its batch index selects.
/// </summary>
public static class BatchMatMul
{
    /// <summary>
    /// <paramref name="c"/>[batch…, m, n] = op(<paramref name="a"/>) · op(<paramref name="b"/>), where the batch
    /// dimensions of <paramref name="aShape"/> and <paramref name="bShape"/> (all but their last two) broadcast to
    /// <paramref name="batch"/>.
    /// </summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<int> aShape, ReadOnlySpan<T> b, ReadOnlySpan<int> bShape,
        Span<T> c, ReadOnlySpan<int> batch, int m, int k, int n, bool adjX, bool adjY) where T : unmanaged, INumber<T>
    {
        var aStrides = BatchStrides(aShape, batch, m * k);
        var bStrides = BatchStrides(bShape, batch, k * n);
        var count = 1;
        foreach (var d in batch) count *= d;
        var index = new int[batch.Length];
        for (var i = 0; i < count; i++)
        {
            long aOffset = 0, bOffset = 0;
            for (var d = 0; d < batch.Length; d++)
            {
                aOffset += (long)index[d] * aStrides[d];
                bOffset += (long)index[d] * bStrides[d];
            }
            Gemm.Multiply(a.Slice((int)aOffset, m * k), b.Slice((int)bOffset, k * n), c.Slice(i * m * n, m * n), m, k, n, adjX, adjY);
            for (var d = batch.Length - 1; d >= 0; d--)
            {
                if (++index[d] < batch[d]) break;
                index[d] = 0;
            }
        }
    }

    /// <summary>The element stride of each output batch dimension in an input (0 where the input broadcasts).</summary>
    private static long[] BatchStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> batch, int matrix)
    {
        var strides = new long[batch.Length];
        var inputBatch = shape.Length - 2;
        long stride = matrix;
        for (var d = batch.Length - 1; d >= 0; d--)
        {
            var id = d - (batch.Length - inputBatch);
            if (id < 0) continue;
            strides[d] = shape[id] == 1 ? 0 : stride;
            stride *= shape[id];
        }
        return strides;
    }
}
