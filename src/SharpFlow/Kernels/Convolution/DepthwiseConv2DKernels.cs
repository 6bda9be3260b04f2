using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Depthwise 2-D convolution (TensorFlow's <c>DepthwiseConv2dNative</c>): each input channel <c>c</c> is convolved
/// with its own <c>multiplier</c> filters <c>filter[:, :, c, m]</c>, giving output channel <c>c·multiplier + m</c>.
/// Direct loops: the per-channel work is too small for a matrix product.
/// </summary>
internal static unsafe class DepthwiseConv2DKernels
{
    /// <summary><paramref name="output"/>[N, outH, outW, C·M] from input [N, H, W, C] and filter [kh, kw, C, M].</summary>
    public static void Forward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> filter, Span<T> output, Window2D g, int multiplier)
        where T : unmanaged, INumber<T>
    {
        var outC = g.Channels * multiplier;
        fixed (T* x = input)
        fixed (T* f = filter)
        fixed (T* y = output)
        {
            Partition.For(g.Batch * g.OutHeight, (long)g.OutWidth * g.KernelHeight * g.KernelWidth * outC, ((nint)x, (nint)f, (nint)y, g, multiplier), static (in (nint, nint, nint, Window2D, int) state, int start, int end) =>
            {
                var (px, pf, py, g, multiplier) = state;
                var outC = g.Channels * multiplier;
                for (var r = start; r < end; r++)
                {
                    var (n, oh) = (r / g.OutHeight, r % g.OutHeight);
                    for (var ow = 0; ow < g.OutWidth; ow++)
                    {
                        var o = new Span<T>((T*)py + (((long)n * g.OutHeight + oh) * g.OutWidth + ow) * outC, outC);
                        o.Clear();
                        var w = g.Bounds(n, oh, ow);
                        for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                            for (var kw = w.First; kw < w.Last; kw++)
                                MultiplyAdd(new ReadOnlySpan<T>((T*)px + w.Offset(g, kh, kw), g.Channels), FilterRow((T*)pf, g, kh, kw, outC), o, multiplier);
                    }
                }
            });
        }
    }

    /// <summary>The gradient with respect to the input; <paramref name="inputGrad"/> is overwritten.</summary>
    public static void BackpropInput<T>(ReadOnlySpan<T> filter, ReadOnlySpan<T> outputGrad, Span<T> inputGrad, Window2D g, int multiplier)
        where T : unmanaged, INumber<T>
    {
        var outC = g.Channels * multiplier;
        inputGrad.Clear();
        fixed (T* f = filter)
        fixed (T* dy = outputGrad)
        fixed (T* dx = inputGrad)
        {
            // Windows of one image overlap, so the parallel unit is the image.
            Partition.For(g.Batch, (long)g.OutPositions * g.KernelHeight * g.KernelWidth * outC, ((nint)f, (nint)dy, (nint)dx, g, multiplier), static (in (nint, nint, nint, Window2D, int) state, int start, int end) =>
            {
                var (pf, pdy, pdx, g, multiplier) = state;
                var outC = g.Channels * multiplier;
                for (var n = start; n < end; n++)
                    for (var oh = 0; oh < g.OutHeight; oh++)
                        for (var ow = 0; ow < g.OutWidth; ow++)
                        {
                            var o = new ReadOnlySpan<T>((T*)pdy + (((long)n * g.OutHeight + oh) * g.OutWidth + ow) * outC, outC);
                            var w = g.Bounds(n, oh, ow);
                            for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                for (var kw = w.First; kw < w.Last; kw++)
                                {
                                    var dxRow = new Span<T>((T*)pdx + w.Offset(g, kh, kw), g.Channels);
                                    var fRow = FilterRow((T*)pf, g, kh, kw, outC);
                                    if (multiplier == 1)
                                    {
                                        TensorPrimitives.MultiplyAdd(o, fRow, dxRow, dxRow);
                                        continue;
                                    }
                                    for (var c = 0; c < g.Channels; c++)
                                    {
                                        var sum = T.Zero;
                                        for (var m = 0; m < multiplier; m++) sum += o[c * multiplier + m] * fRow[c * multiplier + m];
                                        dxRow[c] += sum;
                                    }
                                }
                        }
            });
        }
    }

    /// <summary>The gradient with respect to the filter; <paramref name="filterGrad"/> is overwritten.</summary>
    public static void BackpropFilter<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGrad, Span<T> filterGrad, Window2D g, int multiplier)
        where T : unmanaged, INumber<T>
    {
        var outC = g.Channels * multiplier;
        var size = g.KernelHeight * g.KernelWidth * outC;
        filterGrad.Clear();
        // One partial filter gradient per fixed range of images (not per thread), summed in a fixed order, so the
        // result is the same on every machine.
        const int ImagesPerPart = 8;
        var parts = Math.Max(1, (g.Batch + ImagesPerPart - 1) / ImagesPerPart);
        var partial = new T[parts * size];
        fixed (T* x = input)
        fixed (T* dy = outputGrad)
        fixed (T* df = partial)
        {
            Partition.For(parts, (long)g.Batch * g.OutPositions * size / parts, ((nint)x, (nint)dy, (nint)df, g, multiplier), static (in (nint, nint, nint, Window2D, int) state, int start, int end) =>
            {
                var (px, pdy, pdf, g, multiplier) = state;
                var outC = g.Channels * multiplier;
                var size = g.KernelHeight * g.KernelWidth * outC;
                for (var part = start; part < end; part++)
                {
                    var acc = (T*)pdf + (long)part * size;
                    for (var n = part * ImagesPerPart; n < Math.Min(g.Batch, (part + 1) * ImagesPerPart); n++)
                        for (var oh = 0; oh < g.OutHeight; oh++)
                            for (var ow = 0; ow < g.OutWidth; ow++)
                            {
                                var o = new ReadOnlySpan<T>((T*)pdy + (((long)n * g.OutHeight + oh) * g.OutWidth + ow) * outC, outC);
                                var w = g.Bounds(n, oh, ow);
                                for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                    for (var kw = w.First; kw < w.Last; kw++)
                                        MultiplyAdd(new ReadOnlySpan<T>((T*)px + w.Offset(g, kh, kw), g.Channels), o, FilterRow(acc, g, kh, kw, outC), multiplier);
                            }
                }
            });
        }
        for (var part = 0; part < parts; part++)
            TensorPrimitives.Add(filterGrad, partial.AsSpan(part * size, size), filterGrad);
    }

    private static Span<T> FilterRow<T>(T* filter, in Window2D g, int kh, int kw, int outC) where T : unmanaged =>
        new(filter + (long)(kh * g.KernelWidth + kw) * outC, outC);

    /// <summary><c>acc[c·M+m] += x[c]·w[c·M+m]</c>.</summary>
    private static void MultiplyAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> acc, int multiplier) where T : unmanaged, INumber<T>
    {
        if (multiplier == 1)
        {
            TensorPrimitives.MultiplyAdd(x, w, acc, acc);
            return;
        }
        for (var c = 0; c < x.Length; c++)
            for (var m = 0; m < multiplier; m++)
                acc[c * multiplier + m] += x[c] * w[c * multiplier + m];
    }
}
