using System.Numerics;

namespace SharpFlow.Kernels;

/// <summary>
/// Local response normalization over the last (depth) axis, as TensorFlow's LRN and LRNGrad CPU kernels:
/// <c>sqr_sum[d] = sum(x[d - r .. d + r]^2)</c> and <c>y[d] = x[d] / (bias + alpha * sqr_sum[d])^beta</c>.
/// Sums are taken in double.
/// </summary>
public static class LocalResponseNormalization
{
    /// <summary>The forward pass over rows of <paramref name="depth"/> values.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int depth, int depthRadius, double bias, double alpha, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (depth == 0) return;
        for (var row = 0; row < x.Length / depth; row++)
        {
            var input = x.Slice(row * depth, depth);
            var output = y.Slice(row * depth, depth);
            for (var d = 0; d < depth; d++)
            {
                var sum = 0.0;
                for (var k = Math.Max(0, d - depthRadius); k < Math.Min(depth, d + depthRadius + 1); k++)
                {
                    var v = double.CreateTruncating(input[k]);
                    sum += v * v;
                }
                output[d] = T.CreateTruncating(double.CreateTruncating(input[d]) / Math.Pow(bias + alpha * sum, beta));
            }
        }
    }

    /// <summary>
    /// LRNGrad: for each output position <c>j</c> and each <c>k</c> in its window,
    /// <c>dx[k] += dy[j] * ((k == j ? norm^-beta : 0) - 2 * alpha * beta * x[k] * y[j] / norm)</c> with
    /// <c>norm = bias + alpha * sqr_sum[j]</c>.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dx, int depth, int depthRadius, double bias, double alpha, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (depth == 0) return;
        var acc = new double[depth];
        for (var row = 0; row < x.Length / depth; row++)
        {
            var o = row * depth;
            System.Array.Clear(acc);
            for (var j = 0; j < depth; j++)
            {
                var begin = Math.Max(0, j - depthRadius);
                var end = Math.Min(depth, j + depthRadius + 1);
                var norm = 0.0;
                for (var k = begin; k < end; k++)
                {
                    var v = double.CreateTruncating(x[o + k]);
                    norm += v * v;
                }
                norm = alpha * norm + bias;
                var yj = double.CreateTruncating(y[o + j]);
                var g = double.CreateTruncating(dy[o + j]);
                for (var k = begin; k < end; k++)
                {
                    var dyi = -2.0 * alpha * beta * double.CreateTruncating(x[o + k]) * yj / norm;
                    if (k == j) dyi += Math.Pow(norm, -beta);
                    acc[k] += dyi * g;
                }
            }
            for (var k = 0; k < depth; k++) dx[o + k] = T.CreateTruncating(acc[k]);
        }
    }
}
