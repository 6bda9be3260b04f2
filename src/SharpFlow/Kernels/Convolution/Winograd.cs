using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// Winograd's minimal filtering (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016) for
/// 3×3, stride-1, undilated float32 convolutions of NHWC images with an HWIO filter, any padding. The output is cut
/// into m×m tiles (m = 4 or 2, <see cref="ChooseTileSize"/>), each computed from an (m+2)×(m+2) input tile (zeros outside the
/// image): the filter transform <c>U = G·g·Gᵀ</c> once per call, the input transform <c>V = Bᵀ·d·B</c> into
/// <c>(m+2)²</c> matrices [tiles × C], one matrix product per tile position <c>M = V·U</c> ([tiles × C]·[C × K]
/// through <see cref="Gemm"/>), and the output transform <c>Y = Aᵀ·M·A</c> scattered into the output.
/// F(4×4, 3×3) does 36 multiplications per 16 outputs where the direct convolution does 144 (4×), F(2×2, 3×3) 16
/// per 4 (2.25×).
/// <para>
/// F(4×4, 3×3) (points 0, ±1, ±2) is used wherever there are enough tiles, F(2×2) where there are only enough 2×2
/// tiles (the smaller transformed filter pays off sooner). F(4×4)'s error, measured against a float64 direct convolution and
/// relative to <c>Σ|x|·|w|</c> of each output, stays below 2.6e-6 on ResNet18's four 3×3 stride-1 layer shapes
/// (F(2×2): 1.1e-7; the im2col product: 1.5e-7), about 20 float32 roundings (2⁻²⁴ ≈ 6e-8 each): far below what a
/// trained network notices, and F(4×4) does 1.8× fewer multiplications than F(2×2) (see the tests).
/// </para>
/// <para>
/// The transforms are vectorised over channels (AVX-512, AVX or scalar for the remainder). Tiles are transformed in
/// parallel, and the products of one block of tiles run in parallel over the tile positions; each element is
/// computed in a fixed order whatever the split, so results do not depend on the thread count. Buffers come from
/// <see cref="ArrayPool{T}"/>, so steady calls allocate nothing.
/// </para>
/// </summary>
internal static unsafe class Winograd
{
    /// <summary>Whether convolutions use Winograd where it applies; <c>SHARPFLOW_WINOGRAD=0</c> turns it off. Tests flip it.</summary>
    internal static bool Enabled = Environment.GetEnvironmentVariable("SHARPFLOW_WINOGRAD") != "0";

    /// <summary>Largest number of elements of the transformed-input (or product) block of one pass over the tiles.</summary>
    internal const long MaxBlockElements = 1L << 20;

    /// <summary>
    /// Fewest output tiles (over the whole batch) for which Winograd beats im2col on this machine. Below it the
    /// products are too thin ([tiles × C]·[C × K] with few rows) to pay for transforming and packing 36·C·K filter
    /// values: measured (<c>WinogradBenchmarks</c>, F(4×4) against im2col) 196 tiles (56×56×64) 0.49× the time,
    /// 49 (28×28×128) 0.70×, 128 (14×14×256, batch 8) 0.68×, but 32 (7×7×512, batch 8) 1.05× and 16 (14×14×256)
    /// 1.76×.
    /// </summary>
    internal const int MinTiles = 48;

    /// <summary>
    /// Fewest 2×2 output tiles for which F(2×2, 3×3) beats im2col where F(4×4) has fewer than <see cref="MinTiles"/>
    /// tiles: its transformed filter is 16·C·K values instead of 36·C·K. Measured against im2col: 128 tiles (7×7×512,
    /// batch 8) 0.78× the time, 49 (14×14×256, batch 1) 0.98×, 16 (7×7×512, batch 1) 1.86×.
    /// </summary>
    internal const int MinTiles2 = 128;

    /// <summary>Fewest input and output channels for which Winograd beats im2col on this machine.</summary>
    internal const int MinChannels = 16;

    /// <summary>
    /// True when <see cref="Forward"/> computes this convolution (and is expected to be faster than im2col): float32,
    /// a 3×3 window, stride 1, dilation 1, enough channels and tiles, and Winograd enabled.
    /// </summary>
    public static bool Applies<T>(in Window2D g, int outChannels, bool prepacked = false) =>
        typeof(T) == typeof(float) && Enabled && Fits(g)
        && g.Channels >= MinChannels && outChannels >= MinChannels
        && ChooseTileSize(g, prepacked) != 0;

    /// <summary>
    /// The output tile size m of the F(m×m, 3×3) that is faster than im2col for this geometry: 4 with at least
    /// <see cref="MinTiles"/> 4×4 tiles, else 2 with at least <see cref="MinTiles2"/> 2×2 tiles, else 0 (im2col).
    /// With a <paramref name="prepacked"/> constant filter (transformed once, <see cref="PrepackedFilter"/>) the
    /// transform no longer counts, and <see cref="MinTilesPrepacked"/> and <see cref="MinTiles2Prepacked"/> apply.
    /// </summary>
    internal static int ChooseTileSize(in Window2D g, bool prepacked = false) =>
        (long)g.Batch * Tiles(g.OutHeight, 4) * Tiles(g.OutWidth, 4) >= (prepacked ? MinTilesPrepacked : MinTiles) ? 4
        : (long)g.Batch * Tiles(g.OutHeight, 2) * Tiles(g.OutWidth, 2) >= (prepacked ? MinTiles2Prepacked : MinTiles2) ? 2
        : 0;

