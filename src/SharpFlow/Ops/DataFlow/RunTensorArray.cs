using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>
/// The run-time state of one <c>TensorArray</c> (TensorFlow's <c>tensor_array.h</c>): a list of element tensors
/// of one dtype and, as far as known, one shape, written once each (a gradient array sums repeated writes), read
/// once unless <c>clear_after_read</c> is off, and its gradient arrays by source.
/// </summary>
internal sealed class RunTensorArray(string name, DType dtype, int size, bool dynamicSize, bool clearAfterRead, Shape elementShape, bool isGrad)
{
    private readonly List<NDArray?> _values = [.. Enumerable.Repeat<NDArray?>(null, size)];
    private readonly List<bool> _written = [.. Enumerable.Repeat(false, size)];
    private readonly List<bool> _cleared = [.. Enumerable.Repeat(false, size)];
    private readonly Dictionary<string, RunTensorArray> _grads = new(StringComparer.Ordinal);

    public string Name { get; } = name;
    public DType DType { get; } = dtype;
    public Shape ElementShape { get; } = elementShape;

    // The shape of the first element written: a gradient array reads unwritten elements as zeros of it when the
    // declared element shape is not fully defined.
    private Shape? _seenShape;
    public bool Closed { get; set; }

    public int Size
    {
        get { lock (_values) return _values.Count; }
    }

    public static RunTensorArray Of(NDArray handle, Func<string, Exception> error) =>
        handle.Storage is object[] { Length: > 0 } items && items[0] is RunTensorArray ta
            ? ta.Closed ? throw error($"TensorArray {ta.Name} has already been closed.") : ta
            : throw error("the handle is not a TensorArray");

    public void Write(long index, NDArray value, Func<string, Exception> error)
    {
        if (value.dtype != DType)
            throw error($"TensorArray dtype is {DType.ProtoName} but Op is trying to write dtype {value.dtype.ProtoName}.");
        if (!ElementShape.IsCompatibleWith(value.shape))
            throw error($"Could not write to TensorArray index {index} because the value shape is {value.shape.ToListString()} which is incompatible with the TensorArray's inferred element shape: {ElementShape} (consider setting infer_shape=False).");
        lock (_values)
        {
            if (index < 0) throw error($"Tried to write to index {index} but array is not resizeable and size is: {_values.Count}");
            if (index >= _values.Count)
            {
                if (!dynamicSize) throw error($"Tried to write to index {index} but array is not resizeable and size is: {_values.Count}");
                while (_values.Count <= index)
                {
                    _values.Add(null);
                    _written.Add(false);
                    _cleared.Add(false);
                }
            }
            var i = (int)index;
            if (_written[i] && !isGrad)
                throw error($"Could not write to TensorArray index {index} because it has already been written to.");
            var copy = value.Copy();
            _values[i] = _written[i] && _values[i] is { } old ? Sum(old, copy, error, index) : copy;
            _written[i] = true;
            _seenShape ??= value.shape;
        }
    }

    public NDArray Read(long index, Func<string, Exception> error)
    {
        lock (_values)
        {
            if (index < 0 || index >= _values.Count)
                throw error($"Tried to read from index {index} but array size is: {_values.Count}");
            var i = (int)index;
            if (_cleared[i])
                throw error($"Could not read index {index} twice because it was cleared after a previous read (perhaps try setting clear_after_read = false?)");
            if (!_written[i])
            {
                // A gradient array reads an element nothing flowed back to as zeros.
                if (isGrad && _seenShape is { IsFullyDefined: true } zeros) return NDArray.Zeros(DType, zeros);
                throw error($"Could not read from TensorArray index {index} because it has not yet been written to.");
            }
            var value = _values[i]!;
            if (clearAfterRead && !isGrad)
            {
                _values[i] = null;
                _cleared[i] = true;
            }
            return value;
        }
    }

    /// <summary>The gradient array for <paramref name="source"/>, created on first use with this array's size and shape.</summary>
    public RunTensorArray Grad(string source)
    {
        lock (_grads)
        {
            if (!_grads.TryGetValue(source, out var grad))
                _grads[source] = grad = new RunTensorArray($"{Name}@{source}", DType, Size, false, true, ElementShape, isGrad: true)
                {
                    _seenShape = ElementShape.IsFullyDefined ? ElementShape : _seenShape,
                };
            return grad;
        }
    }

    private static NDArray Sum(NDArray a, NDArray b, Func<string, Exception> error, long index)
    {
        if (a.shape != b.shape)
            throw error($"Could not aggregate to TensorArray index {index} because the existing shape is {a.shape.ToListString()} but the new input shape is {b.shape.ToListString()}.");
        if (a.dtype == DType.float32) TensorPrimitives.Add(a.AsSpan<float>(), b.AsSpan<float>(), a.AsSpan<float>());
        else if (a.dtype == DType.float64) TensorPrimitives.Add(a.AsSpan<double>(), b.AsSpan<double>(), a.AsSpan<double>());
        else throw error($"TensorArray gradients of dtype {a.dtype.name} cannot be summed");
        return a;
    }

    /// <summary>A resource handle holding <paramref name="array"/>.</summary>
    public static NDArray Handle(object array) => new(new[] { array }, Shape.Scalar);
}
