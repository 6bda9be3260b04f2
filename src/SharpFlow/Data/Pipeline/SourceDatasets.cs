using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary><c>Dataset.from_tensors</c>: one element, the given components.</summary>
internal sealed class TensorDataset(NDArray[] components, Shape[] shapes) : DatasetBase(components.Select(c => c.dtype).ToArray(), shapes)
{
    public override IElementIterator MakeIterator()
    {
        var done = false;
        return new DelegateIterator(() =>
        {
            if (done) return null;
            done = true;
            return components;
        });
    }
}

/// <summary><c>Dataset.from_tensor_slices</c>: the rows of the components along their first axis.</summary>
internal sealed class TensorSliceDataset : DatasetBase
{
    private readonly NDArray[] _components;
    private readonly int _count;

    public TensorSliceDataset(NDArray[] components, Shape[] shapes, string opName)
        : base(components.Select(c => c.dtype).ToArray(), shapes)
    {
        _components = components;
        foreach (var c in components)
            if (c.ndim == 0) throw new InvalidArgumentError("All components must be at least 1-dimensional", opName);
        _count = components[0].shape[0];
        foreach (var c in components)
            if (c.shape[0] != _count)
                throw new InvalidArgumentError("All components must have the same size in the 0th dimension", opName);
    }

    public override IElementIterator MakeIterator()
    {
        var i = 0;
        return new DelegateIterator(() =>
        {
            if (i >= _count) return null;
            var row = new NDArray[_components.Length];
            for (var c = 0; c < row.Length; c++) row[c] = Elements.Slice(_components[c], i);
            i++;
            return row;
        });
    }
}

/// <summary><c>Dataset.range</c>: int64 scalars from start towards stop by step, as Python's range.</summary>
internal sealed class RangeDataset(long start, long stop, long step) : DatasetBase([DType.int64], [Shape.Scalar])
{
    public override IElementIterator MakeIterator()
    {
        var next = start;
        return new DelegateIterator(() =>
        {
            if (step > 0 ? next >= stop : next <= stop) return null;
            var value = next;
            next += step;
            return [NDArray.Scalar(value)];
        });
    }
}

/// <summary><c>Dataset.zip</c>: elements of several datasets side by side, until the shortest ends.</summary>
internal sealed class ZipDataset(DatasetBase[] inputs)
    : DatasetBase(inputs.SelectMany(d => d.Types).ToArray(), inputs.SelectMany(d => d.Shapes).ToArray())
{
    public override IElementIterator MakeIterator()
    {
        var iterators = inputs.Select(d => d.MakeIterator()).ToArray();
        return new DelegateIterator(() =>
        {
            var parts = new List<NDArray>();
            foreach (var it in iterators)
            {
                var e = it.Next();
                if (e is null) return null;
                parts.AddRange(e);
            }
            return [.. parts];
        }, () => { foreach (var it in iterators) it.Dispose(); });
    }
}

/// <summary><c>Dataset.concatenate</c>: the elements of one dataset, then those of another.</summary>
internal sealed class ConcatenateDataset(DatasetBase first, DatasetBase second, Shape[] shapes) : DatasetBase(first.Types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var current = first.MakeIterator();
        var onSecond = false;
        return new DelegateIterator(() =>
        {
            while (true)
            {
                var e = current.Next();
                if (e is not null || onSecond) return e;
                current.Dispose();
                current = second.MakeIterator();
                onSecond = true;
            }
        }, () => current.Dispose());
    }
}
