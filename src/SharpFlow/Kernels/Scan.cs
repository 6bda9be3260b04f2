using System.Numerics;

namespace SharpFlow.Kernels;

/// <summary>
/// Cumulative sums and products along one axis of a tensor seen as <c>[outer, n, inner]</c>: inclusive or
/// exclusive (each element sees only the ones before it), forward or reversed.
/// </summary>
public static class Scan
{
    /// <summary>Runs the scan; <paramref name="product"/> chooses product over sum.</summary>
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner, bool product, bool exclusive, bool reverse)
        where T : unmanaged, INumber<T>
    {
        var identity = product ? T.One : T.Zero;
        for (var o = 0; o < outer; o++)
            for (var i = 0; i < inner; i++)
            {
                var acc = identity;
                for (var step = 0; step < n; step++)
                {
                    var k = reverse ? n - 1 - step : step;
                    var index = (o * n + k) * inner + i;
                    if (exclusive)
                    {
                        y[index] = acc;
                        acc = product ? acc * x[index] : acc + x[index];
                    }
                    else
                    {
                        acc = product ? acc * x[index] : acc + x[index];
                        y[index] = acc;
                    }
                }
            }
    }
}
