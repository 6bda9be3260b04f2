using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>
/// Matrix multiplication <c>C = op(A) · op(B)</c> on row-major spans. float32 products go to the packed,
/// register-blocked <see cref="PackedSgemm"/>; other types (and tiny products) use a vectorized row update
/// <c>C[i,:] += A[i,k] * B[k,:]</c>. Either way each element of C sums over k in a fixed order, so the result does
/// not depend on how the work is split across threads.
/// </summary>
public static class Gemm
{
    private const long ParallelThreshold = 1L << 18; // multiply-adds below which threads cost more than they save
    private const long SmallProduct = 1L << 12; // multiply-adds below which packing costs more than it saves

    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> s) where TFrom : unmanaged where TTo : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(s);

    /// <summary>
    /// <paramref name="c"/>[m×n] = op(<paramref name="a"/>) · op(<paramref name="b"/>), where op transposes when asked;
    /// <paramref name="a"/> is stored m×k (k×m when transposed) and <paramref name="b"/> k×n (n×k when transposed).
    /// <paramref name="packedB"/>, when given, is <paramref name="b"/> packed once (<see cref="PackedMatrix.Pack"/>):
    /// a float32 product on the packed kernel reads it instead of packing b again, with the same result bit for bit;
    /// every other product uses <paramref name="b"/>.
    /// </summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, PackedMatrix? packedB = null) where T : unmanaged, INumber<T>
    {
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException("Gemm: a buffer is smaller than its dimensions say.");
        if (UsesPackedKernel<T>(m, k, n))
        {
            PackedSgemm.Multiply(Cast<T, float>(a), Cast<T, float>(b), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), m, k, n, transposeA, transposeB,
                default, packedB);
            return;
        }
        if (transposeA) a = Transposed(a, k, m);
        if (transposeB) b = Transposed(b, n, k);
        c[..(m * n)].Clear();
        if (m == 0 || n == 0 || k == 0) return;

        var work = (long)m * n * k;
        if (work < ParallelThreshold || m == 1 || WorkerPool.Threads == 1)
        {
            Rows(a, b, c, 0, m, k, n);
            return;
        }
        MultiplyRowsInParallel(a, b, c, m, k, n);
    }

    /// <summary>
    /// <paramref name="c"/>[m×n] = act((op(<paramref name="a"/>) · op(<paramref name="b"/>) + bias) + residual), the
    /// <paramref name="epilogue"/> applied as the separate BiasAdd, Add and activation kernels would (bitwise the
    /// same): float32 products on the packed kernel apply it to each tile as soon as its sum is complete, while the
    /// tile is in cache, so the result is written once; other products apply it after, block by block. float32 and
    /// float64 only.
    /// </summary>
    public static void FusedMultiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n,
        bool transposeA, bool transposeB, GemmEpilogue<T> epilogue, PackedMatrix? packedB = null) where T : unmanaged, INumber<T>
    {
        if (epilogue.IsEmpty)
        {
            Multiply(a, b, c, m, k, n, transposeA, transposeB, packedB);
            return;
        }
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Gemm: an epilogue needs float32 or float64, not {typeof(T).Name}.");
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException("Gemm: a buffer is smaller than its dimensions say.");
        if (UsesPackedKernel<T>(m, k, n))
        {
            PackedSgemm.Multiply(Cast<T, float>(a), Cast<T, float>(b), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), m, k, n,
                transposeA, transposeB, epilogue.As<float>(), packedB);
            return;
        }
        Multiply(a, b, c, m, k, n, transposeA, transposeB);
        ApplyEpilogue(c[..(m * n)], n, epilogue);
    }

    /// <summary>
    /// The <paramref name="epilogue"/> in place on a finished product <paramref name="c"/> of rows
    /// <paramref name="n"/> wide (float32 or float64), for kernels that compute their result another way.
    /// </summary>
    public static void ApplyEpilogue<T>(Span<T> c, int n, GemmEpilogue<T> epilogue) where T : unmanaged
    {
        if (epilogue.IsEmpty) return;
        if (typeof(T) == typeof(float)) BiasActivation.Apply(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), n, epilogue.As<float>());
        else if (typeof(T) == typeof(double)) BiasActivation.Apply(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(c), n, epilogue.As<double>());
        else throw new NotSupportedException($"Gemm: an epilogue needs float32 or float64, not {typeof(T).Name}.");
    }

    /// <summary>Whether an m×k·k×n product of <typeparamref name="T"/> runs on the packed float32 kernel.</summary>
    private static bool UsesPackedKernel<T>(int m, int k, int n) =>
        typeof(T) == typeof(float) && PackedSgemm.IsSupported && (long)m * n * k >= SmallProduct;

    /// <summary>
    /// Whether a float32 m×k·k×n product reads a <see cref="PackedMatrix"/> of its B (the packed kernel, and not its
    /// few-columns variant): where prepacking B saves work, and where a caller may pass the panels without B itself.
    /// </summary>
    public static bool ReadsPackedB(int m, int k, int n) => UsesPackedKernel<float>(m, k, n) && PackedSgemm.ReadsPackedB(m, k, n);

    /// <summary>
    /// c[m×n] = a·B for a float32 product that <see cref="ReadsPackedB"/>, B given only as its packed panels
    /// (<paramref name="packedB"/>, k×n, not transposed): the product <see cref="Multiply{T}"/> computes with B, bit for bit.
    /// </summary>
    public static void MultiplyPacked(ReadOnlySpan<float> a, PackedMatrix packedB, Span<float> c, int m, int k, int n)
    {
        if (!ReadsPackedB(m, k, n) || !packedB.Fits(k, n, false))
            throw new ArgumentException("Gemm: this product cannot read B from packed panels alone.");
        if (a.Length < (long)m * k || c.Length < (long)m * n)
            throw new ArgumentException("Gemm: a buffer is smaller than its dimensions say.");
        PackedSgemm.Multiply(a, default, c, m, k, n, false, false, default, packedB);
    }

    /// <summary>The row update over fixed row ranges on the worker threads (each range writes its own rows of C).</summary>
    private static unsafe void MultiplyRowsInParallel<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n)
        where T : unmanaged, INumber<T>
    {
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            Partition.For(m, (long)k * n, (A: (nint)pa, B: (nint)pb, C: (nint)pc, M: m, K: k, N: n), static (in (nint A, nint B, nint C, int M, int K, int N) p, int start, int end) =>
                Rows(new ReadOnlySpan<T>((T*)p.A, p.M * p.K), new ReadOnlySpan<T>((T*)p.B, p.K * p.N), new Span<T>((T*)p.C, p.M * p.N), start, end, p.K, p.N));
        }
    }

    private static void Rows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int rowStart, int rowEnd, int k, int n)
        where T : unmanaged, INumber<T>
    {
        for (var i = rowStart; i < rowEnd; i++)
        {
            var crow = c.Slice(i * n, n);
            var arow = a.Slice(i * k, k);
            for (var p = 0; p < k; p++)
            {
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), arow[p], crow, crow);
            }
        }
    }

    private static T[] Transposed<T>(ReadOnlySpan<T> src, int rows, int cols) where T : unmanaged
    {
        var dst = new T[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var col = 0; col < cols; col++)
                dst[col * rows + r] = src[r * cols + col];
        return dst;
    }
}
