using System.Buffers;
using System.Runtime.Intrinsics;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Winograd's minimal filtering in one dimension, F(m, 7) with m = 4 or 2, for 1×7 and 7×1 stride-1 undilated float32
/// convolutions of NHWC images with a constant HWIO filter (Inception-v3's 17×17 layers), any padding. Each line of the
/// output (a row for 1×7, a column for 7×1) is cut into tiles of m outputs, each computed from m + 6 inputs of the line
/// (zeros outside the image): the filter transform <c>U = G·g</c> once per filter (<see cref="PrepackedFilter"/>), the
/// input transform <c>V = Bᵀ·d</c> into m + 6 matrices [tiles × C], one matrix product per transform point
/// <c>M = V·U</c> ([tiles × C]·[C × K], the packed GEMM), and the output transform <c>Y = Aᵀ·M</c>. F(4, 7) does 10
/// multiplications per 4 outputs where the direct convolution does 28, F(2, 7) 8 per 2 against 14: on a 17-wide line,
/// 5 tiles of 10 (9 of 8) against 17 outputs of 7, 2.4× (1.65×) fewer; the transformed filter is 10/7 (8/7) the filter.
/// <para>
/// The points are 0, ±1, ±2, ±½ and ∞ for F(2, 7) (those of F(6, 3)), and ±3/2 besides for F(4, 7); <c>Aᵀ</c>, <c>G</c> and
/// <c>Bᵀ</c> are the Toom–Cook matrices for them (tools/kernels/winograd-line.py derives and checks them in exact fractions;
/// every entry of <c>Aᵀ</c> and <c>Bᵀ</c> is a float exactly, and <c>G</c> is applied in double and rounded once). The error,
/// measured against a float64 direct convolution and relative to <c>Σ|x|·|w|</c> of each output (the tests bound it), is
/// 1.8e-6 to 3.7e-6 for F(4, 7) on Inception-v3's 17×17 layer shapes and 3.3e-7 to 4.2e-7 for F(2, 7), where the product of
/// the patch matrix measures 0.7e-7 to 1.1e-7: a few float32 roundings, as F(4×4, 3×3)'s 2.6e-6, far below what a
/// trained network notices.
/// </para>
/// <para>
/// Each task takes its own block of tiles (a band of output rows) through the input transform, the products and the
/// output transform, then the epilogue on each output pixel, while they are in its cache; tiles are numbered so that a
/// block is a band of rows for both orientations (a 7×1 convolution's tiles by rows of tiles). The transforms are
/// vectorised over channels (16 at a time; a remainder through a zero-padded copy). Every output is computed by the same
/// operations whatever the split, so results do not depend on the thread count.
/// </para>
/// </summary>
internal static unsafe class WinogradLine
{
    /// <summary>Whether convolutions use this kernel where it applies; <c>SHARPFLOW_WINOGRAD_LINE=0</c> turns it off. Tests and probes flip it.</summary>
    internal static bool Enabled = Environment.GetEnvironmentVariable("SHARPFLOW_WINOGRAD_LINE") != "0";

    /// <summary>
    /// The tile size convolutions take (4 or 2; <c>SHARPFLOW_WINOGRAD_LINE=2</c> gives 2): F(4, 7) does 1.44× fewer
    /// multiplications than F(2, 7) on a 17-wide line, with a larger (still small) error. Tests and probes flip it.
    /// </summary>
    internal static int TileSize = Environment.GetEnvironmentVariable("SHARPFLOW_WINOGRAD_LINE") == "2" ? 2 : 4;

    private const int R = 7;      // taps
    private const int Lanes = 16; // channels a vector

    /// <summary>Fewest input and output channels: below them the products are too thin to pay for the transforms.</summary>
    internal const int MinChannels = 16;

    /// <summary>
    /// Fewest tiles over the batch: a 17×17 image has 85 of F(4, 7). Fewer make products of a few rows, each read of
    /// the transformed filter serving too little work.
    /// </summary>
    internal const int MinTiles = 64;

    /// <summary>Elements of a tile block's transformed input and products together: within a core's second-level cache.</summary>
    private const long BlockElements = 1L << 18;

