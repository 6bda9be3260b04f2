using System.Numerics;

using SharpFlow.Kernels;

namespace SharpFlow.Framework.Dispatch;

/// <summary>How the segment ops reduce the rows of one segment.</summary>
public enum SegmentReduction
{
    /// <summary>The sum.</summary>
    Sum,
    /// <summary>The sum divided by the number of rows.</summary>
    Mean,
    /// <summary>The sum divided by the square root of the number of rows.</summary>
    SqrtN,
    /// <summary>The product.</summary>
    Prod,
    /// <summary>The element-wise maximum.</summary>
    Max,
    /// <summary>The element-wise minimum.</summary>
    Min,
}

/// <summary>
/// The kernels of the segment reductions (SegmentSum ... SparseSegmentSqrtN, UnsortedSegmentMax/Min/Prod) and of
/// SparseSegmentMeanGrad/SqrtNGrad: rows of <c>row</c> elements reduced into output rows by validated segment ids.
/// </summary>
public static class SegmentKernels
{
    /// <summary>
    /// Reduces data row <c>rows[i]</c> (or row i where <paramref name="rows"/> is empty) into output row
    /// <c>segments[i]</c>, skipping negative segment ids. Output rows no id names hold 0 where
    /// <paramref name="emptyIsZero"/> (the sorted ops; SegmentProd's gaps hold 1, its registered default), otherwise
    /// the reduction's identity (the unsorted ops: 0, 1, the lowest or the highest value).
    /// </summary>
    public static void Reduce(NDArray data, ReadOnlySpan<long> rows, ReadOnlySpan<long> segments, NDArray output, int row, SegmentReduction mode, bool emptyIsZero)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        switch (data.dtype.Id)
        {
            case DataType.Float: Reduce(data.AsReadOnlySpan<float>(), rows, segments, output.AsSpan<float>(), row, mode, emptyIsZero); break;
            case DataType.Double: Reduce(data.AsReadOnlySpan<double>(), rows, segments, output.AsSpan<double>(), row, mode, emptyIsZero); break;
            case DataType.Int32: Reduce(data.AsReadOnlySpan<int>(), rows, segments, output.AsSpan<int>(), row, mode, emptyIsZero); break;
            case DataType.Int64: Reduce(data.AsReadOnlySpan<long>(), rows, segments, output.AsSpan<long>(), row, mode, emptyIsZero); break;
            case DataType.UInt8: Reduce(data.AsReadOnlySpan<byte>(), rows, segments, output.AsSpan<byte>(), row, mode, emptyIsZero); break;
            default: throw new NotSupportedException($"segment reductions of {data.dtype.name} values");
        }
    }

    private static void Reduce<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> rows, ReadOnlySpan<long> segments, Span<T> output, int row, SegmentReduction mode, bool emptyIsZero)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var identity = mode switch
        {
            SegmentReduction.Prod => T.One,
            SegmentReduction.Max => T.MinValue,
            SegmentReduction.Min => T.MaxValue,
            _ => T.Zero,
        };
        output.Fill(identity);
        var counts = new long[row == 0 ? 0 : output.Length / row];
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] < 0) continue;
            counts[segments[i]]++;
            var source = data.Slice((int)(rows.IsEmpty ? i : rows[i]) * row, row);
            var target = output.Slice((int)segments[i] * row, row);
            for (var k = 0; k < row; k++)
            {
                var (a, v) = (target[k], source[k]);
                target[k] = mode switch
                {
                    SegmentReduction.Prod => a * v,
                    SegmentReduction.Max => v > a || T.IsNaN(v) ? v : a,
                    SegmentReduction.Min => v < a || T.IsNaN(v) ? v : a,
                    _ => a + v,
                };
            }
        }
        for (var s = 0; s < counts.Length; s++)
        {
            var target = output.Slice(s * row, row);
            if (counts[s] == 0)
            {
                // TensorFlow's sorted kernels fill a gap with their default value: 0, and 1 for SegmentProd.
                if (emptyIsZero && mode != SegmentReduction.Prod) target.Clear();
            }
            else if (mode is SegmentReduction.Mean or SegmentReduction.SqrtN)
            {
                var divisor = mode == SegmentReduction.Mean ? T.CreateTruncating(counts[s]) : T.CreateTruncating(Math.Sqrt(counts[s]));
                for (var k = 0; k < row; k++) target[k] /= divisor;
            }
        }
    }

    /// <summary>
    /// SparseSegmentMeanGrad / SparseSegmentSqrtNGrad: <c>output[indices[i]] += grad[segments[i]] / w</c>, w being
    /// the number of rows of segment <c>segments[i]</c> (or its square root). The output is zeroed first.
    /// </summary>
    public static void SparseGrad(NDArray grad, ReadOnlySpan<long> indices, ReadOnlySpan<long> segments, NDArray output, int row, bool sqrtN)
    {
        ArgumentNullException.ThrowIfNull(grad);
        ArgumentNullException.ThrowIfNull(output);
        switch (grad.dtype.Id)
        {
            case DataType.Float: SparseGrad(grad.AsReadOnlySpan<float>(), indices, segments, output.AsSpan<float>(), row, sqrtN); break;
            case DataType.Double: SparseGrad(grad.AsReadOnlySpan<double>(), indices, segments, output.AsSpan<double>(), row, sqrtN); break;
            default: throw new NotSupportedException($"sparse segment gradients of {grad.dtype.name} values");
        }
    }

    private static void SparseGrad<T>(ReadOnlySpan<T> grad, ReadOnlySpan<long> indices, ReadOnlySpan<long> segments, Span<T> output, int row, bool sqrtN)
        where T : unmanaged, IFloatingPoint<T>
    {
        output.Clear();
        var counts = new Dictionary<long, long>();
        foreach (var s in segments) counts[s] = counts.GetValueOrDefault(s) + 1;
        for (var i = 0; i < segments.Length; i++)
        {
            var n = counts[segments[i]];
            var w = T.CreateTruncating(sqrtN ? Math.Sqrt(n) : n);
            var source = grad.Slice((int)segments[i] * row, row);
            var target = output.Slice((int)indices[i] * row, row);
            for (var k = 0; k < row; k++) target[k] += source[k] / w;
        }
    }
}
