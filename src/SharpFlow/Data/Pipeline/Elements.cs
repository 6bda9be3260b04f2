using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>Slicing, stacking and padding of element components, for any dtype (numbers, strings, resources).</summary>
internal static class Elements
{
    /// <summary>Row <paramref name="index"/> of <paramref name="value"/> along its first axis.</summary>
    public static NDArray Slice(NDArray value, long index)
    {
        var dims = value.shape.Dims;
        var inner = dims.Length == 0 ? 1 : value.size / Math.Max(1, dims[0]);
        if (dims.Length > 0 && dims[0] == 0) inner = 0;
        var storage = NDArray.AllocateStorage(value.dtype, inner);
        Array.Copy(value.Storage, index * inner, storage, 0, inner);
        return new NDArray(storage, new Shape(dims[1..]));
    }

    /// <summary>The components stacked along a new first axis (TensorFlow's batching).</summary>
    public static NDArray Stack(IReadOnlyList<NDArray> values, int component, string opName)
    {
        var first = values[0];
        for (var i = 1; i < values.Count; i++)
            if (values[i].shape != first.shape)
                throw new InvalidArgumentError(
                    $"Cannot batch tensors with different shapes in component {component}. First element had shape {first.shape.ToListString()} and element {i} had shape {values[i].shape.ToListString()}.", opName);
        var inner = first.size;
        var storage = NDArray.AllocateStorage(first.dtype, checked(inner * values.Count));
        for (var i = 0; i < values.Count; i++) Array.Copy(values[i].Storage, 0, storage, (long)i * inner, inner);
        return new NDArray(storage, new Shape([values.Count, .. first.shape.Dims]));
    }

    /// <summary>
    /// The components padded to <paramref name="padded"/> (a -1 pads to the largest size in the batch) with
    /// <paramref name="padding"/>, then stacked.
    /// </summary>
    public static NDArray PadAndStack(IReadOnlyList<NDArray> values, int component, long[] padded, NDArray padding, string opName)
    {
        var rank = values[0].ndim;
        foreach (var v in values)
            if (v.ndim != rank)
                throw new InvalidArgumentError($"All elements in a batch must have the same rank as the padded shape for component{component}: expected rank {padded.Length} but got element with rank {v.ndim}", opName);
        if (padded.Length != rank)
            throw new InvalidArgumentError($"All elements in a batch must have the same rank as the padded shape for component{component}: expected rank {padded.Length} but got element with rank {rank}", opName);
        var dims = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            var max = values.Max(v => v.shape[d]);
            if (padded[d] < 0) dims[d] = max;
            else
            {
                if (max > padded[d])
                    throw new InvalidArgumentError($"Attempted to pad to a smaller size than the input element. Component {component} dimension {d}: padded shape {padded[d]} but an element has size {max}.", opName);
                dims[d] = (int)padded[d];
            }
        }
        var elementShape = new Shape(dims);
        var inner = checked((int)elementShape.NumElements);
        var storage = NDArray.AllocateStorage(values[0].dtype, checked(inner * values.Count));
        var fill = padding.Storage.GetValue(0);
        for (var i = 0; i < storage.Length; i++) storage.SetValue(fill, i);
        var strides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { strides[d] = s; s *= dims[d]; }
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (v.size == 0) continue;
            var vd = v.shape.Dims;
            var row = rank == 0 ? 1 : vd[rank - 1];
            var rows = row == 0 ? 0 : v.size / row;
            var index = new int[Math.Max(0, rank - 1)];
            for (var r = 0; r < rows; r++)
            {
                long offset = (long)i * inner;
                for (var d = 0; d < index.Length; d++) offset += (long)index[d] * strides[d];
                Array.Copy(v.Storage, (long)r * row, storage, offset, row);
                for (var d = index.Length - 1; d >= 0; d--)
                {
                    if (++index[d] < vd[d]) break;
                    index[d] = 0;
                }
            }
        }
        return new NDArray(storage, new Shape([values.Count, .. dims]));
    }
}