    /// <summary>
    /// <see cref="MinTiles"/> for a prepacked filter: with the transform and its packing done once, only the input
    /// and output transforms remain to pay for, and F(4×4) beat im2col from 16 tiles on. Measured
    /// (<c>WinogradChoice</c>, each prepacked, median time, loaded machine): 14×14×256 at batch 1 (16 tiles)
    /// 0.47 ms against im2col's 0.82, 17×17×192 (25 tiles) 0.39 against 0.61, 7×7×512 at batch 8 (32 tiles) 3.1
    /// against 6.5 (F(2×2): 3.7); but 7×7×512 at batch 1 (4 tiles) 0.81, where F(2×2) took 0.65 and im2col 0.93.
    /// Those times repeat one layer, its transformed filter in cache. In a network every layer's filter comes from
    /// memory on each run, and F(4×4)'s is 4 times the filter (F(2×2)'s 16/9): ResNet18's 14×14×256 layers at batch 1
    /// (16 tiles), timed in the network's order each with its own filter (<c>resnet18-layers</c>, two runs, loaded
    /// machine), took 0.56–0.62 ms with F(2×2) against 0.71–0.77 with F(4×4). So F(4×4) needs 32 tiles (7×7×512 at
    /// batch 8 keeps it), and fewer go to F(2×2).
    /// </summary>
    internal const int MinTilesPrepacked = 32;

    /// <summary>
    /// <see cref="MinTiles2"/> for a prepacked filter: F(2×2) with 16 tiles of 2×2 (7×7×512 at batch 1) took 0.65 ms
    /// against im2col's 0.93.
    /// </summary>
    internal const int MinTiles2Prepacked = 16;

    /// <summary>True when the geometry is one <see cref="Forward"/> can compute: a 3×3 window, stride 1, dilation 1.</summary>
    internal static bool Fits(in Window2D g) =>
        g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.DilationHeight == 1 && g.DilationWidth == 1;

    private static int Tiles(int size, int m) => (size + m - 1) / m;

