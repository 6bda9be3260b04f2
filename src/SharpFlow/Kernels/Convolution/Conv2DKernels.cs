using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// 2-D convolution of NHWC images with an HWIO filter, and its two gradients, as im2col followed by one matrix
/// product. Images are processed in chunks so the patch matrix stays within <see cref="MaxPatchElements"/>.
/// One-channel float images go to the direct kernels of <see cref="SingleChannelConv"/> instead.
/// </summary>
internal static class Conv2DKernels
{
    /// <summary>
    /// Largest patch matrix per chunk (4 MiB of float32, at least one image), small enough that the product reads it
    /// back from the cache im2col just wrote it to: at 32 MiB the convnet's second convolution ran at 100 GFLOP/s,
    /// at 4 MiB at 170. Tests lower it to exercise chunking.
    /// </summary>
    internal static long MaxPatchElements = 1L << 20;

    private static int ImagesPerChunk(in Window2D g) =>
        (int)Math.Clamp(MaxPatchElements / Math.Max(1L, (long)g.OutPositions * g.PatchSize), 1, Math.Max(1, g.Batch));

    private static ReadOnlySpan<float> Floats<T>(ReadOnlySpan<T> values) where T : unmanaged => MemoryMarshal.Cast<T, float>(values);

    /// <summary>True when the patch matrix is the input itself: a 1×1 window, stride 1, no padding.</summary>
    private static bool IsPointwise(in Window2D g) =>
        g.KernelHeight == 1 && g.KernelWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.PadTop == 0 && g.PadLeft == 0;

