using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpFlow.Kernels;

/// <summary>
/// Single-precision matrix product <c>C = op(A)·op(B)</c> in the shape of GotoBLAS/BLIS: for each block of
/// <see cref="KC"/> of the inner dimension, A and B are packed into micro-panels (<see cref="MR"/> rows of A,
/// <c>NR</c> columns of B, zero-padded), and a register-blocked micro-kernel accumulates MR×NR tiles of C with
/// fused multiply-adds (AVX-512: NR = 32, else AVX: NR = 16). Transposed operands are read by the packing, never
/// copied. Tiles of C are split across threads in fixed ranges and each element sums over k in the same order,
/// so results do not depend on the thread count. The first k block stores <c>+0 + sum</c> into C and later blocks add
/// to it, so C is never cleared first (a write pass less): the addition a cleared C received, so the same results bit
/// for bit (a sum of underflowed products can be -0, which that addition turns into +0 as before).
/// </summary>
internal static unsafe class PackedSgemm
{
    private const int MR = 6;
    private const int KC = 256;
    private const int MC = 72; // rows per task: a multiple of MR

    /// <summary>Whether the AVX-512 kernel (NR = 32) runs rather than the AVX one (NR = 16); tests turn it off to exercise both.</summary>
    internal static bool Wide = Vector512.IsHardwareAccelerated;