    /// <summary>One F(m, 7): m, its m + 6 points' transforms Aᵀ (m × α), G (α × 7, exact fractions in double) and Bᵀ (α × α).</summary>
    private sealed class Variant(int m, float[] at, double[] g, float[] bt)
    {
        public int M { get; } = m;
        public int Alpha { get; } = m + R - 1;
        public float[] AT { get; } = at;
        public double[] G { get; } = g;
        public float[] BT { get; } = bt;
    }

    private static readonly Variant F2 = new(2,
    [
        1f, 1f, 1f, 1f, 1f, 1f, 1f, 0f,
        0f, 1f, -1f, 2f, -2f, 0.5f, -0.5f, 1f,
    ],
    [
        -1, 0, 0, 0, 0, 0, 0,
        -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9,
        -2.0 / 9, 2.0 / 9, -2.0 / 9, 2.0 / 9, -2.0 / 9, 2.0 / 9, -2.0 / 9,
        1.0 / 90, 1.0 / 45, 2.0 / 45, 4.0 / 45, 8.0 / 45, 16.0 / 45, 32.0 / 45,
        1.0 / 90, -1.0 / 45, 2.0 / 45, -4.0 / 45, 8.0 / 45, -16.0 / 45, 32.0 / 45,
        32.0 / 45, 16.0 / 45, 8.0 / 45, 4.0 / 45, 2.0 / 45, 1.0 / 45, 1.0 / 90,
        32.0 / 45, -16.0 / 45, 8.0 / 45, -4.0 / 45, 2.0 / 45, -1.0 / 45, 1.0 / 90,
        0, 0, 0, 0, 0, 0, 1,
    ],
    [
        -1f, 0f, 5.25f, 0f, -5.25f, 0f, 1f, 0f,
        0f, 1f, 1f, -4.25f, -4.25f, 1f, 1f, 0f,
        0f, -1f, 1f, 4.25f, -4.25f, -1f, 1f, 0f,
        0f, 0.5f, 0.25f, -2.5f, -1.25f, 2f, 1f, 0f,
        0f, -0.5f, 0.25f, 2.5f, -1.25f, -2f, 1f, 0f,
        0f, 2f, 4f, -2.5f, -5f, 0.5f, 1f, 0f,
        0f, -2f, 4f, 2.5f, -5f, -0.5f, 1f, 0f,
        0f, -1f, 0f, 5.25f, 0f, -5.25f, 0f, 1f,
    ]);

    private static readonly Variant F4 = new(4,
    [
        1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 0f,
        0f, 1f, -1f, 2f, -2f, 0.5f, -0.5f, 1.5f, -1.5f, 0f,
        0f, 1f, 1f, 4f, 4f, 0.25f, 0.25f, 2.25f, 2.25f, 0f,
        0f, 1f, -1f, 8f, -8f, 0.125f, -0.125f, 3.375f, -3.375f, 1f,
    ],
    [
        4.0 / 9, 0, 0, 0, 0, 0, 0,
        8.0 / 45, 8.0 / 45, 8.0 / 45, 8.0 / 45, 8.0 / 45, 8.0 / 45, 8.0 / 45,
        8.0 / 45, -8.0 / 45, 8.0 / 45, -8.0 / 45, 8.0 / 45, -8.0 / 45, 8.0 / 45,
        2.0 / 315, 4.0 / 315, 8.0 / 315, 16.0 / 315, 32.0 / 315, 64.0 / 315, 128.0 / 315,
        2.0 / 315, -4.0 / 315, 8.0 / 315, -16.0 / 315, 32.0 / 315, -64.0 / 315, 128.0 / 315,
        -16.0 / 45, -8.0 / 45, -4.0 / 45, -2.0 / 45, -1.0 / 45, -1.0 / 90, -1.0 / 180,
        -16.0 / 45, 8.0 / 45, -4.0 / 45, 2.0 / 45, -1.0 / 45, 1.0 / 90, -1.0 / 180,
        -16.0 / 315, -8.0 / 105, -4.0 / 35, -6.0 / 35, -9.0 / 35, -27.0 / 70, -81.0 / 140,
        -16.0 / 315, 8.0 / 105, -4.0 / 35, 6.0 / 35, -9.0 / 35, 27.0 / 70, -81.0 / 140,
        0, 0, 0, 0, 0, 0, 1,
    ],
    [
        2.25f, 0f, -12.8125f, 0f, 17.0625f, 0f, -7.5f, 0f, 1f, 0f,
        0f, -2.25f, -2.25f, 10.5625f, 10.5625f, -6.5f, -6.5f, 1f, 1f, 0f,
        0f, 2.25f, -2.25f, -10.5625f, 10.5625f, 6.5f, -6.5f, -1f, 1f, 0f,
        0f, -1.125f, -0.5625f, 6.125f, 3.0625f, -7f, -3.5f, 2f, 1f, 0f,
        0f, 1.125f, -0.5625f, -6.125f, 3.0625f, 7f, -3.5f, -2f, 1f, 0f,
        0f, -4.5f, -9f, 7.625f, 15.25f, -3.625f, -7.25f, 0.5f, 1f, 0f,
        0f, 4.5f, -9f, -7.625f, 15.25f, 3.625f, -7.25f, -0.5f, 1f, 0f,
        0f, -1.5f, -1f, 7.875f, 5.25f, -7.875f, -5.25f, 1.5f, 1f, 0f,
        0f, 1.5f, -1f, -7.875f, 5.25f, 7.875f, -5.25f, -1.5f, 1f, 0f,
        0f, 2.25f, 0f, -12.8125f, 0f, 17.0625f, 0f, -7.5f, 0f, 1f,
    ]);

