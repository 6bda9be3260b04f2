using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Direct float32 convolution of one-channel images (the first layer of a network on grey images), horizontal
/// stride 1, no dilation. im2col would copy each pixel into every patch (25 times for a 5×5 filter) and leave a
/// product only a few output channels wide; here the image is padded once and the kernels read shifted rows of it
/// straight into vector registers, eight output columns per vector.
/// <list type="bullet">
/// <item>Forward: each output row keeps a 6-channel × 16-column block of sums in twelve registers while it walks the
/// filter taps.</item>
/// <item>Filter gradient: each (pair of taps, 6-channel group) is one task that sums, over all images and rows,
/// shifted input rows times the output gradient laid out channel by channel, in twelve registers.</item>
/// </list>
/// Each sum runs in a fixed order however the tasks are spread over threads, so results are deterministic.
/// </summary>
internal static unsafe class SingleChannelConv
{
    private const int Lanes = 8;          // floats per 256-bit vector
    private const int WideLanes = 16;     // floats per 512-bit vector
    private const int NarrowLanes = Lanes;
    private const int GroupChannels = 6;  // output channels per register block

    /// <summary>Whether the direct kernels are used where they apply; tests turn them off to compare with im2col.</summary>
    internal static bool Enabled = true;

    /// <summary>
    /// Whether the kernels take 16 columns per vector in AVX-512 registers rather than 8 in AVX ones: half the
    /// multiply-adds and loads for the same sums (LeNet-5's first convolution, 28 columns wide, is one block of 32
    /// instead of two of 16). Sums over a filter gradient's columns then run in 16 lanes, not 8. Tests flip it to run
    /// both (without AVX-512, in the runtime's software vectors).
    /// </summary>
    internal static bool Wide512 = Vector512.IsHardwareAccelerated;

    /// <summary>Whether the direct kernels handle this geometry on this machine.</summary>
    public static bool Applies(in Window2D g) =>
        Enabled && g.Channels == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1 && g.OutWidth > 0 && g.OutHeight > 0
        && Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// The zero-padded input: rows cover every (output row, tap), columns every vector read; output columns in whole
    /// blocks of two vectors (8 floats each, 16 with AVX-512).
    /// </summary>
    private readonly record struct Padded(int Rows, int Columns, int OutColumns, bool Wide)
    {
        public static Padded Of(in Window2D g)
        {
            var wide = Wide512;
            var block = 2 * (wide ? WideLanes : NarrowLanes);
            var outColumns = (g.OutWidth + block - 1) / block * block;
            // One column more than the taps need: the filter gradient reads taps in pairs.
            return new Padded((g.OutHeight - 1) * g.StrideHeight + g.KernelHeight, outColumns + g.KernelWidth, outColumns, wide);
        }

        public int ImageSize => checked(Rows * Columns);

        /// <summary>Floats per vector of the kernels: 8, or 16 with AVX-512.</summary>
        public int Lanes => Wide ? WideLanes : NarrowLanes;

        /// <summary>Output columns per forward block: two vectors.</summary>
        public int BlockColumns => 2 * Lanes;
    }

    private static void Pad(ReadOnlySpan<float> input, in Window2D g, in Padded p, float* dst)
    {
        // The copy reads the images in place: they must all be there (the span's slices checked this before).
        if (input.Length < (long)g.Batch * g.InImageSize)
            throw new ArgumentOutOfRangeException(nameof(input), $"SingleChannelConv: {input.Length} input values for {g.Batch} images of {g.InImageSize}.");
        fixed (float* x = input)
            ZeroPadded.Copy(x, g.Batch, g.InHeight, g.InWidth, 1, g.PadTop, g.PadLeft, dst, p.Rows, p.Columns);
    }

    private readonly record struct ForwardJob(nint X, nint W, nint Y, Window2D G, Padded P, int OutChannels, int PaddedChannels, RowEpilogue Epilogue);

