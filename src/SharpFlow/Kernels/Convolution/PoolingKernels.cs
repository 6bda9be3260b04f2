using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Max and average pooling over NHWC images and their gradients. Max pooling picks, per channel, the first
/// largest value in the window's row-major order (TensorFlow's CPU kernel), and its gradient goes to that
/// element only. Average pooling divides by the number of window elements inside the image, so padding never
/// counts (TensorFlow's SAME average pooling).
/// </summary>
internal static unsafe class PoolingKernels
{
    /// <summary><paramref name="output"/>[N, outH, outW, C] = the windows' maxima (a NaN propagates).</summary>
    public static void MaxPool<T>(ReadOnlySpan<T> input, Span<T> output, Window2D g) where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        fixed (T* src = input)
        fixed (T* dst = output)
        {
            var (s, d) = ((nint)src, (nint)dst);
            ForEachOutputRow(g, (n, oh) =>
            {
                var c = g.Channels;
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var o = new Span<T>((T*)d + OutputOffset(g, n, oh, ow), c);
                    var w = g.Bounds(n, oh, ow);
                    if (w.Count == 0)
                    {
                        o.Fill(T.MinValue);
                        continue;
                    }
                    new ReadOnlySpan<T>((T*)s + w.Offset(g, w.FirstRow, w.First), c).CopyTo(o);
                    for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                        for (var kw = w.First; kw < w.Last; kw++)
                            TensorPrimitives.Max(o, new ReadOnlySpan<T>((T*)s + w.Offset(g, kh, kw), c), o);
                }
            });
        }
    }

    /// <summary>
    /// The gradient of max pooling: each output gradient is added to the input element that was its window's
    /// maximum. <paramref name="inputGrad"/> is overwritten.
    /// </summary>
    public static void MaxPoolGrad<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGrad, Span<T> inputGrad, Window2D g)
        where T : unmanaged, INumber<T>
    {
        inputGrad.Clear();
        fixed (T* src = input)
        fixed (T* dy = outputGrad)
        fixed (T* dx = inputGrad)
        {
            var (s, gy, gx) = ((nint)src, (nint)dy, (nint)dx);
            // Windows of one image overlap, so the parallel unit is the image.
            Partition.For(g.Batch, (long)g.OutPositions * g.KernelHeight * g.KernelWidth * g.Channels, (start, end) =>
            {
                var argmax = new long[g.Channels];
                for (var n = start; n < end; n++)
                    for (var oh = 0; oh < g.OutHeight; oh++)
                        for (var ow = 0; ow < g.OutWidth; ow++)
                        {
                            ArgMax((T*)s, g, n, oh, ow, argmax);
                            var o = (T*)gy + OutputOffset(g, n, oh, ow);
                            for (var ch = 0; ch < g.Channels; ch++)
                                if (argmax[ch] >= 0) ((T*)gx)[argmax[ch]] += o[ch];
                        }
            });
        }
    }

    /// <summary>
    /// The gradient of <see cref="MaxPoolGrad{T}"/> with respect to its output gradient: each output takes the
    /// input-gradient value at its window's maximum.
    /// </summary>
    public static void MaxPoolGradGrad<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> inputGradGrad, Span<T> outputGradGrad, Window2D g)
        where T : unmanaged, INumber<T>
    {
        fixed (T* src = input)
        fixed (T* ddx = inputGradGrad)
        fixed (T* ddy = outputGradGrad)
        {
            var (s, gx, gy) = ((nint)src, (nint)ddx, (nint)ddy);
            ForEachOutputRow(g, (n, oh) =>
            {
                var argmax = new long[g.Channels];
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    ArgMax((T*)s, g, n, oh, ow, argmax);
                    var o = (T*)gy + OutputOffset(g, n, oh, ow);
                    for (var ch = 0; ch < g.Channels; ch++) o[ch] = argmax[ch] >= 0 ? ((T*)gx)[argmax[ch]] : T.Zero;
                }
            });
        }
    }

    /// <summary><paramref name="output"/> = the windows' means over the elements inside the image.</summary>
    public static void AvgPool<T>(ReadOnlySpan<T> input, Span<T> output, Window2D g) where T : unmanaged, INumber<T>
    {
        fixed (T* src = input)
        fixed (T* dst = output)
        {
            var (s, d) = ((nint)src, (nint)dst);
            ForEachOutputRow(g, (n, oh) =>
            {
                var c = g.Channels;
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var o = new Span<T>((T*)d + OutputOffset(g, n, oh, ow), c);
                    o.Clear();
                    var w = g.Bounds(n, oh, ow);
                    for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                        for (var kw = w.First; kw < w.Last; kw++)
                            TensorPrimitives.Add(o, new ReadOnlySpan<T>((T*)s + w.Offset(g, kh, kw), c), o);
                    if (w.Count > 0) TensorPrimitives.Divide(o, T.CreateChecked(w.Count), o);
                }
            });
        }
    }

    /// <summary>The gradient of average pooling: each output gradient, divided by its window's count, goes to every element of the window.</summary>
    public static void AvgPoolGrad<T>(ReadOnlySpan<T> outputGrad, Span<T> inputGrad, Window2D g) where T : unmanaged, INumber<T>
    {
        inputGrad.Clear();
        fixed (T* dy = outputGrad)
        fixed (T* dx = inputGrad)
        {
            var (gy, gx) = ((nint)dy, (nint)dx);
            Partition.For(g.Batch, (long)g.OutPositions * g.KernelHeight * g.KernelWidth * g.Channels, (start, end) =>
            {
                var c = g.Channels;
                var share = new T[c];
                for (var n = start; n < end; n++)
                    for (var oh = 0; oh < g.OutHeight; oh++)
                        for (var ow = 0; ow < g.OutWidth; ow++)
                        {
                            var w = g.Bounds(n, oh, ow);
                            if (w.Count == 0) continue;
                            TensorPrimitives.Divide(new ReadOnlySpan<T>((T*)gy + OutputOffset(g, n, oh, ow), c), T.CreateChecked(w.Count), share);
                            for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                for (var kw = w.First; kw < w.Last; kw++)
                                {
                                    var target = new Span<T>((T*)gx + w.Offset(g, kh, kw), c);
                                    TensorPrimitives.Add(target, share, target);
                                }
                        }
            });
        }
    }

    /// <summary>
    /// Per channel, the flat offset of the window's first maximum (strictly greater replaces, as TensorFlow's CPU
    /// kernel: a NaN is chosen only as the first element), -1 for an empty window.
    /// </summary>
    private static void ArgMax<T>(T* input, in Window2D g, int n, int oh, int ow, long[] argmax) where T : unmanaged, INumber<T>
    {
        System.Array.Fill(argmax, -1L);
        var w = g.Bounds(n, oh, ow);
        for (var kh = w.FirstRow; kh < w.LastRow; kh++)
            for (var kw = w.First; kw < w.Last; kw++)
            {
                var offset = w.Offset(g, kh, kw);
                var x = input + offset;
                for (var ch = 0; ch < g.Channels; ch++)
                {
                    var best = argmax[ch];
                    if (best < 0 || x[ch] > input[best]) argmax[ch] = offset + ch;
                }
            }
    }

    private static long OutputOffset(in Window2D g, int n, int oh, int ow) => (((long)n * g.OutHeight + oh) * g.OutWidth + ow) * g.Channels;

    private static void ForEachOutputRow(Window2D g, Action<int, int> body) =>
        Partition.For(g.Batch * g.OutHeight, (long)g.OutWidth * g.KernelHeight * g.KernelWidth * g.Channels, (start, end) =>
        {
            for (var r = start; r < end; r++) body(r / g.OutHeight, r % g.OutHeight);
        });
}