    private static Variant Of(int tileSize) => tileSize switch
    {
        4 => F4,
        2 => F2,
        _ => throw new ArgumentException($"WinogradLine: tile size {tileSize} is not 4 or 2."),
    };

    /// <summary>True when this kernel computes the geometry: a 1×7 or 7×1 window, stride 1, dilation 1.</summary>
    internal static bool Fits(in Window2D g) =>
        ((g.KernelHeight == 1 && g.KernelWidth == R) || (g.KernelHeight == R && g.KernelWidth == 1))
        && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1;

    /// <summary>
    /// True when a convolution with a constant (prepacked) filter takes this kernel (with <see cref="TileSize"/>):
    /// enabled, a geometry it <see cref="Fits"/>, enough channels and tiles, and AVX-512 (its transforms are in 512-bit
    /// vectors, emulated and slow elsewhere, where the product runs instead; <see cref="Forward"/> itself computes the
    /// same values on any machine with the packed GEMM).
    /// </summary>
    public static bool Applies(in Window2D g, int outChannels) =>
        Enabled && Vector512.IsHardwareAccelerated && PackedSgemm.IsSupported && Fits(g) && g.Channels >= MinChannels && outChannels >= MinChannels
        && Layout.Of(g, TileSize).Total >= MinTiles;

    /// <summary>
    /// How a geometry's outputs are cut into tiles of <paramref name="M"/>: along rows (1×7) or columns (7×1), tiles per
    /// line, and their count.
    /// </summary>
    private readonly record struct Layout(int M, bool Rows, int TilesPerLine, long Total)
    {
        public static Layout Of(in Window2D g, int m)
        {
            var rows = g.KernelHeight == 1;
            var perLine = ((rows ? g.OutWidth : g.OutHeight) + m - 1) / m;
            return new Layout(m, rows, perLine, (long)g.Batch * (rows ? g.OutHeight : g.OutWidth) * perLine);
        }
    }

    /// <summary>
    /// The filter [1, 7, C, K] or [7, 1, C, K] (the same layout: tap, input channel, output channel) transformed for
    /// F(<paramref name="tileSize"/>, 7), <c>U[ξ] = Σⱼ G[ξ][j]·g[j]</c> in double rounded once, each of its m + 6 [C × K]
    /// matrices packed for the products; null where the packed GEMM does not run.
    /// </summary>
    public static Winograd.TransformedFilter? TransformFilter(ReadOnlySpan<float> filter, int channels, int outChannels, int tileSize)
    {
        var variant = Of(tileSize);
        if (!PackedSgemm.IsSupported || channels <= 0 || outChannels <= 0) return null;
        var size = (long)channels * outChannels;
        if (filter.Length < R * size) throw new ArgumentException("WinogradLine: the filter is smaller than its channel counts say.");
        var u = new float[size];
        var products = new PackedMatrix[variant.Alpha];
        for (var xi = 0; xi < variant.Alpha; xi++)
        {
            for (long i = 0; i < size; i++)
            {
                var sum = 0.0;
                for (var j = 0; j < R; j++) sum += variant.G[xi * R + j] * filter[(int)(j * size + i)];
                u[i] = (float)sum;
            }
            products[xi] = PackedMatrix.Pack(u, channels, outChannels, false)!;
        }
        return new Winograd.TransformedFilter(variant.M, channels, outChannels, products);
    }

