using SharpFlow.Kernels;

namespace SharpFlow.Framework.Dispatch;

/// <summary>
/// Kernels of the array ops that move blocks of elements by computed positions (SpaceToBatchND and its inverse) or
/// add them (ScatterNd). Like <see cref="DataMovement"/>, they work on spans and shapes and know nothing of graphs.
/// </summary>
public static class ArrayKernels
{
    /// <summary>
    /// SpaceToBatchND: <paramref name="spatial"/> is <c>[B, S1..SM, rest]</c>, <paramref name="batched"/> (zeroed by
    /// the caller) <c>[B·prod(block), O1..OM, rest]</c>; batched element <c>(offset·B + n, o, r)</c> reads spatial
    /// element <c>(n, o·block + offset - start, r)</c>, or stays zero where that lies in the padding.
    /// </summary>
    public static void SpaceToBatch(NDArray spatial, NDArray batched, ReadOnlySpan<long> block, ReadOnlySpan<long> starts) =>
        Move(spatial, batched, block, starts, toBatch: true);

    /// <summary>BatchToSpaceND: the inverse walk, <paramref name="starts"/> being the crops before each dimension.</summary>
    public static void BatchToSpace(NDArray batched, NDArray spatial, ReadOnlySpan<long> block, ReadOnlySpan<long> starts) =>
        Move(spatial, batched, block, starts, toBatch: false);

    private static void Move(NDArray spatial, NDArray batched, ReadOnlySpan<long> block, ReadOnlySpan<long> starts, bool toBatch)
    {
        ArgumentNullException.ThrowIfNull(spatial);
        ArgumentNullException.ThrowIfNull(batched);
        var m = block.Length;
        var b = spatial.shape[0];
        var rest = 1;
        for (var k = m + 1; k < spatial.ndim; k++) rest *= spatial.shape[k];
        var chunk = rest * spatial.dtype.size;
        var spatialBytes = spatial.AsWritableBytes();
        var batchedBytes = batched.AsWritableBytes();
        Span<int> o = stackalloc int[m];
        Span<int> offset = stackalloc int[m];
        var positions = 1;
        for (var k = 0; k < m; k++) positions *= batched.shape[k + 1];
        for (var ob = 0; ob < batched.shape[0]; ob++)
        {
            var n = ob % b;
            var rem = ob / b;
            for (var k = m - 1; k >= 0; k--) { offset[k] = (int)(rem % block[k]); rem /= (int)block[k]; }
            o.Clear();
            for (var pos = 0; pos < positions; pos++)
            {
                // The spatial position this batched position maps to (before padding or after cropping).
                var inside = true;
                long flat = n;
                for (var k = 0; k < m; k++)
                {
                    var q = o[k] * block[k] + offset[k] - starts[k];
                    if (q < 0 || q >= spatial.shape[k + 1]) { inside = false; break; }
                    flat = flat * spatial.shape[k + 1] + q;
                }
                if (inside)
                {
                    var at = ((long)ob * positions + pos) * chunk;
                    if (toBatch) spatialBytes.Slice((int)(flat * chunk), chunk).CopyTo(batchedBytes.Slice((int)at, chunk));
                    else batchedBytes.Slice((int)at, chunk).CopyTo(spatialBytes.Slice((int)(flat * chunk), chunk));
                }
                for (var k = m - 1; k >= 0; k--)
                {
                    if (++o[k] < batched.shape[k + 1]) break;
                    o[k] = 0;
                }
            }
        }
    }

    /// <summary>
    /// ScatterNd's sum: slice i of <paramref name="updates"/> (<paramref name="slice"/> elements) is added to slice
    /// <paramref name="offsets"/>[i] of <paramref name="output"/>, in order.
    /// </summary>
    public static void ScatterAdd(NDArray updates, NDArray output, ReadOnlySpan<int> offsets, int slice)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(output);
        switch (updates.dtype.Id)
        {
            case DataType.Float: Add(updates.AsReadOnlySpan<float>(), output.AsSpan<float>(), offsets, slice); break;
            case DataType.Double: Add(updates.AsReadOnlySpan<double>(), output.AsSpan<double>(), offsets, slice); break;
            case DataType.Int32: Add(updates.AsReadOnlySpan<int>(), output.AsSpan<int>(), offsets, slice); break;
            case DataType.Int64: Add(updates.AsReadOnlySpan<long>(), output.AsSpan<long>(), offsets, slice); break;
            case DataType.UInt8: Add(updates.AsReadOnlySpan<byte>(), output.AsSpan<byte>(), offsets, slice); break;
            default: throw new InternalError($"ScatterNd cannot add {updates.dtype.name} values");
        }
    }

    private static void Add<T>(ReadOnlySpan<T> updates, Span<T> output, ReadOnlySpan<int> offsets, int slice) where T : unmanaged, System.Numerics.INumber<T>
    {
        for (var i = 0; i < offsets.Length; i++)
        {
            var src = updates.Slice(i * slice, slice);
            var dst = output.Slice(offsets[i] * slice, slice);
            for (var j = 0; j < slice; j++) dst[j] += src[j];
        }
    }
}
