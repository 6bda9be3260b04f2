using System.Numerics;

namespace SharpFlow.Kernels;

/// <summary>
/// The k largest entries of each row, largest first, ties broken by the lower index (TensorFlow's TopKV2), and
/// the in-top-k test of InTopKV2.
/// </summary>
public static class TopK
{
    /// <summary>
    /// For each of the <c>x.Length / n</c> rows of <paramref name="x"/>, writes its k = <c>values.Length / rows</c>
    /// largest values and their indices.
    /// </summary>
    public static void Run<T>(ReadOnlySpan<T> x, int n, Span<T> values, Span<int> indices) where T : unmanaged, INumber<T>
    {
        if (n == 0) return;
        var rows = x.Length / n;
        if (rows == 0) return;
        var k = values.Length / rows;
        if (k == 0) return;
        var row = new T[n];
        var order = new int[n];
        var comparer = new Descending<T>(row);
        for (var r = 0; r < rows; r++)
        {
            x.Slice(r * n, n).CopyTo(row);
            for (var i = 0; i < n; i++) order[i] = i;
            if (k == 1)
            {
                var best = 0;
                for (var i = 1; i < n; i++) if (comparer.Compare(i, best) < 0) best = i;
                order[0] = best;
            }
            else
            {
                Array.Sort(order, comparer);
            }
            for (var j = 0; j < k; j++)
            {
                values[r * k + j] = row[order[j]];
                indices[r * k + j] = order[j];
            }
        }
    }

    /// <summary>Orders indices by value, largest first (NaN first, as the largest), then by index.</summary>
    private sealed class Descending<T>(T[] row) : IComparer<int> where T : unmanaged, INumber<T>
    {
        public int Compare(int a, int b)
        {
            T va = row[a], vb = row[b];
            var nanA = T.IsNaN(va);
            var nanB = T.IsNaN(vb);
            if (nanA != nanB) return nanA ? -1 : 1;
            if (!nanA && va != vb) return va > vb ? -1 : 1;
            return a.CompareTo(b);
        }
    }

    /// <summary>
    /// InTopKV2: whether each row's prediction at its target is among the k largest (fewer than k entries are
    /// strictly greater; ties count in). A target out of range or a non-finite prediction in the row gives false.
    /// </summary>
    public static void InTopK<T>(ReadOnlySpan<T> predictions, int classes, ReadOnlySpan<long> targets, long k, Span<bool> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < output.Length; r++)
        {
            var row = predictions.Slice(r * classes, classes);
            var target = targets[r];
            if (target < 0 || target >= classes || !T.IsFinite(row[(int)target]))
            {
                output[r] = false;
                continue;
            }
            var value = row[(int)target];
            var greater = 0L;
            var finite = true;
            for (var i = 0; i < classes; i++)
            {
                if (!T.IsFinite(row[i])) finite = false;
                else if (row[i] > value) greater++;
            }
            output[r] = finite && greater < k;
        }
    }
}
