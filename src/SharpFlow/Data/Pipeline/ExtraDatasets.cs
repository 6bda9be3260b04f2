using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary><c>shard(num_shards, index)</c>: the elements whose position modulo <c>num_shards</c> is <c>index</c>.</summary>
internal sealed class ShardDataset(DatasetBase input, long numShards, long index) : DatasetBase(input.Types, input.Shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        long next = 0; // the position of the next input element
        return new DelegateIterator(() =>
        {
            // TensorFlow reads (and drops) the elements before the wanted one, then returns it.
            while (it.Next() is { } e)
                if (next++ % numShards == index) return e;
            return null;
        }, it.Dispose);
    }
}

/// <summary>
/// <c>unbatch()</c>: each element's components split along their first axis into that many elements. The
/// components must be non-scalar and agree in their first dimension.
/// </summary>
internal sealed class UnbatchDataset(DatasetBase input, Shape[] shapes, string opName) : DatasetBase(input.Types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        NDArray[]? current = null;
        long index = 0, size = 0;
        return new DelegateIterator(() =>
        {
            while (current is null || index >= size)
            {
                current = it.Next();
                if (current is null) return null;
                for (var i = 0; i < current.Length; i++)
                    if (current[i].ndim == 0)
                        throw new InvalidArgumentError("Input element must have a non-scalar value in each component.", opName);
                size = current[0].shape[0];
                for (var i = 1; i < current.Length; i++)
                    if (current[i].shape[0] != size)
                        throw new InvalidArgumentError($"Input element must have the same batch size in each component. Component 0 had size {size} but component {i} had size, {current[i].shape[0]}.", opName);
                index = 0;
            }
            var row = new NDArray[current.Length];
            for (var i = 0; i < row.Length; i++) row[i] = Elements.Slice(current[i], index);
            index++;
            return row;
        }, it.Dispose);
    }
}

/// <summary>
/// <c>ignore_errors()</c>: the input's elements, silently dropping any that failed with an error (TensorFlow's
/// <c>IgnoreErrorsDataset</c>); the input goes on after the failed element.
/// </summary>
internal sealed class IgnoreErrorsDataset(DatasetBase input) : DatasetBase(input.Types, input.Shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        return new DelegateIterator(() =>
        {
            while (true)
            {
                try { return it.Next(); }
                catch (OpError e) when (e is not OutOfRangeError) { }
            }
        }, it.Dispose);
    }
}

/// <summary>A dataset of elements held in memory (the window that <c>group_by_window</c> gives its reduce function).</summary>
internal sealed class ListDataset(IReadOnlyList<NDArray[]> elements, DType[] types, Shape[] shapes) : DatasetBase(types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var i = 0;
        return new DelegateIterator(() => i < elements.Count ? elements[i++] : null);
    }
}

/// <summary>
/// <c>group_by_window(key_func, reduce_func, window_size_func)</c> in TensorFlow's order: each element goes to the
/// group of its int64 key; a group that reaches its key's window size is handed, as a dataset, to the reduce
/// function, whose dataset's elements come out before the input is read further. At the end of the input the
/// groups left are flushed in ascending key order (TensorFlow keeps them in a <c>std::map</c>).
/// </summary>
internal sealed class GroupByWindowDataset(DatasetBase input, DatasetFunction.Instance keyFunc, DatasetFunction.Instance reduceFunc,
    DatasetFunction.Instance windowSizeFunc, DType[] types, Shape[] shapes, string opName) : DatasetBase(types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        var groups = new SortedDictionary<long, List<NDArray[]>>();
        var windowSizes = new Dictionary<long, long>();
        IElementIterator? current = null;
        var endOfInput = false;

        void Flush(long key)
        {
            var group = groups[key];
            groups.Remove(key);
            var window = new ListDataset(group, input.Types, input.Shapes).ToHandle();
            var result = reduceFunc.Call([NDArray.Scalar(key), window]);
            current = Of(result[0], msg => new InvalidArgumentError(msg, opName)).MakeIterator();
        }

        return new DelegateIterator(() =>
        {
            while (true)
            {
                if (current is not null)
                {
                    if (current.Next() is { } e) return e;
                    current.Dispose();
                    current = null;
                }
                if (endOfInput)
                {
                    if (groups.Count == 0) return null;
                    Flush(groups.Keys.First());
                    continue;
                }
                if (it.Next() is not { } element)
                {
                    endOfInput = true;
                    continue;
                }
                var keyOutput = keyFunc.Call(element);
                if (keyOutput.Length != 1 || keyOutput[0].dtype != DType.int64 || keyOutput[0].size != 1)
                    throw new InvalidArgumentError("`key_func` must return a scalar int64.", opName);
                var key = keyOutput[0].ToArray<long>()[0];
                if (!windowSizes.TryGetValue(key, out var windowSize))
                {
                    var sizeOutput = windowSizeFunc.Call([NDArray.Scalar(key)]);
                    if (sizeOutput.Length != 1 || sizeOutput[0].dtype != DType.int64 || sizeOutput[0].size != 1)
                        throw new InvalidArgumentError("`window_size_func` must return a scalar int64.", opName);
                    windowSize = sizeOutput[0].ToArray<long>()[0];
                    if (windowSize <= 0) throw new InvalidArgumentError($"Window size must be greater than zero, but got {windowSize}.", opName);
                    windowSizes[key] = windowSize;
                }
                if (!groups.TryGetValue(key, out var group)) groups[key] = group = [];
                group.Add(element);
                if (group.Count == windowSize) Flush(key);
            }
        }, () =>
        {
            current?.Dispose();
            it.Dispose();
        });
    }
}
