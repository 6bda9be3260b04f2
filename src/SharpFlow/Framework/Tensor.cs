using System.Diagnostics.CodeAnalysis;

namespace SharpFlow;

/// <summary>
/// A symbolic output of an <see cref="Operation"/>: it holds no value, only the op, the output index, the dtype
/// and the static shape inferred when the graph was built. Evaluate it with <c>Session.run</c>.
/// Prints as TensorFlow does: <c>Tensor("add:0", shape=(2,), dtype=int32)</c>.
/// </summary>
public partial class Tensor : ITensorOrOperation
{
    private readonly List<Operation> _consumers = [];

    internal Tensor(Operation op, int valueIndex, DType dtype, Shape shape)
    {
        this.op = op;
        value_index = valueIndex;
        this.dtype = dtype;
        _shape = shape;
    }

    /// <summary>The operation that produces this tensor.</summary>
    public Operation op { get; }

    /// <summary>Which output of <see cref="op"/> this tensor is.</summary>
    public int value_index { get; }

    /// <summary>The element type.</summary>
    public DType dtype { get; }

    private Shape _shape;

    /// <summary>
    /// The static shape known at graph-building time (dimensions may be unknown); TensorFlow's <c>shape</c> and
    /// <c>get_shape()</c>.
    /// </summary>
    public Shape shape => _shape;

    /// <summary>TensorFlow's name: <c>op_name:index</c>.</summary>
    public string name => $"{op.name}:{value_index}";

    /// <summary>The graph this tensor belongs to.</summary>
    public Graph graph => op.graph;

    /// <summary>
    /// Refines the static shape with more information (TensorFlow's <c>set_shape</c>; C# reserves that name for the <see cref="shape"/> property); throws when incompatible.
    /// </summary>
    public virtual void SetShape(Shape newShape)
    {
        ArgumentNullException.ThrowIfNull(newShape);
        if (!shape.IsCompatibleWith(newShape))
            throw new ValueError($"Tensor {name} has shape {shape}, which is not compatible with the requested shape {newShape}.");
        _shape = _shape.MergeWith(newShape);
    }

    /// <summary>
    /// Replaces the static shape, also with a less specific one: a while loop's shape invariants widen the shapes
    /// of its Enter and Merge outputs this way.
    /// </summary>
    internal void ResetShape(Shape newShape) => _shape = newShape;

    /// <summary>The operations that take this tensor as an input, in creation order.</summary>
    public IReadOnlyList<Operation> consumers()
    {
        var canonical = op.outputs[value_index];
        if (!ReferenceEquals(canonical, this)) return canonical.consumers();
        lock (_consumers) return [.. _consumers];
    }

    internal void AddConsumer(Operation consumer)
    {
        lock (_consumers) _consumers.Add(consumer);
    }

    /// <summary>
    /// The tensor that stands for this one when it is used as an op input. A variable answers its snapshot
    /// (<c>Variable/read</c>), as TensorFlow's variables do when converted to tensors.
    /// </summary>
    internal virtual Tensor AsInput() => this;

    /// <summary>True for <see cref="IndexedSlices"/>, which the graph densifies where an op takes them as an input.</summary>
    internal virtual bool IsIndexedSlices => false;

    /// <summary>Operation identity of <see cref="ITensorOrOperation"/>.</summary>
    Operation ITensorOrOperation.op => op;

    /// <summary>TensorFlow's <c>str()</c>: <c>Tensor("add:0", shape=(2,), dtype=int32)</c>.</summary>
    public override string ToString() =>
        shape.IsKnownRank
            ? $"Tensor(\"{name}\", shape={shape}, dtype={dtype.name})"
            : $"Tensor(\"{name}\", dtype={dtype.name})";
}
