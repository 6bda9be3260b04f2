using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Direct ("implicit GEMM") float32 convolution for small channel counts (2–16 input channels, at most 32 output
/// channels, no dilation: LeNet-5's second convolution, 6 → 16 channels 5×5), and its two gradients. im2col would
/// write a patch row of <c>kh·kw·channels</c> values (150 for LeNet's conv2) for every output position and read it
/// back for a product only 16 columns wide; here the input is copied once into a zero-padded buffer and, for each
/// filter row <c>kh</c>, the patch segment of an output position is a contiguous run of <c>kw·channels</c> values
/// of that buffer, which the kernels broadcast straight into FMAs.
/// <list type="bullet">
/// <item>Forward: a block of 6 output columns × 16 output channels (or 12 columns × 8 channels when there are at
/// most 8) stays in twelve vector registers while the kernel walks the filter; with AVX-512, 6 columns × 32 channels
/// in twelve registers, or × 64 channels in twenty-four when there are more than 32 (ResNet18's stem).</item>
/// <item>Input gradient (stride 1, more than 8 input channels): the same kernel on the zero-padded output gradient
/// with the filter flipped and its channel axes swapped.</item>
/// <item>Filter gradient: each task (filter row, 6 consecutive <c>kw·channels</c> positions, 16 output channels)
/// sums over every output position in a fixed order in twelve registers, in row chunks that stay in the cache.</item>
/// </list>
/// Every sum runs in the same order however the tasks are spread over threads, so results are deterministic.
/// </summary>
internal static unsafe class SmallChannelConv
{
    private const int Lanes = 8;
    private const int WideColumns = 6;    // output columns of a 16-channel block
    private const int NarrowColumns = 12; // output columns of an 8-channel block
    private const int Slack = 2 * Lanes;  // floats past the padded images that the kernels may read

    /// <summary>
    /// Whether the direct kernels are used where they apply; tests turn them off to compare with im2col, and
    /// <c>SHARPFLOW_SMALL_CHANNEL_CONV=0</c> turns them off for a process (to measure them).
    /// </summary>
    internal static bool Enabled = Environment.GetEnvironmentVariable("SHARPFLOW_SMALL_CHANNEL_CONV") != "0";

    /// <summary>Largest input channel count handled.</summary>
    internal const int MaxChannels = 16;

    /// <summary>Largest output channel count handled by the gradients, and by the forward kernel without AVX-512.</summary>
    internal const int MaxOutChannels = 32;

    /// <summary>
    /// Largest output channel count of the forward kernel with AVX-512 (blocks of 6 columns × 32 channels in 512-bit
    /// registers): the first convolution of ResNet18 (3 → 64, 7×7 stride 2) and Inception-v3 (3 → 32, 3×3 stride 2),
    /// whose im2col products have only 147 or 27 rows per column.
    /// </summary>
    internal const int MaxForwardOutChannels = 64;

    /// <summary>
    /// Whether the forward kernel takes 32 output channels per block in AVX-512 registers when there are more than 16
    /// (the same sums in the same order as the 16-channel blocks); tests turn it off to compare.
    /// </summary>
    internal static bool Wide512 = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Whether the AVX-512 forward kernel takes all 64 channels of a block at once (6 columns × 64 channels in 24
    /// registers: four FMAs per broadcast input value instead of two, and the input read once instead of twice) when
    /// there are more than 32; the same sums in the same order. Tests turn it off to compare.
    /// </summary>
    internal static bool Blocks64 = true;

    /// <summary>
    /// Whether the AVX-512 kernels take 9 to 16 output channels as one 512-bit vector per column, 12 columns a block
    /// (twelve registers, one filter load and twelve broadcasts a tap), rather than two 256-bit vectors per column, 6
    /// columns a block: half the multiply-adds for LeNet-5's second convolution (6 → 16 channels). The same sums in the
    /// same order. Tests flip it to compare (set without AVX-512, the blocks run in the runtime's software vectors:
    /// slow, but the same sums).
    /// </summary>
    internal static bool Columns12 = Vector512.IsHardwareAccelerated;

    /// <summary>Output columns per block of a correlation with this many output channels.</summary>
    private static int BlockColumnsFor(int outChannels, bool twelve) => outChannels <= Lanes || twelve ? NarrowColumns : WideColumns;

    /// <summary>Whether a correlation of this many output channels takes the 12-column, one-vector-per-column blocks now.</summary>
    private static bool UsesColumns12(int outChannels) => Columns12 && outChannels > Lanes && outChannels <= 2 * Lanes;

    /// <summary>Whether the forward and filter-gradient kernels handle this geometry on this machine.</summary>
    public static bool Applies(in Window2D g, int outChannels) => Handles(g, outChannels, MaxOutChannels);

    // The kernels' common conditions, with the largest output channel count of the caller's kernel.
    private static bool Handles(in Window2D g, int outChannels, int maxOutChannels) =>
        Enabled && Fma.IsSupported && Vector256.IsHardwareAccelerated
        && g.Channels >= 2 && g.Channels <= MaxChannels && outChannels >= 1 && outChannels <= maxOutChannels
        && g.DilationHeight == 1 && g.DilationWidth == 1 && g.Batch > 0 && g.OutHeight > 0 && g.OutWidth > 0;

    /// <summary>Whether the forward kernel handles this geometry on this machine: up to 64 output channels with AVX-512.</summary>
    public static bool AppliesToForward(in Window2D g, int outChannels) =>
        Handles(g, outChannels, Wide512 ? MaxForwardOutChannels : MaxOutChannels);

    /// <summary>
    /// Whether the input-gradient kernel handles this geometry: stride 1, padding within the window, and more than 8
    /// input channels. With 8 or fewer (LeNet-5's conv2 has 6) the gradient would take the 8-channel block, whose
    /// one broadcast per FMA made it slower than im2col (1.2–3.7 ms against 0.8–0.95 ms per call at batch 64).
    /// </summary>
    public static bool AppliesToInputGradient(in Window2D g, int outChannels) =>
        Enabled && Fma.IsSupported && Vector256.IsHardwareAccelerated
        && outChannels >= 2 && outChannels <= MaxChannels && g.Channels > Lanes && g.Channels <= MaxOutChannels
        && g.DilationHeight == 1 && g.DilationWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.PadTop < g.KernelHeight && g.PadLeft < g.KernelWidth
        && g.Batch > 0 && g.OutHeight > 0 && g.OutWidth > 0 && g.InHeight > 0 && g.InWidth > 0;

    /// <summary>Runs <see cref="Forward"/> when <typeparamref name="T"/> is float and the geometry applies.</summary>
    public static bool TryForward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> filter, Span<T> output, in Window2D g, int outChannels,
        PrepackedFilter? prepacked = null, GemmEpilogue<T> epilogue = default) where T : unmanaged
    {
        if (typeof(T) != typeof(float) || !AppliesToForward(g, outChannels)) return false;
        var floats = MemoryMarshal.Cast<T, float>(filter);
        Forward(MemoryMarshal.Cast<T, float>(input), floats, MemoryMarshal.Cast<T, float>(output), g, outChannels,
            prepacked?.SmallChannelLayout(floats, g.PatchSize, outChannels),
            epilogue.As<float>());
        return true;
    }

    /// <summary>Runs <see cref="BackpropInput"/> when <typeparamref name="T"/> is float and the geometry applies.</summary>
    public static bool TryBackpropInput<T>(ReadOnlySpan<T> filter, ReadOnlySpan<T> outputGrad, Span<T> inputGrad, in Window2D g, int outChannels) where T : unmanaged
    {
        if (typeof(T) != typeof(float) || !AppliesToInputGradient(g, outChannels)) return false;
        BackpropInput(MemoryMarshal.Cast<T, float>(filter), MemoryMarshal.Cast<T, float>(outputGrad), MemoryMarshal.Cast<T, float>(inputGrad), g, outChannels);
        return true;
    }

    /// <summary>Runs <see cref="BackpropFilter"/> when <typeparamref name="T"/> is float and the geometry applies.</summary>
    public static bool TryBackpropFilter<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGrad, Span<T> filterGrad, in Window2D g, int outChannels) where T : unmanaged
    {
        if (typeof(T) != typeof(float) || !Applies(g, outChannels)) return false;
        BackpropFilter(MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(outputGrad), MemoryMarshal.Cast<T, float>(filterGrad), g, outChannels);
        return true;
    }

    /// <summary>
    /// A correlation of padded images: <c>y[n, oh, ow, o] = Σ x[n, oh·sh + kh, ow·sw + kw, c]·w[kh, kw, c, o]</c>,
    /// with the images <c>[Rows, Columns, Channels]</c> and the filter packed as <c>[kh·kw·channels, PaddedOut]</c>.
    /// </summary>
    private readonly record struct Correlation(
        int Batch, int Rows, int Columns, int Channels, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
        int OutHeight, int OutWidth, int OutChannels, bool Twelve = false)
    {
        public bool Narrow => OutChannels <= Lanes;
        public bool Wide => UsesWide512(OutChannels);
        // 64-channel blocks read 64 filter values a tap: the padded width must be a multiple of 64 (it is 64 up to the
        // forward kernel's 64 channels).
        public bool Wide64 => Wide && Blocks64 && OutChannels > 4 * Lanes && PaddedOutFor(OutChannels) % (8 * Lanes) == 0;
        public int BlockColumns => Narrow || Twelve ? NarrowColumns : WideColumns;
        public int GroupWidth => Narrow ? Lanes : Wide64 ? 8 * Lanes : Wide ? 4 * Lanes : 2 * Lanes;
        public int PaddedOut => PaddedOutFor(OutChannels);
        public int ImageSize => Rows * Columns * Channels;

        /// <summary>Columns the kernels read: whole column blocks, plus one for the filter gradient's reads past a window.</summary>
        public static int ColumnsFor(int outWidth, int blockColumns, int stride, int kernelWidth) =>
            ((outWidth + blockColumns - 1) / blockColumns * blockColumns - 1) * stride + kernelWidth + 1;
    }

    /// <summary>Whether a correlation of this many output channels takes the 32-channel AVX-512 blocks.</summary>
    private static bool UsesWide512(int outChannels) => Wide512 && outChannels > 2 * Lanes;

    /// <summary>Output channels of the forward kernel's filter layout: 8, a multiple of 16, or of 32 with the AVX-512 blocks.</summary>
    private static int PaddedOutFor(int outChannels)
    {
        if (outChannels <= Lanes) return Lanes;
        var group = UsesWide512(outChannels) ? 4 * Lanes : 2 * Lanes;
        return (outChannels + group - 1) / group * group;
    }

    /// <summary>
    /// The forward kernel's layout of a filter [kh, kw, C, outChannels] (<paramref name="patchSize"/> = kh·kw·C rows,
    /// the output channels padded with zeros to 8, a multiple of 16, or of 32 with the AVX-512 blocks), for a caller that keeps it for a constant
    /// filter and passes it to <see cref="Forward"/>.
    /// </summary>
    public static float[] PackFilter(ReadOnlySpan<float> filter, int patchSize, int outChannels)
    {
        var w = new float[checked(patchSize * PaddedOutFor(outChannels))];
        Layout(filter, patchSize, outChannels, w);
        return w;
    }

    private static void Layout(ReadOnlySpan<float> filter, int patchSize, int outChannels, Span<float> w)
    {
        var paddedOut = PaddedOutFor(outChannels);
        w.Clear();
        for (var k = 0; k < patchSize; k++) filter.Slice(k * outChannels, outChannels).CopyTo(w.Slice(k * paddedOut));
    }

    /// <summary>
    /// <paramref name="output"/>[N, outH, outW, outChannels] = conv(<paramref name="input"/>[N, H, W, C], filter[kh, kw, C, outChannels]);
    /// <paramref name="packedFilter"/>, when given, is <see cref="PackFilter"/>'s layout of the filter, used instead of laying it out again.
    /// A fused op's <paramref name="epilogue"/> (bias, residual laid out as the output, activation as
    /// <see cref="GemmEpilogue{T}.InBlockActivation"/>) runs on each output row as soon as it is written.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, Span<float> output, Window2D g, int outChannels,
        float[]? packedFilter = null, GemmEpilogue<float> epilogue = default)
    {
        // The block shape is read once: the padding's columns are made for it.
        var twelve = UsesColumns12(outChannels);
        var blockColumns = BlockColumnsFor(outChannels, twelve);
        var c = new Correlation(g.Batch, (g.OutHeight - 1) * g.StrideHeight + g.KernelHeight,
            Correlation.ColumnsFor(g.OutWidth, blockColumns, g.StrideWidth, g.KernelWidth), g.Channels,
            g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.OutHeight, g.OutWidth, outChannels, twelve);
        if (packedFilter is not null && packedFilter.Length != g.PatchSize * c.PaddedOut) packedFilter = null;
        // Checks the epilogue before anything is rented.
        var pattern = RowEpilogue.RentPattern(epilogue, (long)g.Batch * g.OutHeight, g.OutWidth, outChannels);
        var padded = ArrayPool<float>.Shared.Rent(checked(g.Batch * c.ImageSize + Slack));
        var weights = packedFilter ?? ArrayPool<float>.Shared.Rent(checked(g.PatchSize * c.PaddedOut));
        try
        {
            if (packedFilter is null) Layout(filter, g.PatchSize, outChannels, weights.AsSpan(0, g.PatchSize * c.PaddedOut));
            fixed (float* x = input)
            fixed (float* xp = padded)
            fixed (float* wp = weights)
            fixed (float* y = output)
            fixed (float* bias = pattern)
            fixed (float* residual = epilogue.Residual)
            {
                ZeroPadded.Copy(x, g.Batch, g.InHeight, g.InWidth, g.Channels, g.PadTop, g.PadLeft, xp, c.Rows, c.Columns, Slack);
                Correlate(c, xp, wp, y, RowEpilogue.Create(epilogue, bias, residual, g.OutWidth, outChannels));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            if (packedFilter is null) ArrayPool<float>.Shared.Return(weights);
            RowEpilogue.ReturnPattern(pattern);
        }
    }

    /// <summary>
    /// The gradient with respect to the input (stride 1): <paramref name="inputGrad"/>[N, H, W, C] is the correlation
    /// of the output gradient, padded by <c>k − 1 − pad</c> before, with the filter flipped in both spatial axes and
    /// its channel axes swapped. Overwritten.
    /// </summary>
    public static void BackpropInput(ReadOnlySpan<float> filter, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, Window2D g, int outChannels)
    {
        var twelve = UsesColumns12(g.Channels);
        var blockColumns = BlockColumnsFor(g.Channels, twelve);
        var c = new Correlation(g.Batch, g.InHeight - 1 + g.KernelHeight,
            Correlation.ColumnsFor(g.InWidth, blockColumns, 1, g.KernelWidth), outChannels,
            g.KernelHeight, g.KernelWidth, 1, 1, g.InHeight, g.InWidth, g.Channels, twelve);
        var patch = g.KernelHeight * g.KernelWidth * outChannels;
        var padded = ArrayPool<float>.Shared.Rent(checked(g.Batch * c.ImageSize + Slack));
        var weights = ArrayPool<float>.Shared.Rent(checked(patch * c.PaddedOut));
        try
        {
            // w'[kh, kw, o, c] = w[KH − 1 − kh, KW − 1 − kw, c, o], channels padded to PaddedOut.
            var w = weights.AsSpan(0, patch * c.PaddedOut);
            w.Clear();
            for (var kh = 0; kh < g.KernelHeight; kh++)
                for (var kw = 0; kw < g.KernelWidth; kw++)
                {
                    var src = ((g.KernelHeight - 1 - kh) * g.KernelWidth + g.KernelWidth - 1 - kw) * g.Channels * outChannels;
                    var dst = (kh * g.KernelWidth + kw) * outChannels * c.PaddedOut;
                    for (var o = 0; o < outChannels; o++)
                        for (var ch = 0; ch < g.Channels; ch++)
                            w[dst + o * c.PaddedOut + ch] = filter[src + ch * outChannels + o];
                }
            fixed (float* dy = outputGrad)
            fixed (float* dyp = padded)
            fixed (float* wp = weights)
            fixed (float* dx = inputGrad)
            {
                ZeroPadded.Copy(dy, g.Batch, g.OutHeight, g.OutWidth, outChannels, g.KernelHeight - 1 - g.PadTop, g.KernelWidth - 1 - g.PadLeft, dyp, c.Rows, c.Columns, Slack);
                Correlate(c, dyp, wp, dx);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(weights);
        }
    }

    private readonly record struct CorrelateJob(nint X, nint W, nint Y, Correlation C, RowEpilogue Epilogue, nint Taps);

    /// <summary>
    /// The correlation row by row of output, each row followed by <paramref name="epilogue"/> while it is in cache
    /// (ResNet18's 7×7 stem wrote 3.2 MB and read them back in a separate pass).
    /// </summary>
    private static void Correlate(in Correlation c, float* x, float* w, float* y, RowEpilogue epilogue = default)
    {
        // Where each tap of a window (filter row kh, position i of its kw·channels run) is, from the window's first
        // value: the wide kernels walk all of a window's taps in one loop, with their sums in registers throughout.
        var count = c.KernelHeight * c.KernelWidth * c.Channels;
        var table = count <= 2048 ? stackalloc nint[count] : new nint[count];
        var run = c.KernelWidth * c.Channels;
        for (var t = 0; t < count; t++) table[t] = (nint)(t / run) * c.Columns * c.Channels + t % run;
        fixed (nint* taps = table)
            Correlate(c, x, w, y, epilogue, taps);
    }

    private static void Correlate(in Correlation c, float* x, float* w, float* y, RowEpilogue epilogue, nint* taps)
    {
        var job = new CorrelateJob((nint)x, (nint)w, (nint)y, c, epilogue, (nint)taps);
        Partition.For(c.Batch * c.OutHeight, (long)c.OutWidth * c.KernelHeight * c.KernelWidth * c.Channels * c.OutChannels, job,
            static (in CorrelateJob j, int start, int end) =>
            {
                for (var r = start; r < end; r++)
                {
                    CorrelateRow(j, r / j.C.OutHeight, r % j.C.OutHeight);
                    j.Epilogue.Apply((float*)j.Y, r);
                }
            });
    }

    private static void CorrelateRow(in CorrelateJob j, int n, int oh)
    {
        var c = j.C;
        var image = (float*)j.X + (long)n * c.ImageSize + (long)oh * c.StrideHeight * c.Columns * c.Channels;
        var outRow = (float*)j.Y + ((long)n * c.OutHeight + oh) * c.OutWidth * c.OutChannels;
        var block = stackalloc float[WideColumns * 8 * Lanes]; // a partial block of any width: 6 columns × up to 64 channels, or 12 × 8
        var step = c.StrideWidth * c.Channels;
        var blockColumns = c.BlockColumns;
        var groupWidth = c.GroupWidth;
        for (var o0 = 0; o0 < c.OutChannels; o0 += groupWidth)
        {
            var channels = Math.Min(groupWidth, c.OutChannels - o0);
            for (var ow0 = 0; ow0 < c.OutWidth; ow0 += blockColumns)
            {
                var a = image + (long)ow0 * step;
                var columns = Math.Min(blockColumns, c.OutWidth - ow0);
                var full = columns == blockColumns && channels == groupWidth;
                var target = full ? outRow + (long)ow0 * c.OutChannels + o0 : block;
                var targetStride = full ? c.OutChannels : groupWidth;
                if (c.Narrow) NarrowBlock(c, a, (float*)j.W + o0, target, targetStride);
                else WideBlock(c, a, (nint*)j.Taps, (float*)j.W + o0, target, targetStride);
                if (!full)
                    for (var col = 0; col < columns; col++)
                        new ReadOnlySpan<float>(block + col * groupWidth, channels).CopyTo(new Span<float>(outRow + (long)(ow0 + col) * c.OutChannels + o0, channels));
            }
        }
    }

    /// <summary>
    /// 6 output columns × <see cref="Correlation.GroupWidth"/> channels (16, or 32 or 64 in AVX-512 registers), or 12 × 16 in
    /// AVX-512 registers (<see cref="Columns12"/>): y[col, 0..width)
    /// at <paramref name="y"/> + col·<paramref name="yStride"/>; the filter rows' taps added by the run kernel of that
    /// width, one call per filter row.
    /// </summary>
    private static void WideBlock(in Correlation c, float* a, nint* taps, float* w, float* y, int yStride)
    {
        var width = c.GroupWidth;
        var count = c.KernelHeight * c.KernelWidth * c.Channels;
        var po = c.PaddedOut;
        var step = c.StrideWidth * c.Channels;
        // The filter's taps are rows of PaddedOut values in window order: one pass over all of them, the sums then
        // stored from the registers straight into the block's columns (yStride apart).
        if (width == 8 * Lanes) Wide64Run(a, taps, w, count, po, step, y, yStride);
        else if (width == 4 * Lanes) Wide512Run(a, taps, w, count, po, step, y, yStride);
        else if (c.Twelve) Twelve512Run(a, taps, w, count, po, step, y, yStride);
        else WideRun(a, taps, w, count, po, step, y, yStride);
    }

    /// <summary>
    /// Adds a window's taps (<paramref name="count"/>, each at <paramref name="x"/> + <paramref name="taps"/>[k], its
    /// <paramref name="po"/> filter values at <paramref name="f"/> + k·po) to the 6 × 16 sums, as <see cref="Wide512Run"/>
    /// does for 32 channels. All filter rows in one loop: with a loop over filter rows around a loop over a row's taps
    /// in one method, the JIT kept the twelve accumulators in memory, loaded and stored at every tap (LeNet-5's second
    /// convolution took 0.62 ms at batch 64); a call per filter row loaded and stored them once a row (Inception-v3's
    /// first convolution, 3 rows of 9 taps, ran at 88 GFLOP/s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WideRun(float* x, nint* taps, float* f, int count, int po, int step, float* y, nint ys)
    {
        var (a0, b0) = (Vector256<float>.Zero, Vector256<float>.Zero);
        var (a1, b1) = (Vector256<float>.Zero, Vector256<float>.Zero);
        var (a2, b2) = (Vector256<float>.Zero, Vector256<float>.Zero);
        var (a3, b3) = (Vector256<float>.Zero, Vector256<float>.Zero);
        var (a4, b4) = (Vector256<float>.Zero, Vector256<float>.Zero);
        var (a5, b5) = (Vector256<float>.Zero, Vector256<float>.Zero);
        // The five column offsets and the filter stride as native integers: computed in the loop from int, they cost
        // ten scalar instructions a tap beside twelve FMAs (the stem convolution ran at 185 GFLOP/s).
        nint s1 = step, s2 = 2 * s1, s3 = 3 * s1, s4 = 4 * s1, s5 = 5 * s1, stride = po;
        for (nint k = 0; k < count; k++, f += stride)
        {
            var xk = x + taps[k];
            var w0 = Avx.LoadVector256(f);
            var w1 = Avx.LoadVector256(f + Lanes);
            var v = Vector256.Create(xk[0]); a0 = Fma.MultiplyAdd(v, w0, a0); b0 = Fma.MultiplyAdd(v, w1, b0);
            v = Vector256.Create(xk[s1]); a1 = Fma.MultiplyAdd(v, w0, a1); b1 = Fma.MultiplyAdd(v, w1, b1);
            v = Vector256.Create(xk[s2]); a2 = Fma.MultiplyAdd(v, w0, a2); b2 = Fma.MultiplyAdd(v, w1, b2);
            v = Vector256.Create(xk[s3]); a3 = Fma.MultiplyAdd(v, w0, a3); b3 = Fma.MultiplyAdd(v, w1, b3);
            v = Vector256.Create(xk[s4]); a4 = Fma.MultiplyAdd(v, w0, a4); b4 = Fma.MultiplyAdd(v, w1, b4);
            v = Vector256.Create(xk[s5]); a5 = Fma.MultiplyAdd(v, w0, a5); b5 = Fma.MultiplyAdd(v, w1, b5);
        }
        a0.Store(y); b0.Store(y + 8);
        a1.Store(y + 1 * ys); b1.Store(y + 1 * ys + 8);
        a2.Store(y + 2 * ys); b2.Store(y + 2 * ys + 8);
        a3.Store(y + 3 * ys); b3.Store(y + 3 * ys + 8);
        a4.Store(y + 4 * ys); b4.Store(y + 4 * ys + 8);
        a5.Store(y + 5 * ys); b5.Store(y + 5 * ys + 8);
    }

    /// <summary>
    /// Adds a window's taps to the 6 × 32 sums, as <see cref="WideRun"/> does to 6 × 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Wide512Run(float* x, nint* taps, float* f, int count, int po, int step, float* y, nint ys)
    {
        var (a0, b0) = (Vector512<float>.Zero, Vector512<float>.Zero);
        var (a1, b1) = (Vector512<float>.Zero, Vector512<float>.Zero);
        var (a2, b2) = (Vector512<float>.Zero, Vector512<float>.Zero);
        var (a3, b3) = (Vector512<float>.Zero, Vector512<float>.Zero);
        var (a4, b4) = (Vector512<float>.Zero, Vector512<float>.Zero);
        var (a5, b5) = (Vector512<float>.Zero, Vector512<float>.Zero);
        // The five column offsets and the filter stride as native integers: computed in the loop from int, they cost
        // ten scalar instructions a tap beside twelve FMAs (the stem convolution ran at 185 GFLOP/s).
        nint s1 = step, s2 = 2 * s1, s3 = 3 * s1, s4 = 4 * s1, s5 = 5 * s1, stride = po;
        for (nint k = 0; k < count; k++, f += stride)
        {
            var xk = x + taps[k];
            var w0 = Vector512.Load(f);
            var w1 = Vector512.Load(f + 2 * Lanes);
            var v = Vector512.Create(xk[0]); a0 = Vector512.FusedMultiplyAdd(v, w0, a0); b0 = Vector512.FusedMultiplyAdd(v, w1, b0);
            v = Vector512.Create(xk[s1]); a1 = Vector512.FusedMultiplyAdd(v, w0, a1); b1 = Vector512.FusedMultiplyAdd(v, w1, b1);
            v = Vector512.Create(xk[s2]); a2 = Vector512.FusedMultiplyAdd(v, w0, a2); b2 = Vector512.FusedMultiplyAdd(v, w1, b2);
            v = Vector512.Create(xk[s3]); a3 = Vector512.FusedMultiplyAdd(v, w0, a3); b3 = Vector512.FusedMultiplyAdd(v, w1, b3);
            v = Vector512.Create(xk[s4]); a4 = Vector512.FusedMultiplyAdd(v, w0, a4); b4 = Vector512.FusedMultiplyAdd(v, w1, b4);
            v = Vector512.Create(xk[s5]); a5 = Vector512.FusedMultiplyAdd(v, w0, a5); b5 = Vector512.FusedMultiplyAdd(v, w1, b5);
        }
        a0.Store(y); b0.Store(y + 16);
        a1.Store(y + 1 * ys); b1.Store(y + 1 * ys + 16);
        a2.Store(y + 2 * ys); b2.Store(y + 2 * ys + 16);
        a3.Store(y + 3 * ys); b3.Store(y + 3 * ys + 16);
        a4.Store(y + 4 * ys); b4.Store(y + 4 * ys + 16);
        a5.Store(y + 5 * ys); b5.Store(y + 5 * ys + 16);
    }

    /// <summary>
    /// Adds a window's taps to the 12 × 16 sums (a 512-bit vector per column): each tap's 16 filter values
    /// loaded once and multiplied by twelve broadcast inputs, as <see cref="WideRun"/> does for 6 columns in two 256-bit
    /// halves, the same sums in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Twelve512Run(float* x, nint* taps, float* f, int count, int po, int step, float* y, nint ys)
    {
        var (a0, a1, a2, a3) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var (a4, a5, a6, a7) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var (a8, a9, a10, a11) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        // Columns 6–11 from a second pointer, as in NarrowBlock: eleven offsets would not stay in registers.
        nint s1 = step, s2 = 2 * s1, s3 = 3 * s1, s4 = 4 * s1, s5 = 5 * s1, stride = po;
        var x6 = x + 6 * s1;
        for (nint k = 0; k < count; k++, f += stride)
        {
            var xk = x + taps[k];
            var xk6 = x6 + taps[k];
            var w = Vector512.Load(f);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(xk[0]), w, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(xk[s1]), w, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(xk[s2]), w, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(xk[s3]), w, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.Create(xk[s4]), w, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.Create(xk[s5]), w, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.Create(xk6[0]), w, a6);
            a7 = Vector512.FusedMultiplyAdd(Vector512.Create(xk6[s1]), w, a7);
            a8 = Vector512.FusedMultiplyAdd(Vector512.Create(xk6[s2]), w, a8);
            a9 = Vector512.FusedMultiplyAdd(Vector512.Create(xk6[s3]), w, a9);
            a10 = Vector512.FusedMultiplyAdd(Vector512.Create(xk6[s4]), w, a10);
            a11 = Vector512.FusedMultiplyAdd(Vector512.Create(xk6[s5]), w, a11);
        }
        a0.Store(y); a1.Store(y + 1 * ys); a2.Store(y + 2 * ys); a3.Store(y + 3 * ys);
        a4.Store(y + 4 * ys); a5.Store(y + 5 * ys); a6.Store(y + 6 * ys); a7.Store(y + 7 * ys);
        a8.Store(y + 8 * ys); a9.Store(y + 9 * ys); a10.Store(y + 10 * ys); a11.Store(y + 11 * ys);
    }

    /// <summary>Adds a window's taps to the 6 × 64 sums (24 accumulators, 4 filter vectors, 1 broadcast: 29 registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Wide64Run(float* x, nint* taps, float* f, int count, int po, int step, float* y, nint ys)
    {
        var (a0, b0, c0, d0) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var (a1, b1, c1, d1) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var (a2, b2, c2, d2) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var (a3, b3, c3, d3) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var (a4, b4, c4, d4) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        var (a5, b5, c5, d5) = (Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero, Vector512<float>.Zero);
        nint s1 = step, s2 = 2 * s1, s3 = 3 * s1, s4 = 4 * s1, s5 = 5 * s1, stride = po;
        for (nint k = 0; k < count; k++, f += stride)
        {
            var xk = x + taps[k];
            var (w0, w1, w2, w3) = (Vector512.Load(f), Vector512.Load(f + 16), Vector512.Load(f + 32), Vector512.Load(f + 48));
            var v = Vector512.Create(xk[0]);
            a0 = Vector512.FusedMultiplyAdd(v, w0, a0); b0 = Vector512.FusedMultiplyAdd(v, w1, b0);
            c0 = Vector512.FusedMultiplyAdd(v, w2, c0); d0 = Vector512.FusedMultiplyAdd(v, w3, d0);
            v = Vector512.Create(xk[s1]);
            a1 = Vector512.FusedMultiplyAdd(v, w0, a1); b1 = Vector512.FusedMultiplyAdd(v, w1, b1);
            c1 = Vector512.FusedMultiplyAdd(v, w2, c1); d1 = Vector512.FusedMultiplyAdd(v, w3, d1);
            v = Vector512.Create(xk[s2]);
            a2 = Vector512.FusedMultiplyAdd(v, w0, a2); b2 = Vector512.FusedMultiplyAdd(v, w1, b2);
            c2 = Vector512.FusedMultiplyAdd(v, w2, c2); d2 = Vector512.FusedMultiplyAdd(v, w3, d2);
            v = Vector512.Create(xk[s3]);
            a3 = Vector512.FusedMultiplyAdd(v, w0, a3); b3 = Vector512.FusedMultiplyAdd(v, w1, b3);
            c3 = Vector512.FusedMultiplyAdd(v, w2, c3); d3 = Vector512.FusedMultiplyAdd(v, w3, d3);
            v = Vector512.Create(xk[s4]);
            a4 = Vector512.FusedMultiplyAdd(v, w0, a4); b4 = Vector512.FusedMultiplyAdd(v, w1, b4);
            c4 = Vector512.FusedMultiplyAdd(v, w2, c4); d4 = Vector512.FusedMultiplyAdd(v, w3, d4);
            v = Vector512.Create(xk[s5]);
            a5 = Vector512.FusedMultiplyAdd(v, w0, a5); b5 = Vector512.FusedMultiplyAdd(v, w1, b5);
            c5 = Vector512.FusedMultiplyAdd(v, w2, c5); d5 = Vector512.FusedMultiplyAdd(v, w3, d5);
        }
        a0.Store(y); b0.Store(y + 16); c0.Store(y + 32); d0.Store(y + 48);
        a1.Store(y + 1 * ys); b1.Store(y + 1 * ys + 16); c1.Store(y + 1 * ys + 32); d1.Store(y + 1 * ys + 48);
        a2.Store(y + 2 * ys); b2.Store(y + 2 * ys + 16); c2.Store(y + 2 * ys + 32); d2.Store(y + 2 * ys + 48);
        a3.Store(y + 3 * ys); b3.Store(y + 3 * ys + 16); c3.Store(y + 3 * ys + 32); d3.Store(y + 3 * ys + 48);
        a4.Store(y + 4 * ys); b4.Store(y + 4 * ys + 16); c4.Store(y + 4 * ys + 32); d4.Store(y + 4 * ys + 48);
        a5.Store(y + 5 * ys); b5.Store(y + 5 * ys + 16); c5.Store(y + 5 * ys + 32); d5.Store(y + 5 * ys + 48);
    }

    /// <summary>12 output columns × 8 channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowBlock(in Correlation c, float* a, float* w, float* y, int yStride)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        // Native-integer column offsets, as in WideRun.
        nint s1 = c.StrideWidth * c.Channels, s2 = 2 * s1, s3 = 3 * s1, s4 = 4 * s1, s5 = 5 * s1;
        var run = c.KernelWidth * c.Channels;
        var rowStride = c.Columns * c.Channels;
        for (var kh = 0; kh < c.KernelHeight; kh++)
        {
            var x = a + (long)kh * rowStride;
            var x6 = x + 6 * s1; // columns 6–11 from a second pointer: eleven offsets would not stay in registers
            var f = w + (long)kh * run * Lanes;
            for (nint k = 0, taps = run; k < taps; k++, x++, x6++, f += Lanes)
            {
                var w0 = Avx.LoadVector256(f);
                a0 = Fma.MultiplyAdd(Vector256.Create(x[0]), w0, a0);
                a1 = Fma.MultiplyAdd(Vector256.Create(x[s1]), w0, a1);
                a2 = Fma.MultiplyAdd(Vector256.Create(x[s2]), w0, a2);
                a3 = Fma.MultiplyAdd(Vector256.Create(x[s3]), w0, a3);
                a4 = Fma.MultiplyAdd(Vector256.Create(x[s4]), w0, a4);
                a5 = Fma.MultiplyAdd(Vector256.Create(x[s5]), w0, a5);
                a6 = Fma.MultiplyAdd(Vector256.Create(x6[0]), w0, a6);
                a7 = Fma.MultiplyAdd(Vector256.Create(x6[s1]), w0, a7);
                a8 = Fma.MultiplyAdd(Vector256.Create(x6[s2]), w0, a8);
                a9 = Fma.MultiplyAdd(Vector256.Create(x6[s3]), w0, a9);
                a10 = Fma.MultiplyAdd(Vector256.Create(x6[s4]), w0, a10);
                a11 = Fma.MultiplyAdd(Vector256.Create(x6[s5]), w0, a11);
            }
        }
        Avx.Store(y, a0); y += yStride; Avx.Store(y, a1); y += yStride; Avx.Store(y, a2); y += yStride;
        Avx.Store(y, a3); y += yStride; Avx.Store(y, a4); y += yStride; Avx.Store(y, a5); y += yStride;
        Avx.Store(y, a6); y += yStride; Avx.Store(y, a7); y += yStride; Avx.Store(y, a8); y += yStride;
        Avx.Store(y, a9); y += yStride; Avx.Store(y, a10); y += yStride; Avx.Store(y, a11);
    }

    /// <summary>
    /// The filter-gradient work: the padded input, the output gradient with its channels padded to 16s, the twelve
    /// vector sums of every task, and the output rows [<see cref="RowStart"/>, <see cref="RowEnd"/>) being added.
    /// </summary>
    private readonly record struct FilterJob(nint X, nint Dy, nint Sums, Correlation C, int Blocks, int Groups, int RowStart, int RowEnd, bool Wide)
    {
        /// <summary>kw·channels positions per task: 6 (two 256-bit vectors of 16 channels each), or 12 in 512-bit vectors.</summary>
        public int Run => Wide ? 2 * FilterRun : FilterRun;
    }

    private const int FilterRun = 6;            // kw·channels positions per task of the 256-bit kernel
    private const int SumVectors = 2 * FilterRun;
    private const int SumFloats = SumVectors * 2 * Lanes; // a task's sums: twelve vectors of up to 16 floats

    /// <summary>
    /// Whether the filter gradient's tasks take 12 positions × 16 channels in 512-bit vectors (one gradient load and
    /// twelve broadcasts a column) rather than 6 × 16 in 256-bit halves; tests flip it to compare (without AVX-512 the
    /// runtime's software vectors run it, the same sums).
    /// </summary>
    internal static bool Filter512 = Vector512.IsHardwareAccelerated;

    /// <summary>
    /// <paramref name="filterGrad"/>[kh, kw, C, outChannels] = Σ over images and output positions of the input under
    /// the tap times <paramref name="outputGrad"/>; overwritten.
    /// </summary>
    public static void BackpropFilter(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> filterGrad, Window2D g, int outChannels)
    {
        var groups = (outChannels + 2 * Lanes - 1) / (2 * Lanes);
        var paddedOut = groups * 2 * Lanes;
        var c = new Correlation(g.Batch, (g.OutHeight - 1) * g.StrideHeight + g.KernelHeight,
            Correlation.ColumnsFor(g.OutWidth, 1, g.StrideWidth, g.KernelWidth), g.Channels,
            g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.OutHeight, g.OutWidth, outChannels);
        var run = g.KernelWidth * g.Channels;
        var wide = Filter512;
        var taskRun = wide ? 2 * FilterRun : FilterRun;
        var blocks = (run + taskRun - 1) / taskRun;
        var tasks = g.KernelHeight * blocks * groups;
        var positions = g.Batch * g.OutPositions;
        var padded = ArrayPool<float>.Shared.Rent(checked(g.Batch * c.ImageSize + Slack));
        var dyPadded = paddedOut == outChannels ? null : ArrayPool<float>.Shared.Rent(checked(positions * paddedOut));
        var sums = ArrayPool<float>.Shared.Rent(tasks * SumFloats);
        try
        {
            sums.AsSpan(0, tasks * SumFloats).Clear();
            if (dyPadded is not null)
            {
                dyPadded.AsSpan(0, positions * paddedOut).Clear();
                for (var p = 0; p < positions; p++) outputGrad.Slice(p * outChannels, outChannels).CopyTo(dyPadded.AsSpan(p * paddedOut));
            }
            fixed (float* x = input)
            fixed (float* xp = padded)
            fixed (float* dy0 = outputGrad)
            fixed (float* dy1 = dyPadded)
            fixed (float* acc = sums)
            {
                ZeroPadded.Copy(x, g.Batch, g.InHeight, g.InWidth, g.Channels, g.PadTop, g.PadLeft, xp, c.Rows, c.Columns, Slack);
                var job = new FilterJob((nint)xp, (nint)(dyPadded is null ? dy0 : dy1), (nint)acc, c, blocks, groups, 0, 0, wide);
                var rows = g.Batch * g.OutHeight;
                // Rows in chunks whose input and output gradient stay in the cache while every task reads them.
                var chunk = Math.Max(1, (1 << 16) / (g.OutWidth * paddedOut + g.StrideHeight * c.Columns * g.Channels));
                for (var r0 = 0; r0 < rows; r0 += chunk)
                {
                    var part = job with { RowStart = r0, RowEnd = Math.Min(rows, r0 + chunk) };
                    Partition.For(tasks, (long)(part.RowEnd - r0) * g.OutWidth * 2 * SumVectors, part, static (in FilterJob j, int start, int end) =>
                    {
                        for (var t = start; t < end; t++)
                        {
                            if (j.Wide) FilterTask512(j, t);
                            else FilterTask(j, t);
                        }
                    });
                }
                for (var t = 0; t < tasks; t++)
                {
                    var (kh, rest) = (t / (blocks * groups), t % (blocks * groups));
                    var (block, group) = (rest / groups, rest % groups);
                    var channels = Math.Min(2 * Lanes, outChannels - group * 2 * Lanes);
                    // Position i's 16 channels: vectors 2i and 2i + 1 of 8 floats, or vector i of 16.
                    for (var i = 0; i < taskRun && block * taskRun + i < run; i++)
                    {
                        var src = acc + (long)t * SumFloats + i * 2 * Lanes;
                        var dst = (kh * run + block * taskRun + i) * outChannels + group * 2 * Lanes;
                        new ReadOnlySpan<float>(src, channels).CopyTo(filterGrad.Slice(dst, channels));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            if (dyPadded is not null) ArrayPool<float>.Shared.Return(dyPadded);
            ArrayPool<float>.Shared.Return(sums);
        }
    }

    /// <summary>Adds the job's rows to the twelve vector sums of one task: 6 patch positions × 16 output channels.</summary>
    private static void FilterTask(in FilterJob j, int task)
    {
        var c = j.C;
        var (kh, rest) = (task / (j.Blocks * j.Groups), task % (j.Blocks * j.Groups));
        var (block, group) = (rest / j.Groups, rest % j.Groups);
        var paddedOut = j.Groups * 2 * Lanes;
        var step = c.StrideWidth * c.Channels;
        var sums = (float*)j.Sums + (long)task * SumFloats;
        var a0 = Avx.LoadVector256(sums); var b0 = Avx.LoadVector256(sums + Lanes);
        var a1 = Avx.LoadVector256(sums + 2 * Lanes); var b1 = Avx.LoadVector256(sums + 3 * Lanes);
        var a2 = Avx.LoadVector256(sums + 4 * Lanes); var b2 = Avx.LoadVector256(sums + 5 * Lanes);
        var a3 = Avx.LoadVector256(sums + 6 * Lanes); var b3 = Avx.LoadVector256(sums + 7 * Lanes);
        var a4 = Avx.LoadVector256(sums + 8 * Lanes); var b4 = Avx.LoadVector256(sums + 9 * Lanes);
        var a5 = Avx.LoadVector256(sums + 10 * Lanes); var b5 = Avx.LoadVector256(sums + 11 * Lanes);
        for (var r = j.RowStart; r < j.RowEnd; r++)
        {
            var (n, oh) = (r / c.OutHeight, r % c.OutHeight);
            // Positions past the window's kw·channels run read the next column (or the slack) and are never stored.
            var x = (float*)j.X + (long)n * c.ImageSize + ((long)(oh * c.StrideHeight + kh) * c.Columns) * c.Channels + block * FilterRun;
            var dy = (float*)j.Dy + (long)r * c.OutWidth * paddedOut + group * 2 * Lanes;
            for (var ow = 0; ow < c.OutWidth; ow++, x += step, dy += paddedOut)
            {
                var d0 = Avx.LoadVector256(dy);
                var d1 = Avx.LoadVector256(dy + Lanes);
                var v = Vector256.Create(x[0]); a0 = Fma.MultiplyAdd(v, d0, a0); b0 = Fma.MultiplyAdd(v, d1, b0);
                v = Vector256.Create(x[1]); a1 = Fma.MultiplyAdd(v, d0, a1); b1 = Fma.MultiplyAdd(v, d1, b1);
                v = Vector256.Create(x[2]); a2 = Fma.MultiplyAdd(v, d0, a2); b2 = Fma.MultiplyAdd(v, d1, b2);
                v = Vector256.Create(x[3]); a3 = Fma.MultiplyAdd(v, d0, a3); b3 = Fma.MultiplyAdd(v, d1, b3);
                v = Vector256.Create(x[4]); a4 = Fma.MultiplyAdd(v, d0, a4); b4 = Fma.MultiplyAdd(v, d1, b4);
                v = Vector256.Create(x[5]); a5 = Fma.MultiplyAdd(v, d0, a5); b5 = Fma.MultiplyAdd(v, d1, b5);
            }
        }
        Avx.Store(sums, a0); Avx.Store(sums + Lanes, b0);
        Avx.Store(sums + 2 * Lanes, a1); Avx.Store(sums + 3 * Lanes, b1);
        Avx.Store(sums + 4 * Lanes, a2); Avx.Store(sums + 5 * Lanes, b2);
        Avx.Store(sums + 6 * Lanes, a3); Avx.Store(sums + 7 * Lanes, b3);
        Avx.Store(sums + 8 * Lanes, a4); Avx.Store(sums + 9 * Lanes, b4);
        Avx.Store(sums + 10 * Lanes, a5); Avx.Store(sums + 11 * Lanes, b5);
    }

    /// <summary>
    /// <see cref="FilterTask"/> for 12 positions × 16 output channels in 512-bit vectors: each output position's 16
    /// gradient values loaded once and multiplied by twelve broadcast inputs (positions 6–11 from a second pointer,
    /// as in <see cref="NarrowBlock"/>). Each sum adds the same products in the same order.
    /// </summary>
    private static void FilterTask512(in FilterJob j, int task)
    {
        var c = j.C;
        var (kh, rest) = (task / (j.Blocks * j.Groups), task % (j.Blocks * j.Groups));
        var (block, group) = (rest / j.Groups, rest % j.Groups);
        var paddedOut = j.Groups * 2 * Lanes;
        var step = c.StrideWidth * c.Channels;
        var sums = (float*)j.Sums + (long)task * SumFloats;
        var (a0, a1, a2, a3) = (Vector512.Load(sums), Vector512.Load(sums + 16), Vector512.Load(sums + 32), Vector512.Load(sums + 48));
        var (a4, a5, a6, a7) = (Vector512.Load(sums + 64), Vector512.Load(sums + 80), Vector512.Load(sums + 96), Vector512.Load(sums + 112));
        var (a8, a9, a10, a11) = (Vector512.Load(sums + 128), Vector512.Load(sums + 144), Vector512.Load(sums + 160), Vector512.Load(sums + 176));
        var (n, oh) = (j.RowStart / c.OutHeight, j.RowStart % c.OutHeight);
        for (var r = j.RowStart; r < j.RowEnd; r++)
        {
            // Positions past the window's kw·channels run read the next column, row or the slack and are never stored.
            var x = (float*)j.X + (long)n * c.ImageSize + ((long)(oh * c.StrideHeight + kh) * c.Columns) * c.Channels + block * 2 * FilterRun;
            if (++oh == c.OutHeight) (n, oh) = (n + 1, 0);
            var dy = (float*)j.Dy + (long)r * c.OutWidth * paddedOut + group * 2 * Lanes;
            for (var ow = 0; ow < c.OutWidth; ow++, x += step, dy += paddedOut)
            {
                var d = Vector512.Load(dy);
                var x6 = x + 6;
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(x[0]), d, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(x[1]), d, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(x[2]), d, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(x[3]), d, a3);
                a4 = Vector512.FusedMultiplyAdd(Vector512.Create(x[4]), d, a4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.Create(x[5]), d, a5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.Create(x6[0]), d, a6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.Create(x6[1]), d, a7);
                a8 = Vector512.FusedMultiplyAdd(Vector512.Create(x6[2]), d, a8);
                a9 = Vector512.FusedMultiplyAdd(Vector512.Create(x6[3]), d, a9);
                a10 = Vector512.FusedMultiplyAdd(Vector512.Create(x6[4]), d, a10);
                a11 = Vector512.FusedMultiplyAdd(Vector512.Create(x6[5]), d, a11);
            }
        }
        a0.Store(sums); a1.Store(sums + 16); a2.Store(sums + 32); a3.Store(sums + 48);
        a4.Store(sums + 64); a5.Store(sums + 80); a6.Store(sums + 96); a7.Store(sums + 112);
        a8.Store(sums + 128); a9.Store(sums + 144); a10.Store(sums + 160); a11.Store(sums + 176);
    }
}
