using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

/// <summary>
/// TensorFlow's <c>tf.IndexedSlices</c>: a sparse stand-in for a dense tensor of shape <see cref="dense_shape"/>
/// whose only non-zero rows are <see cref="values"/>, at rows <see cref="indices"/> (repeated rows add up). The
/// gradient of <c>tf.gather</c> / <c>tf.nn.embedding_lookup</c> along axis 0 is one, so an optimizer updates just the
/// gathered rows of an embedding (the <c>SparseApply*</c> ops) instead of the whole matrix.
/// </summary>
/// <remarks>
/// As in TensorFlow, <see cref="Tensor.op"/>, <see cref="Tensor.name"/> and <see cref="Tensor.dtype"/> are those of
/// <see cref="values"/>, and <see cref="Tensor.shape"/> is the static dense shape. Used as the input of an op that
/// wants a dense tensor, it becomes one there (TensorFlow's conversion: <c>unsorted_segment_sum(values, indices,
/// dense_shape[0])</c>, built where it is used), so every op accepts it; the gradient pass, <c>clip_by_*</c>,
/// <c>global_norm</c> and the optimizers keep it sparse. Fetched with <c>Session.run</c> it gives the dense value.
/// </remarks>
public sealed class IndexedSlices : Tensor
{
    // The dense conversion, per control-flow context it was used in (a loop body needs its own).
    private readonly Dictionary<ControlFlowContext, Tensor> _denseIn = [];
    private Tensor? _dense;

    /// <summary>
    /// <c>tf.IndexedSlices(values, indices, dense_shape)</c>: <paramref name="values"/> of shape
    /// <c>[n, d1, ...]</c>, <paramref name="indices"/> an int32 or int64 vector of length <c>n</c>, and
    /// <paramref name="dense_shape"/> the int vector <c>[d0, d1, ...]</c> (may be null, but then the slices cannot
    /// become a dense tensor).
    /// </summary>
    public IndexedSlices(Tensor values, Tensor indices, Tensor? dense_shape = null)
        : this(values, indices, dense_shape, null)
    {
    }

    internal IndexedSlices(Tensor values, Tensor indices, Tensor? denseShape, Shape? staticShape)
        : base(Checked(values, indices, denseShape).op, values.value_index, values.dtype, staticShape ?? StaticShape(values, denseShape))
    {
        this.values = values;
        this.indices = indices;
        dense_shape = denseShape;
    }

    private static Tensor Checked(Tensor values, Tensor indices, Tensor? denseShape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(indices);
        if (values is IndexedSlices) throw new TypeError("The values of an IndexedSlices must be a dense tensor.");
        if (indices.dtype != DType.int32 && indices.dtype != DType.int64)
            throw new TypeError($"IndexedSlices indices must be int32 or int64, got {indices.dtype.name}");
        if (denseShape is not null && denseShape.dtype != DType.int32 && denseShape.dtype != DType.int64)
            throw new TypeError($"IndexedSlices dense_shape must be int32 or int64, got {denseShape.dtype.name}");
        if (!ReferenceEquals(values.graph, indices.graph) || (denseShape is not null && !ReferenceEquals(values.graph, denseShape.graph)))
            throw new ValueError($"The parts of IndexedSlices {values.name} must be from the same graph.");
        return values;
    }

    /// <summary>The dense shape as far as it is known when the graph is built: the rows' shape from the values.</summary>
    private static Shape StaticShape(Tensor values, Tensor? denseShape)
    {
        var fromValues = values.shape.IsKnownRank ? new Shape([-1, .. values.shape.Dims.Skip(1)]) : Shape.Unknown;
        if (denseShape?.op.Def.ConstantValue(denseShape.op, denseShape.value_index) is { } known)
        {
            var dims = known.Cast(DType.int64).AsReadOnlySpan<long>().ToArray().Select(d => (int)d).ToArray();
            var shape = new Shape(dims);
            return shape.IsCompatibleWith(fromValues) ? shape : throw new ValueError($"IndexedSlices values of shape {values.shape} do not fit dense_shape {shape}");
        }
        return fromValues;
    }

    /// <summary>The non-zero rows: <c>[n, d1, ...]</c>.</summary>
    public Tensor values { get; }

    /// <summary>Which row of the dense tensor each row of <see cref="values"/> is (int32 or int64, length n).</summary>
    public Tensor indices { get; }

    /// <summary>The dense tensor's shape as a 1-D int tensor, or null when unknown.</summary>
    public Tensor? dense_shape { get; }

    /// <summary>
    /// The dense tensor these slices stand for, built in the current control-flow context the first time it is
    /// needed there (TensorFlow converts an IndexedSlices where an op uses it).
    /// </summary>
    internal override bool IsIndexedSlices => true;

    internal override Tensor AsInput()
    {
        var context = graph.ControlFlowContext;
        if (context is null ? _dense is { } d : _denseIn.TryGetValue(context, out d)) return d!;
        if (dense_shape is null)
            throw new ValueError($"Tensor conversion requested for IndexedSlices without dense_shape: {this}");
        Tensor dense;
        using (graph.control_dependencies(null))
        {
            var rows = dense_shape[0];
            dense = UnsortedSegmentSum.Build(values, indices, rows);
        }
        dense.SetShape(shape);
        if (context is null) _dense = dense;
        else _denseIn[context] = dense;
        return dense;
    }

    /// <summary>Slices with other values at the same rows (TensorFlow builds clipped gradients this way).</summary>
    internal IndexedSlices WithValues(Tensor newValues) => new(newValues, indices, dense_shape, shape);

    /// <inheritdoc/>
    public override string ToString() =>
        $"IndexedSlices(indices={indices}, values={values}{(dense_shape is null ? "" : $", dense_shape={dense_shape}")})";
}