    /// <summary>
    /// <paramref name="output"/>[N, outH, outW, C] = conv(<paramref name="input"/>[N, H, W, 1], filter[kh, kw, 1, C]),
    /// then the fused ops' <paramref name="epilogue"/> (bias, residual laid out as the output, activation as
    /// <see cref="GemmEpilogue{T}.InBlockActivation"/>) on each output row as soon as it is written, while it is in
    /// cache (<see cref="RowEpilogue"/>).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, Span<float> output, Window2D g, int outChannels,
        GemmEpilogue<float> epilogue = default)
    {
        var p = Padded.Of(g);
        var groups = (outChannels + GroupChannels - 1) / GroupChannels;
        var paddedChannels = groups * GroupChannels;
        var taps = g.KernelHeight * g.KernelWidth;
        // Checks the epilogue before anything is rented.
        var pattern = RowEpilogue.RentPattern(epilogue, (long)g.Batch * g.OutHeight, g.OutWidth, outChannels);
        var padded = ArrayPool<float>.Shared.Rent(checked(g.Batch * p.ImageSize));
        var weights = ArrayPool<float>.Shared.Rent(checked(taps * paddedChannels));
        try
        {
            // The filter with its channels padded to whole groups (zeros), so every block computes six channels.
            weights.AsSpan(0, taps * paddedChannels).Clear();
            for (var t = 0; t < taps; t++) filter.Slice(t * outChannels, outChannels).CopyTo(weights.AsSpan(t * paddedChannels));
            fixed (float* xp = padded)
            fixed (float* w = weights)
            fixed (float* y = output)
            fixed (float* bias = pattern)
            fixed (float* residual = epilogue.Residual)
            {
                Pad(input, g, p, xp);
                var job = new ForwardJob((nint)xp, (nint)w, (nint)y, g, p, outChannels, paddedChannels,
                    RowEpilogue.Create(epilogue, bias, residual, g.OutWidth, outChannels));
                Partition.For(g.Batch * g.OutHeight, (long)g.OutWidth * taps * outChannels, job, static (in ForwardJob j, int start, int end) =>
                {
                    for (var r = start; r < end; r++)
                    {
                        ForwardRow(j, r / j.G.OutHeight, r % j.G.OutHeight);
                        j.Epilogue.Apply((float*)j.Y, r);
                    }
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(weights);
            RowEpilogue.ReturnPattern(pattern);
        }
    }

    private static void ForwardRow(in ForwardJob j, int n, int oh)
    {
        var g = j.G;
        var image = (float*)j.X + (long)n * j.P.ImageSize + oh * g.StrideHeight * j.P.Columns;
        var outRow = (float*)j.Y + ((long)n * g.OutHeight + oh) * g.OutWidth * j.OutChannels;
        var blockColumns = j.P.BlockColumns;
        var sums = stackalloc float[GroupChannels * 2 * WideLanes];
        for (var c0 = 0; c0 < j.OutChannels; c0 += GroupChannels)
            for (var ow0 = 0; ow0 < g.OutWidth; ow0 += blockColumns)
            {
                if (j.P.Wide) ForwardBlock512(g, image + ow0, j.P.Columns, (float*)j.W + c0, j.PaddedChannels, sums);
                else ForwardBlock(g, image + ow0, j.P.Columns, (float*)j.W + c0, j.PaddedChannels, sums);
                var columns = Math.Min(blockColumns, g.OutWidth - ow0);
                var channels = Math.Min(GroupChannels, j.OutChannels - c0);
                for (var col = 0; col < columns; col++)
                {
                    var o = outRow + (long)(ow0 + col) * j.OutChannels + c0;
                    for (var c = 0; c < channels; c++) o[c] = sums[c * blockColumns + col];
                }
            }
    }

    /// <summary>
    /// Six channels × 16 columns of sums (two 8-float vectors per channel) over every tap, stored channel-major at
    /// <paramref name="sums"/> (channel c's columns at <c>c·16</c>).
    /// </summary>
    private static void ForwardBlock(in Window2D g, float* image, int stride, float* w, int paddedChannels, float* sums)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default;
        for (var kh = 0; kh < g.KernelHeight; kh++)
        {
            var row = image + kh * stride;
            for (var kw = 0; kw < g.KernelWidth; kw++, w += paddedChannels)
            {
                var x0 = Avx.LoadVector256(row + kw);
                var x1 = Avx.LoadVector256(row + kw + Lanes);
                var v = Vector256.Create(w[0]); a0 = Fma.MultiplyAdd(x0, v, a0); b0 = Fma.MultiplyAdd(x1, v, b0);
                v = Vector256.Create(w[1]); a1 = Fma.MultiplyAdd(x0, v, a1); b1 = Fma.MultiplyAdd(x1, v, b1);
                v = Vector256.Create(w[2]); a2 = Fma.MultiplyAdd(x0, v, a2); b2 = Fma.MultiplyAdd(x1, v, b2);
                v = Vector256.Create(w[3]); a3 = Fma.MultiplyAdd(x0, v, a3); b3 = Fma.MultiplyAdd(x1, v, b3);
                v = Vector256.Create(w[4]); a4 = Fma.MultiplyAdd(x0, v, a4); b4 = Fma.MultiplyAdd(x1, v, b4);
                v = Vector256.Create(w[5]); a5 = Fma.MultiplyAdd(x0, v, a5); b5 = Fma.MultiplyAdd(x1, v, b5);
            }
        }
        // Sums are channel-major here; the output interleaves channels per column.
        Avx.Store(sums, a0); Avx.Store(sums + Lanes, b0);
        Avx.Store(sums + 2 * Lanes, a1); Avx.Store(sums + 3 * Lanes, b1);
        Avx.Store(sums + 4 * Lanes, a2); Avx.Store(sums + 5 * Lanes, b2);
        Avx.Store(sums + 6 * Lanes, a3); Avx.Store(sums + 7 * Lanes, b3);
        Avx.Store(sums + 8 * Lanes, a4); Avx.Store(sums + 9 * Lanes, b4);
        Avx.Store(sums + 10 * Lanes, a5); Avx.Store(sums + 11 * Lanes, b5);
    }

    /// <summary>
    /// <see cref="ForwardBlock"/> with 16-float vectors: six channels × 32 columns, the same taps in the same order
    /// (so the same sums for each column), channel c's columns at <c>c·32</c>.
    /// </summary>
    private static void ForwardBlock512(in Window2D g, float* image, int stride, float* w, int paddedChannels, float* sums)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default;
        for (var kh = 0; kh < g.KernelHeight; kh++)
        {
            var row = image + kh * stride;
            for (var kw = 0; kw < g.KernelWidth; kw++, w += paddedChannels)
            {
                var x0 = Vector512.Load(row + kw);
                var x1 = Vector512.Load(row + kw + WideLanes);
                var v = Vector512.Create(w[0]); a0 = Vector512.FusedMultiplyAdd(x0, v, a0); b0 = Vector512.FusedMultiplyAdd(x1, v, b0);
                v = Vector512.Create(w[1]); a1 = Vector512.FusedMultiplyAdd(x0, v, a1); b1 = Vector512.FusedMultiplyAdd(x1, v, b1);
                v = Vector512.Create(w[2]); a2 = Vector512.FusedMultiplyAdd(x0, v, a2); b2 = Vector512.FusedMultiplyAdd(x1, v, b2);
                v = Vector512.Create(w[3]); a3 = Vector512.FusedMultiplyAdd(x0, v, a3); b3 = Vector512.FusedMultiplyAdd(x1, v, b3);
                v = Vector512.Create(w[4]); a4 = Vector512.FusedMultiplyAdd(x0, v, a4); b4 = Vector512.FusedMultiplyAdd(x1, v, b4);
                v = Vector512.Create(w[5]); a5 = Vector512.FusedMultiplyAdd(x0, v, a5); b5 = Vector512.FusedMultiplyAdd(x1, v, b5);
            }
        }
        a0.Store(sums); b0.Store(sums + WideLanes);
        a1.Store(sums + 2 * WideLanes); b1.Store(sums + 3 * WideLanes);
        a2.Store(sums + 4 * WideLanes); b2.Store(sums + 5 * WideLanes);
        a3.Store(sums + 6 * WideLanes); b3.Store(sums + 7 * WideLanes);
        a4.Store(sums + 8 * WideLanes); b4.Store(sums + 9 * WideLanes);
        a5.Store(sums + 10 * WideLanes); b5.Store(sums + 11 * WideLanes);
    }

    /// <summary>
    /// The filter-gradient work: the padded input, the output gradient laid out channel-major per output row, the
    /// vector sums of every task (a pair of horizontally adjacent taps × a group of six channels: twelve vectors),
    /// and the rows [<see cref="RowStart"/>, <see cref="RowEnd"/>) being added.
    /// </summary>
    private readonly record struct FilterJob(nint X, nint Dy, nint Sums, Window2D G, Padded P, int OutChannels, int Groups, int RowStart, int RowEnd)
    {
        public int Pairs => (G.KernelWidth + 1) / 2;
        public int RowStride => Groups * GroupChannels * P.OutColumns;
    }

    private const int SumVectors = 2 * GroupChannels;

    /// <summary>
    /// <paramref name="filterGrad"/>[kh, kw, 1, C] = Σ over images and output positions of the input under the tap
    /// times <paramref name="outputGrad"/>; overwritten. The rows are added in chunks whose output gradient stays in
    /// the cache while every task reads it; each task adds its rows in order, so the sums do not depend on threads.
    /// </summary>
    public static void BackpropFilter(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> filterGrad, Window2D g, int outChannels)
    {
        var p = Padded.Of(g);
        var groups = (outChannels + GroupChannels - 1) / GroupChannels;
        var rows = g.Batch * g.OutHeight;
        var rowStride = groups * GroupChannels * p.OutColumns;
        var tasks = g.KernelHeight * ((g.KernelWidth + 1) / 2) * groups;
        var padded = ArrayPool<float>.Shared.Rent(checked(g.Batch * p.ImageSize));
        var transposed = ArrayPool<float>.Shared.Rent(checked(rows * rowStride));
        var lanes = p.Lanes;
        var sums = ArrayPool<float>.Shared.Rent(tasks * SumVectors * lanes);
        try
        {
            sums.AsSpan(0, tasks * SumVectors * lanes).Clear();
            fixed (float* xp = padded)
            fixed (float* dyt = transposed)
            fixed (float* dy = outputGrad)
            fixed (float* acc = sums)
            {
                Pad(input, g, p, xp);
                var job = new FilterJob((nint)xp, (nint)dyt, (nint)acc, g, p, outChannels, groups, 0, rows);
                Partition.For(rows, (long)g.OutWidth * outChannels, (Job: job, Dy: (nint)dy), static (in (FilterJob Job, nint Dy) s, int start, int end) =>
                {
                    var (width, columns, channels, stride) = (s.Job.G.OutWidth, s.Job.P.OutColumns, s.Job.OutChannels, s.Job.RowStride);
                    for (var r = start; r < end; r++)
                    {
                        // Channel by channel: a strided read into a contiguous plane, zeros past the row and for the
                        // channels of the last group past the real ones.
                        var dst = (float*)s.Job.Dy + (long)r * stride;
                        var src = (float*)s.Dy + (long)r * width * channels;
                        for (var c = 0; c < channels; c++, dst += columns)
                        {
                            var from = src + c;
                            for (var ow = 0; ow < width; ow++, from += channels) dst[ow] = *from;
                            new Span<float>(dst + width, columns - width).Clear();
                        }
                        new Span<float>(dst, stride - channels * columns).Clear();
                    }
                });
                var chunk = Math.Max(1, (1 << 16) / rowStride);
                for (var r0 = 0; r0 < rows; r0 += chunk)
                {
                    var part = job with { RowStart = r0, RowEnd = Math.Min(rows, r0 + chunk) };
                    Partition.For(tasks, (long)(part.RowEnd - r0) * p.OutColumns * SumVectors, part, static (in FilterJob j, int start, int end) =>
                    {
                        for (var t = start; t < end; t++)
                        {
                            if (j.P.Wide) FilterTaps512(j, t);
                            else FilterTaps(j, t);
                        }
                    });
                }
                for (var t = 0; t < tasks; t++)
                {
                    var (tapPair, group) = (t / groups, t % groups);
                    var (kh, kw) = (tapPair / job.Pairs, tapPair % job.Pairs * 2);
                    var channels = Math.Min(GroupChannels, outChannels - group * GroupChannels);
                    for (var half = 0; half < 2 && kw + half < g.KernelWidth; half++)
                        for (var c = 0; c < channels; c++)
                        {
                            var sum = acc + ((long)t * SumVectors + half * GroupChannels + c) * lanes;
                            filterGrad[(kh * g.KernelWidth + kw + half) * outChannels + group * GroupChannels + c] =
                                p.Wide ? Vector512.Sum(Vector512.Load(sum)) : Vector256.Sum(Avx.LoadVector256(sum));
                        }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(transposed);
            ArrayPool<float>.Shared.Return(sums);
        }
    }

    /// <summary>Adds the job's rows to the twelve vector sums of task <paramref name="task"/> (taps kw and kw + 1).</summary>
    private static void FilterTaps(in FilterJob j, int task)
    {
        var g = j.G;
        var (tapPair, group) = (task / j.Groups, task % j.Groups);
        var (kh, kw) = (tapPair / j.Pairs, tapPair % j.Pairs * 2);
        var columns = j.P.OutColumns;
        var sums = (float*)j.Sums + (long)task * SumVectors * Lanes;
        var a0 = Avx.LoadVector256(sums); var a1 = Avx.LoadVector256(sums + Lanes); var a2 = Avx.LoadVector256(sums + 2 * Lanes);
        var a3 = Avx.LoadVector256(sums + 3 * Lanes); var a4 = Avx.LoadVector256(sums + 4 * Lanes); var a5 = Avx.LoadVector256(sums + 5 * Lanes);
        var b0 = Avx.LoadVector256(sums + 6 * Lanes); var b1 = Avx.LoadVector256(sums + 7 * Lanes); var b2 = Avx.LoadVector256(sums + 8 * Lanes);
        var b3 = Avx.LoadVector256(sums + 9 * Lanes); var b4 = Avx.LoadVector256(sums + 10 * Lanes); var b5 = Avx.LoadVector256(sums + 11 * Lanes);
        for (var r = j.RowStart; r < j.RowEnd; r++)
        {
            var (n, oh) = (r / g.OutHeight, r % g.OutHeight);
            // Tap kw + 1 past the filter's width (an odd width) reads one padding column more and is never stored.
            var x = (float*)j.X + (long)n * j.P.ImageSize + (oh * g.StrideHeight + kh) * j.P.Columns + kw;
            var dy = (float*)j.Dy + (long)r * j.RowStride + group * GroupChannels * columns;
            for (var ow = 0; ow < columns; ow += Lanes)
            {
                var x0 = Avx.LoadVector256(x + ow);
                var x1 = Avx.LoadVector256(x + ow + 1);
                var d = Avx.LoadVector256(dy + ow); a0 = Fma.MultiplyAdd(x0, d, a0); b0 = Fma.MultiplyAdd(x1, d, b0);
                d = Avx.LoadVector256(dy + columns + ow); a1 = Fma.MultiplyAdd(x0, d, a1); b1 = Fma.MultiplyAdd(x1, d, b1);
                d = Avx.LoadVector256(dy + 2 * columns + ow); a2 = Fma.MultiplyAdd(x0, d, a2); b2 = Fma.MultiplyAdd(x1, d, b2);
                d = Avx.LoadVector256(dy + 3 * columns + ow); a3 = Fma.MultiplyAdd(x0, d, a3); b3 = Fma.MultiplyAdd(x1, d, b3);
                d = Avx.LoadVector256(dy + 4 * columns + ow); a4 = Fma.MultiplyAdd(x0, d, a4); b4 = Fma.MultiplyAdd(x1, d, b4);
                d = Avx.LoadVector256(dy + 5 * columns + ow); a5 = Fma.MultiplyAdd(x0, d, a5); b5 = Fma.MultiplyAdd(x1, d, b5);
            }
        }
        Avx.Store(sums, a0); Avx.Store(sums + Lanes, a1); Avx.Store(sums + 2 * Lanes, a2);
        Avx.Store(sums + 3 * Lanes, a3); Avx.Store(sums + 4 * Lanes, a4); Avx.Store(sums + 5 * Lanes, a5);
        Avx.Store(sums + 6 * Lanes, b0); Avx.Store(sums + 7 * Lanes, b1); Avx.Store(sums + 8 * Lanes, b2);
        Avx.Store(sums + 9 * Lanes, b3); Avx.Store(sums + 10 * Lanes, b4); Avx.Store(sums + 11 * Lanes, b5);
    }

    /// <summary><see cref="FilterTaps"/> in 16-float vectors: the same products, each column's in its own lane.</summary>
    private static void FilterTaps512(in FilterJob j, int task)
    {
        var g = j.G;
        var (tapPair, group) = (task / j.Groups, task % j.Groups);
        var (kh, kw) = (tapPair / j.Pairs, tapPair % j.Pairs * 2);
        var columns = j.P.OutColumns;
        var sums = (float*)j.Sums + (long)task * SumVectors * WideLanes;
        var a0 = Vector512.Load(sums); var a1 = Vector512.Load(sums + WideLanes); var a2 = Vector512.Load(sums + 2 * WideLanes);
        var a3 = Vector512.Load(sums + 3 * WideLanes); var a4 = Vector512.Load(sums + 4 * WideLanes); var a5 = Vector512.Load(sums + 5 * WideLanes);
        var b0 = Vector512.Load(sums + 6 * WideLanes); var b1 = Vector512.Load(sums + 7 * WideLanes); var b2 = Vector512.Load(sums + 8 * WideLanes);
        var b3 = Vector512.Load(sums + 9 * WideLanes); var b4 = Vector512.Load(sums + 10 * WideLanes); var b5 = Vector512.Load(sums + 11 * WideLanes);
        // Rows by image and output row, counted rather than divided for (a division a row took as long as a row's products).
        var (n, oh) = (j.RowStart / g.OutHeight, j.RowStart % g.OutHeight);
        var dy = (float*)j.Dy + (long)j.RowStart * j.RowStride + group * GroupChannels * columns;
        for (var r = j.RowStart; r < j.RowEnd; r++, dy += j.RowStride)
        {
            var x = (float*)j.X + (long)n * j.P.ImageSize + (oh * g.StrideHeight + kh) * j.P.Columns + kw;
            if (++oh == g.OutHeight) (n, oh) = (n + 1, 0);
            for (var ow = 0; ow < columns; ow += WideLanes)
            {
                var x0 = Vector512.Load(x + ow);
                var x1 = Vector512.Load(x + ow + 1);
                var d = Vector512.Load(dy + ow); a0 = Vector512.FusedMultiplyAdd(x0, d, a0); b0 = Vector512.FusedMultiplyAdd(x1, d, b0);
                d = Vector512.Load(dy + columns + ow); a1 = Vector512.FusedMultiplyAdd(x0, d, a1); b1 = Vector512.FusedMultiplyAdd(x1, d, b1);
                d = Vector512.Load(dy + 2 * columns + ow); a2 = Vector512.FusedMultiplyAdd(x0, d, a2); b2 = Vector512.FusedMultiplyAdd(x1, d, b2);
                d = Vector512.Load(dy + 3 * columns + ow); a3 = Vector512.FusedMultiplyAdd(x0, d, a3); b3 = Vector512.FusedMultiplyAdd(x1, d, b3);
                d = Vector512.Load(dy + 4 * columns + ow); a4 = Vector512.FusedMultiplyAdd(x0, d, a4); b4 = Vector512.FusedMultiplyAdd(x1, d, b4);
                d = Vector512.Load(dy + 5 * columns + ow); a5 = Vector512.FusedMultiplyAdd(x0, d, a5); b5 = Vector512.FusedMultiplyAdd(x1, d, b5);
            }
        }
        a0.Store(sums); a1.Store(sums + WideLanes); a2.Store(sums + 2 * WideLanes);
        a3.Store(sums + 3 * WideLanes); a4.Store(sums + 4 * WideLanes); a5.Store(sums + 5 * WideLanes);
        b0.Store(sums + 6 * WideLanes); b1.Store(sums + 7 * WideLanes); b2.Store(sums + 8 * WideLanes);
        b3.Store(sums + 9 * WideLanes); b4.Store(sums + 10 * WideLanes); b5.Store(sums + 11 * WideLanes);
    }
}
