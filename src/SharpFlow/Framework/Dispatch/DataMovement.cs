using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using SharpFlow.Kernels;

namespace SharpFlow.Framework.Dispatch;

/// <summary>
/// Kernels that only move elements (transpose, concatenation, gathering rows): they work on raw element bits, so
/// one implementation serves every dtype of the same size.
/// </summary>
public static class DataMovement
{
    /// <summary>The elements of <paramref name="a"/> reinterpreted as raw bits of the same size.</summary>
    private static Span<TBits> Bits<TBits>(NDArray a) where TBits : unmanaged
    {
        ref var start = ref MemoryMarshal.GetArrayDataReference(a.Storage);
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, TBits>(ref start), a.size);
    }

    /// <summary>
    /// <paramref name="output"/> = transpose(<paramref name="input"/>, <paramref name="perm"/>): output dimension i is
    /// input dimension perm[i].
    /// </summary>
    public static void Transpose(NDArray input, ReadOnlySpan<int> perm, NDArray output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        switch (input.dtype.size)
        {
            case 1: Transpose(Bits<byte>(input), input.shape.AsSpan(), perm, Bits<byte>(output)); break;
            case 2: Transpose(Bits<short>(input), input.shape.AsSpan(), perm, Bits<short>(output)); break;
            case 4: Transpose(Bits<int>(input), input.shape.AsSpan(), perm, Bits<int>(output)); break;
            default: Transpose(Bits<long>(input), input.shape.AsSpan(), perm, Bits<long>(output)); break;
        }
    }

    private static void Transpose<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> permutation, Span<T> y)
        where T : unmanaged
    {
        if (y.Length == 0) return;
        if (shape.Length == 0) { y[0] = x[0]; return; }
        // The same transpose on fewer axes: axes of size 1 dropped, and input axes that stay neighbours in the output
        // merged (NCHW -> NHWC is [C, H·W] -> [H·W, C] per image).
        Span<int> inShape = stackalloc int[shape.Length];
        Span<int> perm = stackalloc int[shape.Length];
        var rank = Simplify(shape, permutation, inShape, perm);
        inShape = inShape[..rank];
        perm = perm[..rank];
        if (rank <= 1) { x[..y.Length].CopyTo(y); return; }
        if (rank == 2 && perm[0] == 1) { TransposeMatrices(x, 1, inShape[0], inShape[1], y); return; }
        if (rank == 3 && perm[0] == 0 && perm[1] == 2) { TransposeMatrices(x, inShape[0], inShape[1], inShape[2], y); return; }
        Span<int> inStrides = stackalloc int[rank];
        var s = 1;
        for (var i = rank - 1; i >= 0; i--) { inStrides[i] = s; s *= inShape[i]; }
        Span<int> outShape = stackalloc int[rank];
        Span<int> stride = stackalloc int[rank]; // input stride walked by each output dimension
        for (var i = 0; i < rank; i++) { outShape[i] = inShape[perm[i]]; stride[i] = inStrides[perm[i]]; }

        Span<int> index = stackalloc int[rank];
        index.Clear();
        var inner = outShape[rank - 1];
        var innerStride = stride[rank - 1];
        var src = 0;
        for (var o = 0; o < y.Length; o += inner)
        {
            var dst = y.Slice(o, inner);
            if (innerStride == 1) x.Slice(src, inner).CopyTo(dst);
            else for (var j = 0; j < inner; j++) dst[j] = x[src + j * innerStride];
            for (var d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                src += stride[d];
                if (index[d] < outShape[d]) break;
                src -= stride[d] * outShape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// Drops the axes of size 1 of a transpose and merges input axes that follow each other in the output too; writes
    /// the remaining shape and permutation and returns their rank (0 when every axis has size 1).
    /// </summary>
    private static int Simplify(ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, Span<int> outShape, Span<int> outPerm)
    {
        var rank = shape.Length;
        Span<int> renumber = stackalloc int[rank]; // input axis -> its index among the kept axes, or -1
        var kept = 0;
        for (var a = 0; a < rank; a++) renumber[a] = shape[a] == 1 ? -1 : kept++;
        Span<int> keptPerm = stackalloc int[kept];
        Span<int> keptShape = stackalloc int[kept];
        var k = 0;
        for (var j = 0; j < rank; j++)
            if (renumber[perm[j]] >= 0) keptPerm[k++] = renumber[perm[j]];
        for (var a = 0; a < rank; a++)
            if (renumber[a] >= 0) keptShape[renumber[a]] = shape[a];
        // Runs of the output order whose input axes are consecutive become one axis; the merged input axes keep the
        // order of their first input axis.
        Span<int> runStart = stackalloc int[kept]; // output position -> whether a run starts there
        Span<int> mergedOf = stackalloc int[kept]; // input axis starting a run -> merged axis, else -1
        mergedOf.Fill(-1);
        var runs = 0;
        for (var j = 0; j < kept; j++)
        {
            runStart[j] = j == 0 || keptPerm[j] != keptPerm[j - 1] + 1 ? 1 : 0;
            if (runStart[j] == 1) { mergedOf[keptPerm[j]] = 0; runs++; }
        }
        var next = 0;
        for (var a = 0; a < kept; a++)
            if (mergedOf[a] == 0) mergedOf[a] = next++;
        for (var m = 0; m < runs; m++) outShape[m] = 1;
        var o = -1;
        var current = 0;
        for (var j = 0; j < kept; j++)
        {
            if (runStart[j] == 1) { current = mergedOf[keptPerm[j]]; outPerm[++o] = current; }
            outShape[current] *= keptShape[keptPerm[j]];
        }
        return runs;
    }

    /// <summary>
    /// <paramref name="count"/> row-major rows×cols matrices, each written transposed (cols×rows), in tiles of at most
    /// 32 × 32 elements (in L1): each tile read along the input rows and written with a stride; the tiles' columns
    /// split between the threads.
    /// </summary>
    private static unsafe void TransposeMatrices<T>(ReadOnlySpan<T> x, int count, int rows, int cols, Span<T> y) where T : unmanaged
    {
        var size = (long)rows * cols;
        if (x.Length < count * size || y.Length < count * size) throw new ArgumentException("Transpose: the arrays are smaller than their shapes.");
        var columnTiles = (cols + MatrixTile - 1) / MatrixTile;
        fixed (T* px = x)
        fixed (T* py = y)
        {
            Partition.For(count * columnTiles, (long)rows * MatrixTile, ((nint)px, (nint)py, rows, cols, columnTiles),
                static (in (nint X, nint Y, int Rows, int Cols, int ColumnTiles) j, int start, int end) =>
                {
                    for (var t = start; t < end; t++)
                    {
                        var size = (long)j.Rows * j.Cols;
                        var src = (T*)j.X + t / j.ColumnTiles * size;
                        var dst = (T*)j.Y + t / j.ColumnTiles * size;
                        var c0 = t % j.ColumnTiles * MatrixTile;
                        var c1 = Math.Min(j.Cols, c0 + MatrixTile);
                        for (var r0 = 0; r0 < j.Rows; r0 += MatrixTile)
                        {
                            var r1 = Math.Min(j.Rows, r0 + MatrixTile);
                            for (var r = r0; r < r1; r++)
                                for (var c = c0; c < c1; c++)
                                    dst[(long)c * j.Rows + r] = src[(long)r * j.Cols + c];
                        }
                    }
                });
        }
    }

    private const int MatrixTile = 32;

    /// <summary>
    /// Copies a strided view: for every index <c>i</c> of <paramref name="shape"/>,
    /// <c>dst[dstOffset + i·dstStrides] = src[srcOffset + i·srcStrides]</c>. A stride of 0 repeats an element
    /// (broadcasting); offsets and strides select a block (slicing, padding). Both arrays have the same dtype.
    /// </summary>
    public static void StridedCopy(NDArray src, int srcOffset, ReadOnlySpan<int> srcStrides,
        NDArray dst, int dstOffset, ReadOnlySpan<int> dstStrides, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        switch (src.dtype.size)
        {
            case 1: StridedCopy(Bits<byte>(src), srcOffset, srcStrides, Bits<byte>(dst), dstOffset, dstStrides, shape); break;
            case 2: StridedCopy(Bits<short>(src), srcOffset, srcStrides, Bits<short>(dst), dstOffset, dstStrides, shape); break;
            case 4: StridedCopy(Bits<int>(src), srcOffset, srcStrides, Bits<int>(dst), dstOffset, dstStrides, shape); break;
            default: StridedCopy(Bits<long>(src), srcOffset, srcStrides, Bits<long>(dst), dstOffset, dstStrides, shape); break;
        }
    }

    private static void StridedCopy<T>(ReadOnlySpan<T> x, int xOffset, ReadOnlySpan<int> xStrides,
        Span<T> y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape) where T : unmanaged
    {
        // Drop axes of size 1 and merge neighbours that are contiguous in both source and destination, so the inner
        // loop runs over the longest run possible (a [64, 28, 28, 1] picture batch reversed along its width copies
        // runs of 28, not of 1).
        var n = shape.Length;
        Span<int> dims = stackalloc int[n];
        Span<int> xs = stackalloc int[n];
        Span<int> ys = stackalloc int[n];
        var rank = 0;
        for (var d = 0; d < n; d++)
        {
            if (shape[d] == 0) return;
            if (shape[d] == 1) continue;
            if (rank > 0 && xs[rank - 1] == xStrides[d] * shape[d] && ys[rank - 1] == yStrides[d] * shape[d])
            {
                dims[rank - 1] *= shape[d];
                xs[rank - 1] = xStrides[d];
                ys[rank - 1] = yStrides[d];
                continue;
            }
            (dims[rank], xs[rank], ys[rank]) = (shape[d], xStrides[d], yStrides[d]);
            rank++;
        }
        Walk(x, xOffset, xs[..rank], y, yOffset, ys[..rank], dims[..rank]);
    }

    private static void Walk<T>(ReadOnlySpan<T> x, int xOffset, ReadOnlySpan<int> xStrides,
        Span<T> y, int yOffset, ReadOnlySpan<int> yStrides, ReadOnlySpan<int> shape) where T : unmanaged
    {
        var rank = shape.Length;
        var count = 1;
        foreach (var d in shape) count *= d;
        if (count == 0) return;
        if (rank == 0) { y[yOffset] = x[xOffset]; return; }
        var inner = shape[rank - 1];
        var (xs, ys) = (xStrides[rank - 1], yStrides[rank - 1]);
        Span<int> index = stackalloc int[rank];
        index.Clear();
        var (src, dst) = (xOffset, yOffset);
        for (var n = 0; n < count; n += inner)
        {
            if (xs == 1 && ys == 1) x.Slice(src, inner).CopyTo(y.Slice(dst, inner));
            else if (xs == 0 && ys == 1) y.Slice(dst, inner).Fill(x[src]);
            else for (var j = 0; j < inner; j++) y[dst + j * ys] = x[src + j * xs];
            for (var d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                src += xStrides[d];
                dst += yStrides[d];
                if (index[d] < shape[d]) break;
                src -= xStrides[d] * shape[d];
                dst -= yStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var s = 1;
        for (var i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
        return strides;
    }

    /// <summary>Concatenates <paramref name="inputs"/> along <paramref name="axis"/> into <paramref name="output"/>.</summary>
    public static void Concat(IReadOnlyList<NDArray> inputs, int axis, NDArray output)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        var outShape = output.shape.AsSpan();
        long outer = 1;
        for (var i = 0; i < axis; i++) outer *= outShape[i];
        var elementSize = output.dtype.size;
        if (elementSize == 0 || output.Storage.GetType().GetElementType() is not { IsValueType: true })
        {
            // Strings (arrays of byte strings), the complex types and references (resources): whole elements, by
            // Array.Copy (a byte copy of references would bypass the collector's write barriers).
            var rowElements = output.size / Math.Max(outer, 1);
            var at = 0L;
            foreach (var input in inputs)
            {
                var piece = outer == 0 ? 0 : input.size / outer;
                for (var o = 0L; o < outer; o++) Array.Copy(input.Storage, o * piece, output.Storage, o * rowElements + at, piece);
                at += piece;
            }
            return;
        }
        var dst = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(output.Storage), output.size * elementSize);
        var outRow = output.size / Math.Max(outer, 1) * elementSize;
        if (outer >= 2 && outer <= int.MaxValue && dst.Length >= ParallelConcatBytes && inputs.Count <= 64)
        {
            ConcatRows(inputs, (int)outer, outRow, elementSize, output);
            return;
        }
        var offset = 0L;
        foreach (var input in inputs)
        {
            var src = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(input.Storage), input.size * elementSize);
            var chunk = outer == 0 ? 0 : src.Length / outer;
            for (var o = 0L; o < outer; o++)
                src.Slice((int)(o * chunk), (int)chunk).CopyTo(dst.Slice((int)(o * outRow + offset), (int)chunk));
            offset += chunk;
        }
    }

    /// <summary>Bytes of output from which a concatenation of value types copies its rows on all threads.</summary>
    private const long ParallelConcatBytes = 1L << 18;

    /// <summary>
    /// <see cref="Concat"/> of value types, row by row on all threads: each output row (the dimensions before the axis)
    /// gets every input's piece in turn, so the writes go in order (Inception-v3's channel concatenations: 1,225 rows of
    /// four pieces).
    /// </summary>
    private static unsafe void ConcatRows(IReadOnlyList<NDArray> inputs, int outer, long outRow, int elementSize, NDArray output)
    {
        // The row copies below are raw: check first what the serial copy's slices would have.
        var rowBytes = 0L;
        foreach (var input in inputs)
        {
            if (input.dtype != output.dtype || input.size % outer != 0 || input.Storage.Length < input.size)
                throw new ArgumentException($"Concat: an input of dtype {input.dtype} and {input.size} elements does not fit {outer} rows of the {output.dtype} output.");
            rowBytes += input.size / outer * elementSize;
        }
        if (rowBytes != outRow || output.Storage.Length < output.size)
            throw new ArgumentException($"Concat: the inputs' rows hold {rowBytes} bytes, the output's {outRow}.");
        var count = inputs.Count;
        var handles = stackalloc GCHandle[count + 1];
        var chunks = stackalloc long[2 * count];
        new Span<GCHandle>(handles, count + 1).Clear();
        try
        {
            handles[count] = GCHandle.Alloc(output.Storage, GCHandleType.Pinned);
            for (var i = 0; i < count; i++)
            {
                handles[i] = GCHandle.Alloc(inputs[i].Storage, GCHandleType.Pinned);
                chunks[2 * i] = handles[i].AddrOfPinnedObject();
                chunks[2 * i + 1] = inputs[i].size * elementSize / outer;
            }
            Partition.For(outer, outRow, (Chunks: (nint)chunks, Count: count, Dst: handles[count].AddrOfPinnedObject(), OutRow: outRow),
                static (in (nint Chunks, int Count, nint Dst, long OutRow) p, int start, int end) =>
                {
                    var chunks = (long*)p.Chunks;
                    for (var o = start; o < end; o++)
                    {
                        var dst = (byte*)p.Dst + o * p.OutRow;
                        for (var i = 0; i < p.Count; i++)
                        {
                            var chunk = chunks[2 * i + 1];
                            Buffer.MemoryCopy((byte*)chunks[2 * i] + o * chunk, dst, chunk, chunk);
                            dst += chunk;
                        }
                    }
                });
        }
        finally
        {
            for (var i = 0; i <= count; i++)
                if (handles[i].IsAllocated) handles[i].Free();
        }
    }

    /// <summary>
    /// TensorFlow's Select: <c>out = cond ? x : y</c> where <paramref name="cond"/> has x's shape, or is a vector
    /// choosing whole rows (first dimension), or a scalar.
    /// </summary>
    public static void Select(ReadOnlySpan<bool> cond, NDArray x, NDArray y, NDArray output)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(output);
        var elementSize = output.dtype.size;
        var xs = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(x.Storage), x.size * elementSize);
        var ys = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(y.Storage), y.size * elementSize);
        var zs = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(output.Storage), output.size * elementSize);
        if (cond.Length == 0) return;
        var block = output.size / cond.Length * elementSize;
        for (var i = 0; i < cond.Length; i++)
            (cond[i] ? xs : ys).Slice(i * block, block).CopyTo(zs.Slice(i * block, block));
    }

    /// <summary>
    /// Copies rows (slices along the first dimension) of <paramref name="input"/> in the order given by
    /// <paramref name="rows"/>.
    /// </summary>
    public static void GatherRows(NDArray input, ReadOnlySpan<int> rows, NDArray output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var elementSize = input.dtype.size;
        var src = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(input.Storage), input.size * elementSize);
        var dst = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(output.Storage), output.size * elementSize);
        if (rows.Length == 0) return;
        var rowBytes = output.size / rows.Length * elementSize;
        for (var i = 0; i < rows.Length; i++)
            src.Slice(rows[i] * rowBytes, rowBytes).CopyTo(dst.Slice(i * rowBytes, rowBytes));
    }
}
