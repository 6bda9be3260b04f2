using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SharpFlow.Kernels;

/// <summary>
/// BiasAdd's bias gradient: <c>y[j] = Σ_r g[r, j]</c> over the rows of a row-major [rows, c] gradient, each column
/// summed from the first row to the last (the order of adding one row after another into <c>y</c>).
/// </summary>
internal static class BiasGradient
{
    /// <summary><paramref name="y"/> = the column sums of <paramref name="g"/>, whose rows are <paramref name="y"/>'s length.</summary>
    public static void Sum<T>(ReadOnlySpan<T> g, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = y.Length;
        y.Clear();
        if (c == 0) return;
        var width = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || c > 2 * width)
        {
            for (var r = 0; r < g.Length; r += c) TensorPrimitives.Add(y, g.Slice(r, c), y);
            return;
        }
        // Narrow rows (LeNet-5's 6 or 16 convolution channels): a row is too short for a vector call to pay. The
        // running sums stay in one or two registers, each row loaded whole (the lanes past the row read the next
        // row's start, and are dropped); every column gets the same additions in the same order as row-by-row adds.
        ref var start = ref MemoryMarshal.GetReference(g);
        var (low, high) = (Vector256<T>.Zero, Vector256<T>.Zero);
        var r0 = 0;
        var loaded = c > width ? 2 * width : width;
        for (; r0 + loaded <= g.Length; r0 += c)
        {
            low += Vector256.LoadUnsafe(ref start, (nuint)r0);
            if (c > width) high += Vector256.LoadUnsafe(ref start, (nuint)(r0 + width));
        }
        Span<T> acc = stackalloc T[2 * width];
        low.CopyTo(acc);
        high.CopyTo(acc[width..]);
        // The last rows, whose whole-vector loads would run past the end, one value at a time.
        for (; r0 < g.Length; r0 += c)
            for (var j = 0; j < c; j++) acc[j] += Unsafe.Add(ref start, r0 + j);
        acc[..c].CopyTo(y);
    }
}
