using System.Runtime.CompilerServices;
using static SharpFlow.Tests.Support.KernelData;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Tests.Kernels;

/// <summary>
/// How parallel work is split (<see cref="Partition.EvenTasks"/>, <see cref="WorkerPool.SpinTicks"/>): a product's rows
/// go in equal blocks, a multiple of the thread count of them, and its columns in equal groups; loops of large items
/// run an item per chunk; idle workers spin a while before they block. None of it may change a result: products and
/// convolutions give the same sums bit for bit either way. Flips process-wide settings, hence the collection.
/// </summary>
[Collection("kernel settings")]
public class EvenTasksTests
{
    private const int MR = 6; // PackedSgemm's row panel

    [Fact]
    public void RowBlocksCoverEveryRowInBlocksOfEqualPanelsAMultipleOfTheThreads()
    {
        for (var m = 1; m <= 3000; m++)
        {
            var panels = (m + MR - 1) / MR;
            var natural = (m + 71) / 72;
            var blocks = PackedSgemm.RowBlocks(m);
            Assert.True(blocks >= natural, $"m={m}: {blocks} blocks, fewer than {natural} of 72 rows");
            if (natural >= 2 && panels >= WorkerPool.Threads) Assert.Equal(0, blocks % WorkerPool.Threads);
            if (natural == 1) Assert.Equal(1, blocks);
            Assert.Equal(0, PackedSgemm.BlockRow(m, blocks, 0));
            Assert.Equal(panels * MR, PackedSgemm.BlockRow(m, blocks, blocks));
            for (var b = 0; b < blocks; b++)
            {
                var size = (PackedSgemm.BlockRow(m, blocks, b + 1) - PackedSgemm.BlockRow(m, blocks, b)) / MR;
                Assert.InRange(size, panels / blocks, (panels + blocks - 1) / blocks);
                Assert.InRange(size * MR, 0, 72);
            }
        }
        // 1,225 rows (Inception's 35×35) made 17 blocks of 72 rows and one of a single row.
        if (WorkerPool.Threads == 2) Assert.Equal(18, PackedSgemm.RowBlocks(1225));
    }

    [Fact]
    public void WithoutEvenTasksTheRowsGoInBlocksOf72()
    {
        foreach (var m in new[] { 1, 72, 73, 289, 1225 })
        {
            var blocks = PackedSgemm.RowBlocks(m, even: false);
            Assert.Equal((m + 71) / 72, blocks);
            for (var b = 0; b < blocks; b++) Assert.Equal(b * 72, PackedSgemm.BlockRow(m, blocks, b, even: false));
            Assert.Equal((m + MR - 1) / MR * MR, PackedSgemm.BlockRow(m, blocks, blocks, even: false));
        }
        // 1,225 rows: 17 blocks of 72 and one of a single row's panel, against 18 even blocks of 66–72.
        Assert.Equal(1224 + MR, PackedSgemm.BlockRow(1225, 18, 18, even: false) - 0);
        Assert.Equal(1224, PackedSgemm.BlockRow(1225, 18, 17, even: false));
        Assert.NotEqual(PackedSgemm.BlockRow(1225, 18, 17, even: true), PackedSgemm.BlockRow(1225, 18, 17, even: false));
        Assert.Equal(8, PackedSgemm.ColumnGroups(1, 12, 8, even: false));
    }

    [Theory]
    [InlineData(1, 12, 8)] // Inception's 8×8 layers of 384 channels: 12 panels in 8 groups were groups of one and two
    [InlineData(1, 6, 4)]
    [InlineData(1, 16, 8)]
    [InlineData(1, 10, 8)]
    [InlineData(1, 9, 8)]  // no even split up to 16 groups: the target stays
    [InlineData(4, 5, 2)]
    [InlineData(2, 1, 0)]
    public void ColumnGroupsSplitThePanelsEvenlyWhereTheyCan(int blocks, int panels, int target)
    {
        var groups = PackedSgemm.ColumnGroups(blocks, panels, target);
        Assert.InRange(groups, 1, panels);
        var clamped = Math.Clamp(target, 1, panels);
        var even = Enumerable.Range(clamped, Math.Min(panels, 2 * clamped) - clamped + 1)
            .Where(g => panels % g == 0 && blocks * g % WorkerPool.Threads == 0).ToList();
        Assert.Equal(even.Count > 0 ? even[0] : clamped, groups);
        if (WorkerPool.Threads == 2 && (blocks, panels, target) == (1, 12, 8)) Assert.Equal(12, groups);
    }

