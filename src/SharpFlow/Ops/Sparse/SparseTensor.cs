using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow;

/// <summary>
/// <c>tf.SparseTensor(indices, values, dense_shape)</c>: a sparse tensor as three dense ones: <c>indices</c>
/// (int64, <c>[N, ndims]</c>), <c>values</c> (<c>[N]</c>) and <c>dense_shape</c> (int64, <c>[ndims]</c>).
/// <c>session.run</c> of one gives a <see cref="SparseTensorValue"/>.
/// </summary>
public sealed class SparseTensor
{
    /// <summary>Builds a sparse tensor from its parts (numbers and arrays become constants).</summary>
    public SparseTensor(TensorLike indices, TensorLike values, TensorLike dense_shape)
    {
        using var b = OpBuilder.Begin(null, "SparseTensor", indices, values, dense_shape);
        this.indices = b.Convert(indices, "indices", indices.Value is Tensor ? null : DType.int64);
        this.values = b.Convert(values, "values");
        this.dense_shape = b.Convert(dense_shape, "dense_shape", dense_shape.Value is Tensor ? null : DType.int64);
        if (this.indices.dtype != DType.int64) throw new TypeError($"SparseTensor indices must be int64, got {this.indices.dtype.name}");
        if (this.dense_shape.dtype != DType.int64) throw new TypeError($"SparseTensor dense_shape must be int64, got {this.dense_shape.dtype.name}");
        var i = this.indices.shape;
        if (i.IsKnownRank && i.ndims != 2) throw new ValueError($"SparseTensor indices must be a matrix, got shape {i}");
        var v = this.values.shape;
        if (v.IsKnownRank && v.ndims != 1) throw new ValueError($"SparseTensor values must be a vector, got shape {v}");
        var s = this.dense_shape.shape;
        if (s.IsKnownRank && s.ndims != 1) throw new ValueError($"SparseTensor dense_shape must be a vector, got shape {s}");
    }

    /// <summary>The int64 <c>[N, ndims]</c> positions of the values.</summary>
    public Tensor indices { get; }

    /// <summary>The <c>[N]</c> values.</summary>
    public Tensor values { get; }

    /// <summary>The int64 <c>[ndims]</c> shape of the dense tensor.</summary>
    public Tensor dense_shape { get; }

    /// <summary>The values' dtype.</summary>
    public DType dtype => values.dtype;

    /// <summary>The graph of the parts.</summary>
    public Graph graph => values.graph;

    /// <summary>The op that makes the values.</summary>
    public Operation op => values.op;

    /// <summary>The dense shape as far as it is known when the graph is built (<c>get_shape()</c>).</summary>
    public Shape shape
    {
        get
        {
            var op = dense_shape.op;
            if (op.Def.ConstantValue(op, dense_shape.value_index) is { } value)
                return new Shape(value.ToArray<long>().Select(d => checked((int)d)).ToArray());
            if (op.Def.PartialShapeValue(op, dense_shape.value_index) is { } partial) return partial;
            var s = dense_shape.shape;
            return s.IsFullyDefined ? Shape.UnknownDims(s[0]) : Shape.Unknown;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"SparseTensor(indices={indices}, values={values}, dense_shape={dense_shape})";
}

/// <summary>The value of a <see cref="SparseTensor"/>: <c>tf.SparseTensorValue(indices, values, dense_shape)</c>.</summary>
public sealed record SparseTensorValue(NDArray indices, NDArray values, NDArray dense_shape)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"SparseTensorValue(indices={indices.Repr()}, values={values.Repr()}, dense_shape={dense_shape.Repr()})";
}
