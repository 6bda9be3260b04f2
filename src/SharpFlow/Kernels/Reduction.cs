using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>An associative reduction (sum, product, max, min) with its identity.</summary>
public interface IReduceOperator<TSelf> where TSelf : IReduceOperator<TSelf>
{
    /// <summary>The value of an empty reduction.</summary>
    static abstract T Identity<T>() where T : unmanaged, INumber<T>;

    /// <summary>Reduces a non-empty span to one value.</summary>
    static abstract T Aggregate<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T>;

    /// <summary><c>acc[i] = op(acc[i], x[i])</c>.</summary>
    static abstract void Combine<T>(ReadOnlySpan<T> x, Span<T> acc) where T : unmanaged, INumber<T>;
}

/// <summary>Sum.</summary>
public readonly struct SumReducer : IReduceOperator<SumReducer>
{
    /// <inheritdoc/>
    public static T Identity<T>() where T : unmanaged, INumber<T> => T.Zero;
    /// <inheritdoc/>
    public static T Aggregate<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> => TensorPrimitives.Sum(x);
    /// <inheritdoc/>
    public static void Combine<T>(ReadOnlySpan<T> x, Span<T> acc) where T : unmanaged, INumber<T> => TensorPrimitives.Add(acc, x, acc);
}

/// <summary>Product.</summary>
public readonly struct ProdReducer : IReduceOperator<ProdReducer>
{
    /// <inheritdoc/>
    public static T Identity<T>() where T : unmanaged, INumber<T> => T.One;
    /// <inheritdoc/>
    public static T Aggregate<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> => TensorPrimitives.Product(x);
    /// <inheritdoc/>
    public static void Combine<T>(ReadOnlySpan<T> x, Span<T> acc) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(acc, x, acc);
}

/// <summary>Maximum (the identity is -inf for floats, the lowest value for integers).</summary>
public readonly struct MaxReducer : IReduceOperator<MaxReducer>
{
    /// <inheritdoc/>
    public static T Identity<T>() where T : unmanaged, INumber<T> => Lowest<T>();
    /// <inheritdoc/>
    public static T Aggregate<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> => TensorPrimitives.Max(x);
    /// <inheritdoc/>
    public static void Combine<T>(ReadOnlySpan<T> x, Span<T> acc) where T : unmanaged, INumber<T> => TensorPrimitives.Max(acc, x, acc);

    internal static T Lowest<T>() where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) return T.CreateTruncating(float.NegativeInfinity);
        if (typeof(T) == typeof(double)) return T.CreateTruncating(double.NegativeInfinity);
        if (typeof(T) == typeof(int)) return T.CreateTruncating(int.MinValue);
        if (typeof(T) == typeof(long)) return T.CreateTruncating(long.MinValue);
        return T.Zero;
    }
}

/// <summary>Minimum (the identity is +inf for floats, the highest value for integers).</summary>
public readonly struct MinReducer : IReduceOperator<MinReducer>
{
    /// <inheritdoc/>
    public static T Identity<T>() where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float)) return T.CreateTruncating(float.PositiveInfinity);
        if (typeof(T) == typeof(double)) return T.CreateTruncating(double.PositiveInfinity);
        if (typeof(T) == typeof(int)) return T.CreateTruncating(int.MaxValue);
        if (typeof(T) == typeof(long)) return T.CreateTruncating(long.MaxValue);
        return T.CreateTruncating(byte.MaxValue);
    }
    /// <inheritdoc/>
    public static T Aggregate<T>(ReadOnlySpan<T> x) where T : unmanaged, INumber<T> => TensorPrimitives.Min(x);
    /// <inheritdoc/>
    public static void Combine<T>(ReadOnlySpan<T> x, Span<T> acc) where T : unmanaged, INumber<T> => TensorPrimitives.Min(acc, x, acc);
}