    public static IEnumerable<object[]> Products() => new object[][]
    {
        // m, k, n, transposeA, prepacked
        [1225, 300, 64, false, false],  // a loop per k block, 18 row blocks
        [289, 600, 192, false, true],   // prepacked, five natural blocks: a loop per k block
        [200, 500, 384, false, true],   // prepacked, one pass: three natural blocks made four, column groups
        [64, 700, 384, false, true],    // one row block, 12 panels in 12 groups
        [150, 300, 70, true, false],    // transposed A, packed panel by panel
        [49, 1000, 100, false, false],  // one row block, the columns split per k block
    };

    [Theory, MemberData(nameof(Products))]
    public void AProductGivesTheSameSumsWithEvenTasksOrWithout(int m, int k, int n, bool transposeA, bool prepacked)
    {
        var a = Uniform(m * k, m + k);
        var b = Uniform(k * n, n);
        var packed = prepacked ? PackedMatrix.Pack(b, k, n, false) : null;
        var even = new float[m * n];
        var fixedBlocks = new float[m * n];
        PackedSgemm.Multiply(a, b, even, m, k, n, transposeA, false, default, packed);
        WithoutEvenTasks(() => PackedSgemm.Multiply(a, b, fixedBlocks, m, k, n, transposeA, false, default, packed));
        Assert.Equal(fixedBlocks, even);
        // And both are the product (a float64 loop, every element: a skipped panel of rows would be equal in both).
        for (var e = 0; e < m * n; e++)
        {
            var (i, j) = (e / n, e % n);
            var sum = 0.0;
            for (var p = 0; p < k; p++) sum += (double)a[transposeA ? p * m + i : i * k + p] * b[p * n + j];
            Assert.Equal(sum, even[e], 1e-3);
        }
    }

    [Fact]
    public void AConvolutionWhosePatchesAreMadeInTheProductGivesTheSameSumsWithEvenTasksOrWithout()
    {
        // Inception's 5×5 layer at batch 1: 1,225 rows, more than one pass takes, so the implicit GEMM.
        var g = Window2D.Create(1, 35, 35, 48, 5, 5, 1, 1, 1, 1, same: true);
        Assert.True(Conv2DKernels.FillsPatches(g, 64));
        var input = Uniform((int)((long)g.InHeight * g.InWidth * g.Channels), 1);
        var filter = Uniform(g.PatchSize * 64, 2);
        var bias = Uniform(64, 3);
        var even = new float[g.OutPositions * 64];
        var fixedBlocks = new float[g.OutPositions * 64];
        var im2col = new float[g.OutPositions * 64];
        Conv2DKernels.Forward<float>(input, filter, even, g, 64, new GemmEpilogue<float>(bias, default, FusedActivation.Relu));
        WithoutEvenTasks(() => Conv2DKernels.Forward<float>(input, filter, fixedBlocks, g, 64, new GemmEpilogue<float>(bias, default, FusedActivation.Relu)));
        Assert.Equal(fixedBlocks, even);
        // And both are the convolution: im2col and the product (bitwise the implicit GEMM, ImplicitGemmTests).
        var saved = Conv2DKernels.ImplicitGemm;
        try
        {
            Conv2DKernels.ImplicitGemm = false;
            Conv2DKernels.Forward<float>(input, filter, im2col, g, 64, new GemmEpilogue<float>(bias, default, FusedActivation.Relu));
        }
        finally
        {
            Conv2DKernels.ImplicitGemm = saved;
        }
        Assert.Equal(im2col, even);
        Assert.Contains(even, v => v > 0);
    }

