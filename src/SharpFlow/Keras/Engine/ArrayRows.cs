
namespace SharpFlow.Keras.Engine;

/// <summary>Row selection and joining of NDArrays along the first axis (NumPy's <c>x[ids]</c> and <c>concatenate</c>).</summary>
internal static class ArrayRows
{
    public static NDArray Take(NDArray a, ReadOnlySpan<int> rows)
    {
        var dims = a.shape.Dims;
        var rowSize = dims[0] == 0 ? 0 : a.size / dims[0];
        dims[0] = rows.Length;
        var result = NDArray.Zeros(a.dtype, new Shape(dims));
        var bytes = a.dtype.size * rowSize;
        var src = a.AsBytes();
        var dst = result.AsWritableBytes();
        for (var i = 0; i < rows.Length; i++) src.Slice(rows[i] * bytes, bytes).CopyTo(dst.Slice(i * bytes, bytes));
        return result;
    }

    public static NDArray Concat(IReadOnlyList<NDArray> parts)
    {
        if (parts.Count == 1) return parts[0];
        var dims = parts[0].shape.Dims;
        dims[0] = parts.Sum(p => p.shape[0]);
        var result = NDArray.Zeros(parts[0].dtype, new Shape(dims));
        var dst = result.AsWritableBytes();
        var offset = 0;
        foreach (var p in parts)
        {
            var src = p.AsBytes();
            src.CopyTo(dst[offset..]);
            offset += src.Length;
        }
        return result;
    }
}
