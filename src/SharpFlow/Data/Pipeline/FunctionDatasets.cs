using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// <c>map(f, num_parallel_calls)</c>: f applied to every element. With several parallel calls, up to that many
/// elements are in flight on the thread pool at once, and results come out in the input's order.
/// </summary>
internal sealed class MapDataset(DatasetBase input, DatasetFunction.Instance f, DType[] types, Shape[] shapes, int parallelCalls)
    : DatasetBase(types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        if (parallelCalls <= 1) return new DelegateIterator(() => it.Next() is { } e ? f.Call(e) : null, it.Dispose);
        var inFlight = new Queue<Task<NDArray[]>>();
        var endOfInput = false;
        return new DelegateIterator(() =>
        {
            while (!endOfInput && inFlight.Count < parallelCalls)
            {
                if (it.Next() is { } e) inFlight.Enqueue(Task.Run(() => f.Call(e)));
                else endOfInput = true;
            }
            if (inFlight.Count == 0) return null;
            // An element's error comes out in its place, and the elements after it follow (as in TensorFlow,
            // where ignore_errors() goes on past it).
            return inFlight.Dequeue().GetAwaiter().GetResult();
        }, () =>
        {
            foreach (var t in inFlight)
                try { t.Wait(); } catch (AggregateException) { }
            it.Dispose();
        });
    }
}

/// <summary><c>filter(predicate)</c>: the elements for which the predicate's scalar bool is true.</summary>
internal sealed class FilterDataset(DatasetBase input, DatasetFunction.Instance predicate, string opName) : DatasetBase(input.Types, input.Shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        return new DelegateIterator(() =>
        {
            while (it.Next() is { } e)
            {
                var r = predicate.Call(e)[0];
                if (r.dtype != DType.@bool || r.ndim != 0)
                    throw new InvalidArgumentError("Filter predicate `f` must return a scalar bool.", opName);
                if (r.AsSpan<bool>()[0]) return e;
            }
            return null;
        }, it.Dispose);
    }
}

/// <summary><c>flat_map(f)</c>: the elements of the dataset f makes of each input element, one dataset after another.</summary>
internal sealed class FlatMapDataset(DatasetBase input, DatasetFunction.Instance f, DType[] types, Shape[] shapes, string opName)
    : DatasetBase(types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        IElementIterator? current = null;
        return new DelegateIterator(() =>
        {
            while (true)
            {
                if (current?.Next() is { } e) return e;
                current?.Dispose();
                current = null;
                if (it.Next() is not { } arg) return null;
                current = Of(f.Call(arg)[0], msg => new InvalidArgumentError(msg, opName)).MakeIterator();
            }
        }, () =>
        {
            current?.Dispose();
            it.Dispose();
        });
    }
}

/// <summary>
/// <c>interleave(f, cycle_length, block_length)</c> in TensorFlow's order: <c>cycle_length</c> datasets made by f
/// are open at once, and <c>block_length</c> consecutive elements are taken from each in turn; a finished one is
/// replaced by the dataset of the next input element in its place of the cycle.
/// </summary>
internal sealed class InterleaveDataset(DatasetBase input, DatasetFunction.Instance f, long cycleLength, long blockLength,
    DType[] types, Shape[] shapes, string opName) : DatasetBase(types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        var current = new IElementIterator?[cycleLength];
        var endOfInput = false;
        var numOpen = 0;
        long cycleIndex = 0, blockIndex = 0;
        void AdvanceToNextInCycle()
        {
            blockIndex = 0;
            cycleIndex = (cycleIndex + 1) % cycleLength;
        }
        return new DelegateIterator(() =>
        {
            while (!endOfInput || numOpen > 0)
            {
                if (current[cycleIndex] is { } element)
                {
                    if (element.Next() is { } e)
                    {
                        if (++blockIndex == blockLength) AdvanceToNextInCycle();
                        return e;
                    }
                    element.Dispose();
                    current[cycleIndex] = null;
                    --numOpen;
                    AdvanceToNextInCycle();
                }
                else if (!endOfInput)
                {
                    if (it.Next() is { } arg)
                    {
                        current[cycleIndex] = Of(f.Call(arg)[0], msg => new InvalidArgumentError(msg, opName)).MakeIterator();
                        ++numOpen;
                    }
                    else endOfInput = true;
                }
                else AdvanceToNextInCycle();
            }
            return null;
        }, () =>
        {
            foreach (var c in current) c?.Dispose();
            it.Dispose();
        });
    }
}
