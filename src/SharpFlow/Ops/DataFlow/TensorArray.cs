using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops;
using SharpFlow.Ops.DataFlow;

namespace SharpFlow;

/// <summary>
/// <c>tf.TensorArray</c>: a list of tensors that lives for one run, written and read inside while loops (what
/// <c>map_fn</c>, <c>scan</c> and <c>dynamic_rnn</c> collect their results in). Like TensorFlow's Python class it
/// is a value: <see cref="write"/> and <see cref="unstack"/> return a new TensorArray whose <see cref="flow"/>
/// orders the operations, and it can be a <c>while_loop</c> variable. Elements must share one shape, inferred
/// from the first write when <c>infer_shape</c> is on.
/// </summary>
public sealed class TensorArray
{
    // Shared by every TensorArray value of one array, as TensorFlow shares the _element_shape list.
    private sealed class ShapeBox(Shape shape)
    {
        public Shape Shape = shape;
    }

    private readonly ShapeBox _elementShape;
    private readonly bool _inferShape;

    /// <summary>A new array (TensorFlow's <c>tf.TensorArray(dtype, size, dynamic_size, clear_after_read, ...)</c>).</summary>
    public TensorArray(DType dtype, TensorLike? size = null, bool dynamic_size = false, bool clear_after_read = true,
        string? tensor_array_name = null, bool infer_shape = true, Shape? element_shape = null, string? name = null)
    {
        if (size is null) throw new ValueError("Size must be provided if handle is not provided");
        this.dtype = dtype;
        _inferShape = infer_shape;
        _elementShape = new ShapeBox(element_shape ?? Shape.Unknown);
        (handle, flow) = TensorArrayV3.Build(size.Value, dtype, element_shape ?? Shape.Unknown, dynamic_size, clear_after_read,
            tensor_array_name ?? "", name);
    }

    private TensorArray(TensorArray from, Tensor flow)
    {
        dtype = from.dtype;
        handle = from.handle;
        _inferShape = from._inferShape;
        _elementShape = from._elementShape;
        this.flow = flow;
    }

    /// <summary>The element dtype.</summary>
    public DType dtype { get; }

    /// <summary>The array's resource handle.</summary>
    public Tensor handle { get; }

    /// <summary>The float scalar that carries the order of this array's operations.</summary>
    public Tensor flow { get; }

    /// <summary>The elements' shape as far as known.</summary>
    public Shape element_shape => _elementShape.Shape;

    /// <summary>The same array at another point of its history: a while loop's flow variable.</summary>
    internal TensorArray WithFlow(Tensor newFlow) => new(this, newFlow);

    private void MergeElementShape(Shape shape)
    {
        if (!_inferShape) return;
        if (!_elementShape.Shape.IsCompatibleWith(shape))
            throw new ValueError($"Inconsistent shapes: saw {shape} but expected {_elementShape.Shape} (and infer_shape=True)");
        _elementShape.Shape = _elementShape.Shape.MergeWith(shape);
    }

    /// <summary>The element at <paramref name="index"/>.</summary>
    public Tensor read(TensorLike index, string? name = null)
    {
        var value = TensorArrayReadV3.Build(handle, index, flow, dtype);
        if (_inferShape && _elementShape.Shape.IsKnownRank) value.SetShape(_elementShape.Shape);
        return value;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="index"/>; returns the array after the write.</summary>
    public TensorArray write(TensorLike index, TensorLike value, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TensorArrayWrite", handle, value);
        var v = b.Convert(value, "value", dtype);
        MergeElementShape(v.shape);
        return new TensorArray(this, TensorArrayWriteV3.Def.Build(handle, index, v, flow));
    }

    /// <summary>All elements stacked along a new first axis.</summary>
    public Tensor stack(string? name = null)
    {
        var value = TensorArrayGatherV3.Build(handle, Ops.ArrayOps.Range.Build(0, size()), flow, dtype, _elementShape.Shape);
        return value;
    }

    /// <summary>The elements at <paramref name="indices"/>, stacked.</summary>
    public Tensor gather(TensorLike indices, string? name = null) =>
        TensorArrayGatherV3.Build(handle, indices, flow, dtype, _elementShape.Shape);

    /// <summary>All elements joined along their first axis.</summary>
    public Tensor concat(string? name = null)
    {
        var rest = _elementShape.Shape.IsKnownRank && _elementShape.Shape.ndims > 0
            ? new Shape(_elementShape.Shape.AsSpan()[1..].ToArray())
            : Shape.Unknown;
        return TensorArrayConcatV3.Build(handle, flow, dtype, rest).Value;
    }

    /// <summary>Writes the rows of <paramref name="value"/> as the elements 0, 1, ...</summary>
    public TensorArray unstack(TensorLike value, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TensorArrayUnstack", handle, value);
        var v = b.Convert(value, "value", dtype);
        if (v.shape.IsKnownRank && v.shape.ndims > 0) MergeElementShape(new Shape(v.shape.AsSpan()[1..].ToArray()));
        return new TensorArray(this, TensorArrayScatterV3.Build(handle, Ops.ArrayOps.Range.Build(0, Dim0(v)), v, flow));
    }

    /// <summary>Writes the rows of <paramref name="value"/> at <paramref name="indices"/>.</summary>
    public TensorArray scatter(TensorLike indices, TensorLike value, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TensorArrayScatter", handle, value);
        var v = b.Convert(value, "value", dtype);
        if (v.shape.IsKnownRank && v.shape.ndims > 0) MergeElementShape(new Shape(v.shape.AsSpan()[1..].ToArray()));
        return new TensorArray(this, TensorArrayScatterV3.Build(handle, indices, v, flow));
    }

    /// <summary>Writes pieces of <paramref name="value"/>'s first axis of the given lengths as the elements.</summary>
    public TensorArray split(TensorLike value, TensorLike lengths, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "TensorArraySplit", handle, value);
        var v = b.Convert(value, "value", dtype);
        return new TensorArray(this, TensorArraySplitV3.Build(handle, v, lengths, flow));
    }

    /// <summary>The number of elements.</summary>
    public Tensor size(string? name = null) => TensorArraySizeV3.Build(handle, flow);

    /// <summary>Closes the array.</summary>
    public Operation close(string? name = null) => TensorArrayCloseV3.Build(handle);

    /// <summary>The length of <paramref name="t"/>'s first axis: a constant when known statically, else <c>tf.shape(t)[0]</c>.</summary>
    internal static TensorLike Dim0(Tensor t)
    {
        if (t.shape.IsKnownRank && t.shape.ndims > 0 && t.shape[0] >= 0) return t.shape[0];
        return Reshape.Build(Slice.Build(Shape_.Build(t), new[] { 0 }, new[] { 1 }), System.Array.Empty<int>());
    }

    /// <summary>A TensorArray whose flow is an identity of this one's (TensorFlow's <c>identity()</c>).</summary>
    public TensorArray identity() => new(this, Identity.Build(flow));
}
