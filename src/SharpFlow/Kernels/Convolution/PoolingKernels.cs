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
            ForEachOutputRow(g, new Buffers((nint)src, 0, (nint)dst, g), static (in Buffers p, int n, int oh) =>
            {
                var (g, c) = (p.G, p.G.Channels);
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var o = new Span<T>((T*)p.C + OutputOffset(g, n, oh, ow), c);
                    var w = g.Bounds(n, oh, ow);
                    if (w.Count == 0)
                    {
                        o.Fill(T.MinValue);
                        continue;
                    }
                    new ReadOnlySpan<T>((T*)p.A + w.Offset(g, w.FirstRow, w.First), c).CopyTo(o);
                    for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                        for (var kw = w.First; kw < w.Last; kw++)
                            TensorPrimitives.Max(o, new ReadOnlySpan<T>((T*)p.A + w.Offset(g, kh, kw), c), o);
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
        if (typeof(T) == typeof(float) && g.StrideHeight >= g.KernelHeight && g.StrideWidth >= g.KernelWidth && System.Numerics.Vector.IsHardwareAccelerated)
        {
            MaxPoolGradDisjoint(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(input), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(outputGrad),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(inputGrad), g);
            return;
        }
        fixed (T* src = input)
        fixed (T* dy = outputGrad)
        fixed (T* dx = inputGrad)
        {
            // Windows of one image overlap, so the parallel unit is the image.
            Partition.For(g.Batch, (long)g.OutPositions * g.KernelHeight * g.KernelWidth * g.Channels, new Buffers((nint)src, (nint)dy, (nint)dx, g), static (in Buffers p, int start, int end) =>
            {
                var g = p.G;
                var rented = System.Buffers.ArrayPool<long>.Shared.Rent(g.Channels);
                var argmax = rented.AsSpan(0, g.Channels);
                for (var n = start; n < end; n++)
                    for (var oh = 0; oh < g.OutHeight; oh++)
                        for (var ow = 0; ow < g.OutWidth; ow++)
                        {
                            ArgMax((T*)p.A, g, n, oh, ow, argmax);
                            var o = (T*)p.B + OutputOffset(g, n, oh, ow);
                            for (var ch = 0; ch < g.Channels; ch++)
                                if (argmax[ch] >= 0) ((T*)p.C)[argmax[ch]] += o[ch];
                        }
                System.Buffers.ArrayPool<long>.Shared.Return(rented);
            });
        }
    }

    /// <summary>
    /// Max-pooling gradient when windows do not overlap (stride at least the window, as 2×2/2 pooling): each input
    /// element is in at most one window, so output rows run in parallel and the channels of a window are compared as
    /// vectors. Each lane keeps the first strict maximum, as the scalar rule does; <paramref name="inputGrad"/> is
    /// already zero.
    /// </summary>
    private static void MaxPoolGradDisjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, Window2D g)
    {
        fixed (float* src = input)
        fixed (float* dy = outputGrad)
        fixed (float* dx = inputGrad)
        {
            Partition.For(g.Batch * g.OutHeight, (long)g.OutWidth * g.KernelHeight * g.KernelWidth * g.Channels, new Buffers((nint)src, (nint)dy, (nint)dx, g), static (in Buffers p, int start, int end) =>
            {
                var g = p.G;
                var c = g.Channels;
                var width = System.Numerics.Vector<float>.Count;
                var vectorEnd = c - c % width;
                for (var r = start; r < end; r++)
                {
                    var (n, oh) = (r / g.OutHeight, r % g.OutHeight);
                    for (var ow = 0; ow < g.OutWidth; ow++)
                    {
                        var w = g.Bounds(n, oh, ow);
                        if (w.Count == 0) continue;
                        var o = (float*)p.B + OutputOffset(g, n, oh, ow);
                        var first = w.Offset(g, w.FirstRow, w.First);
                        for (var ch = 0; ch < vectorEnd; ch += width)
                        {
                            var best = System.Numerics.Vector.Load((float*)p.A + first + ch);
                            var at = System.Numerics.Vector<float>.Zero;
                            var k = 0f;
                            for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                for (var kw = w.First; kw < w.Last; kw++, k++)
                                {
                                    var x = System.Numerics.Vector.Load((float*)p.A + w.Offset(g, kh, kw) + ch);
                                    var greater = System.Numerics.Vector.GreaterThan(x, best);
                                    best = System.Numerics.Vector.ConditionalSelect(greater, x, best);
                                    at = System.Numerics.Vector.ConditionalSelect(greater, new System.Numerics.Vector<float>(k), at);
                                }
                            var grad = System.Numerics.Vector.Load(o + ch);
                            k = 0f;
                            for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                for (var kw = w.First; kw < w.Last; kw++, k++)
                                    System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(at, new System.Numerics.Vector<float>(k)), grad, System.Numerics.Vector<float>.Zero)
                                        .Store((float*)p.C + w.Offset(g, kh, kw) + ch);
                        }
                        for (var ch = vectorEnd; ch < c; ch++)
                        {
                            long best = first + ch;
                            for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                for (var kw = w.First; kw < w.Last; kw++)
                                {
                                    var offset = w.Offset(g, kh, kw) + ch;
                                    if (((float*)p.A)[offset] > ((float*)p.A)[best]) best = offset;
                                }
                            ((float*)p.C)[best] = o[ch];
                        }
                    }
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
            ForEachOutputRow(g, new Buffers((nint)src, (nint)ddx, (nint)ddy, g), static (in Buffers p, int n, int oh) =>
            {
                var g = p.G;
                var rented = System.Buffers.ArrayPool<long>.Shared.Rent(g.Channels);
                var argmax = rented.AsSpan(0, g.Channels);
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    ArgMax((T*)p.A, g, n, oh, ow, argmax);
                    var o = (T*)p.C + OutputOffset(g, n, oh, ow);
                    for (var ch = 0; ch < g.Channels; ch++) o[ch] = argmax[ch] >= 0 ? ((T*)p.B)[argmax[ch]] : T.Zero;
                }
                System.Buffers.ArrayPool<long>.Shared.Return(rented);
            });
        }
    }

    /// <summary><paramref name="output"/> = the windows' means over the elements inside the image.</summary>
    public static void AvgPool<T>(ReadOnlySpan<T> input, Span<T> output, Window2D g) where T : unmanaged, INumber<T>
    {
        fixed (T* src = input)
        fixed (T* dst = output)
        {
            ForEachOutputRow(g, new Buffers((nint)src, 0, (nint)dst, g), static (in Buffers p, int n, int oh) =>
            {
                var (g, c) = (p.G, p.G.Channels);
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var o = new Span<T>((T*)p.C + OutputOffset(g, n, oh, ow), c);
                    o.Clear();
                    var w = g.Bounds(n, oh, ow);
                    for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                        for (var kw = w.First; kw < w.Last; kw++)
                            TensorPrimitives.Add(o, new ReadOnlySpan<T>((T*)p.A + w.Offset(g, kh, kw), c), o);
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
            Partition.For(g.Batch, (long)g.OutPositions * g.KernelHeight * g.KernelWidth * g.Channels, new Buffers(0, (nint)dy, (nint)dx, g), static (in Buffers p, int start, int end) =>
            {
                var (g, c) = (p.G, p.G.Channels);
                var rented = System.Buffers.ArrayPool<T>.Shared.Rent(c);
                var share = rented.AsSpan(0, c);
                for (var n = start; n < end; n++)
                    for (var oh = 0; oh < g.OutHeight; oh++)
                        for (var ow = 0; ow < g.OutWidth; ow++)
                        {
                            var w = g.Bounds(n, oh, ow);
                            if (w.Count == 0) continue;
                            TensorPrimitives.Divide(new ReadOnlySpan<T>((T*)p.B + OutputOffset(g, n, oh, ow), c), T.CreateChecked(w.Count), share);
                            for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                for (var kw = w.First; kw < w.Last; kw++)
                                {
                                    var target = new Span<T>((T*)p.C + w.Offset(g, kh, kw), c);
                                    TensorPrimitives.Add(target, share, target);
                                }
                        }
                System.Buffers.ArrayPool<T>.Shared.Return(rented);
            });
        }
    }

    /// <summary>
    /// Per channel, the flat offset of the window's first maximum (strictly greater replaces, as TensorFlow's CPU
    /// kernel: a NaN is chosen only as the first element), -1 for an empty window.
    /// </summary>
    private static void ArgMax<T>(T* input, in Window2D g, int n, int oh, int ow, Span<long> argmax) where T : unmanaged, INumber<T>
    {
        argmax.Fill(-1L);
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

    /// <summary>The buffers of a pooling loop: two inputs and the output, and the window geometry.</summary>
    private readonly record struct Buffers(nint A, nint B, nint C, Window2D G);

    private delegate void RowBody(in Buffers buffers, int image, int outRow);

    /// <summary>Runs <paramref name="body"/> for every output row (image, row) in parallel.</summary>
    private static void ForEachOutputRow(Window2D g, in Buffers buffers, RowBody body) =>
        Partition.For(g.Batch * g.OutHeight, (long)g.OutWidth * g.KernelHeight * g.KernelWidth * g.Channels, (Buffers: buffers, Body: body), static (in (Buffers Buffers, RowBody Body) p, int start, int end) =>
        {
            var outHeight = p.Buffers.G.OutHeight;
            for (var r = start; r < end; r++) p.Body(in p.Buffers, r / outHeight, r % outHeight);
        });
}