    /// <summary><paramref name="output"/>[N, outH, outW, K] = conv(<paramref name="input"/>, <paramref name="filter"/>) for a geometry that <see cref="Fits"/>.</summary>
    /// <param name="input">The images, NHWC.</param>
    /// <param name="filter">The filter, [3, 3, C, K].</param>
    /// <param name="output">The result, [N, outH, outW, K].</param>
    /// <param name="g">The geometry: sizes, padding and output size.</param>
    /// <param name="outChannels">K.</param>
    /// <param name="tileSize">m: 4 for F(4×4, 3×3), 2 for F(2×2, 3×3), 0 for <see cref="ChooseTileSize"/>'s choice (F(4×4) where it says im2col).</param>
    /// <param name="maxBlockElements">Largest transformed-input (or product) block of one pass; tests lower it to exercise several passes.</param>
    /// <param name="prepacked">The constant filter's prepacked forms (<see cref="PrepackedFilter"/>): the transformed filter
    /// of this tile size is made once and its products read its packed panels, with results bitwise those without.</param>
    /// <param name="epilogue">Applied to the output (<c>act((y + bias) + residual)</c>): by each tile block's task when the
    /// blocks are the threads' own (<see cref="LocalFilterBytes"/>), else as a pass after.</param>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, Span<float> output, in Window2D g, int outChannels,
        int tileSize = 0, long maxBlockElements = MaxBlockElements, PrepackedFilter? prepacked = null, GemmEpilogue<float> epilogue = default)
    {
        if (!Fits(g)) throw new ArgumentException("Winograd: only 3×3 windows with stride 1 and dilation 1.");
        if (tileSize == 0) tileSize = ChooseTileSize(g, prepacked is not null) is 2 ? 2 : 4;
        if (tileSize != 2 && tileSize != 4) throw new ArgumentException($"Winograd: tile size {tileSize} is not 2 or 4.");
        var transformed = prepacked is not null && PackedProducts(g, outChannels, tileSize, maxBlockElements)
            ? prepacked.Winograd(filter, g.Channels, outChannels, tileSize)
            : null;
        var count = (long)g.Batch * g.OutPositions * outChannels;
        epilogue.Check(Math.Min(count, output.Length), outChannels);
        if (transformed is not null && TileLocal(g, outChannels, tileSize, maxBlockElements) is (var blocks, true))
        {
            if (tileSize == 2) ForwardLocal<F2>(input, output, g, outChannels, transformed, blocks, epilogue);
            else ForwardLocal<F4>(input, output, g, outChannels, transformed, blocks, epilogue);
            return;
        }
        if (tileSize == 2) Forward<F2>(input, filter, output, g, outChannels, maxBlockElements, transformed);
        else Forward<F4>(input, filter, output, g, outChannels, maxBlockElements, transformed);
        if (!epilogue.IsEmpty && count > 0) BiasActivation.Apply(output[..(int)count], outChannels, epilogue);
    }

    /// <summary>
    /// Transformed filters of at most this many bytes let each thread take its tile blocks through all three steps
    /// (<see cref="ForwardLocal{F}"/>); 0 (<c>SHARPFLOW_WINOGRAD_LOCAL=0</c>) turns that off. The filter is read by every
    /// block, from the second-level cache.
    /// </summary>
    internal static long LocalFilterBytes = Environment.GetEnvironmentVariable("SHARPFLOW_WINOGRAD_LOCAL") == "0" ? 0 : 1L << 20;

    /// <summary>
    /// Elements of a tile block's transformed input and products together in <see cref="ForwardLocal{F}"/>: with the
    /// filter, within a core's second-level cache.
    /// </summary>
    internal const long LocalBlockElements = 1L << 18;

    /// <summary>
    /// Whether a call takes <see cref="ForwardLocal{F}"/> and in how many tile blocks: a prepacked filter of at most
    /// <see cref="LocalFilterBytes"/>, blocks of at most <see cref="LocalBlockElements"/> (a multiple of the thread count of
    /// them, at least two per thread) whose products read packed panels.
    /// </summary>
    internal static (int Blocks, bool Applies) TileLocal(in Window2D g, int k, int tileSize, long maxBlockElements)
    {
        var c = g.Channels;
        var alpha2 = (tileSize + 2) * (tileSize + 2);
        var total = (long)g.Batch * Tiles(g.OutHeight, tileSize) * Tiles(g.OutWidth, tileSize);
        if ((long)alpha2 * c * k * sizeof(float) > LocalFilterBytes || total == 0 || c == 0 || k == 0) return (0, false);
        var perBlock = Math.Max(1, Math.Min(maxBlockElements, LocalBlockElements) / ((long)alpha2 * (c + k)));
        var threads = WorkerPool.Threads;
        var blocks = (total + perBlock - 1) / perBlock;
        blocks = (blocks + threads - 1) / threads * threads;
        if (blocks < 2L * threads || blocks > total) return (0, false);
        var smallest = (int)(total / blocks);
        return ((int)blocks, Gemm.ReadsPackedB(smallest, c, k) && Gemm.ReadsPackedB(smallest + 1, c, k));
    }

    /// <summary>
    /// The convolution with each task taking its own block of tiles through the input transform, the (m+2)² products
    /// and the output transform, then the epilogue on the block's pixels, while they are in its cache: no transformed
    /// block goes from one core to the other, and one parallel loop instead of three per block. The same operations on
    /// every tile and element as <see cref="Forward{F}"/> and the epilogue pass after it, so the same result, bit for bit.
    /// </summary>
    private static void ForwardLocal<F>(ReadOnlySpan<float> input, Span<float> output, in Window2D g, int k, TransformedFilter transformed, int blocks,
        GemmEpilogue<float> epilogue)
        where F : struct, ITile
    {
        if (input.Length < (long)g.Batch * g.InImageSize || output.Length < (long)g.Batch * g.OutPositions * k)
            throw new ArgumentException("Winograd: a buffer is smaller than the geometry says.");
        var (tilesH, tilesW) = (Tiles(g.OutHeight, F.M), Tiles(g.OutWidth, F.M));
        var total = g.Batch * tilesH * tilesW;
        var pattern = RowEpilogue.RentPattern(epilogue, (long)g.Batch * g.OutHeight, g.OutWidth, k);
        try
        {
            fixed (float* px = input)
            fixed (float* py = output)
            fixed (float* pp = pattern)
            fixed (float* pr = epilogue.Residual)
            {
                var job = new LocalJob(new Job((nint)px, 0, (nint)py, 0, 0, 0, g, k, tilesH, tilesW, 0, 0, 0, transformed.Products),
                    RowEpilogue.Create(epilogue, pp, pr, g.OutWidth, k), total, blocks);
                Partition.For(blocks, (long)F.Alpha * F.Alpha * (total / blocks) * g.Channels * k, job,
                    static (in LocalJob j, int s, int e) => { for (var b = s; b < e; b++) j.Block<F>(b); });
            }
        }
        finally
        {
            RowEpilogue.ReturnPattern(pattern);
        }
    }

    /// <summary>A <see cref="ForwardLocal{F}"/> call: the convolution's job, its epilogue and its tile blocks.</summary>
    private readonly record struct LocalJob(Job Job, RowEpilogue Epilogue, int Total, int Blocks)
    {
        /// <summary>Tile block <paramref name="block"/>: tiles ⌊b·total/blocks⌋ on, through all three steps and the epilogue.</summary>
        public void Block<F>(int block) where F : struct, ITile
        {
            var first = (int)((long)Total * block / Blocks);
            var count = (int)((long)Total * (block + 1) / Blocks) - first;
            var (c, k, alpha2) = (Job.G.Channels, Job.K, F.Alpha * F.Alpha);
            var v = ArrayPool<float>.Shared.Rent(alpha2 * count * c);
            var m = ArrayPool<float>.Shared.Rent(alpha2 * count * k);
            try
            {
                fixed (float* pv = v)
                fixed (float* pm = m)
                {
                    var j = Job with { V = (nint)pv, M = (nint)pm, FirstTile = first, BlockTiles = count, BlockCapacity = count };
                    InputTransform<F>(j, 0, count);
                    for (var xi = 0; xi < alpha2; xi++)
                        Gemm.MultiplyPacked(new ReadOnlySpan<float>(pv + (long)xi * count * c, count * c), j.Prepacked![xi],
                            new Span<float>(pm + (long)xi * count * k, count * k), count, c, k);
                    OutputTransform<F>(j, 0, count);
                    if (Epilogue.Applies) EpilogueOnTiles<F>(j, Epilogue);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(v);
                ArrayPool<float>.Shared.Return(m);
            }
        }
    }

    /// <summary>
    /// The epilogue on the output pixels of tiles [FirstTile, FirstTile + BlockTiles): per image row, each run of
    /// consecutive tiles in one row of tiles is one contiguous stretch of pixels.
    /// </summary>
    private static void EpilogueOnTiles<F>(in Job j, in RowEpilogue epilogue) where F : struct, ITile
    {
        var perImage = j.TilesH * j.TilesW;
        for (var t = j.FirstTile; t < j.FirstTile + j.BlockTiles;)
        {
            var (n, rest) = (t / perImage, t % perImage);
            var (tileRow, tileCol) = (rest / j.TilesW, rest % j.TilesW);
            var run = Math.Min(j.TilesW - tileCol, j.FirstTile + j.BlockTiles - t);
            var (w0, w1) = (tileCol * F.M, Math.Min(j.G.OutWidth, (tileCol + run) * F.M));
            for (var r = 0; r < F.M; r++)
            {
                var h = tileRow * F.M + r;
                if (h >= j.G.OutHeight) break;
                epilogue.ApplyPixels((float*)j.Output, (long)n * j.G.OutHeight + h, w0, w1 - w0, j.K);
            }
            t += run;
        }
    }

    /// <summary>
    /// A filter [3, 3, C, K] transformed for F(m×m, 3×3) once, <c>U = G·g·Gᵀ</c>, and each of its (m+2)² [C × K]
    /// matrices packed into the GEMM's panels (<see cref="PackedMatrix"/>): what a call with a constant filter would
    /// otherwise compute and pack again every time (also the one-dimensional F(m, 7)'s of <see cref="WinogradLine"/>: m + 6
    /// products). Immutable.
    /// </summary>
    public sealed class TransformedFilter
    {
        internal TransformedFilter(int tileSize, int channels, int outChannels, PackedMatrix[] products) =>
            (TileSize, Channels, OutChannels, Products) = (tileSize, channels, outChannels, products);

        /// <summary>m of F(m×m, 3×3).</summary>
        public int TileSize { get; }

        /// <summary>C.</summary>
        public int Channels { get; }

        /// <summary>K.</summary>
        public int OutChannels { get; }

        /// <summary>The (m+2)² products' B panels, ξ by ξ.</summary>
        internal PackedMatrix[] Products { get; }

        /// <summary>Whether this is the filter of an F(<paramref name="tileSize"/>) with these channel counts.</summary>
        public bool Fits(int tileSize, int channels, int outChannels) => TileSize == tileSize && Channels == channels && OutChannels == outChannels;

        /// <summary>The bytes the panels take.</summary>
        public long Bytes => Products.Sum(p => p.Bytes);
    }

    /// <summary>
    /// The filter [3, 3, <paramref name="channels"/>, <paramref name="outChannels"/>] transformed for F(m×m, 3×3),
    /// m = <paramref name="tileSize"/>, its products packed; null where the packed GEMM does not run on this machine.
    /// </summary>
    public static TransformedFilter? TransformFilter(ReadOnlySpan<float> filter, int channels, int outChannels, int tileSize)
    {
        if (tileSize != 2 && tileSize != 4) throw new ArgumentException($"Winograd: tile size {tileSize} is not 2 or 4.");
        if (!PackedSgemm.IsSupported || channels <= 0 || outChannels <= 0) return null;
        if (filter.Length < 9L * channels * outChannels) throw new ArgumentException("Winograd: the filter is smaller than its channel counts say.");
        return tileSize == 4 ? TransformFilter<F4>(filter, channels, outChannels) : TransformFilter<F2>(filter, channels, outChannels);
    }

    private static TransformedFilter TransformFilter<F>(ReadOnlySpan<float> filter, int c, int k) where F : struct, ITile
    {
        var alpha2 = F.Alpha * F.Alpha;
        var u = ArrayPool<float>.Shared.Rent(checked(alpha2 * c * k));
        try
        {
            fixed (float* pf = filter)
            fixed (float* pu = u)
            {
                var g = new Window2D(1, 3, 3, c, 3, 3, 1, 1, 1, 1, 0, 0, 1, 1);
                var job = new Job(0, (nint)pf, 0, (nint)pu, 0, 0, g, k, 0, 0, 0, 0, 0);
                Partition.For(c, 9L * alpha2 * k, job, static (in Job j, int s, int e) => FilterTransform<F>(j, s, e));
            }
            var products = new PackedMatrix[alpha2];
            for (var xi = 0; xi < alpha2; xi++)
                products[xi] = PackedMatrix.Pack(u.AsSpan(xi * c * k, c * k), c, k, false)!;
            return new TransformedFilter(F.M, c, k, products);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(u);
        }
    }

    /// <summary>
    /// Whether every product of a call (the blocks of <see cref="Forward{F}"/>'s tiles, [rows × C]·[C × K]) runs on
    /// the packed GEMM, so that a <see cref="TransformedFilter"/> can stand in for the transformed filter.
    /// </summary>
    private static bool PackedProducts(in Window2D g, int k, int tileSize, long maxBlockElements)
    {
        var c = g.Channels;
        var total = (long)g.Batch * Tiles(g.OutHeight, tileSize) * Tiles(g.OutWidth, tileSize);
        if (total == 0 || c == 0 || k == 0) return false;
        var capacity = Math.Clamp(maxBlockElements / ((long)(tileSize + 2) * (tileSize + 2) * Math.Max(c, k)), 1, total);
        var last = total - (total - 1) / capacity * capacity;
        return Gemm.ReadsPackedB((int)capacity, c, k) && Gemm.ReadsPackedB((int)last, c, k);
    }

    /// <summary>Sizes and buffers of one call, passed by value to the parallel loops.</summary>
    private readonly record struct Job(nint Input, nint Filter, nint Output, nint U, nint V, nint M,
        Window2D G, int K, int TilesH, int TilesW, int FirstTile, int BlockTiles, int BlockCapacity, PackedMatrix[]? Prepacked = null);

    private static void Forward<F>(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, Span<float> output, in Window2D g, int k, long maxBlockElements,
        TransformedFilter? transformed)
        where F : struct, ITile
    {
        var c = g.Channels;
        var alpha2 = F.Alpha * F.Alpha;
        var (tilesH, tilesW) = (Tiles(g.OutHeight, F.M), Tiles(g.OutWidth, F.M));
        var total = g.Batch * tilesH * tilesW;
        if (total == 0 || k == 0) return;
        if (c == 0)
        {
            output[..(g.Batch * g.OutPositions * k)].Clear();
            return;
        }
        if (input.Length < (long)g.Batch * g.InImageSize || filter.Length < 9L * c * k || output.Length < (long)g.Batch * g.OutPositions * k)
            throw new ArgumentException("Winograd: a buffer is smaller than the geometry says.");
        var perTile = (long)alpha2 * Math.Max(c, k);
        var capacity = (int)Math.Clamp(maxBlockElements / perTile, 1, total);
        var prepacked = transformed is not null && transformed.Fits(F.M, c, k) ? transformed.Products : null;
        var u = prepacked is null ? ArrayPool<float>.Shared.Rent(checked(alpha2 * c * k)) : null;
        var v = ArrayPool<float>.Shared.Rent(checked(alpha2 * capacity * c));
        var m = ArrayPool<float>.Shared.Rent(checked(alpha2 * capacity * k));
        try
        {
            fixed (float* px = input)
            fixed (float* pf = filter)
            fixed (float* py = output)
            fixed (float* pu = u)
            fixed (float* pv = v)
            fixed (float* pm = m)
            {
                var job = new Job((nint)px, (nint)pf, (nint)py, (nint)pu, (nint)pv, (nint)pm, g, k, tilesH, tilesW, 0, 0, capacity, prepacked);
                if (prepacked is null)
                    Partition.For(c, 9L * alpha2 * k, job, static (in Job j, int s, int e) => FilterTransform<F>(j, s, e));
                for (var first = 0; first < total; first += capacity)
                {
                    var block = job with { FirstTile = first, BlockTiles = Math.Min(capacity, total - first) };
                    Partition.For(block.BlockTiles, 4L * alpha2 * c, block, static (in Job j, int s, int e) => InputTransform<F>(j, s, e));
                    Partition.For(alpha2, (long)block.BlockTiles * c * k, block, static (in Job j, int s, int e) =>
                    {
                        var (rows, ci, co) = (j.BlockTiles, j.G.Channels, j.K);
                        for (var xi = s; xi < e; xi++)
                        {
                            var a = new ReadOnlySpan<float>((float*)j.V + (long)xi * j.BlockCapacity * ci, rows * ci);
                            var p = new Span<float>((float*)j.M + (long)xi * j.BlockCapacity * co, rows * co);
                            if (j.Prepacked is not null)
                            {
                                Gemm.MultiplyPacked(a, j.Prepacked[xi], p, rows, ci, co);
                                continue;
                            }
                            var b = new ReadOnlySpan<float>((float*)j.U + (long)xi * ci * co, ci * co);
                            Gemm.Multiply(a, b, p, rows, ci, co);
                        }
                    });
                    Partition.For(block.BlockTiles, 4L * alpha2 * k, block, static (in Job j, int s, int e) => OutputTransform<F>(j, s, e));
                }
            }
        }
        finally
        {
            if (u is not null) ArrayPool<float>.Shared.Return(u);
            ArrayPool<float>.Shared.Return(v);
            ArrayPool<float>.Shared.Return(m);
        }
    }

    // ---- The three transforms, vectorised over the contiguous channel axis ----

    /// <summary>Scratch of one transform: 112 vectors of 64 bytes, more than any uses (the filter transform 9 + 24 + 36, the input transform 36, the output transform 24).</summary>
    private const int ScratchBytes = (64 + 32 + 16) * 64;

    /// <summary>U[ξ][c][k] = (G·g·Gᵀ)[ξ] for input channels [s, e), vectorised over k.</summary>
    private static void FilterTransform<F>(in Job j, int s, int e) where F : struct, ITile
    {
        var k = j.K;
        var scratch = stackalloc byte[ScratchBytes];
        for (var c = s; c < e; c++)
        {
            var o = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; o + 16 <= k; o += 16) FilterTile<F, L512, Vector512<float>>(j, c, o, scratch);
            if (Vector256.IsHardwareAccelerated)
                for (; o + 8 <= k; o += 8) FilterTile<F, L256, Vector256<float>>(j, c, o, scratch);
            for (; o < k; o++) FilterTile<F, L1, float>(j, c, o, scratch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FilterTile<F, L, V>(in Job j, int c, int o, byte* scratch) where F : struct, ITile where L : struct, ILanes<V> where V : unmanaged
    {
        var (channels, k, alpha) = (j.G.Channels, j.K, F.Alpha);
        var w = (V*)scratch;
        var t = w + 9;
        var u = t + 3 * 8;
        var f = (float*)j.Filter;
        for (var tap = 0; tap < 9; tap++) w[tap] = L.Load(f + ((long)tap * channels + c) * k + o);
        // Columns: t[ξ][kw] = (G·g)[ξ][kw], then rows: u[ξ][η] = (t·Gᵀ)[ξ][η].
        for (var kw = 0; kw < 3; kw++) F.Filter<L, V>(w + kw, 3, t + kw, 3);
        for (var r = 0; r < alpha; r++) F.Filter<L, V>(t + 3 * r, 1, u + alpha * r, 1);
        var dst = (float*)j.U;
        for (var xi = 0; xi < alpha * alpha; xi++) L.Store(u[xi], dst + ((long)xi * channels + c) * k + o);
    }

    /// <summary>V[ξ][tile][c] = (Bᵀ·d·B)[ξ] for tiles [s, e) of the block, zeros outside the image.</summary>
    private static void InputTransform<F>(in Job j, int s, int e) where F : struct, ITile
    {
        var channels = j.G.Channels;
        var rows = stackalloc nint[8 * 8];
        var scratch = stackalloc byte[ScratchBytes];
        for (var t = s; t < e; t++)
        {
            // The addresses of the tile's (m+2)² input pixels, zero where the pixel lies outside the image.
            var tile = j.FirstTile + t;
            var n = tile / (j.TilesH * j.TilesW);
            var rest = tile - n * j.TilesH * j.TilesW;
            var top = rest / j.TilesW * F.M - j.G.PadTop;
            var left = rest % j.TilesW * F.M - j.G.PadLeft;
            for (var r = 0; r < F.Alpha; r++)
                for (var col = 0; col < F.Alpha; col++)
                {
                    var (h, w) = (top + r, left + col);
                    rows[r * F.Alpha + col] = h >= 0 && h < j.G.InHeight && w >= 0 && w < j.G.InWidth
                        ? (nint)((float*)j.Input + (((long)n * j.G.InHeight + h) * j.G.InWidth + w) * channels)
                        : 0;
                }
            var c = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; c + 16 <= channels; c += 16) InputTile<F, L512, Vector512<float>>(j, rows, t, c, scratch);
            if (Vector256.IsHardwareAccelerated)
                for (; c + 8 <= channels; c += 8) InputTile<F, L256, Vector256<float>>(j, rows, t, c, scratch);
            for (; c < channels; c++) InputTile<F, L1, float>(j, rows, t, c, scratch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputTile<F, L, V>(in Job j, nint* pixels, int t, int c, byte* scratch) where F : struct, ITile where L : struct, ILanes<V> where V : unmanaged
    {
        // Columns straight from the pixels, then rows straight into V: the values between the passes are the only
        // ones that go through memory (the scratch), and the operations are those of an in-place pass over each.
        var alpha = F.Alpha;
        var d = (V*)scratch;
        for (var col = 0; col < alpha; col++) F.Input<L, V, PixelLoads<L, V>, Strided<V>>(new(pixels + col, alpha, c), new(d + col, alpha));
        var channels = j.G.Channels;
        var dst = (float*)j.V + (long)t * channels + c;
        var step = (long)j.BlockCapacity * channels;
        for (var r = 0; r < alpha; r++) F.Input<L, V, Strided<V>, Stores<L, V>>(new(d + alpha * r, 1), new(dst + r * alpha * step, step));
    }

    /// <summary>The output tiles [s, e) of the block: Y = Aᵀ·M·A, the part inside the output written.</summary>
    private static void OutputTransform<F>(in Job j, int s, int e) where F : struct, ITile
    {
        var k = j.K;
        var pixels = stackalloc nint[4 * 4];
        var scratch = stackalloc byte[ScratchBytes];
        for (var t = s; t < e; t++)
        {
            var tile = j.FirstTile + t;
            var n = tile / (j.TilesH * j.TilesW);
            var rest = tile - n * j.TilesH * j.TilesW;
            var top = rest / j.TilesW * F.M;
            var left = rest % j.TilesW * F.M;
            for (var r = 0; r < F.M; r++)
                for (var col = 0; col < F.M; col++)
                {
                    var (h, w) = (top + r, left + col);
                    pixels[r * F.M + col] = h < j.G.OutHeight && w < j.G.OutWidth
                        ? (nint)((float*)j.Output + (((long)n * j.G.OutHeight + h) * j.G.OutWidth + w) * k)
                        : 0;
                }
            var o = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; o + 16 <= k; o += 16) OutputTile<F, L512, Vector512<float>>(j, pixels, t, o, scratch);
            if (Vector256.IsHardwareAccelerated)
                for (; o + 8 <= k; o += 8) OutputTile<F, L256, Vector256<float>>(j, pixels, t, o, scratch);
            for (; o < k; o++) OutputTile<F, L1, float>(j, pixels, t, o, scratch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputTile<F, L, V>(in Job j, nint* pixels, int t, int o, byte* scratch) where F : struct, ITile where L : struct, ILanes<V> where V : unmanaged
    {
        var (alpha, size) = (F.Alpha, F.M);
        var q = (V*)scratch;
        var src = (float*)j.M + (long)t * j.K + o;
        var step = (long)j.BlockCapacity * j.K;
        // Columns straight from M: q[r][η] = (Aᵀ·M)[r][η], then rows straight to the pixels inside the output: y[r][c] = (q·A)[r][c].
        for (var col = 0; col < alpha; col++) F.Output<L, V, Loads<L, V>, Strided<V>>(new(src + col * step, alpha * step), new(q + col, alpha));
        for (var r = 0; r < size; r++) F.Output<L, V, Strided<V>, PixelStores<L, V>>(new(q + alpha * r, 1), new(pixels + size * r, 1, o));
    }

    // ---- The 1-D transforms of F(4, 3) and F(2, 3) ----

    /// <summary>One Winograd variant F(m, 3): its sizes and its three 1-D transforms, applied along columns then rows.</summary>
    private interface ITile
    {
        /// <summary>Output tile size m.</summary>
        static abstract int M { get; }

        /// <summary>Input tile size m + 2.</summary>
        static abstract int Alpha { get; }

        /// <summary>y = Bᵀ·x: α values to α.</summary>
        static abstract void Input<L, V, X, Y>(X x, Y y) where L : struct, ILanes<V> where V : unmanaged where X : struct, IRead<V> where Y : struct, IWrite<V>;

        /// <summary>u = G·g: 3 values g[0], g[gs], g[2gs] to α values u[0], u[us], …</summary>
        static abstract void Filter<L, V>(V* g, int gs, V* u, int us) where L : struct, ILanes<V> where V : unmanaged;

        /// <summary>y = Aᵀ·x: α values to m.</summary>
        static abstract void Output<L, V, X, Y>(X x, Y y) where L : struct, ILanes<V> where V : unmanaged where X : struct, IRead<V> where Y : struct, IWrite<V>;
    }

    /// <summary>F(4, 3) with the points 0, ±1, ±2 and ∞ (Lavin and Gray's matrices).</summary>
    private readonly struct F4 : ITile
    {
        public static int M => 4;
        public static int Alpha => 6;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Input<L, V, X, Y>(X x, Y y) where L : struct, ILanes<V> where V : unmanaged where X : struct, IRead<V> where Y : struct, IWrite<V>
        {
            V d0 = x.Get(0), d1 = x.Get(1), d2 = x.Get(2), d3 = x.Get(3), d4 = x.Get(4), d5 = x.Get(5);
            // Bᵀ rows: [4 0 -5 0 1 0], [0 -4 -4 1 1 0], [0 4 -4 -1 1 0], [0 -2 -1 2 1 0], [0 2 -1 -2 1 0], [0 4 0 -5 0 1].
            var a = L.MulAdd(d2, -4f, d4); // d4 - 4·d2
            var b = L.MulAdd(d1, -4f, d3); // d3 - 4·d1
            var c = L.Sub(d4, d2);
            var e = L.Scale(L.Sub(d1, d3), 2f);
            y.Set(0, L.Add(L.MulAdd(d2, -5f, L.Scale(d0, 4f)), d4));
            y.Set(1, L.Add(a, b));
            y.Set(2, L.Sub(a, b));
            y.Set(3, L.Sub(c, e));
            y.Set(4, L.Add(c, e));
            y.Set(5, L.Add(L.MulAdd(d3, -5f, L.Scale(d1, 4f)), d5));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Filter<L, V>(V* g, int gs, V* u, int us) where L : struct, ILanes<V> where V : unmanaged
        {
            V g0 = g[0], g1 = g[gs], g2 = g[2 * gs];
            // G rows: [1/4 0 0], [-1/6 -1/6 -1/6], [-1/6 1/6 -1/6], [1/24 1/12 1/6], [1/24 -1/12 1/6], [0 0 1].
            var even = L.Add(g0, g2);
            var a = L.MulAdd(g2, 4f, g0); // g0 + 4·g2
            u[0] = L.Scale(g0, 0.25f);
            u[us] = L.Scale(L.Add(even, g1), -1f / 6);
            u[2 * us] = L.Scale(L.Sub(even, g1), -1f / 6);
            u[3 * us] = L.Scale(L.MulAdd(g1, 2f, a), 1f / 24);
            u[4 * us] = L.Scale(L.MulAdd(g1, -2f, a), 1f / 24);
            u[5 * us] = g2;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Output<L, V, X, Y>(X x, Y y) where L : struct, ILanes<V> where V : unmanaged where X : struct, IRead<V> where Y : struct, IWrite<V>
        {
            V m0 = x.Get(0), m1 = x.Get(1), m2 = x.Get(2), m3 = x.Get(3), m4 = x.Get(4), m5 = x.Get(5);
            // Aᵀ rows: [1 1 1 1 1 0], [0 1 -1 2 -2 0], [0 1 1 4 4 0], [0 1 -1 8 -8 1].
            var a = L.Add(m1, m2);
            var b = L.Sub(m1, m2);
            var c = L.Add(m3, m4);
            var d = L.Sub(m3, m4);
            y.Set(0, L.Add(L.Add(m0, a), c));
            y.Set(1, L.MulAdd(d, 2f, b));
            y.Set(2, L.MulAdd(c, 4f, a));
            y.Set(3, L.Add(L.MulAdd(d, 8f, b), m5));
        }
    }

    /// <summary>F(2, 3) with the points 0, ±1 and ∞.</summary>
    private readonly struct F2 : ITile
    {
        public static int M => 2;
        public static int Alpha => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Input<L, V, X, Y>(X x, Y y) where L : struct, ILanes<V> where V : unmanaged where X : struct, IRead<V> where Y : struct, IWrite<V>
        {
            V d0 = x.Get(0), d1 = x.Get(1), d2 = x.Get(2), d3 = x.Get(3);
            y.Set(0, L.Sub(d0, d2));
            y.Set(1, L.Add(d1, d2));
            y.Set(2, L.Sub(d2, d1));
            y.Set(3, L.Sub(d1, d3));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Filter<L, V>(V* g, int gs, V* u, int us) where L : struct, ILanes<V> where V : unmanaged
        {
            V g0 = g[0], g1 = g[gs], g2 = g[2 * gs];
            var even = L.Add(g0, g2);
            u[0] = g0;
            u[us] = L.Scale(L.Add(even, g1), 0.5f);
            u[2 * us] = L.Scale(L.Sub(even, g1), 0.5f);
            u[3 * us] = g2;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Output<L, V, X, Y>(X x, Y y) where L : struct, ILanes<V> where V : unmanaged where X : struct, IRead<V> where Y : struct, IWrite<V>
        {
            V m0 = x.Get(0), m1 = x.Get(1), m2 = x.Get(2), m3 = x.Get(3);
            y.Set(0, L.Add(L.Add(m0, m1), m2));
            y.Set(1, L.Sub(L.Sub(m1, m2), m3));
        }
    }

    // ---- Where a 1-D transform reads its values and where it writes them ----

    /// <summary>Values i = 0, 1, … a transform reads.</summary>
    private interface IRead<V> where V : unmanaged
    {
        V Get(int i);
    }

    /// <summary>Values i = 0, 1, … a transform writes.</summary>
    private interface IWrite<V> where V : unmanaged
    {
        void Set(int i, V v);
    }

    /// <summary>Vectors of the scratch, <c>p[i·s]</c>.</summary>
    private readonly struct Strided<V>(V* p, int s) : IRead<V>, IWrite<V> where V : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Get(int i) => p[i * s];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Set(int i, V v) => p[i * s] = v;
    }

    /// <summary>Lanes loaded from <c>p + i·s</c>.</summary>
    private readonly struct Loads<L, V>(float* p, long s) : IRead<V> where L : struct, ILanes<V> where V : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Get(int i) => L.Load(p + i * s);
    }

    /// <summary>Lanes stored at <c>p + i·s</c>.</summary>
    private readonly struct Stores<L, V>(float* p, long s) : IWrite<V> where L : struct, ILanes<V> where V : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Set(int i, V v) => L.Store(v, p + i * s);
    }

    /// <summary>Lanes from channel c of pixels <c>pixels[i·s]</c>, zero where the pixel is outside the image (a null address).</summary>
    private readonly struct PixelLoads<L, V>(nint* pixels, int s, int c) : IRead<V> where L : struct, ILanes<V> where V : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public V Get(int i) => pixels[i * s] == 0 ? default : L.Load((float*)pixels[i * s] + c);
    }

    /// <summary>Lanes stored at channel o of pixels <c>pixels[i·s]</c>, skipped where the pixel is outside the output (a null address).</summary>
    private readonly struct PixelStores<L, V>(nint* pixels, int s, int o) : IWrite<V> where L : struct, ILanes<V> where V : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Set(int i, V v)
        {
            if (pixels[i * s] != 0) L.Store(v, (float*)pixels[i * s] + o);
        }
    }

    // ---- Arithmetic on a vector of lanes: AVX-512, AVX, or one float ----

    /// <summary>The arithmetic the transforms need, on V (a vector of floats, or one float).</summary>
    private interface ILanes<V> where V : unmanaged
    {
        static abstract V Load(float* p);
        static abstract void Store(V v, float* p);
        static abstract V Add(V a, V b);
        static abstract V Sub(V a, V b);
        static abstract V Scale(V a, float s);

        /// <summary>a·s + b.</summary>
        static abstract V MulAdd(V a, float s, V b);
    }

    private readonly struct L512 : ILanes<Vector512<float>>
    {
        public static Vector512<float> Load(float* p) => Vector512.Load(p);
        public static void Store(Vector512<float> v, float* p) => v.Store(p);
        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
        public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
        public static Vector512<float> Scale(Vector512<float> a, float s) => a * s;
        public static Vector512<float> MulAdd(Vector512<float> a, float s, Vector512<float> b) => Vector512.FusedMultiplyAdd(a, Vector512.Create(s), b);
    }

    private readonly struct L256 : ILanes<Vector256<float>>
    {
        public static Vector256<float> Load(float* p) => Vector256.Load(p);
        public static void Store(Vector256<float> v, float* p) => v.Store(p);
        public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
        public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
        public static Vector256<float> Scale(Vector256<float> a, float s) => a * s;
        public static Vector256<float> MulAdd(Vector256<float> a, float s, Vector256<float> b) => Vector256.FusedMultiplyAdd(a, Vector256.Create(s), b);
    }

    private readonly struct L1 : ILanes<float>
    {
        public static float Load(float* p) => *p;
        public static void Store(float v, float* p) => *p = v;
        public static float Add(float a, float b) => a + b;
        public static float Sub(float a, float b) => a - b;
        public static float Scale(float a, float s) => a * s;
        public static float MulAdd(float a, float s, float b) => MathF.FusedMultiplyAdd(a, s, b);
    }
}
