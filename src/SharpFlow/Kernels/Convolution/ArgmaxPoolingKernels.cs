using System.Numerics;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Max pooling that also returns where each maximum came from (TensorFlow's MaxPoolWithArgmax CPU kernel): the
/// flat index <c>(y * width + x) * channels + c</c> of the first maximum of each window in row-major window order,
/// plus <c>b * height * width * channels</c> when the batch is included in the index; and its gradient, which adds
/// each output's gradient at that index.
/// </summary>
internal static class ArgmaxPoolingKernels
{
    public static void MaxPool<T>(ReadOnlySpan<T> input, Span<T> output, Span<long> argmax, Window2D g, bool includeBatchInIndex)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var c = g.Channels;
        for (var n = 0; n < g.Batch; n++)
            for (var oh = 0; oh < g.OutHeight; oh++)
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var w = g.Bounds(n, oh, ow);
                    var o = ((long)(n * g.OutHeight + oh) * g.OutWidth + ow) * c;
                    for (var ch = 0; ch < c; ch++)
                    {
                        var best = T.MinValue;
                        var where = -1L;
                        for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                            for (var kw = w.First; kw < w.Last; kw++)
                            {
                                var at = w.Offset(g, kh, kw) + ch;
                                var v = input[(int)at];
                                if (where < 0 || v > best)
                                {
                                    best = v;
                                    where = at;
                                }
                            }
                        output[(int)(o + ch)] = best;
                        argmax[(int)(o + ch)] = where < 0 || includeBatchInIndex ? where : where - (long)n * g.InImageSize;
                    }
                }
    }

    /// <summary>
    /// MaxPoolGradWithArgmax: <c>dx</c> (zeroed by the caller) gets <c>dy</c> added at each argmax; returns the
    /// position of an argmax outside its image, or -1 when all are valid.
    /// </summary>
    public static long Grad<T>(ReadOnlySpan<T> dy, ReadOnlySpan<long> argmax, Span<T> dx, Window2D g, bool includeBatchInIndex)
        where T : unmanaged, INumber<T>
    {
        var perImage = (long)g.OutHeight * g.OutWidth * g.Channels;
        for (var i = 0; i < dy.Length; i++)
        {
            var n = i / perImage;
            var index = includeBatchInIndex ? argmax[i] : argmax[i] + n * g.InImageSize;
            var low = includeBatchInIndex ? 0 : n * g.InImageSize;
            var high = includeBatchInIndex ? dx.Length : (n + 1) * g.InImageSize;
            if (index < low || index >= high) return i;
            dx[(int)index] += dy[i];
        }
        return -1;
    }
}