/// <summary>
/// Reductions over any set of axes. Axes are grouped into alternating kept/reduced runs; each reduced run is
/// removed in turn as an <c>[A, R, B] → [A, B]</c> pass, whose inner loops are contiguous and vectorized. The
/// order of additions is fixed, so results are deterministic.
/// </summary>
public static class Reduction
{
    /// <summary>Reduces <paramref name="x"/> of <paramref name="shape"/> over the axes flagged in <paramref name="reduce"/>.</summary>
    public static void Reduce<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<bool> reduce, Span<T> z)
        where T : unmanaged, INumber<T> where TOp : IReduceOperator<TOp>
    {
        // Group dimensions into runs of equal flag, dropping size-1 dims (they change nothing).
        Span<long> sizeRuns = stackalloc long[shape.Length];
        Span<bool> flagRuns = stackalloc bool[shape.Length];
        var count = 0;
        var anyEmpty = false;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 0) anyEmpty = true;
            if (shape[i] == 1) continue;
            if (count > 0 && flagRuns[count - 1] == reduce[i]) sizeRuns[count - 1] *= shape[i];
            else
            {
                sizeRuns[count] = shape[i];
                flagRuns[count++] = reduce[i];
            }
        }
        if (anyEmpty)
        {
            z.Fill(TOp.Identity<T>());
            return;
        }
        var sizes = sizeRuns[..count];
        var flags = flagRuns[..count];
        if (!flags.Contains(true))
        {
            x.CopyTo(z);
            return;
        }
        if (flags.Length == 1)
        {
            z[0] = TOp.Aggregate(x);
            return;
        }

        var current = x;
        T[]? rented = null;
        try
        {
            while (true)
            {
                var j = flags.LastIndexOf(true);
                if (j < 0) break;
                long a = 1, b = 1;
                for (var q = 0; q < j; q++) a *= sizes[q];
                for (var q = j + 1; q < sizes.Length; q++) b *= sizes[q];
                var r = sizes[j];
                var last = flags.IndexOf(true) == j;
                var outLength = checked((int)(a * b));
                Span<T> target;
                if (last) target = z[..outLength];
                else
                {
                    // Each pass shrinks the data: the next one reads the previous pass's output, written to a new buffer.
                    var buffer = System.Buffers.ArrayPool<T>.Shared.Rent(outLength);
                    target = buffer.AsSpan(0, outLength);
                    Pass<T, TOp>(current, (int)a, (int)r, (int)b, target);
                    if (rented is not null) System.Buffers.ArrayPool<T>.Shared.Return(rented);
                    rented = buffer;
                    current = target;
                }
                if (last)
                {
                    Pass<T, TOp>(current, (int)a, (int)r, (int)b, target);
                    break;
                }
                // Remove the reduced run and merge its kept neighbours.
                RemoveAt(ref sizes, j);
                RemoveAt(ref flags, j);
                if (j > 0 && j < sizes.Length && flags[j - 1] == flags[j])
                {
                    sizes[j - 1] *= sizes[j];
                    RemoveAt(ref sizes, j);
                    RemoveAt(ref flags, j);
                }
            }
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<T>.Shared.Return(rented);
        }
    }

    private static void RemoveAt<TItem>(ref Span<TItem> items, int index)
    {
        items[(index + 1)..].CopyTo(items[index..]);
        items = items[..^1];
    }

    private static void Pass<T, TOp>(ReadOnlySpan<T> x, int a, int r, int b, Span<T> z)
        where T : unmanaged, INumber<T> where TOp : IReduceOperator<TOp>
    {
        if (b == 1)
        {
            for (var i = 0; i < a; i++) z[i] = TOp.Aggregate(x.Slice(i * r, r));
            return;
        }
        for (var i = 0; i < a; i++)
        {
            var acc = z.Slice(i * b, b);
            x.Slice(i * r * b, b).CopyTo(acc);
            for (var k = 1; k < r; k++) TOp.Combine(x.Slice((i * r + k) * b, b), acc);
        }
    }

    /// <summary>
    /// Index of the maximum (or minimum) along one axis of a tensor seen as <c>[outer, axis, inner]</c>; ties go
    /// to the first index.
    /// </summary>
    public static void ArgExtreme<T, TIndex>(ReadOnlySpan<T> x, int outer, int axis, int inner, Span<TIndex> z, bool max)
        where T : unmanaged, INumber<T> where TIndex : unmanaged, INumber<TIndex>
    {
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < inner; i++)
            {
                var baseIndex = o * axis * inner + i;
                var best = x[baseIndex];
                var bestIndex = 0;
                for (var k = 1; k < axis; k++)
                {
                    var v = x[baseIndex + k * inner];
                    if (max ? v > best : v < best)
                    {
                        best = v;
                        bestIndex = k;
                    }
                }
                z[o * inner + i] = TIndex.CreateTruncating(bestIndex);
            }
        }
    }
}
