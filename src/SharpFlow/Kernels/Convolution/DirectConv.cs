using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Direct float32 convolution in AVX-512 registers for layers whose patch rows are long (Inception-v3's 5×5 layers, of
/// 48 channels: rows of 1,200 values; see <see cref="Applies"/> for where it does not pay). Each task takes one output row
/// and a pair of groups of 32 output channels (the last group alone when their count is odd); each block of 6 output
/// columns of it keeps its 6 × 64 sums in 24 registers (6 × 32 in twelve for a group alone) over the whole window: tap
/// by tap (kh, kw), for each tap the input channels in order, the six columns' inputs broadcast from a zero-padded copy
/// of the input (the six are <c>stride·channels</c> apart for every tap) and multiplied by the tap's 64 filter values
/// (half the broadcasts per multiply-add; Inception-v3 at batch 1, same process, fastest of 40 calls 42.4–42.9 ms with
/// the pairs against 42.9–43.7 without, its medians within the host's noise). So each output is one chain of multiply-adds in (kh, kw, c) order, stored
/// once, with the fused ops' epilogue applied while the block is in cache: no patch matrix, no k blocks whose partial
/// sums are stored and read back, and one parallel loop per convolution instead of one per k block. The filter is laid
/// out <c>[group of 32 channels][kh][kw][c][32]</c> (zeros past the last channel), once per constant filter.
/// </summary>
internal static unsafe class DirectConv
{
    private const int Columns = 6; // output columns of a block
    private const int Width = 32;  // output channels of a block: two 512-bit vectors

    /// <summary>
    /// Whether the kernel runs where it applies; tests turn it off to compare with the product paths, and
    /// <c>SHARPFLOW_DIRECT_CONV=0</c> turns it off for a process (to measure it).
    /// </summary>
    internal static bool Enabled = Environment.GetEnvironmentVariable("SHARPFLOW_DIRECT_CONV") != "0";

    /// <summary>
    /// Whether two channel groups run together in 24 registers (<see cref="Kernel64"/>), each column's input broadcast
    /// once for 64 output channels, rather than one group at a time (read once per call); tests turn it off, and <c>SHARPFLOW_DIRECT_PAIRS=0</c>
    /// for a process (to measure it).
    /// </summary>
    internal static bool Pairs64 = Environment.GetEnvironmentVariable("SHARPFLOW_DIRECT_PAIRS") != "0";

    /// <summary>
    /// Whether the kernel takes this convolution: AVX-512, no dilation, a window of two taps or more, at least 16 input
    /// and 32 output channels, patch rows of <see cref="MinPatch"/> to <see cref="MaxPatch"/> values, at least
    /// <see cref="MinPositions"/> output positions, and output rows that fill their
    /// 6-column blocks to within a tenth (17 columns make blocks of 18; 14 would make 18 and stay with the product).
    /// </summary>
    public static bool Applies(in Window2D g, int outChannels)
    {
        if (!Enabled || !Vector512.IsHardwareAccelerated || g.DilationHeight != 1 || g.DilationWidth != 1) return false;
        if (g.KernelHeight * g.KernelWidth < 2 || g.Channels < 16 || outChannels < Width || g.PatchSize < MinPatch || g.PatchSize > MaxPatch) return false;
        if (g.Batch <= 0 || g.OutHeight <= 0 || g.OutWidth < Columns || (long)g.Batch * g.OutPositions < MinPositions) return false;
        var blocks = (g.OutWidth + Columns - 1) / Columns;
        return blocks * Columns * 10 <= g.OutWidth * 11 && PaddedFloats(g) <= MaxPaddedFloats;
    }

    /// <summary>
    /// The largest zero-padded copy of the input taken (the whole batch at once, 64 MiB): larger inputs stay with the
    /// products, which take their images a chunk at a time.
    /// </summary>
    internal const long MaxPaddedFloats = 1L << 24;

    /// <summary>Floats of the zero-padded copy of the input: every image's rows and columns that the blocks read.</summary>
    private static long PaddedFloats(in Window2D g)
    {
        var (rows, columns) = PaddedSize(g);
        return (long)g.Batch * rows * columns * g.Channels;
    }

    /// <summary>Rows and columns of a padded image that every block's reads fall in (the last block's past the output too).</summary>
    private static (int Rows, int Columns) PaddedSize(in Window2D g) =>
        ((g.OutHeight - 1) * g.StrideHeight + g.KernelHeight, ((g.OutWidth + Columns - 1) / Columns * Columns - 1) * g.StrideWidth + g.KernelWidth);

    /// <summary>
    /// The shortest patch row taken: with short rows the product's k blocks are few and its kernel reads its B panel
    /// from the first-level cache, while this kernel streams a group's whole filter from the second for every block
    /// (ResNet18's 56×56×64 stride-2 layer, rows of 576: 0.48 ms as a product, 0.58 here; Inception-v3's 5×5 from 48
    /// channels, rows of 1,200: 1.05 → 0.62 ms).
    /// </summary>
    internal static int MinPatch = 768;

    /// <summary>
    /// The longest patch row taken: a group's filter (a row's worth of 32 values each) within 256 KB, so that it and the
    /// padded input stay in the second-level cache (Inception-v3's 35×35×288 stride-2 layer, rows of 2,592 and a 1.4 MB
    /// input: 2.2 ms as a product, 2.7 here). These limits were measured with one group a task and the tasks of a group
    /// together; with pairs and tasks by row a task streams two groups' filters (up to 512 KB), and of the layers
    /// re-measured since (the 17×17 ones, <see cref="MinPositions"/> at 256) none changed beyond the host's noise.
    /// </summary>
    internal static int MaxPatch = 2048;

    /// <summary>
    /// The fewest output positions taken: each group's filter comes from memory in a network and is then used for every
    /// position, so few positions do not repay it. Inception-v3 at batch 1, same build, kernel on → off
    /// (`SHARPFLOW_PROFILE=nodes`): its 17×17 1×7 and 7×1 layers (289 positions) 7.4 / 7.8 → 6.7 / 6.8 ms in all, its
    /// 35×35 5×5 layers (1,225) 2.6 → 3.0 ms.
    /// </summary>
    internal static int MinPositions = 1024;

    /// <summary>The kernel's layout of a filter [kh, kw, channels, outChannels] (<paramref name="taps"/> = kh·kw).</summary>
    public static float[] PackFilter(ReadOnlySpan<float> filter, int taps, int channels, int outChannels)
    {
        var groups = (outChannels + Width - 1) / Width;
        var k = checked(taps * channels);
        var packed = new float[checked(groups * k * Width)];
        for (var j = 0; j < groups; j++)
        {
            var columns = Math.Min(Width, outChannels - j * Width);
            for (var p = 0; p < k; p++)
                filter.Slice(p * outChannels + j * Width, columns).CopyTo(packed.AsSpan((j * k + p) * Width));
        }
        return packed;
    }

    /// <summary>The geometry of one call: the padded images and the blocks.</summary>
    private readonly record struct Job(nint X, nint W, nint Y, nint Taps, nint Bias, nint Residual, FusedActivation Activation, bool Epilogue,
        Window2D G, int OutChannels, int Pairs, bool Together, int Blocks, int PaddedColumns, long ImageSize)
    {
        /// <summary>
        /// Output row <c>task / Pairs</c> (of all images), pair of channel groups <c>task % Pairs</c>: every block of it. Tasks of
        /// one row are neighbours, so each thread's share of the loop is a band of output rows, as the other ops' are,
        /// and the next op finds them in the cache of the core that wrote them (Inception-v3's 5×5 layers, same process:
        /// 2.67–2.76 ms in all against 2.86–2.90 with the tasks of one channel group together). A thread reads every
        /// group's filter for each row, from its second-level cache where the whole filter fits (307 KB for those layers).
        /// </summary>
        public void Run(int task)
        {
            var (row, pair) = (task / Pairs, task % Pairs);
            var (n, oh) = (row / G.OutHeight, row % G.OutHeight);
            var c = G.Channels;
            var o = OutChannels;
            var taps = G.KernelHeight * G.KernelWidth;
            var image = (float*)X + n * ImageSize + (long)oh * G.StrideHeight * PaddedColumns * c;
            var first = 2 * pair * Width; // the pair's first output channel
            var w = (float*)W + (long)2 * pair * taps * c * Width;
            var outRow = (long)row * G.OutWidth * o + first;
            var channels = Math.Min(2 * Width, o - first);
            var tile = stackalloc float[Columns * 2 * Width];
            for (var b = 0; b < Blocks; b++)
            {
                var columns = Math.Min(Columns, G.OutWidth - b * Columns);
                var a = image + (long)b * Columns * G.StrideWidth * c;
                var at = outRow + (long)b * Columns * o;
                var y = (float*)Y + at;
                // The pair in one piece of 24 registers; group by group for the last group alone (an odd count) and
                // without the pair kernel (tests, measurements).
                var piece = channels > Width && Together ? 2 * Width : Width;
                for (var p0 = 0; p0 < channels; p0 += piece)
                {
                    var part = Math.Min(piece, channels - p0);
                    var whole = columns == Columns && part == piece;
                    var target = whole ? y + p0 : tile;
                    var ldy = whole ? o : piece;
                    var wp = w + (long)p0 * taps * c; // group p0 / 32's filter
                    if (piece == Width) Kernel(a, (nint)G.StrideWidth * c, (nint*)Taps, taps, c, wp, target, ldy);
                    else Kernel64(a, (nint)G.StrideWidth * c, (nint*)Taps, taps, c, wp, wp + (long)taps * c * Width, target, ldy);
                    if (!whole)
                        for (var col = 0; col < columns; col++)
                            new ReadOnlySpan<float>(tile + col * piece, part).CopyTo(new Span<float>(y + (long)col * o + p0, part));
                }
                if (Epilogue)
                    BiasActivation.Tile(y, o, Bias == 0 ? null : (float*)Bias + first, Residual == 0 ? null : (float*)Residual + at,
                        columns, channels, Activation);
            }
        }
    }

    /// <summary>
    /// <paramref name="output"/>[N, outH, outW, outChannels] = conv(<paramref name="input"/>[N, H, W, C], filter[kh, kw, C,
    /// outChannels]), then the fused ops' <paramref name="epilogue"/> (bias, residual laid out as the output, activation
    /// as <see cref="GemmEpilogue{T}.InBlockActivation"/>) on each block while it is in cache. <paramref name="packedFilter"/>,
    /// when given, is <see cref="PackFilter"/>'s layout of the filter.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, Span<float> output, in Window2D g, int outChannels,
        float[]? packedFilter = null, GemmEpilogue<float> epilogue = default)
    {
        var taps = g.KernelHeight * g.KernelWidth;
        var c = g.Channels;
        var groups = (outChannels + Width - 1) / Width;
        var blocks = (g.OutWidth + Columns - 1) / Columns;
        var (rows, columns) = PaddedSize(g);
        var imageSize = (long)rows * columns * c;
        var positions = (long)g.Batch * g.OutPositions;
        if (input.Length < (long)g.Batch * g.InImageSize || filter.Length < (long)taps * c * outChannels || output.Length < positions * outChannels)
            throw new ArgumentException("DirectConv: an operand is smaller than its dimensions say.");
        epilogue.Check(positions * outChannels, outChannels);
        if (g.Batch * imageSize > MaxPaddedFloats)
            throw new ArgumentException($"DirectConv: a padded input of {g.Batch * imageSize} floats, more than {MaxPaddedFloats}.");
        if (packedFilter is not null && packedFilter.Length != groups * taps * c * Width) packedFilter = null;
        var weights = packedFilter ?? PackFilter(filter, taps, c, outChannels);
        var padded = ArrayPool<float>.Shared.Rent(checked((int)(g.Batch * imageSize)));
        var offsets = ArrayPool<nint>.Shared.Rent(taps);
        try
        {
            for (var kh = 0; kh < g.KernelHeight; kh++)
                for (var kw = 0; kw < g.KernelWidth; kw++)
                    offsets[kh * g.KernelWidth + kw] = ((nint)kh * columns + kw) * c;
            fixed (float* x = input)
            fixed (float* xp = padded)
            fixed (float* wp = weights)
            fixed (float* y = output)
            fixed (nint* tp = offsets)
            fixed (float* bias = epilogue.Bias)
            fixed (float* residual = epilogue.Residual)
            {
                ZeroPadded.Copy(x, g.Batch, g.InHeight, g.InWidth, c, g.PadTop, g.PadLeft, xp, rows, columns);
                var pairs = (groups + 1) / 2;
                var job = new Job((nint)xp, (nint)wp, (nint)y, (nint)tp, (nint)bias, (nint)residual, epilogue.InBlockActivation, !epilogue.IsEmpty,
                    g, outChannels, pairs, Pairs64, blocks, columns, imageSize);
                Partition.For(g.Batch * g.OutHeight * pairs, (long)g.OutWidth * taps * c * Width * 4, job, static (in Job j, int start, int end) =>
                {
                    for (var t = start; t < end; t++) j.Run(t);
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<nint>.Shared.Return(offsets);
        }
    }

    /// <summary>
    /// The 6 × 32 sums of one block over every tap and channel, stored at <paramref name="y"/> (row r at r·<paramref name="ldy"/>):
    /// column r's inputs at <paramref name="a"/> + r·<paramref name="rs"/> + <paramref name="taps"/>[t] + channel, the filter's
    /// 32 values of (tap, channel) at <paramref name="b"/>, in that order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* a, nint rs, nint* taps, int count, int channels, float* b, float* y, int ldy)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint steps = channels;
        for (var t = 0; t < count; t++)
        {
            var a0 = a + taps[t];
            float* a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs;
            for (nint p = 0; p < steps; p++, b += Width)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var x = Vector512.Create(a0[p]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(a1[p]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a2[p]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a3[p]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(a4[p]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(a5[p]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            }
        }
        c00.Store(y); c01.Store(y + 16);
        c10.Store(y + ldy); c11.Store(y + ldy + 16);
        c20.Store(y + 2 * ldy); c21.Store(y + 2 * ldy + 16);
        c30.Store(y + 3 * ldy); c31.Store(y + 3 * ldy + 16);
        c40.Store(y + 4 * ldy); c41.Store(y + 4 * ldy + 16);
        c50.Store(y + 5 * ldy); c51.Store(y + 5 * ldy + 16);
    }

    /// <summary>
    /// <see cref="Kernel"/> for two groups at once, their 6 × 64 sums in 24 registers: the filter values of (tap,
    /// channel) at <paramref name="b"/> (the first group's 32) and <paramref name="b2"/> (the second's), each column's
    /// input broadcast once for both, half the broadcasts per multiply-add. Each output's chain of multiply-adds is the
    /// one <see cref="Kernel"/> makes, so the same sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel64(float* a, nint rs, nint* taps, int count, int channels, float* b, float* b2, float* y, int ldy)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        nint steps = channels;
        for (var t = 0; t < count; t++)
        {
            var a0 = a + taps[t];
            float* a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs;
            for (nint p = 0; p < steps; p++, b += Width, b2 += Width)
            {
                var w0 = Vector512.Load(b);
                var w1 = Vector512.Load(b + 16);
                var w2 = Vector512.Load(b2);
                var w3 = Vector512.Load(b2 + 16);
                var x = Vector512.Create(a0[p]);
                c00 = Vector512.FusedMultiplyAdd(x, w0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, w1, c01);
                c02 = Vector512.FusedMultiplyAdd(x, w2, c02);
                c03 = Vector512.FusedMultiplyAdd(x, w3, c03);
                x = Vector512.Create(a1[p]);
                c10 = Vector512.FusedMultiplyAdd(x, w0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, w1, c11);
                c12 = Vector512.FusedMultiplyAdd(x, w2, c12);
                c13 = Vector512.FusedMultiplyAdd(x, w3, c13);
                x = Vector512.Create(a2[p]);
                c20 = Vector512.FusedMultiplyAdd(x, w0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, w1, c21);
                c22 = Vector512.FusedMultiplyAdd(x, w2, c22);
                c23 = Vector512.FusedMultiplyAdd(x, w3, c23);
                x = Vector512.Create(a3[p]);
                c30 = Vector512.FusedMultiplyAdd(x, w0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, w1, c31);
                c32 = Vector512.FusedMultiplyAdd(x, w2, c32);
                c33 = Vector512.FusedMultiplyAdd(x, w3, c33);
                x = Vector512.Create(a4[p]);
                c40 = Vector512.FusedMultiplyAdd(x, w0, c40);
                c41 = Vector512.FusedMultiplyAdd(x, w1, c41);
                c42 = Vector512.FusedMultiplyAdd(x, w2, c42);
                c43 = Vector512.FusedMultiplyAdd(x, w3, c43);
                x = Vector512.Create(a5[p]);
                c50 = Vector512.FusedMultiplyAdd(x, w0, c50);
                c51 = Vector512.FusedMultiplyAdd(x, w1, c51);
                c52 = Vector512.FusedMultiplyAdd(x, w2, c52);
                c53 = Vector512.FusedMultiplyAdd(x, w3, c53);
            }
        }
        c00.Store(y); c01.Store(y + 16); c02.Store(y + 32); c03.Store(y + 48);
        y += ldy;
        c10.Store(y); c11.Store(y + 16); c12.Store(y + 32); c13.Store(y + 48);
        y += ldy;
        c20.Store(y); c21.Store(y + 16); c22.Store(y + 32); c23.Store(y + 48);
        y += ldy;
        c30.Store(y); c31.Store(y + 16); c32.Store(y + 32); c33.Store(y + 48);
        y += ldy;
        c40.Store(y); c41.Store(y + 16); c42.Store(y + 32); c43.Store(y + 48);
        y += ldy;
        c50.Store(y); c51.Store(y + 16); c52.Store(y + 32); c53.Store(y + 48);
    }
}
