using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels;

/// <summary>
/// Row-wise softmax kernels over the last axis, each computed from the row shifted by its maximum so that
/// <c>exp</c> cannot overflow (as TensorFlow's Eigen functors do).
/// </summary>
public static class Softmax
{
    /// <summary><c>y = exp(x - max) / sum(exp(x - max))</c> for each row of length <paramref name="classes"/>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int classes, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (classes == 0) return;
        for (var r = 0; r < x.Length / classes; r++)
        {
            var row = x.Slice(r * classes, classes);
            var outRow = y.Slice(r * classes, classes);
            if (log)
            {
                var sum = Shift(row, outRow);
                TensorPrimitives.Subtract(outRow, T.Log(sum), outRow);
            }
            else
            {
                TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), outRow);
                TensorPrimitives.Exp(outRow, outRow);
                TensorPrimitives.Divide(outRow, TensorPrimitives.Sum<T>(outRow), outRow);
            }
        }
    }

    /// <summary>
    /// Softmax cross entropy per row: <c>loss = sum(labels * (log(sum_exp) - shifted))</c> and
    /// <c>backprop = softmax - labels</c>.
    /// </summary>
    public static void CrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> labels, Span<T> loss, Span<T> backprop, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < loss.Length; r++)
        {
            var row = logits.Slice(r * classes, classes);
            var lab = labels.Slice(r * classes, classes);
            var bp = backprop.Slice(r * classes, classes);
            var sumExp = Shift(row, bp);
            var logSum = T.Log(sumExp);
            var l = T.Zero;
            for (var j = 0; j < classes; j++)
            {
                l += lab[j] * (logSum - bp[j]);
                bp[j] = T.Exp(bp[j]) / sumExp - lab[j];
            }
            loss[r] = l;
        }
    }

    /// <summary>
    /// Sparse softmax cross entropy per row: <c>loss = log(sum_exp) - shifted[label]</c>,
    /// <c>backprop = softmax - onehot(label)</c>. Labels are already checked to lie in [0, classes).
    /// </summary>
    public static void SparseCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<long> labels, Span<T> loss, Span<T> backprop, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < loss.Length; r++)
        {
            var row = logits.Slice(r * classes, classes);
            var bp = backprop.Slice(r * classes, classes);
            var sumExp = Shift(row, bp);
            var label = (int)labels[r];
            loss[r] = T.Log(sumExp) - bp[label];
            for (var j = 0; j < classes; j++) bp[j] = T.Exp(bp[j]) / sumExp;
            bp[label] -= T.One;
        }
    }

    /// <summary>Writes <c>row - max(row)</c> into <paramref name="shifted"/> and returns <c>sum(exp(shifted))</c>.</summary>
    private static T Shift<T>(ReadOnlySpan<T> row, Span<T> shifted) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract(row, row.IsEmpty ? T.Zero : TensorPrimitives.Max(row), shifted);
        var sum = T.Zero;
        foreach (var v in shifted) sum += T.Exp(v);
        return sum;
    }
}
