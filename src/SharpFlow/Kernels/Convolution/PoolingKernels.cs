using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        if (typeof(T) == typeof(float) && g.Channels % 8 != 0 && TilesInput(g) && Avx2.IsSupported)
        {
            MaxPoolTiled(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(input), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(output), g);
            return;
        }
        fixed (T* src = input)
        fixed (T* dst = output)
        {
            ForEachOutputRow(g, new Buffers((nint)src, 0, (nint)dst, g), static (in Buffers p, int n, int oh) =>
            {
                var g = p.G;
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var o = (T*)p.C + OutputOffset(g, n, oh, ow);
                    var w = g.Bounds(n, oh, ow);
                    if (w.Count == 0) new Span<T>(o, g.Channels).Fill(T.MinValue);
                    else if (typeof(T) == typeof(float)) MaxWindow((float*)p.A, (float*)o, g, w);
                    else if (typeof(T) == typeof(double)) MaxWindow((double*)p.A, (double*)o, g, w);
                    else MaxWindowScalar((T*)p.A, o, g, w);
                }
            });
        }
    }

    /// <summary>
    /// One output pixel of max pooling: the channels in blocks of 512, 256 and 128 bits, each block's maximum kept in
    /// a register over the window's taps (row-major), then the last channels one by one. <c>VectorN.Max</c> and
    /// <c>T.Max</c> are IEEE 754 maximum (a NaN wins, +0 beats -0), the rule of <c>TensorPrimitives.Max</c>.
    /// </summary>
    private static void MaxWindow<T>(T* src, T* o, in Window2D g, in WindowBounds w) where T : unmanaged, INumber<T>
    {
        var c = g.Channels;
        var first = src + w.Offset(g, w.FirstRow, w.First);
        long rowStep = (long)g.DilationHeight * g.InWidth * c, colStep = (long)g.DilationWidth * c;
        var (rows, cols) = (w.LastRow - w.FirstRow, w.Last - w.First);
        var ch = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; ch + Vector512<T>.Count <= c; ch += Vector512<T>.Count)
            {
                var acc = Vector512.Load(first + ch);
                for (var r = 0; r < rows; r++)
                    for (var k = r == 0 ? 1 : 0; k < cols; k++)
                        acc = Vector512.Max(acc, Vector512.Load(first + r * rowStep + k * colStep + ch));
                acc.Store(o + ch);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; ch + Vector256<T>.Count <= c; ch += Vector256<T>.Count)
            {
                var acc = Vector256.Load(first + ch);
                for (var r = 0; r < rows; r++)
                    for (var k = r == 0 ? 1 : 0; k < cols; k++)
                        acc = Vector256.Max(acc, Vector256.Load(first + r * rowStep + k * colStep + ch));
                acc.Store(o + ch);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; ch + Vector128<T>.Count <= c; ch += Vector128<T>.Count)
            {
                var acc = Vector128.Load(first + ch);
                for (var r = 0; r < rows; r++)
                    for (var k = r == 0 ? 1 : 0; k < cols; k++)
                        acc = Vector128.Max(acc, Vector128.Load(first + r * rowStep + k * colStep + ch));
                acc.Store(o + ch);
            }
        for (; ch < c; ch++)
        {
            var acc = first[ch];
            for (var r = 0; r < rows; r++)
                for (var k = r == 0 ? 1 : 0; k < cols; k++)
                    acc = T.Max(acc, first[r * rowStep + k * colStep + ch]);
            o[ch] = acc;
        }
    }

    /// <summary>
    /// Max pooling of float32 windows that tile the input (<see cref="TilesInput"/>) with channels not a multiple of 8
    /// (LeNet-5's 6, which <see cref="MaxWindow{T}"/> compared one by one): blocks of 8 channels, the last one
    /// spilling into the next output pixel of the row, which is written after it (the row's last window is masked), as
    /// in <see cref="MaxPoolGradTiled"/>. <c>Vector256.Max</c> is the IEEE 754 maximum of the other paths.
    /// </summary>
    private static void MaxPoolTiled(ReadOnlySpan<float> input, Span<float> output, Window2D g)
    {
        fixed (float* src = input)
        fixed (float* dst = output)
        {
            Partition.For(g.Batch * g.OutHeight, (long)g.OutWidth * g.KernelHeight * g.KernelWidth * g.Channels, new Buffers((nint)src, 0, (nint)dst, g), static (in Buffers p, int start, int end) =>
            {
                var g = p.G;
                var c = g.Channels;
                var taps = g.KernelHeight * g.KernelWidth;
                var offsets = stackalloc long[taps];
                var rowStep = TapOffsets(g, offsets);
                var full = c - c % 8;
                var lanes = Vector256.LessThan(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((float)(c - full)));
                // The spill must stay inside the next output pixel and the next window's taps.
                var spills = 8 - (c - full) <= c;
                for (var r = start; r < end; r++)
                {
                    var (n, oh) = (r / g.OutHeight, r % g.OutHeight);
                    long rowStart = ((long)n * g.InHeight + (long)oh * g.KernelHeight) * rowStep;
                    var o = (float*)p.C + (long)r * g.OutWidth * c;
                    for (var ow = 0; ow < g.OutWidth; ow++, o += c)
                    {
                        var x = (float*)p.A + rowStart + (long)ow * g.KernelWidth * c;
                        var masked = !spills || ow + 1 == g.OutWidth;
                        var block = masked ? Avx.MaskLoad(x + full, lanes) : Vector256.Load(x + full);
                        for (var t = 1; t < taps; t++)
                            block = Vector256.Max(block, masked ? Avx.MaskLoad(x + full + offsets[t], lanes) : Vector256.Load(x + full + offsets[t]));
                        if (masked) Avx.MaskStore(o + full, lanes, block);
                        else block.Store(o + full);
                        for (var ch = 0; ch < full; ch += 8)
                        {
                            var acc = Vector256.Load(x + ch);
                            for (var t = 1; t < taps; t++) acc = Vector256.Max(acc, Vector256.Load(x + ch + offsets[t]));
                            acc.Store(o + ch);
                        }
                    }
                }
            });
        }
    }

    /// <summary>One output pixel of max pooling for element types without vectors: <c>TensorPrimitives.Max</c> per tap.</summary>
    private static void MaxWindowScalar<T>(T* src, T* o, in Window2D g, in WindowBounds w) where T : unmanaged, INumber<T>
    {
        var output = new Span<T>(o, g.Channels);
        new ReadOnlySpan<T>(src + w.Offset(g, w.FirstRow, w.First), g.Channels).CopyTo(output);
        for (var kh = w.FirstRow; kh < w.LastRow; kh++)
            for (var kw = w.First; kw < w.Last; kw++)
                TensorPrimitives.Max(output, new ReadOnlySpan<T>(src + w.Offset(g, kh, kw), g.Channels), output);
    }

    /// <summary>
    /// The gradient of max pooling: each output gradient is added to the input element that was its window's
    /// maximum. <paramref name="inputGrad"/> is overwritten.
    /// </summary>
    public static void MaxPoolGrad<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGrad, Span<T> inputGrad, Window2D g)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) && TilesInput(g) && Avx2.IsSupported)
        {
            MaxPoolGradTiled(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(input), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(outputGrad),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(inputGrad), g);
            return;
        }
        inputGrad.Clear();
        if (typeof(T) == typeof(float) && g.StrideHeight >= g.KernelHeight && g.StrideWidth >= g.KernelWidth && System.Numerics.Vector.IsHardwareAccelerated)
        {
            MaxPoolGradDisjoint(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(input), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(outputGrad),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(inputGrad), g);
            return;
        }
        if (typeof(T) == typeof(float) && g.Channels >= Vector256<float>.Count && input.Length <= int.MaxValue && Vector256.IsHardwareAccelerated)
        {
            MaxPoolGradOverlapping(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(input), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(outputGrad),
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
    /// The max-pooling gradient of float32 windows that may overlap (ResNet's 3×3 stride-2 pooling), 8 channels at a
    /// time: per channel the value and flat offset of the window's first maximum are kept in vectors over the taps in
    /// <see cref="ArgMax{T}"/>'s order (strictly greater replaces, so a NaN is chosen only as the first tap), then each
    /// output's gradient is added at its 8 offsets; the channels past the last 8 as <see cref="ArgMax{T}"/> does. The
    /// same offsets and the same additions in the same order as the general path, so the same results. Parallel over
    /// images, whose windows do not share inputs. <paramref name="inputGrad"/> is cleared by the caller.
    /// </summary>
    private static void MaxPoolGradOverlapping(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, Window2D g)
    {
        fixed (float* src = input)
        fixed (float* dy = outputGrad)
        fixed (float* dx = inputGrad)
        {
            Partition.For(g.Batch, (long)g.OutPositions * g.KernelHeight * g.KernelWidth * g.Channels, new Buffers((nint)src, (nint)dy, (nint)dx, g), static (in Buffers p, int start, int end) =>
            {
                var g = p.G;
                var x = (float*)p.A;
                var dx = (float*)p.C;
                var offsets = stackalloc int[Vector256<int>.Count];
                var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                for (var n = start; n < end; n++)
                    for (var oh = 0; oh < g.OutHeight; oh++)
                        for (var ow = 0; ow < g.OutWidth; ow++)
                        {
                            var w = g.Bounds(n, oh, ow);
                            if (w.Count <= 0) continue;
                            var o = (float*)p.B + OutputOffset(g, n, oh, ow);
                            var ch = 0;
                            for (; ch + Vector256<float>.Count <= g.Channels; ch += Vector256<float>.Count)
                            {
                                var first = (int)w.Offset(g, w.FirstRow, w.First) + ch;
                                var best = Vector256.Load(x + first);
                                var at = Vector256.Create(first) + lanes;
                                for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                    for (var kw = kh == w.FirstRow ? w.First + 1 : w.First; kw < w.Last; kw++)
                                    {
                                        var offset = (int)w.Offset(g, kh, kw) + ch;
                                        var v = Vector256.Load(x + offset);
                                        var greater = Vector256.GreaterThan(v, best);
                                        best = Vector256.ConditionalSelect(greater, v, best);
                                        at = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(offset) + lanes, at);
                                    }
                                at.Store(offsets);
                                for (var l = 0; l < Vector256<float>.Count; l++) dx[offsets[l]] += o[ch + l];
                            }
                            for (; ch < g.Channels; ch++)
                            {
                                var bestAt = -1L;
                                for (var kh = w.FirstRow; kh < w.LastRow; kh++)
                                    for (var kw = w.First; kw < w.Last; kw++)
                                    {
                                        var offset = w.Offset(g, kh, kw) + ch;
                                        if (bestAt < 0 || x[offset] > x[bestAt]) bestAt = offset;
                                    }
                                dx[bestAt] += o[ch];
                            }
                        }
            });
        }
    }

    /// <summary>
    /// The flat offset of every tap of a window from its first (row-major, no dilation) into <paramref name="offsets"/>,
    /// for the tiled kernels; returns the offset of one image row.
    /// </summary>
    private static long TapOffsets(in Window2D g, long* offsets)
    {
        var rowStep = (long)g.InWidth * g.Channels;
        for (var kh = 0; kh < g.KernelHeight; kh++)
            for (var kw = 0; kw < g.KernelWidth; kw++)
                offsets[kh * g.KernelWidth + kw] = kh * rowStep + kw * g.Channels;
        return rowStep;
    }

    /// <summary>
    /// Whether the windows sit side by side inside the image without gaps or overlaps (stride equal to the window, no
    /// padding, no dilation: LeNet-5's and VGG's 2×2/2 VALID pooling): every input element is in exactly one window
    /// except the rows and columns past the last window, which no window reaches.
    /// </summary>
    private static bool TilesInput(in Window2D g) =>
        g.StrideHeight == g.KernelHeight && g.StrideWidth == g.KernelWidth && g.PadTop == 0 && g.PadLeft == 0 && g.DilationHeight == 1 && g.DilationWidth == 1
        && g.OutHeight > 0 && g.OutWidth > 0 && (long)g.OutHeight * g.KernelHeight <= g.InHeight && (long)g.OutWidth * g.KernelWidth <= g.InWidth;

    /// <summary>
    /// Max-pooling gradient of windows that tile the input (<see cref="TilesInput"/>), 8 channels at a time with the
    /// lane rule of <see cref="MaxPoolGradDisjoint"/> (first strict maximum over the taps in row-major order), so the
    /// same results. Every element under a window is written once (its gradient or zero), so only the rows and
    /// columns no window covers are cleared. Channels past the last 8 (all of LeNet-5's 6) are one 8-lane vector whose
    /// lanes past the channels spill into the next pixel of the row, with a zero gradient: that pixel is written after
    /// (the tail is done before the full blocks, and windows left to right), so the spill never survives; the row's
    /// last window, whose spill would leave it, uses masked loads and stores. Masked stores of every tap (the way
    /// before) took 80 ns a window on a core, as if each stalled on the cleared line it wrote to.
    /// </summary>
    private static void MaxPoolGradTiled(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, Window2D g)
    {
        if (g.OutHeight * g.KernelHeight < g.InHeight || g.OutWidth * g.KernelWidth < g.InWidth) inputGrad.Clear();
        fixed (float* src = input)
        fixed (float* dy = outputGrad)
        fixed (float* dx = inputGrad)
        {
            Partition.For(g.Batch * g.OutHeight, (long)g.OutWidth * g.KernelHeight * g.KernelWidth * g.Channels, new Buffers((nint)src, (nint)dy, (nint)dx, g), static (in Buffers p, int start, int end) =>
            {
                var g = p.G;
                var c = g.Channels;
                var taps = g.KernelHeight * g.KernelWidth;
                var offsets = stackalloc long[taps];
                var rowStep = TapOffsets(g, offsets);
                var full = c - c % 8;
                var tail = c - full;
                var lanes = Vector256.LessThan(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((float)tail));
                // The spill of a window's last tap must stay inside the next window.
                var spills = tail > 0 && 8 - tail <= g.KernelWidth * c;
                for (var r = start; r < end; r++)
                {
                    var (n, oh) = (r / g.OutHeight, r % g.OutHeight);
                    long rowStart = ((long)n * g.InHeight + (long)oh * g.KernelHeight) * rowStep;
                    var o = (float*)p.B + (long)r * g.OutWidth * c;
                    for (var ow = 0; ow < g.OutWidth; ow++, o += c)
                    {
                        var at = rowStart + (long)ow * g.KernelWidth * c;
                        var x = (float*)p.A + at;
                        var d = (float*)p.C + at;
                        if (tail > 0)
                        {
                            if (spills && ow + 1 < g.OutWidth) TiledBlock(x + full, d + full, o + full, offsets, taps, lanes, masked: false);
                            else TiledBlock(x + full, d + full, o + full, offsets, taps, lanes, masked: true);
                        }
                        for (var ch = 0; ch < full; ch += 8) TiledBlock(x + ch, d + ch, o + ch, offsets, taps, Vector256<float>.AllBitsSet, masked: false);
                    }
                }
            });
        }
    }

    /// <summary>
    /// One 8-channel block of one window for <see cref="MaxPoolGradTiled"/>: per lane the first strict maximum over the
    /// taps, then every tap's store of the gradient there and zero elsewhere. Lanes off <paramref name="lanes"/> get
    /// a zero gradient; with <paramref name="masked"/> they are neither read nor written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TiledBlock(float* x, float* dx, float* dy, long* offsets, int taps, Vector256<float> lanes, bool masked)
    {
        var best = masked ? Avx.MaskLoad(x, lanes) : Vector256.Load(x);
        var at = Vector256<float>.Zero;
        for (var t = 1; t < taps; t++)
        {
            var v = masked ? Avx.MaskLoad(x + offsets[t], lanes) : Vector256.Load(x + offsets[t]);
            var greater = Vector256.GreaterThan(v, best);
            best = Vector256.ConditionalSelect(greater, v, best);
            at = Vector256.ConditionalSelect(greater, Vector256.Create((float)t), at);
        }
        var grad = (masked ? Avx.MaskLoad(dy, lanes) : Vector256.Load(dy)) & lanes;
        for (var t = 0; t < taps; t++)
        {
            var value = grad & Vector256.Equals(at, Vector256.Create((float)t));
            if (masked) Avx.MaskStore(dx + offsets[t], lanes, value);
            else value.Store(dx + offsets[t]);
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
                        if (vectorEnd < c && Avx.IsSupported && c - vectorEnd <= Vector256<float>.Count)
                        {
                            NarrowChannels((float*)p.A, o, (float*)p.C, g, w, vectorEnd);
                            continue;
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
    /// The disjoint max-pooling gradient of one window for the last channels, from <paramref name="from"/> on, fewer
    /// than 8 (all of LeNet-5's 6): the rule of the vector lanes above on one 256-bit vector whose lanes past the
    /// channels are masked off, so nothing outside them is read or written. Compared one by one, the channels'
    /// unpredictable "greater" branches cost more than the rest of the gradient.
    /// </summary>
    private static void NarrowChannels(float* input, float* outputGrad, float* inputGrad, in Window2D g, in WindowBounds w, int from)
    {
        var mask = Vector256.LessThan(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((float)(g.Channels - from))).AsSingle();
        var best = Avx.MaskLoad(input + w.Offset(g, w.FirstRow, w.First) + from, mask);
        var at = Vector256<float>.Zero;
        var k = 0f;
        for (var kh = w.FirstRow; kh < w.LastRow; kh++)
            for (var kw = w.First; kw < w.Last; kw++, k++)
            {
                var x = Avx.MaskLoad(input + w.Offset(g, kh, kw) + from, mask);
                var greater = Vector256.GreaterThan(x, best);
                best = Vector256.ConditionalSelect(greater, x, best);
                at = Vector256.ConditionalSelect(greater, Vector256.Create(k), at);
            }
        var grad = Avx.MaskLoad(outputGrad + from, mask);
        k = 0f;
        for (var kh = w.FirstRow; kh < w.LastRow; kh++)
            for (var kw = w.First; kw < w.Last; kw++, k++)
                Avx.MaskStore(inputGrad + w.Offset(g, kh, kw) + from, mask,
                    Vector256.ConditionalSelect(Vector256.Equals(at, Vector256.Create(k)), grad, Vector256<float>.Zero));
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
                var g = p.G;
                for (var ow = 0; ow < g.OutWidth; ow++)
                {
                    var o = (T*)p.C + OutputOffset(g, n, oh, ow);
                    var w = g.Bounds(n, oh, ow);
                    if (typeof(T) == typeof(float)) MeanWindow((float*)p.A, (float*)o, g, w);
                    else if (typeof(T) == typeof(double)) MeanWindow((double*)p.A, (double*)o, g, w);
                    else MeanWindowScalar((T*)p.A, o, g, w);
                }
            });
        }
    }

    /// <summary>
    /// One output pixel of average pooling: per channel block, 0 plus the taps in row-major order, divided by the
    /// number of taps inside the image (an empty window gives 0), in registers; the same operations in the same order
    /// as adding whole tap rows with <c>TensorPrimitives</c>, so the results are bitwise those of that loop.
    /// </summary>
    private static void MeanWindow<T>(T* src, T* o, in Window2D g, in WindowBounds w) where T : unmanaged, INumber<T>
    {
        var c = g.Channels;
        var count = w.Count;
        if (count == 0)
        {
            new Span<T>(o, c).Clear();
            return;
        }
        var first = src + w.Offset(g, w.FirstRow, w.First);
        long rowStep = (long)g.DilationHeight * g.InWidth * c, colStep = (long)g.DilationWidth * c;
        var (rows, cols) = (w.LastRow - w.FirstRow, w.Last - w.First);
        var divisor = T.CreateChecked(count);
        var ch = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Four channel blocks at a time: four independent chains of adds instead of one (the chain's latency, not
            // the loads, bounded the one-block loop: Inception-v3's 35×35×288 pooling 135 µs).
            var d = Vector512.Create(divisor);
            for (; ch + 4 * Vector512<T>.Count <= c; ch += 4 * Vector512<T>.Count)
            {
                Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (var r = 0; r < rows; r++)
                {
                    var tap = first + r * rowStep + ch;
                    for (var k = 0; k < cols; k++, tap += colStep)
                    {
                        a0 += Vector512.Load(tap);
                        a1 += Vector512.Load(tap + Vector512<T>.Count);
                        a2 += Vector512.Load(tap + 2 * Vector512<T>.Count);
                        a3 += Vector512.Load(tap + 3 * Vector512<T>.Count);
                    }
                }
                (a0 / d).Store(o + ch);
                (a1 / d).Store(o + ch + Vector512<T>.Count);
                (a2 / d).Store(o + ch + 2 * Vector512<T>.Count);
                (a3 / d).Store(o + ch + 3 * Vector512<T>.Count);
            }
            for (; ch + Vector512<T>.Count <= c; ch += Vector512<T>.Count)
            {
                var acc = Vector512<T>.Zero;
                for (var r = 0; r < rows; r++)
                    for (var k = 0; k < cols; k++)
                        acc += Vector512.Load(first + r * rowStep + k * colStep + ch);
                (acc / d).Store(o + ch);
            }
        }
        if (Vector256.IsHardwareAccelerated)
            for (; ch + Vector256<T>.Count <= c; ch += Vector256<T>.Count)
            {
                var acc = Vector256<T>.Zero;
                for (var r = 0; r < rows; r++)
                    for (var k = 0; k < cols; k++)
                        acc += Vector256.Load(first + r * rowStep + k * colStep + ch);
                (acc / Vector256.Create(divisor)).Store(o + ch);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; ch + Vector128<T>.Count <= c; ch += Vector128<T>.Count)
            {
                var acc = Vector128<T>.Zero;
                for (var r = 0; r < rows; r++)
                    for (var k = 0; k < cols; k++)
                        acc += Vector128.Load(first + r * rowStep + k * colStep + ch);
                (acc / Vector128.Create(divisor)).Store(o + ch);
            }
        for (; ch < c; ch++)
        {
            var acc = T.Zero;
            for (var r = 0; r < rows; r++)
                for (var k = 0; k < cols; k++)
                    acc += first[r * rowStep + k * colStep + ch];
            o[ch] = acc / divisor;
        }
    }

    /// <summary>One output pixel of average pooling for element types without vectors.</summary>
    private static void MeanWindowScalar<T>(T* src, T* o, in Window2D g, in WindowBounds w) where T : unmanaged, INumber<T>
    {
        var output = new Span<T>(o, g.Channels);
        output.Clear();
        for (var kh = w.FirstRow; kh < w.LastRow; kh++)
            for (var kw = w.First; kw < w.Last; kw++)
                TensorPrimitives.Add(output, new ReadOnlySpan<T>(src + w.Offset(g, kh, kw), g.Channels), output);
        if (w.Count > 0) TensorPrimitives.Divide(output, T.CreateChecked(w.Count), output);
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