    /// <summary>
    /// <paramref name="output"/>[N, outH, outW, K] = conv(<paramref name="input"/>, filter) for a geometry that
    /// <see cref="Fits"/>, from the filter <paramref name="transformed"/> by <see cref="TransformFilter"/> (its tile size
    /// decides the variant), then the <paramref name="epilogue"/> (<c>act((y + bias) + residual)</c>) on each output pixel
    /// as its tile is done. <paramref name="blocks"/> sets the number of tile blocks (tests; 0: blocks within a core's
    /// cache, a multiple of the thread count).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, in Window2D g, int outChannels, Winograd.TransformedFilter transformed,
        GemmEpilogue<float> epilogue = default, int blocks = 0)
    {
        if (!Fits(g)) throw new ArgumentException("WinogradLine: only 1×7 and 7×1 windows with stride 1 and dilation 1.");
        var variant = Of(transformed.TileSize);
        if (!transformed.Fits(variant.M, g.Channels, outChannels) || transformed.Products.Length != variant.Alpha)
            throw new ArgumentException("WinogradLine: the transformed filter is not this convolution's.");
        // Fewer output columns would send the products to PackedSgemm's few-columns path, which needs B itself.
        if (outChannels < MinChannels) throw new ArgumentException($"WinogradLine: {outChannels} output channels, fewer than {MinChannels}.");
        var elements = (long)g.Batch * g.OutPositions * outChannels;
        if (input.Length < (long)g.Batch * g.InImageSize || output.Length < elements)
            throw new ArgumentException("WinogradLine: a buffer is smaller than the geometry says.");
        epilogue.Check(elements, outChannels);
        var layout = Layout.Of(g, variant.M);
        if (layout.Total == 0) return;
        var (c, k) = (g.Channels, outChannels);
        var count = blocks > 0 ? Math.Min(blocks, layout.Total) : Blocks(layout.Total, variant.Alpha, c, k);
        fixed (float* px = input)
        fixed (float* py = output)
        fixed (float* pb = epilogue.Bias)
        fixed (float* pr = epilogue.Residual)
        {
            var job = new Job((nint)px, (nint)py, g, k, layout, (int)count, variant, transformed.Products,
                (nint)pb, (nint)pr, epilogue.InBlockActivation, !epilogue.IsEmpty);
            Partition.For((int)count, (long)variant.Alpha * (layout.Total / count) * c * k, job,
                static (in Job j, int s, int e) => { for (var b = s; b < e; b++) j.Block(b); });
        }
    }

    /// <summary>
    /// Tile blocks for <paramref name="total"/> tiles: each block's transformed inputs and products within
    /// <see cref="BlockElements"/>, and a multiple of the thread count of them (each thread its own band of rows) unless
    /// there are fewer tiles than that.
    /// </summary>
    private static long Blocks(long total, int alpha, int c, int k)
    {
        var threads = WorkerPool.Threads;
        var perBlock = Math.Max(1, BlockElements / ((long)alpha * (c + k)));
        var blocks = (total + perBlock - 1) / perBlock;
        return Math.Min(total, (blocks + threads - 1) / threads * threads);
    }

    /// <summary>One call: the operands, the geometry and tiling, the variant, the packed products and the epilogue.</summary>
    private readonly record struct Job(nint Input, nint Output, Window2D G, int K, Layout Layout, int Blocks, Variant Variant, PackedMatrix[] Products,
        nint Bias, nint Residual, FusedActivation Activation, bool Epilogue)
    {
        /// <summary>Tile block <paramref name="block"/>: tiles ⌊b·total/blocks⌋ on, through the three steps and the epilogue.</summary>
        public void Block(int block)
        {
            var first = Layout.Total * block / Blocks;
            var count = (int)(Layout.Total * (block + 1) / Blocks - first);
            var (c, alpha, m) = (G.Channels, Variant.Alpha, Variant.M);
            var v = ArrayPool<float>.Shared.Rent(alpha * count * c);
            var products = ArrayPool<float>.Shared.Rent(alpha * count * K);
            try
            {
                fixed (float* pv = v)
                fixed (float* pm = products)
                {
                    var d = stackalloc float*[alpha];
                    for (var i = 0; i < count; i++)
                    {
                        Inputs(first + i, d);
                        InputTransform(Variant, d, pv + (long)i * c, (long)count * c, c);
                    }
                    // The packed kernel for every block, however few its tiles (Gemm would take small products elsewhere,
                    // which rounds differently): a block's result does not depend on the blocks.
                    for (var xi = 0; xi < alpha; xi++)
                        PackedSgemm.Multiply(new ReadOnlySpan<float>(pv + (long)xi * count * c, count * c), default,
                            new Span<float>(pm + (long)xi * count * K, count * K), count, c, K, false, false, default, Products[xi]);
                    var y = stackalloc float*[m];
                    var step = Layout.Rows ? 1 : (long)G.OutWidth; // from a tile's first pixel to its next
                    for (var i = 0; i < count; i++)
                    {
                        var pixel = Outputs(first + i, y);
                        OutputTransform(Variant, pm + (long)i * K, (long)count * K, y, K);
                        if (!Epilogue) continue;
                        for (var o = 0; o < m; o++)
                            if (y[o] != null)
                                BiasActivation.Tile(y[o], K, (float*)Bias, Residual == 0 ? null : (float*)Residual + (pixel + o * step) * K, 1, K, Activation);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(v);
                ArrayPool<float>.Shared.Return(products);
            }
        }

        /// <summary>
        /// The m + 6 input pixels of tile <paramref name="tile"/> (null outside the image): along rows, tile t of line
        /// (n, oh) reads columns m·t − padLeft + j of input row oh − padTop; along columns, tiles go by rows of tiles,
        /// tile (n, t, ow) reading rows m·t − padTop + j of input column ow − padLeft.
        /// </summary>
        private void Inputs(long tile, float** d)
        {
            var g = G;
            int n, along, across;
            if (Layout.Rows)
            {
                var line = tile / Layout.TilesPerLine;
                (n, across, along) = ((int)(line / g.OutHeight), (int)(line % g.OutHeight) - g.PadTop, (int)(tile % Layout.TilesPerLine) * Layout.M - g.PadLeft);
            }
            else
            {
                var tileRow = tile / g.OutWidth;
                (n, across, along) = ((int)(tileRow / Layout.TilesPerLine), (int)(tile % g.OutWidth) - g.PadLeft, (int)(tileRow % Layout.TilesPerLine) * Layout.M - g.PadTop);
            }
            var (alongSize, acrossSize) = Layout.Rows ? (g.InWidth, g.InHeight) : (g.InHeight, g.InWidth);
            var image = (float*)Input + (long)n * g.InImageSize;
            for (var j = 0; j < Variant.Alpha; j++)
            {
                var a = along + j;
                d[j] = across < 0 || across >= acrossSize || a < 0 || a >= alongSize ? null
                    : image + ((long)(Layout.Rows ? across * g.InWidth + a : a * g.InWidth + across)) * g.Channels;
            }
        }

        /// <summary>
        /// The output pixels of tile <paramref name="tile"/> (null past the image's edge) and the flat index of its first
        /// pixel; the next ones follow along the row (1×7) or down the column (7×1).
        /// </summary>
        private long Outputs(long tile, float** y)
        {
            var g = G;
            long first;
            int along, size;
            if (Layout.Rows)
            {
                var line = tile / Layout.TilesPerLine;
                along = (int)(tile % Layout.TilesPerLine) * Layout.M;
                (first, size) = (line * g.OutWidth + along, g.OutWidth);
            }
            else
            {
                var tileRow = tile / g.OutWidth;
                var (n, ow) = (tileRow / Layout.TilesPerLine, tile % g.OutWidth);
                along = (int)(tileRow % Layout.TilesPerLine) * Layout.M;
                (first, size) = ((n * g.OutHeight + along) * g.OutWidth + ow, g.OutHeight);
            }
            var step = Layout.Rows ? 1 : (long)g.OutWidth;
            for (var o = 0; o < Layout.M; o++) y[o] = along + o < size ? (float*)Output + (first + o * step) * K : null;
            return first;
        }
    }

    /// <summary>
    /// <c>V[ξ] = (Bᵀ·d)[ξ]</c> for one tile, vectorised over its <paramref name="c"/> channels: d[j] the tile's inputs
    /// (null: zeros), V[ξ] stored at <c>v + ξ·stride</c>.
    /// </summary>
    private static void InputTransform(Variant variant, float** d, float* v, long stride, int c)
    {
        var ch = 0;
        for (; ch + Lanes <= c; ch += Lanes) Transform(variant.BT, variant.Alpha, variant.Alpha, d, ch, v + ch, stride);
        if (ch == c) return;
        // The last channels through zero-padded copies: the same operations on the lanes that count.
        var alpha = variant.Alpha;
        var padded = stackalloc float[alpha * Lanes];
        var pointers = stackalloc float*[alpha];
        var result = stackalloc float[alpha * Lanes];
        for (var j = 0; j < alpha; j++)
        {
            pointers[j] = d[j] == null ? null : padded + j * Lanes;
            if (d[j] != null) new ReadOnlySpan<float>(d[j] + ch, c - ch).CopyTo(new Span<float>(padded + j * Lanes, Lanes));
        }
        Transform(variant.BT, alpha, alpha, pointers, 0, result, Lanes);
        for (var xi = 0; xi < alpha; xi++) new ReadOnlySpan<float>(result + xi * Lanes, c - ch).CopyTo(new Span<float>(v + xi * stride + ch, c - ch));
    }

    /// <summary>
    /// <c>Y = Aᵀ·M</c> for one tile, vectorised over its <paramref name="k"/> output channels: M[ξ] at
    /// <c>m + ξ·stride</c>, Y[o] stored at y[o] (null: past the image, not stored).
    /// </summary>
    private static void OutputTransform(Variant variant, float* m, long stride, float** y, int k)
    {
        var alpha = variant.Alpha;
        var sources = stackalloc float*[alpha];
        for (var xi = 0; xi < alpha; xi++) sources[xi] = m + xi * stride;
        var ch = 0;
        for (; ch + Lanes <= k; ch += Lanes) Store(variant, sources, ch, y, ch);
        if (ch == k) return;
        var padded = stackalloc float[alpha * Lanes];
        var result = stackalloc float*[variant.M];
        var rows = stackalloc float[variant.M * Lanes];
        for (var xi = 0; xi < alpha; xi++)
        {
            new ReadOnlySpan<float>(sources[xi] + ch, k - ch).CopyTo(new Span<float>(padded + xi * Lanes, Lanes));
            sources[xi] = padded + xi * Lanes;
        }
        for (var o = 0; o < variant.M; o++) result[o] = rows + o * Lanes;
        Store(variant, sources, 0, result, 0);
        for (var o = 0; o < variant.M; o++)
            if (y[o] != null) new ReadOnlySpan<float>(rows + o * Lanes, k - ch).CopyTo(new Span<float>(y[o] + ch, k - ch));
    }

    /// <summary>Aᵀ·M on 16 channels at <paramref name="ch"/>, each output row o stored at y[o] + <paramref name="at"/> unless y[o] is null.</summary>
    private static void Store(Variant variant, float** sources, int ch, float** y, int at)
    {
        var rows = stackalloc Vector512<float>[variant.M];
        Transform(variant.AT, variant.M, variant.Alpha, sources, ch, (float*)rows, Lanes);
        for (var o = 0; o < variant.M; o++)
            if (y[o] != null) rows[o].Store(y[o] + at);
    }

    /// <summary>
    /// out[r] = Σⱼ matrix[r][j]·in[j] on 16 channels (<paramref name="rows"/> × <paramref name="columns"/>, row-major;
    /// in[j] at <c>sources[j] + ch</c>, null: zeros), in order of j, zero coefficients skipped; out[r] stored at
    /// <c>dst + r·stride</c>.
    /// </summary>
    private static void Transform(float[] matrix, int rows, int columns, float** sources, int ch, float* dst, long stride)
    {
        var inputs = stackalloc Vector512<float>[columns];
        for (var j = 0; j < columns; j++) inputs[j] = sources[j] == null ? Vector512<float>.Zero : Vector512.Load(sources[j] + ch);
        fixed (float* coefficients = matrix)
        {
            for (var r = 0; r < rows; r++)
            {
                var sum = Vector512<float>.Zero;
                var row = coefficients + r * columns;
                for (var j = 0; j < columns; j++)
                    if (row[j] != 0f) sum = Vector512.FusedMultiplyAdd(inputs[j], Vector512.Create(row[j]), sum);
                sum.Store(dst + r * stride);
            }
        }
    }
}
