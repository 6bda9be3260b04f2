using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// <c>sliding_window_batch</c> (TensorFlow 1.x's SlidingWindowDataset): windows of <paramref name="size"/> elements
/// taken every <paramref name="stride"/> input elements, each window starting <paramref name="shift"/> elements after
/// the last, stacked as a batch; a final window that cannot be filled is dropped (sliding_window_dataset_op.cc).
/// </summary>
internal sealed class SlidingWindowDataset(DatasetBase input, long size, long shift, long stride, Shape[] shapes, string opName)
    : DatasetBase(input.Types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        IElementIterator? it = input.MakeIterator();
        var buffer = new List<NDArray[]>();
        var target = (size - 1) * stride + 1;
        var source = it;
        return new DelegateIterator(() =>
        {
            if (it is null) return null;
            while (buffer.Count < target)
            {
                if (it.Next() is { } e) buffer.Add(e);
                else
                {
                    it = null;
                    return null; // the last, smaller window is dropped
                }
            }
            var window = new List<NDArray[]>();
            for (var i = 0; i < size; i++) window.Add(buffer[(int)(stride * i)]);
            if (shift >= buffer.Count)
            {
                for (var i = (long)buffer.Count; i < shift; i++)
                    if (it.Next() is null)
                    {
                        it = null;
                        break;
                    }
                buffer.Clear();
            }
            else buffer.RemoveRange(0, (int)shift);
            var result = new NDArray[Types.Length];
            for (var c = 0; c < result.Length; c++) result[c] = Elements.Stack(window.Select(w => w[c]).ToList(), c, opName);
            return result;
        }, source.Dispose);
    }
}

/// <summary>
/// <c>scan(initial_state, scan_func)</c>: each element goes through <c>f(state, element)</c>, whose first outputs are
/// the next state and the rest the output element (scan_dataset_op.cc); the state's dtypes must stay the same.
/// </summary>
internal sealed class ScanDataset(DatasetBase input, NDArray[] initialState, DatasetFunction.Instance f, DType[] types, Shape[] shapes, string opName)
    : DatasetBase(types, shapes)
{
    public override IElementIterator MakeIterator()
    {
        var it = input.MakeIterator();
        var state = initialState;
        return new DelegateIterator(() =>
        {
            if (it.Next() is not { } e) return null;
            var outputs = f.Call([.. state, .. e]);
            for (var i = 0; i < state.Length; i++)
                if (outputs[i].dtype != initialState[i].dtype)
                    throw new InvalidArgumentError($"Data type mismatch at component {i} of the state: expected {initialState[i].dtype.name} but got {outputs[i].dtype.name}.", opName);
            state = outputs[..state.Length];
            return outputs[state.Length..];
        }, it.Dispose);
    }
}