    /// <summary>
    /// <paramref name="output"/>[N, outH, outW, outChannels] = conv(<paramref name="input"/>, <paramref name="filter"/>),
    /// then the fused ops' <paramref name="epilogue"/> (bias, residual laid out as the output, activation), applied by
    /// each chunk's product to its rows. <paramref name="prepacked"/>, for a constant float32 filter, keeps the
    /// filter's packed forms between calls (<see cref="PrepackedFilter"/>): each path then reads its form instead of
    /// making it again, with results bitwise those without; except that a 1×7 or 7×1 window with a prepacked filter may
    /// take the one-dimensional Winograd (<see cref="WinogradLine"/>), which runs only on a transformed filter made once
    /// and rounds differently from the product (within its measured error).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> filter, Span<T> output, Window2D g, int outChannels,
        GemmEpilogue<T> epilogue = default, PrepackedFilter? prepacked = null)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) != typeof(float)) prepacked = null;
        var k = g.PatchSize;
        if (IsPointwise(g)) // never Winograd's (3×3)
        {
            var m = g.Batch * g.OutPositions;
            Gemm.FusedMultiply(input, filter, output, m, k, outChannels, false, false, epilogue, GemmPanels(prepacked, filter, m, k, outChannels));
            return;
        }
        // The direct kernels apply the epilogue themselves (the one-channel kernel row by row) or after, as after a product.
        if (TryDirectForward(input, filter, output, g, outChannels, prepacked, epilogue)) return;
        if (typeof(T) == typeof(float) && DirectConv.Applies(g, outChannels))
        {
            var taps = g.KernelHeight * g.KernelWidth;
            DirectConv.Forward(Floats(input), Floats(filter), MemoryMarshal.Cast<T, float>(output), g, outChannels,
                prepacked?.DirectLayout(Floats(filter), taps, g.Channels, outChannels), epilogue.As<float>());
            return;
        }
        if (typeof(T) == typeof(float) && FillsPatches(g, outChannels))
        {
            ForwardFilled(Floats(input), Floats(filter), MemoryMarshal.Cast<T, float>(output), g, outChannels,
                epilogue.As<float>(), prepacked);
            return;
        }
        var band = RowsPerBand(g, outChannels);
        if (band < g.OutHeight)
        {
            ForwardInBands(input, filter, output, g, outChannels, epilogue, prepacked, band);
            return;
        }
        var chunk = ImagesPerChunk(g);
        var patches = ArrayPool<T>.Shared.Rent(chunk * g.OutPositions * k);
        try
        {
            for (var n0 = 0; n0 < g.Batch; n0 += chunk)
            {
                var count = Math.Min(chunk, g.Batch - n0);
                var rows = count * g.OutPositions;
                var p = patches.AsSpan(0, rows * k);
                Im2Col.Expand(input, g, n0, count, p);
                Gemm.FusedMultiply<T>(p, filter, output.Slice(n0 * g.OutPositions * outChannels, rows * outChannels), rows, k, outChannels, false, false,
                    epilogue.Rows(n0 * g.OutPositions, rows, outChannels), GemmPanels(prepacked, filter, rows, k, outChannels));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(patches);
        }
    }

    /// <summary>
    /// Whether float32 convolutions make their patch matrix a k block at a time inside the product
    /// (<see cref="ForwardFilled"/>) rather than whole before it; tests turn it off to compare, and
    /// <c>SHARPFLOW_IMPLICIT_GEMM=0</c> turns it off for a process (to measure it).
    /// </summary>
    internal static bool ImplicitGemm = Environment.GetEnvironmentVariable("SHARPFLOW_IMPLICIT_GEMM") != "0";

    /// <summary>Rows of the patch matrix per product of <see cref="ForwardFilled"/>: its k-block buffer stays within 4 MiB.</summary>
    internal static int FilledRows = 4032;

    /// <summary>
    /// Where the implicit GEMM runs: float32, no dilation, a product on the packed kernel's panels, and more rows than a
    /// product that runs in one pass has (few rows make a small patch matrix, and one parallel loop beats one per k block).
    /// </summary>
    internal static bool FillsPatches(in Window2D g, int outChannels)
    {
        var m = (long)g.Batch * g.OutPositions;
        return ImplicitGemm && g.DilationHeight == 1 && g.DilationWidth == 1 && m > 0 && !PackedSgemm.RunsInOnePass((int)Math.Min(m, int.MaxValue))
            && Gemm.ReadsPackedB((int)Math.Min(FilledRows, m), g.PatchSize, outChannels);
    }

    /// <summary>
    /// im2col inside the product ("implicit GEMM"): <see cref="PackedSgemm.MultiplyFilled"/> has each k block of the
    /// patch matrix made from the input (<see cref="Im2Col.ExpandColumns(in Im2Col.Source, int, int, int, int, float*)"/>) by the task that multiplies it, so the patch
    /// matrix is never written whole and read back (5.9 MB for Inception-v3's 5×5 convolutions at batch 1). The rows go in
    /// products of even size, at most <see cref="FilledRows"/> each; the sums are those of im2col and the product, bit for bit.
    /// </summary>
    private static unsafe void ForwardFilled(ReadOnlySpan<float> input, ReadOnlySpan<float> filter, Span<float> output, in Window2D g, int outChannels,
        GemmEpilogue<float> epilogue, PrepackedFilter? prepacked)
    {
        var k = g.PatchSize;
        var m = g.Batch * g.OutPositions;
        fixed (float* x = input)
        {
            var source = new Im2Col.Source((nint)x, g, 0);
            // Products of even size, at most FilledRows rows each (4,033 rows made 4,032 and one).
            var products = (m + FilledRows - 1) / FilledRows;
            var perProduct = (m + products - 1) / products;
            for (var row0 = 0; row0 < m; row0 += perProduct)
            {
                var rows = Math.Min(perProduct, m - row0);
                // The product's row 0 is row row0 of the patch matrix.
                var state = source with { FirstRow = row0 };
                PackedSgemm.MultiplyFilled(static (s, r0, count, p0, kc, dst) => Im2Col.ExpandColumns(*(Im2Col.Source*)s, r0, count, p0, kc, dst),
                    (nint)(&state), filter, output.Slice(row0 * outChannels, rows * outChannels), rows, k, outChannels, false,
                    epilogue.Rows(row0, rows, outChannels), GemmPanels(prepacked, filter, rows, k, outChannels));
            }
        }
    }

    /// <summary>
    /// Largest patch matrix of one band of output rows where one image's patch matrix is larger than this (1 MiB of
    /// float32, the second-level cache): ResNet18's first convolution at batch 1 (12,544 patches of 147 values,
    /// 7.4 MiB) took 5.0 ms as one matrix and 2.2 ms in bands of 2^18 elements (2^20: 6.1 ms, 2^16: 2.3 ms;
    /// <c>stem-bands</c>, median of 31, loaded machine). Tests lower it.
    /// </summary>
    internal static long MaxBandElements = 1L << 18;

    /// <summary>
    /// Output rows per band when one image's patch matrix exceeds <see cref="MaxBandElements"/> and the filter is
    /// small (at most a quarter of that: every band's product reads all of it again, and thin products of a large
    /// filter, Inception's 3×3 stride-2 reductions with 2,592 × 384 filters, lose more than the cache saves): bands
    /// of whole output rows within the limit, so the product reads the patches back from the cache; <c>OutHeight</c>
    /// otherwise.
    /// </summary>
    internal static int RowsPerBand(in Window2D g, int outChannels)
    {
        var perRow = (long)g.OutWidth * g.PatchSize;
        if (perRow == 0 || (long)g.OutHeight * perRow <= MaxBandElements || (long)g.PatchSize * outChannels > MaxBandElements / 4) return g.OutHeight;
        return (int)Math.Clamp(MaxBandElements / perRow, 1, g.OutHeight);
    }

    /// <summary>im2col and the product band by band of output rows, image by image.</summary>
    private static void ForwardInBands<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> filter, Span<T> output, Window2D g, int outChannels,
        GemmEpilogue<T> epilogue, PrepackedFilter? prepacked, int band)
        where T : unmanaged, INumber<T>
    {
        var k = g.PatchSize;
        var patches = ArrayPool<T>.Shared.Rent(band * g.OutWidth * k);
        try
        {
            for (var n = 0; n < g.Batch; n++)
                for (var oh0 = 0; oh0 < g.OutHeight; oh0 += band)
                {
                    var rows = Math.Min(band, g.OutHeight - oh0) * g.OutWidth;
                    var first = n * g.OutPositions + oh0 * g.OutWidth;
                    var p = patches.AsSpan(0, rows * k);
                    Im2Col.ExpandBand(input, g, n, oh0, Math.Min(band, g.OutHeight - oh0), p);
                    Gemm.FusedMultiply<T>(p, filter, output.Slice(first * outChannels, rows * outChannels), rows, k, outChannels, false, false,
                        epilogue.Rows(first, rows, outChannels), GemmPanels(prepacked, filter, rows, k, outChannels));
                }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(patches);
        }
    }

    /// <summary>
    /// The convolutions that skip im2col, with the <paramref name="epilogue"/>: the one-dimensional Winograd (1×7 and 7×1
    /// with a constant filter, the epilogue on each tile), Winograd (3×3 stride 1, the epilogue
    /// on each tile block or as a pass after), the one-channel and the small-channel direct kernels (which apply it to each output row as
    /// they finish it), in that order; false when none applies (and nothing was written).
    /// </summary>
    private static bool TryDirectForward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> filter, Span<T> output, Window2D g, int outChannels,
        PrepackedFilter? prepacked, GemmEpilogue<T> epilogue)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) && prepacked is not null && WinogradLine.Applies(g, outChannels)
            && prepacked.WinogradLine(Floats(filter), g.Channels, outChannels, WinogradLine.TileSize) is { } line)
        {
            WinogradLine.Forward(Floats(input), MemoryMarshal.Cast<T, float>(output), g, outChannels, line, epilogue.As<float>());
            return true;
        }
        if (typeof(T) == typeof(float) && Winograd.Applies<T>(g, outChannels, prepacked is not null))
        {
            Winograd.Forward(Floats(input), Floats(filter), MemoryMarshal.Cast<T, float>(output), g, outChannels, prepacked: prepacked,
                epilogue: epilogue.As<float>());
            return true;
        }
        if (typeof(T) == typeof(float) && outChannels > 0 && SingleChannelConv.Applies(g))
        {
            SingleChannelConv.Forward(Floats(input), Floats(filter), MemoryMarshal.Cast<T, float>(output), g, outChannels,
                epilogue.As<float>());
            return true;
        }
        return SmallChannelConv.TryForward(input, filter, output, g, outChannels, prepacked, epilogue);
    }

    /// <summary>The filter's GEMM panels for an m×k·k×n product that reads them; null without a cache or where the product packs no B.</summary>
    private static PackedMatrix? GemmPanels<T>(PrepackedFilter? prepacked, ReadOnlySpan<T> filter, int m, int k, int n) where T : unmanaged =>
        prepacked is not null && Gemm.ReadsPackedB(m, k, n) ? prepacked.Gemm(Floats(filter), k, n) : null;

    /// <summary>The gradient with respect to the input: <paramref name="inputGrad"/> = convᵀ(<paramref name="outputGrad"/>, filter).</summary>
    public static void BackpropInput<T>(ReadOnlySpan<T> filter, ReadOnlySpan<T> outputGrad, Span<T> inputGrad, Window2D g, int outChannels)
        where T : unmanaged, INumber<T>
    {
        var k = g.PatchSize;
        if (IsPointwise(g))
        {
            Gemm.Multiply(outputGrad, filter, inputGrad, g.Batch * g.OutPositions, outChannels, k, transposeB: true);
            return;
        }
        if (SmallChannelConv.TryBackpropInput(filter, outputGrad, inputGrad, g, outChannels)) return;
        inputGrad.Clear();
        var chunk = ImagesPerChunk(g);
        var patches = ArrayPool<T>.Shared.Rent(chunk * g.OutPositions * k);
        try
        {
            for (var n0 = 0; n0 < g.Batch; n0 += chunk)
            {
                var count = Math.Min(chunk, g.Batch - n0);
                var rows = count * g.OutPositions;
                var p = patches.AsSpan(0, rows * k);
                Gemm.Multiply(outputGrad.Slice(n0 * g.OutPositions * outChannels, rows * outChannels), filter, p, rows, outChannels, k, transposeB: true);
                Im2Col.Accumulate<T>(p, g, n0, count, inputGrad);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(patches);
        }
    }

    /// <summary>The gradient with respect to the filter: <paramref name="filterGrad"/> = patchesᵀ · outputGrad.</summary>
    public static void BackpropFilter<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> outputGrad, Span<T> filterGrad, Window2D g, int outChannels)
        where T : unmanaged, INumber<T>
    {
        var k = g.PatchSize;
        if (IsPointwise(g))
        {
            Gemm.Multiply(input, outputGrad, filterGrad, k, g.Batch * g.OutPositions, outChannels, transposeA: true);
            return;
        }
        if (typeof(T) == typeof(float) && outChannels > 0 && SingleChannelConv.Applies(g))
        {
            SingleChannelConv.BackpropFilter(Floats(input), Floats(outputGrad), MemoryMarshal.Cast<T, float>(filterGrad), g, outChannels);
            return;
        }
        if (SmallChannelConv.TryBackpropFilter(input, outputGrad, filterGrad, g, outChannels)) return;
        filterGrad.Clear();
        var chunk = ImagesPerChunk(g);
        var patches = ArrayPool<T>.Shared.Rent(chunk * g.OutPositions * k);
        var partial = chunk < g.Batch ? ArrayPool<T>.Shared.Rent(k * outChannels) : null;
        try
        {
            for (var n0 = 0; n0 < g.Batch; n0 += chunk)
            {
                var count = Math.Min(chunk, g.Batch - n0);
                var rows = count * g.OutPositions;
                var p = patches.AsSpan(0, rows * k);
                Im2Col.Expand(input, g, n0, count, p);
                var dy = outputGrad.Slice(n0 * g.OutPositions * outChannels, rows * outChannels);
                if (partial is null)
                {
                    Gemm.Multiply<T>(p, dy, filterGrad, k, rows, outChannels, transposeA: true);
                }
                else
                {
                    var part = partial.AsSpan(0, k * outChannels);
                    Gemm.Multiply<T>(p, dy, part, k, rows, outChannels, transposeA: true);
                    TensorPrimitives.Add(filterGrad, part, filterGrad);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(patches);
            if (partial is not null) ArrayPool<T>.Shared.Return(partial);
        }
    }
}