    [Fact]
    public void ALoopRunsEveryItemOnceWhetherItsWorkersSpinOrBlock()
    {
        var saved = WorkerPool.SpinTicks;
        try
        {
            foreach (var spin in new[] { 0L, System.Diagnostics.Stopwatch.Frequency / 100 })
            {
                WorkerPool.SpinTicks = spin;
                for (var round = 0; round < 20; round++)
                {
                    // Small items (four chunks per thread) and large ones (a chunk each), with pauses longer and
                    // shorter than the spin between loops, so workers are caught spinning and woken from blocking.
                    var hits = new int[1000 + round];
                    Partition.For(hits.Length, round % 2 == 0 ? 1 << 10 : 1 << 20, hits, static (in int[] h, int start, int end) =>
                    {
                        // The last chunk is slow: a loop that returned before its workers finished would leave it unfinished.
                        if (end == h.Length) Thread.Sleep(2);
                        for (var i = start; i < end; i++) Interlocked.Increment(ref h[i]);
                    });
                    Assert.All(hits, h => Assert.Equal(1, h));
                    if (round % 5 == 4) Thread.Sleep(15);
                }
            }
        }
        finally
        {
            WorkerPool.SpinTicks = saved;
        }
    }

    [Fact]
    public void WithOwnedRangesEveryItemRunsOnceAndABlockedThreadsShareIsTakenByTheOthers()
    {
        var (saved, savedEven) = (WorkerPool.OwnedRanges, Partition.EvenTasks);
        try
        {
            Partition.EvenTasks = true; // large items are a chunk each
            foreach (var owned in new[] { true, false })
            {
                WorkerPool.OwnedRanges = owned;
                // Every item once: chunks of one large item and of several small ones, uneven counts.
                for (var round = 0; round < 20; round++)
                {
                    var hits = new int[997 + round];
                    Partition.For(hits.Length, round % 2 == 0 ? 1 << 10 : 1 << 20, hits, static (in int[] h, int start, int end) =>
                    {
                        if (start == 0) Thread.SpinWait(1000);
                        for (var i = start; i < end; i++) Interlocked.Increment(ref h[i]);
                    });
                    Assert.All(hits, h => Assert.Equal(1, h));
                }
                if (WorkerPool.Threads < 2) continue;
                // One item waits until all the others are done: the first of the caller's share (the worker must take
                // what is left of it) and the first of worker 1's (the caller must take what is left of that one).
                // Either is done only if the other thread takes the blocked thread's remaining chunks; otherwise the wait
                // runs out. (The collection runs alone, so the pool is free for these loops.)
                const int items = 16;
                foreach (var blocked in new[] { 0, items / WorkerPool.Threads })
                {
                    var state = new Blocked(new int[items], new StrongBox<int>(0), blocked);
                    Partition.For(items, 1 << 20, state, static (in Blocked b, int start, int end) =>
                    {
                        for (var i = start; i < end; i++)
                        {
                            if (i == b.Item)
                            {
                                var (others, count) = (b.Done, b.Hits.Length - 1);
                                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref others.Value) == count, TimeSpan.FromSeconds(20)),
                                    $"owned ranges {WorkerPool.OwnedRanges}, item {b.Item} blocked: {Volatile.Read(ref others.Value)} of the other {count} items done");
                            }
                            else Interlocked.Increment(ref b.Done.Value);
                            Interlocked.Increment(ref b.Hits[i]);
                        }
                    });
                    Assert.All(state.Hits, h => Assert.Equal(1, h));
                }
            }
        }
        finally
        {
            (WorkerPool.OwnedRanges, Partition.EvenTasks) = (saved, savedEven);
        }
    }

    private readonly record struct Blocked(int[] Hits, StrongBox<int> Done, int Item);

    private static void WithoutEvenTasks(Action run)
    {
        var saved = Partition.EvenTasks;
        try
        {
            Partition.EvenTasks = false;
            run();
        }
        finally
        {
            Partition.EvenTasks = saved;
        }
    }
}
