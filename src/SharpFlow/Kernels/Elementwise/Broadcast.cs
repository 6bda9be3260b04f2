namespace SharpFlow.Kernels;

/// <summary>
/// The three inner loops of a binary element-wise operation: both operands vary, or one of them is a single value
/// repeated along the inner dimension.
/// </summary>
public interface IBroadcastLoop<TX, TY, TZ>
{
    /// <summary><c>z[i] = f(x[i], y[i])</c>.</summary>
    void VV(ReadOnlySpan<TX> x, ReadOnlySpan<TY> y, Span<TZ> z);

    /// <summary><c>z[i] = f(x[i], y)</c>.</summary>
    void VS(ReadOnlySpan<TX> x, TY y, Span<TZ> z);

    /// <summary><c>z[i] = f(x, y[i])</c>.</summary>
    void SV(TX x, ReadOnlySpan<TY> y, Span<TZ> z);
}

/// <summary>
/// NumPy broadcasting for binary element-wise kernels. Dimensions are collapsed so the innermost loop runs over
/// the longest contiguous stretch, which the operator then processes with SIMD.
/// </summary>
public static class Broadcast
{
    /// <summary>The broadcast shape of two concrete shapes, or null when they are incompatible.</summary>
    public static int[]? Shape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var r = new int[Math.Max(a.Length, b.Length)];
        return TryShape(a, b, r) ? r : null;
    }

    /// <summary>
    /// The broadcast shape written into <paramref name="result"/> (of the larger rank), or false when the shapes do
    /// not broadcast.
    /// </summary>
    internal static bool TryShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        var rank = result.Length;
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else return false;
        }
        return true;
    }

    /// <summary>
    /// Computes <c>z = f(x, y)</c> where <paramref name="zShape"/> is the broadcast of the operand shapes.
    /// </summary>
    public static void Apply<TX, TY, TZ, TLoop>(ReadOnlySpan<TX> x, ReadOnlySpan<int> xShape,
        ReadOnlySpan<TY> y, ReadOnlySpan<int> yShape, Span<TZ> z, ReadOnlySpan<int> zShape, TLoop loop)
        where TLoop : struct, IBroadcastLoop<TX, TY, TZ>
    {
        if (z.Length == 0) return;
        if (x.Length == z.Length && y.Length == z.Length) { loop.VV(x, y, z); return; }
        if (x.Length == z.Length && y.Length == 1) { loop.VS(x, y[0], z); return; }
        if (x.Length == 1 && y.Length == z.Length) { loop.SV(x[0], y, z); return; }

        var rank = zShape.Length;
        Span<int> dims = stackalloc int[rank];
        Span<int> sx = stackalloc int[rank];
        Span<int> sy = stackalloc int[rank];
        var n = Collapse(xShape, yShape, zShape, dims, sx, sy);

        var inner = dims[n - 1];
        var innerX = sx[n - 1] != 0;
        var innerY = sy[n - 1] != 0;
        var outer = z.Length / inner;
        Span<int> index = stackalloc int[Math.Max(n - 1, 1)];
        index.Clear();
        int ox = 0, oy = 0;
        for (var o = 0; o < outer; o++)
        {
            var zs = z.Slice(o * inner, inner);
            if (innerX && innerY) loop.VV(x.Slice(ox, inner), y.Slice(oy, inner), zs);
            else if (innerX) loop.VS(x.Slice(ox, inner), y[oy], zs);
            else loop.SV(x[ox], y.Slice(oy, inner), zs);

            // Advance the odometer over the outer dimensions.
            for (var d = n - 2; d >= 0; d--)
            {
                index[d]++;
                ox += sx[d];
                oy += sy[d];
                if (index[d] < dims[d]) break;
                ox -= sx[d] * dims[d];
                oy -= sy[d] * dims[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// Drops size-1 dimensions and merges neighbours that both operands traverse the same way (both contiguous or
    /// both repeated). Returns the number of dimensions left (at least 1); strides are in elements, 0 = repeated.
    /// </summary>
    internal static int Collapse(ReadOnlySpan<int> xShape, ReadOnlySpan<int> yShape, ReadOnlySpan<int> zShape,
        Span<int> dims, Span<int> sx, Span<int> sy)
    {
        var rank = zShape.Length;
        Span<int> ownX = stackalloc int[rank];
        Span<int> ownY = stackalloc int[rank];
        OwnStrides(xShape, rank, ownX);
        OwnStrides(yShape, rank, ownY);
        var n = 0;
        for (var k = 0; k < rank; k++)
        {
            if (zShape[k] == 1) continue;
            var cx = ownX[k];
            var cy = ownY[k];
            if (n > 0 && (sx[n - 1] != 0) == (cx != 0) && (sy[n - 1] != 0) == (cy != 0))
            {
                dims[n - 1] *= zShape[k];
                sx[n - 1] = cx;
                sy[n - 1] = cy;
            }
            else
            {
                dims[n] = zShape[k];
                sx[n] = cx;
                sy[n] = cy;
                n++;
            }
        }
        if (n == 0)
        {
            dims[0] = 1;
            sx[0] = 1;
            sy[0] = 1;
            n = 1;
        }
        return n;
    }

    // Strides of an operand laid out in the output's rank: 0 where the operand has size 1 (repeated).
    private static void OwnStrides(ReadOnlySpan<int> shape, int rank, Span<int> strides)
    {
        var offset = rank - shape.Length;
        var stride = 1;
        for (var k = rank - 1; k >= 0; k--)
        {
            var d = k >= offset ? shape[k - offset] : 1;
            strides[k] = d == 1 ? 0 : stride;
            stride *= d;
        }
    }
}