    /// <summary>One k-block of a product: the operands, the packing buffers and the tiling, for the parallel loops.</summary>
    private readonly record struct Job(nint A, nint B, nint C, nint PackedA, nint PackedB, int M, int K, int N,
        bool TransposeA, bool TransposeB, int P0, int Kc, int Nr, bool Wide, int FirstPacked, int NPanels, int NGroups,
        nint Bias = 0, nint Residual = 0, FusedActivation Activation = FusedActivation.None, bool Epilogue = false, int Lda = 0, int AOffset = 0,
        bool Filled = false, int Blocks = 1, bool Even = true)
    {
        /// <summary>The first row of row block <paramref name="block"/> (<see cref="PackedSgemm.BlockRow"/>).</summary>
        public int BlockRow(int block) => PackedSgemm.BlockRow(M, Blocks, block, Even);

        /// <summary>
        /// Multiplies the packed panels into the C tiles of row block <paramref name="block"/> and column group
        /// <paramref name="group"/>: B panel by B panel, each through all row panels of the block, so the panel stays
        /// in L1 while the rows stream from L2 (the other order, rows outer, streamed every B panel from L2 once per
        /// six rows: 10% slower on one core).
        /// </summary>
        public void Tiles(int block, int group)
        {
            var (j0, j1) = (NPanels * group / NGroups, NPanels * (group + 1) / NGroups);
            var (row0, rowEnd) = (BlockRow(block), Math.Min(M, BlockRow(block + 1)));
            for (var j = j0; j < j1; j++)
            {
                for (var i = row0; i < rowEnd; i += MR)
                {
                    // A's rows in place (Lda apart, from column AOffset), or packed: all of a transposed A, and the last
                    // partial panel of a row-major one; rows filled a k block at a time are never packed.
                    var packed = !Filled && (TransposeA || i + MR > M);
                    var panelA = packed ? (float*)PackedA + (long)(i / MR - FirstPacked) * MR * Kc : (float*)A + (long)i * Lda + AOffset;
                    var (rowStride, step) = packed ? (1, MR) : (Lda, 1);
                    var tile = (float*)C + (long)i * N + j * Nr;
                    var rows = Math.Min(MR, M - i);
                    var cols = Math.Min(Nr, N - j * Nr);
                    var panelB = (float*)PackedB + (long)j * Nr * Kc;
                    var next = Prefetch(j + 1 < j1 || (j + 1 < NPanels && PrefetchNextTask) ? panelB + Nr * Kc : panelB, (i - row0) / MR, Nr, Kc);
                    if (j == j0 && i + 2 * MR <= M && !TransposeA && !Filled) PrefetchRows((float*)A + (long)(i + MR) * Lda + AOffset, Lda, Kc);
                    if (Wide) Kernel512(Kc, panelA, rowStride, step, panelB, next, tile, N, rows, cols, P0 == 0);
                    else Kernel256(Kc, panelA, rowStride, step, panelB, next, tile, N, rows, cols, P0 == 0);
                    // The last k block finished this tile: its epilogue runs now, while the tile is in L1.
                    if (Epilogue)
                        BiasActivation.Tile(tile, N, Bias == 0 ? null : (float*)Bias + j * Nr, Residual == 0 ? null : (float*)Residual + (long)i * N + j * Nr,
                            rows, cols, Activation);
                }
            }
        }

        /// <summary>
        /// All k blocks of row block <paramref name="block"/> and column group <paramref name="group"/>, for a product
        /// whose B is prepacked (every k block at hand) and whose A is row-major: its last partial panel is packed for
        /// all k blocks, block p0 at <c>p0·MR</c>. Each tile gets the same kernel calls in the same order of k blocks
        /// as <see cref="Tiles"/> gives it, so the same sums.
        /// </summary>
        public void TilesAllK(int block, int group)
        {
            var (j0, j1) = (NPanels * group / NGroups, NPanels * (group + 1) / NGroups);
            var (row0, rowEnd) = (BlockRow(block), Math.Min(M, BlockRow(block + 1)));
            for (var p0 = 0; p0 < K; p0 += KC)
            {
                var kc = Math.Min(KC, K - p0);
                var panelsB = (float*)PackedB + (long)p0 * NPanels * Nr;
                var last = p0 + kc == K;
                for (var j = j0; j < j1; j++)
                {
                    for (var i = row0; i < rowEnd; i += MR)
                    {
                        var packed = i + MR > M;
                        var panelA = packed ? (float*)PackedA + (long)p0 * MR : (float*)A + (long)i * K + p0;
                        var (rowStride, step) = packed ? (1, MR) : (K, 1);
                        var rows = Math.Min(MR, M - i);
                        var tile = (float*)C + (long)i * N + j * Nr;
                        var cols = Math.Min(Nr, N - j * Nr);
                        var panelB = panelsB + (long)j * Nr * kc;
                        var next = Prefetch(j + 1 < j1 ? panelB + Nr * kc
                            : !last ? panelsB + (long)kc * NPanels * Nr + (long)j0 * Nr * Math.Min(KC, K - p0 - kc)
                            : j1 < NPanels && PrefetchNextTask ? (float*)PackedB + (long)j1 * Nr * Math.Min(KC, K) : panelB,
                            (i - row0) / MR, Nr, kc);
                        if (j == j0 && i + 2 * MR <= M) PrefetchRows((float*)A + (long)(i + MR) * K + p0, K, kc);
                        if (Wide) Kernel512(kc, panelA, rowStride, step, panelB, next, tile, N, rows, cols, p0 == 0);
                        else Kernel256(kc, panelA, rowStride, step, panelB, next, tile, N, rows, cols, p0 == 0);
                        if (Epilogue && last)
                            BiasActivation.Tile(tile, N, Bias == 0 ? null : (float*)Bias + j * Nr, Residual == 0 ? null : (float*)Residual + (long)i * N + j * Nr,
                                rows, cols, Activation);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Where the kernel call for row panel <paramref name="rowPanel"/> of a block prefetches, into the second-level
    /// cache, the B panel the task reads after the current one (<paramref name="nextPanel"/>), 64 bytes a k step: the
    /// wide kernel covers half a panel a call (16 of its 32 columns' worth), so calls alternate halves. The first call
    /// on a panel then finds it in L2 rather than in memory (a network's filters are read from memory, each once per
    /// call: ResNet18's 7×7×512 layers at batch 1, 9.4 MB each).
    /// </summary>
    private static float* Prefetch(float* nextPanel, int rowPanel, int nr, int kc) => nr == 32 ? nextPanel + (rowPanel & 1) * 16 * kc : nextPanel;

    /// <summary>
    /// Whether a task's last panel prefetches the first panel of the task after it (the next column group's: in a loop
    /// per k block that k block's, in a one-pass product the first k block's), which the same thread takes next in the
    /// order it owns its tasks: a product whose tasks are one panel each (a thin one-pass product, each of Winograd's)
    /// otherwise met every panel of a filter from memory cold. A hint only (no value changes); the probes flip it
    /// (<c>SHARPFLOW_PEER_AB=next-task</c>).
    /// </summary>
    internal static bool PrefetchNextTask = true;

    /// <summary>
    /// Prefetches into L2 the next row panel of an in-place A (six rows of <paramref name="kc"/> values,
    /// <paramref name="stride"/> apart), before the first B panel's pass over a block reads it: six rows read 4 bytes a
    /// step, 1 KiB each per k block, are streams too short for the hardware prefetcher (gemm-probe with A and B from
    /// memory, 289×768·768×192: 0.51 → 0.35 ms).
    /// </summary>
    private static void PrefetchRows(float* rows, int stride, int kc)
    {
        for (var r = 0; r < MR; r++, rows += stride)
            for (var p = 0; p < kc; p += 16) Sse.Prefetch1(rows + p);
    }

    /// <summary>
    /// Products of at most this many row blocks (<see cref="MC"/> rows each) with prepacked B run all their k blocks
    /// in one parallel loop (<see cref="Job.TilesAllK"/>) instead of one loop per k block: a thin product (ResNet18's
    /// 7×7 layers at batch 1: 49 rows, 18 k blocks) spent much of its time waking the workers and waiting for them.
    /// Tests set it to 0 to compare with the loop per k block.
    /// </summary>
    internal static int OnePassRowBlocks = 4;

    /// <summary>
    /// Whether a product of m rows would run all its k blocks in one parallel loop (<see cref="OnePass"/>) when its B is
    /// prepacked: few enough row blocks. Convolutions of so few rows keep a materialised A (a small one), prepacked or not,
    /// since <see cref="MultiplyFilled"/> has a loop per k block (ResNet18's 7×7×512 layers at batch 1 took 1.35–1.6 ms
    /// with filled rows against 1.3–1.45 in one pass).
    /// </summary>
    internal static bool RunsInOnePass(int m) => (m + MC - 1) / MC <= OnePassRowBlocks;

    /// <summary>True when the micro-kernels can run on this machine.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;

    /// <summary>
    /// c[m×n] = op(a)·op(b); a is m×k (k×m when <paramref name="transposeA"/>), b is k×n (n×k when
    /// <paramref name="transposeB"/>), all row-major and dense; then the <paramref name="epilogue"/>
    /// (<c>act((c + bias) + residual)</c>) on each tile as soon as its last k block is added. With
    /// <paramref name="packedB"/> (op(b) packed once by <see cref="PackedMatrix.Pack"/>, for this k, n and transpose
    /// flag) the panels are read from it, by the kernel of the width they were packed for, instead of being packed from
    /// <paramref name="b"/>: the same values in the same order, so the same result, bit for bit. The few-columns
    /// product (which multiplies the transposed operands) packs <paramref name="b"/> as usual.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool transposeA, bool transposeB,
        GemmEpilogue<float> epilogue = default, PackedMatrix? packedB = null)
    {
        if (n < FewColumns && m >= 2 * FewColumns)
        {
            MultiplyTransposed(a, b, c, m, k, n, transposeA, transposeB);
            BiasActivation.Apply(c[..(m * n)], n, epilogue);
            return;
        }
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            c[..(m * n)].Clear();
            BiasActivation.Apply(c[..(m * n)], n, epilogue);
            return;
        }
        epilogue.Check((long)m * n, n);
        var withEpilogue = !epilogue.IsEmpty;
        // Prepacked panels fix the kernel width they were packed for (tests flip Wide; both widths give the same sums).
        var prepacked = packedB is not null && packedB.Fits(k, n, transposeB) ? packedB.Data : null;
        var wide = prepacked is null ? Wide : packedB!.Nr == 32;
        var nr = wide ? 32 : 16;
        var mPanels = (m + MR - 1) / MR;
        var nPanels = (n + nr - 1) / nr;
        var kcMax = Math.Min(KC, k);
        if (prepacked is null && b.Length < (long)k * n) throw new ArgumentException("PackedSgemm: b is smaller than its dimensions say.");
        // Row-major A is read in place except its last partial panel: only that one (or all of a transposed A) is packed.
        var packedPanels = transposeA ? mPanels : 1;
        var packedA = ArrayPool<float>.Shared.Rent(packedPanels * MR * kcMax);
        var packingB = prepacked is null ? ArrayPool<float>.Shared.Rent(nPanels * nr * kcMax) : null;
        try
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            fixed (float* packA = packedA)
            fixed (float* packB = prepacked ?? packingB)
            fixed (float* pBias = epilogue.Bias)
            fixed (float* pResidual = epilogue.Residual)
            {
                var (ia, ib, ic, ipa) = ((nint)pa, (nint)pb, (nint)pc, (nint)packA);
                if (prepacked is not null && !transposeA && RunsInOnePass(m))
                {
                    OnePass(ia, ic, (nint)packB, (nint)pBias, (nint)pResidual, m, k, n, nr, wide, nPanels, epilogue.InBlockActivation, withEpilogue);
                    return;
                }
                var (mBlocks, nGroups, even) = SplitTasks(m, nPanels, onePass: false);
                for (var p0 = 0; p0 < k; p0 += KC)
                {
                    var kc = Math.Min(KC, k - p0);
                    // Row-major A is read in place by the kernel (six row streams); transposed A, and the last
                    // partial panel, are packed.
                    var firstPacked = transposeA ? 0 : m / MR;
                    // Prepacked panels hold every k block, block p0 after p0 rows of all panels.
                    var ipb = prepacked is null ? (nint)packB : (nint)(packB + (long)p0 * nPanels * nr);
                    var job = new Job(ia, ib, ic, ipa, ipb, m, k, n, transposeA, transposeB, p0, kc, nr, wide, firstPacked, nPanels, nGroups,
                        (nint)pBias, (nint)pResidual, epilogue.InBlockActivation, withEpilogue && p0 + kc == k, k, p0, Blocks: mBlocks, Even: even);
                    Partition.For(mPanels - firstPacked, (long)MR * kc, job, static (in Job j, int s, int e) =>
                    {
                        for (var i = j.FirstPacked + s; i < j.FirstPacked + e; i++)
                            PackA((float*)j.A, j.M, j.K, j.TransposeA, i * MR, j.P0, j.Kc, (float*)j.PackedA + (long)(i - j.FirstPacked) * MR * j.Kc);
                    });
                    if (prepacked is null) PackPanelsB(job);
                    MultiplyTiles(job, mBlocks);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedA);
            if (packingB is not null) ArrayPool<float>.Shared.Return(packingB);
        }
    }

    /// <summary>Packs the k block's B panels (op(b) rows [P0, P0 + Kc), all columns) on both threads.</summary>
    private static void PackPanelsB(in Job job) =>
        Partition.For(job.NPanels, (long)job.Nr * job.Kc, job, static (in Job j, int s, int e) =>
        {
            for (var p = s; p < e; p++)
                PackB((float*)j.B, j.K, j.N, j.TransposeB, p * j.Nr, j.P0, j.Kc, j.Nr, (float*)j.PackedB + (long)p * j.Nr * j.Kc);
        });

    /// <summary>
    /// How a product of <paramref name="m"/> rows and <paramref name="nPanels"/> column panels is split into tasks (row
    /// blocks × column groups), as <see cref="Partition.EvenTasks"/> says, read once: columns split too when there are
    /// few row blocks, so both cores work on small-m products; a one-pass product (<see cref="OnePass"/>) aims at four
    /// tasks per thread, a loop per k block at two.
    /// </summary>
    private static (int Blocks, int Groups, bool Even) SplitTasks(int m, int nPanels, bool onePass)
    {
        var even = Partition.EvenTasks;
        var blocks = RowBlocks(m, even);
        var target = onePass ? (4 * WorkerPool.Threads + blocks - 1) / blocks : 2 * WorkerPool.Threads / blocks;
        return (blocks, ColumnGroups(blocks, nPanels, target, even), even);
    }

    /// <summary>
    /// Row blocks for a product of <paramref name="m"/> rows: about <see cref="MC"/> rows each, and when there are two
    /// or more, a multiple of the thread count, so every thread gets as many equal tasks (1,225 rows made 17 blocks
    /// of 72 rows and one of a single row: one thread ran a block more than the other while it waited).
    /// </summary>
    internal static int RowBlocks(int m, bool even = true)
    {
        var natural = (m + MC - 1) / MC;
        var threads = WorkerPool.Threads;
        if (!even) return natural;
        return natural < 2 ? natural : Math.Min((m + MR - 1) / MR, (natural + threads - 1) / threads * threads);
    }

    /// <summary>
    /// The first row of block <paramref name="block"/> of <paramref name="blocks"/>: block b from row panel
    /// ⌊b·panels/blocks⌋ when <paramref name="even"/>, else from row b·<see cref="MC"/> (the last block ending with the
    /// last panel).
    /// </summary>
    internal static int BlockRow(int m, int blocks, int block, bool even = true)
    {
        var panels = (m + MR - 1) / MR;
        return even ? (int)((long)panels * block / blocks) * MR : Math.Min(block * MC, panels * MR);
    }

    /// <summary>
    /// Column groups for <paramref name="blocks"/> row blocks: <paramref name="target"/> (at least 1, at most the
    /// panels), or the first count up to twice that which splits the panels evenly and gives every thread as many
    /// tasks (12 panels in 8 groups were groups of one and two panels).
    /// </summary>
    internal static int ColumnGroups(int blocks, int nPanels, int target, bool even = true)
    {
        target = Math.Clamp(target, 1, nPanels);
        if (!even) return target;
        for (var g = target; g <= Math.Min(nPanels, 2 * target); g++)
            if (nPanels % g == 0 && blocks * g % WorkerPool.Threads == 0) return g;
        return target;
    }

    /// <summary>The k block's tiles, one task per row block and column group, on both threads.</summary>
    private static void MultiplyTiles(in Job job, int mBlocks) =>
        Partition.For(mBlocks * job.NGroups, (long)MC * job.Kc * job.N / job.NGroups, job, static (in Job j, int s, int e) =>
        {
            for (var task = s; task < e; task++) j.Tiles(task / j.NGroups, task % j.NGroups);
        });

    /// <summary>
    /// A product of few row blocks with prepacked B: the last partial panel of A packed for every k block, then one
    /// parallel loop whose tasks (row block × column group, at least four per thread where the panels allow) each run
    /// all k blocks of their tiles.
    /// </summary>
    private static void OnePass(nint a, nint c, nint packedB, nint bias, nint residual, int m, int k, int n, int nr, bool wide, int nPanels,
        FusedActivation activation, bool withEpilogue)
    {
        var firstPacked = m / MR;
        var partial = m % MR != 0;
        var packedA = partial ? ArrayPool<float>.Shared.Rent(MR * k) : null;
        try
        {
            fixed (float* packA = packedA)
            {
                if (partial)
                    for (var p0 = 0; p0 < k; p0 += KC)
                        PackA((float*)a, m, k, false, firstPacked * MR, p0, Math.Min(KC, k - p0), packA + (long)p0 * MR);
                var (mBlocks, nGroups, even) = SplitTasks(m, nPanels, onePass: true);
                var job = new Job(a, 0, c, (nint)packA, packedB, m, k, n, false, false, 0, Math.Min(KC, k), nr, wide, firstPacked, nPanels, nGroups,
                    bias, residual, activation, withEpilogue, Blocks: mBlocks, Even: even);
                Partition.For(mBlocks * nGroups, (long)MC * k * n / nGroups, job, static (in Job j, int s, int e) =>
                {
                    for (var task = s; task < e; task++) j.TilesAllK(task / j.NGroups, task % j.NGroups);
                });
            }
        }
        finally
        {
            if (packedA is not null) ArrayPool<float>.Shared.Return(packedA);
        }
    }

    /// <summary>
    /// Makes columns <c>[p0, p0 + kc)</c> of rows <c>[row0, row0 + rows)</c> of a product's A at <c>dst</c>, row r at
    /// <c>dst + r·kc</c>, every one of the <c>rows·kc</c> values (the buffer is not cleared); <c>state</c> is the
    /// caller's (a pointer to what the rows are made from). Called from the worker threads, one row block each.
    /// </summary>
    internal delegate void FillRows(nint state, int row0, int rows, int p0, int kc, float* dst);

    /// <summary>
    /// c[m×n] = A·op(b) with A never held whole: each k block of A is made by <paramref name="fill"/> (a convolution's
    /// patch matrix straight from its input, "implicit GEMM") into a buffer of <c>⌈m/6⌉·6 × kc</c>, row block by row block,
    /// each block's rows made by the task that multiplies them (while they are in its cache) when the tasks are whole
    /// row blocks. Then the epilogue, as <see cref="Multiply"/>. The kernel reads the buffer's rows in place, the
    /// same values in the same order as the product of the materialised A, so the same result, bit for bit. Only for
    /// products that read B as panels (<see cref="ReadsPackedB"/>: m, k, n &gt; 0 and not the few-columns product);
    /// others throw.
    /// </summary>
    public static void MultiplyFilled(FillRows fill, nint state, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool transposeB,
        GemmEpilogue<float> epilogue = default, PackedMatrix? packedB = null)
    {
        if (!ReadsPackedB(m, k, n)) throw new ArgumentException($"PackedSgemm: a product of {m}×{k}·{k}×{n} is not made with filled rows.");
        if (c.Length < (long)m * n) throw new ArgumentException("PackedSgemm: c is smaller than its dimensions say.");
        epilogue.Check((long)m * n, n);
        var prepacked = packedB is not null && packedB.Fits(k, n, transposeB) ? packedB.Data : null;
        var wide = prepacked is null ? Wide : packedB!.Nr == 32;
        var nr = wide ? 32 : 16;
        if (prepacked is null && b.Length < (long)k * n) throw new ArgumentException("PackedSgemm: b is smaller than its dimensions say.");
        var mPanels = (m + MR - 1) / MR;
        var nPanels = (n + nr - 1) / nr;
        var kcMax = Math.Min(KC, k);
        var rowsA = ArrayPool<float>.Shared.Rent(checked(mPanels * MR * kcMax));
        var packingB = prepacked is null ? ArrayPool<float>.Shared.Rent(nPanels * nr * kcMax) : null;
        try
        {
            fixed (float* pb = b)
            fixed (float* pc = c)
            fixed (float* pa = rowsA)
            fixed (float* packB = prepacked ?? packingB)
            fixed (float* pBias = epilogue.Bias)
            fixed (float* pResidual = epilogue.Residual)
            {
                var (mBlocks, nGroups, even) = SplitTasks(m, nPanels, onePass: false);
                for (var p0 = 0; p0 < k; p0 += KC)
                {
                    var kc = Math.Min(KC, k - p0);
                    var ipb = prepacked is null ? (nint)packB : (nint)(packB + (long)p0 * nPanels * nr);
                    var job = new FilledJob(new Job((nint)pa, (nint)pb, (nint)pc, 0, ipb, m, k, n, false, transposeB, p0, kc, nr, wide, 0, nPanels, nGroups,
                        (nint)pBias, (nint)pResidual, epilogue.InBlockActivation, !epilogue.IsEmpty && p0 + kc == k, kc, 0, Filled: true, Blocks: mBlocks, Even: even), fill, state);
                    if (prepacked is null) PackPanelsB(job.Job);
                    if (nGroups == 1)
                    {
                        Partition.For(mBlocks, (long)MC * kc * n, job, static (in FilledJob f, int s, int e) =>
                        {
                            for (var block = s; block < e; block++)
                            {
                                f.Fill(block);
                                f.Job.Tiles(block, 0);
                            }
                        });
                        continue;
                    }
                    Partition.For(mBlocks, (long)MC * kc, job, static (in FilledJob f, int s, int e) =>
                    {
                        for (var block = s; block < e; block++) f.Fill(block);
                    });
                    MultiplyTiles(job.Job, mBlocks);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowsA);
            if (packingB is not null) ArrayPool<float>.Shared.Return(packingB);
        }
    }

    /// <summary>A k block of <see cref="MultiplyFilled"/>: the product's job and what fills its rows.</summary>
    private readonly record struct FilledJob(Job Job, FillRows FillRows, nint State)
    {
        /// <summary>
        /// Makes the rows of row block <paramref name="block"/> for this k block, and zeros the rows past m of the last
        /// panel (the kernel reads whole panels; those rows' sums are never stored).
        /// </summary>
        public void Fill(int block)
        {
            var (row0, end) = (Job.BlockRow(block), Math.Min(Job.M, Job.BlockRow(block + 1)));
            var rows = (float*)Job.A + (long)row0 * Job.Kc;
            FillRows(State, row0, end - row0, Job.P0, Job.Kc, rows);
            var panelEnd = Math.Min((end + MR - 1) / MR * MR, Job.BlockRow(block + 1));
            if (panelEnd > end) new Span<float>(rows + (long)(end - row0) * Job.Kc, (panelEnd - end) * Job.Kc).Clear();
        }
    }

    /// <summary>
    /// Packs all of op(b) (k×n, or n×k stored when <paramref name="transposeB"/>) into <paramref name="dst"/> as
    /// <see cref="Multiply"/> packs it block by block: for each block of <see cref="KC"/> rows, its
    /// <c>⌈n/nr⌉</c> panels of kc×nr values, block p0 at <c>p0·panels·nr</c>.
    /// </summary>
    internal static void PackAllB(ReadOnlySpan<float> b, int k, int n, bool transposeB, int nr, float[] dst)
    {
        var panels = (n + nr - 1) / nr;
        fixed (float* pb = b)
        fixed (float* pd = dst)
        {
            for (var p0 = 0; p0 < k; p0 += KC)
            {
                var kc = Math.Min(KC, k - p0);
                var block = (nint)(pd + (long)p0 * panels * nr);
                Partition.For(panels, (long)nr * kc, (B: (nint)pb, D: block, K: k, N: n, T: transposeB, P0: p0, Kc: kc, Nr: nr),
                    static (in (nint B, nint D, int K, int N, bool T, int P0, int Kc, int Nr) j, int s, int e) =>
                    {
                        for (var p = s; p < e; p++)
                            PackB((float*)j.B, j.K, j.N, j.T, p * j.Nr, j.P0, j.Kc, j.Nr, (float*)j.D + (long)p * j.Nr * j.Kc);
                    });
            }
        }
    }

    /// <summary>
    /// Whether <see cref="Multiply"/> reads op(B) as packed panels for an m×k·k×n product (false for the few-columns
    /// product, which swaps the operands): where a <see cref="PackedMatrix"/> can stand in for B.
    /// </summary>
    internal static bool ReadsPackedB(int m, int k, int n) => m > 0 && n > 0 && k > 0 && !(n < FewColumns && m >= 2 * FewColumns);

    private const int FewColumns = 16;

    /// <summary>
    /// A product with few columns (a layer of few output channels) would leave the column tiles mostly empty, so
    /// it is computed as cᵀ = op(b)ᵀ·op(a)ᵀ, whose long side fills the tiles, and the small result is transposed
    /// back. Each element sums the same products in the same order either way, so the results are equal.
    /// </summary>
    private static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool transposeA, bool transposeB)
    {
        var transposed = ArrayPool<float>.Shared.Rent(m * n);
        try
        {
            // op(b)ᵀ is b read with the opposite transpose flag, and likewise op(a)ᵀ.
            Multiply(b, a, transposed.AsSpan(0, m * n), n, k, m, !transposeB, !transposeA);
            for (var j = 0; j < n; j++)
            {
                var row = transposed.AsSpan(j * m, m);
                for (var i = 0; i < m; i++) c[i * n + j] = row[i];
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(transposed);
        }
    }

    /// <summary>Packs rows [i0, i0+MR) × columns [p0, p0+kc) of op(A) as kc groups of MR values (zeros past m).</summary>
    private static void PackA(float* a, int m, int k, bool transposed, int i0, int p0, int kc, float* dst)
    {
        var rows = Math.Min(MR, m - i0);
        if (rows < MR) new Span<float>(dst, MR * kc).Clear();
        if (!transposed)
        {
            for (var r = 0; r < rows; r++)
            {
                var src = a + (long)(i0 + r) * k + p0;
                for (var p = 0; p < kc; p++) dst[p * MR + r] = src[p];
            }
        }
        else
        {
            // A is stored k×m: row p of storage holds column p of op(A). A full panel's six values are one 4-float
            // vector and two floats (the scalar loop took longer than the product in a filter gradient's GEMM).
            if (rows == MR)
            {
                for (var p = 0; p < kc; p++, dst += MR)
                {
                    var src = a + (long)(p0 + p) * m + i0;
                    Vector128.Store(Vector128.Load(src), dst);
                    dst[4] = src[4];
                    dst[5] = src[5];
                }
                return;
            }
            for (var p = 0; p < kc; p++)
            {
                var src = a + (long)(p0 + p) * m + i0;
                for (var r = 0; r < rows; r++) dst[p * MR + r] = src[r];
            }
        }
    }

    /// <summary>Packs rows [p0, p0+kc) × columns [j0, j0+nr) of op(B) as kc rows of nr values (zeros past n).</summary>
    private static void PackB(float* b, int k, int n, bool transposed, int j0, int p0, int kc, int nr, float* dst)
    {
        var cols = Math.Min(nr, n - j0);
        if (cols < nr) new Span<float>(dst, nr * kc).Clear();
        if (!transposed)
        {
            for (var p = 0; p < kc; p++)
                new ReadOnlySpan<float>(b + (long)(p0 + p) * n + j0, cols).CopyTo(new Span<float>(dst + p * nr, cols));
        }
        else
        {
            // B is stored n×k: row j of storage holds column j of op(B).
            for (var j = 0; j < cols; j++)
            {
                var src = b + (long)(j0 + j) * k + p0;
                for (var p = 0; p < kc; p++) dst[p * nr + j] = src[p];
            }
        }
    }

    /// <summary>
    /// C[6×32] += A-panel · B-panel with 12 AVX-512 accumulators; A's element (r, p) is at
    /// <c>a[r·rs + p·cs]</c>: in place (cs = 1) rows rs apart (the row length of A, or kc for filled rows), else packed
    /// (rs = 1, cs = MR, the only packed layout). Each k step also prefetches
    /// 64 bytes from <paramref name="next"/> into L2 (see <see cref="Prefetch"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* a, int rs, int cs, float* b, float* next, float* c, int ldc, int rows, int cols, bool store)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (cs == 1)
        {
            // A in place: six rows rs apart, indexed by the step (no multiplication in the loop).
            float* a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs;
            nint steps = kc;
            for (nint p = 0; p < steps; p++, b += 32, next += 16)
            {
                Sse.Prefetch1(next);
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var x = Vector512.Create(a[p]);
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
        else
        {
            // A packed: the six values of a step together (rs = 1, cs = MR).
            for (var p = 0; p < kc; p++, a += MR, b += 32, next += 16)
            {
                Sse.Prefetch1(next);
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var x = Vector512.Create(a[0]);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(a[1]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a[2]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a[3]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(a[4]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(a[5]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            }
        }
        if (rows == MR && cols == 32)
        {
            Add512(c, c00, c01, store);
            Add512(c + ldc, c10, c11, store);
            Add512(c + 2 * ldc, c20, c21, store);
            Add512(c + 3 * ldc, c30, c31, store);
            Add512(c + 4 * ldc, c40, c41, store);
            Add512(c + 5 * ldc, c50, c51, store);
            return;
        }
        AddPartial512(c, ldc, rows, cols, store, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    // A partial tile's sums, added through a buffer. A method of its own: storing the accumulators in the kernel itself
    // made the JIT keep them in memory, stored at every step of the loop, when it compiled without profile data
    // (DOTNET_TieredPGO=0 or DOTNET_TieredCompilation=0: five times slower).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddPartial512(float* c, int ldc, int rows, int cols, bool store, Vector512<float> c00, Vector512<float> c01, Vector512<float> c10,
        Vector512<float> c11, Vector512<float> c20, Vector512<float> c21, Vector512<float> c30, Vector512<float> c31, Vector512<float> c40,
        Vector512<float> c41, Vector512<float> c50, Vector512<float> c51)
    {
        var tile = stackalloc float[MR * 32];
        c00.Store(tile); c01.Store(tile + 16);
        c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80);
        c30.Store(tile + 96); c31.Store(tile + 112);
        c40.Store(tile + 128); c41.Store(tile + 144);
        c50.Store(tile + 160); c51.Store(tile + 176);
        AddPartial(tile, 32, c, ldc, rows, cols, store);
    }

    // C's row += the sums, or, for the first k block (store), +0 + the sums: C is not cleared before.
    private static void Add512(float* c, Vector512<float> lo, Vector512<float> hi, bool store)
    {
        ((store ? Vector512<float>.Zero : Vector512.Load(c)) + lo).Store(c);
        ((store ? Vector512<float>.Zero : Vector512.Load(c + 16)) + hi).Store(c + 16);
    }

    /// <summary>C[6×16] += A-panel · B-panel with 12 AVX accumulators, prefetching as <see cref="Kernel512"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, float* a, int rs, int cs, float* b, float* next, float* c, int ldc, int rows, int cols, bool store)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        float* a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs;
        for (var p = 0; p < kc; p++, b += 16, next += 16)
        {
            Sse.Prefetch1(next);
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[p * cs]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[p * cs]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[p * cs]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[p * cs]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[p * cs]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[p * cs]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
        }
        if (rows == MR && cols == 16)
        {
            Add256(c, c00, c01, store);
            Add256(c + ldc, c10, c11, store);
            Add256(c + 2 * ldc, c20, c21, store);
            Add256(c + 3 * ldc, c30, c31, store);
            Add256(c + 4 * ldc, c40, c41, store);
            Add256(c + 5 * ldc, c50, c51, store);
            return;
        }
        AddPartial256(c, ldc, rows, cols, store, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    // As AddPartial512.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddPartial256(float* c, int ldc, int rows, int cols, bool store, Vector256<float> c00, Vector256<float> c01, Vector256<float> c10,
        Vector256<float> c11, Vector256<float> c20, Vector256<float> c21, Vector256<float> c30, Vector256<float> c31, Vector256<float> c40,
        Vector256<float> c41, Vector256<float> c50, Vector256<float> c51)
    {
        var tile = stackalloc float[MR * 16];
        c00.Store(tile); c01.Store(tile + 8);
        c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56);
        c40.Store(tile + 64); c41.Store(tile + 72);
        c50.Store(tile + 80); c51.Store(tile + 88);
        AddPartial(tile, 16, c, ldc, rows, cols, store);
    }

    // C's row += the sums, or, for the first k block (store), +0 + the sums: C is not cleared before.
    private static void Add256(float* c, Vector256<float> lo, Vector256<float> hi, bool store)
    {
        ((store ? Vector256<float>.Zero : Vector256.Load(c)) + lo).Store(c);
        ((store ? Vector256<float>.Zero : Vector256.Load(c + 8)) + hi).Store(c + 8);
    }

    private static void AddPartial(float* tile, int width, float* c, int ldc, int rows, int cols, bool store)
    {
        for (var r = 0; r < rows; r++)
        {
            var dst = c + (long)r * ldc;
            var src = tile + r * width;
            if (store) for (var j = 0; j < cols; j++) dst[j] = 0f + src[j];
            else for (var j = 0; j < cols; j++) dst[j] += src[j];
        }
    }
}
