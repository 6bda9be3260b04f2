using System.Numerics;
using System.Numerics.Tensors;

namespace SharpFlow.Kernels.Convolution;

/// <summary>
/// The im2col transform: each output position of a window over NHWC images becomes one row of
/// <c>kh·kw·channels</c> input values (zeros where the window hangs over the padding), so a convolution is one
/// matrix product with the HWIO filter seen as a <c>[kh·kw·in, out]</c> matrix. <see cref="Accumulate{T}"/> is
/// its transpose (col2im), used for the gradient with respect to the input.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>
    /// Fills <paramref name="patches"/> (<c>[images·outH·outW, patchSize]</c>) from images
    /// <c>[firstImage, firstImage + images)</c> of <paramref name="input"/>.
    /// </summary>
    public static void Expand<T>(ReadOnlySpan<T> input, Window2D g, int firstImage, int images, Span<T> patches) where T : unmanaged
    {
        fixed (T* src = input)
        fixed (T* dst = patches)
        {
            Partition.For(images * g.OutHeight, (long)g.OutWidth * g.PatchSize, (S: (nint)src, D: (nint)dst, G: g, First: firstImage), static (in (nint S, nint D, Window2D G, int First) p, int start, int end) =>
            {
                var g = p.G;
                for (var r = start; r < end; r++) ExpandRow((T*)p.S, g, p.First + r / g.OutHeight, r % g.OutHeight, (T*)p.D + (long)r * g.OutWidth * g.PatchSize);
            });
        }
    }

    /// <summary>
    /// Fills <paramref name="patches"/> (<c>[rows·outW, patchSize]</c>) with the patches of output rows
    /// <c>[firstRow, firstRow + rows)</c> of image <paramref name="image"/>: a band of one image, for images whose
    /// whole patch matrix would not stay in the cache.
    /// </summary>
    public static void ExpandBand<T>(ReadOnlySpan<T> input, Window2D g, int image, int firstRow, int rows, Span<T> patches) where T : unmanaged
    {
        fixed (T* src = input)
        fixed (T* dst = patches)
        {
            Partition.For(rows, (long)g.OutWidth * g.PatchSize, (S: (nint)src, D: (nint)dst, G: g, N: image, First: firstRow), static (in (nint S, nint D, Window2D G, int N, int First) p, int start, int end) =>
            {
                var g = p.G;
                for (var r = start; r < end; r++) ExpandRow((T*)p.S, g, p.N, p.First + r, (T*)p.D + (long)r * g.OutWidth * g.PatchSize);
            });
        }
    }

    /// <summary>What <see cref="ExpandColumns(in Source, int, int, int, int, float*)"/> reads: float32 NHWC images and the window (dilation 1).</summary>
    internal readonly record struct Source(nint Input, Window2D Window, int FirstRow);

    /// <summary>
    /// Columns <c>[p0, p0 + kc)</c> of patch rows <c>[row0, row0 + rows)</c> (counted from row
    /// <see cref="Source.FirstRow"/> of the whole patch matrix), row r at <paramref name="dst"/> + r·kc: one k block of the patch matrix, for a
    /// product that makes its A a block at a time (<see cref="PackedSgemm.MultiplyFilled"/>). The same values as
    /// <see cref="Expand{T}"/>'s rows; dilation 1 only.
    /// </summary>
    public static void ExpandColumns(in Source s, int row0, int rows, int p0, int kc, float* dst)
    {
        var g = s.Window;
        var c = g.Channels;
        var rowLength = g.KernelWidth * c;
        var (khFirst, khLast) = (p0 / rowLength, (p0 + kc - 1) / rowLength);
        var (n, position) = ((s.FirstRow + row0) / g.OutPositions, (s.FirstRow + row0) % g.OutPositions);
        var (oh, ow) = (position / g.OutWidth, position % g.OutWidth);
        for (var r = 0; r < rows; r++, dst += kc)
        {
            var image = (float*)s.Input + (long)n * g.InImageSize;
            var (top, left) = (oh * g.StrideHeight - g.PadTop, ow * g.StrideWidth - g.PadLeft);
            var (first, last) = g.ValidColumns(left);
            for (var kh = khFirst; kh <= khLast; kh++)
            {
                // The part of this filter row's run of kw·c values inside the block, [a, b) in patch columns, of which
                // [v0, v1) lies inside the image.
                var rowStart = kh * rowLength;
                var (a, b) = (Math.Max(p0, rowStart), Math.Min(p0 + kc, rowStart + rowLength));
                var ih = top + kh;
                var (v0, v1) = ih < 0 || ih >= g.InHeight ? (b, b) : (Math.Clamp(rowStart + first * c, a, b), Math.Clamp(rowStart + last * c, a, b));
                if (v0 > a) new Span<float>(dst + (a - p0), v0 - a).Clear();
                if (v1 > v0)
                    new ReadOnlySpan<float>(image + ((long)ih * g.InWidth + left) * c + (v0 - rowStart), v1 - v0).CopyTo(new Span<float>(dst + (v0 - p0), v1 - v0));
                if (b > v1) new Span<float>(dst + (v1 - p0), b - v1).Clear(); // v0 ≤ v1: first ≤ last
            }
            // The next output position.
            if (++ow < g.OutWidth) continue;
            ow = 0;
            if (++oh < g.OutHeight) continue;
            (oh, n) = (0, n + 1);
        }
    }

    /// <summary><see cref="ExpandColumns(in Source, int, int, int, int, float*)"/> of images <paramref name="input"/> into <paramref name="dst"/>.</summary>
    public static void ExpandColumns(ReadOnlySpan<float> input, in Window2D g, int row0, int rows, int p0, int kc, Span<float> dst)
    {
        if (g.DilationHeight != 1 || g.DilationWidth != 1) throw new ArgumentException("Im2Col: ExpandColumns takes windows without dilation.");
        if (input.Length < (long)g.Batch * g.InImageSize) throw new ArgumentException("Im2Col: the input is smaller than its window says.");
        if (row0 < 0 || rows < 0 || (long)row0 + rows > (long)g.Batch * g.OutPositions || p0 < 0 || kc < 1 || p0 + kc > g.PatchSize)
            throw new ArgumentOutOfRangeException(nameof(rows), $"Im2Col: rows [{row0}, {row0 + rows}) and columns [{p0}, {p0 + kc}) are not all in the patch matrix.");
        if (dst.Length < (long)rows * kc) throw new ArgumentException("Im2Col: the block is smaller than its rows and columns say.");
        fixed (float* x = input)
        fixed (float* d = dst)
            ExpandColumns(new Source((nint)x, g, 0), row0, rows, p0, kc, d);
    }

    private static void ExpandRow<T>(T* input, in Window2D g, int n, int oh, T* dst) where T : unmanaged
    {
        var c = g.Channels;
        var rowLength = g.KernelWidth * c;
        var image = input + (long)n * g.InImageSize;
        var top = oh * g.StrideHeight - g.PadTop;
        var (firstRow, lastRow) = g.ValidRows(top);
        for (var ow = 0; ow < g.OutWidth; ow++, dst += g.PatchSize)
        {
            var patch = new Span<T>(dst, g.PatchSize);
            var left = ow * g.StrideWidth - g.PadLeft;
            patch[..(firstRow * rowLength)].Clear();
            patch[(lastRow * rowLength)..].Clear();
            for (var kh = firstRow; kh < lastRow; kh++)
            {
                var ih = top + kh * g.DilationHeight;
                var row = patch.Slice(kh * rowLength, rowLength);
                var line = new ReadOnlySpan<T>(image + (long)ih * g.InWidth * c, g.InWidth * c);
                if (g.DilationWidth == 1)
                {
                    var (first, last) = g.ValidColumns(left);
                    row[..(first * c)].Clear();
                    if (last > first) line.Slice((left + first) * c, (last - first) * c).CopyTo(row.Slice(first * c));
                    row[(last * c)..].Clear();
                }
                else
                {
                    var (first, last) = g.ValidColumnsDilated(left);
                    row[..(first * c)].Clear();
                    for (var kw = first; kw < last; kw++)
                        line.Slice((left + kw * g.DilationWidth) * c, c).CopyTo(row.Slice(kw * c, c));
                    row[(last * c)..].Clear();
                }
            }
        }
    }

    /// <summary>
    /// col2im: adds each row of <paramref name="patches"/> back onto the input positions it was read from, for
    /// images <c>[firstImage, firstImage + images)</c> of <paramref name="input"/> (which the caller clears first).
    /// </summary>
    public static void Accumulate<T>(ReadOnlySpan<T> patches, Window2D g, int firstImage, int images, Span<T> input)
        where T : unmanaged, IAdditionOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        fixed (T* src = patches)
        fixed (T* dst = input)
        {
            // Windows of one image overlap, so the parallel unit is the image.
            Partition.For(images, (long)g.OutPositions * g.PatchSize, (S: (nint)src, D: (nint)dst, G: g, First: firstImage), static (in (nint S, nint D, Window2D G, int First) p, int start, int end) =>
            {
                var g = p.G;
                for (var i = start; i < end; i++) AccumulateImage((T*)p.S + (long)i * g.OutPositions * g.PatchSize, g, p.First + i, (T*)p.D);
            });
        }
    }

    private static void AccumulateImage<T>(T* patches, in Window2D g, int n, T* input)
        where T : unmanaged, IAdditionOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        var c = g.Channels;
        var rowLength = g.KernelWidth * c;
        var image = input + (long)n * g.InImageSize;
        for (var oh = 0; oh < g.OutHeight; oh++)
        {
            var top = oh * g.StrideHeight - g.PadTop;
            var (firstRow, lastRow) = g.ValidRows(top);
            for (var ow = 0; ow < g.OutWidth; ow++, patches += g.PatchSize)
            {
                var left = ow * g.StrideWidth - g.PadLeft;
                var (first, last) = g.ValidColumnsDilated(left);
                for (var kh = firstRow; kh < lastRow; kh++)
                {
                    var ih = top + kh * g.DilationHeight;
                    var line = new Span<T>(image + (long)ih * g.InWidth * c, g.InWidth * c);
                    var row = new ReadOnlySpan<T>(patches + kh * rowLength, rowLength);
                    if (last <= first) continue;
                    if (g.DilationWidth == 1)
                    {
                        var target = line.Slice((left + first) * c, (last - first) * c);
                        TensorPrimitives.Add(target, row.Slice(first * c, (last - first) * c), target);
                    }
                    else
                    {
                        for (var kw = first; kw < last; kw++)
                        {
                            var target = line.Slice((left + kw * g.DilationWidth) * c, c);
                            TensorPrimitives.Add(target, row.Slice(kw * c, c), target);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies NHWC images <c>[N, g.InHeight, g.InWidth, C]</c> into the top-left corner of zero images
    /// <c>[N, g.OutHeight, g.OutWidth, C]</c> (a 1×1 stride-1 window padded only at the bottom and right: see
    /// <see cref="Window2D.PointwisePaddedAfter"/>).
    /// </summary>
    public static void PadAfter<T>(ReadOnlySpan<T> input, Span<T> padded, in Window2D g) where T : unmanaged
    {
        padded.Clear();
        var row = g.InWidth * g.Channels;
        for (var n = 0; n < g.Batch; n++)
            for (var h = 0; h < g.InHeight; h++)
                input.Slice(((n * g.InHeight) + h) * row, row).CopyTo(padded.Slice(((n * g.OutHeight) + h) * g.OutWidth * g.Channels, row));
    }

    /// <summary>The inverse of <see cref="PadAfter{T}"/>: the top-left <c>[g.InHeight, g.InWidth]</c> corner of each image.</summary>
    public static void CropAfter<T>(ReadOnlySpan<T> padded, Span<T> output, in Window2D g) where T : unmanaged
    {
        var row = g.InWidth * g.Channels;
        for (var n = 0; n < g.Batch; n++)
            for (var h = 0; h < g.InHeight; h++)
                padded.Slice(((n * g.OutHeight) + h) * g.OutWidth * g.Channels, row).CopyTo(output.Slice(((n * g.InHeight) + h) * row, row));
    }
}
