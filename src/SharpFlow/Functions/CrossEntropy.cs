using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Functions;

/// <summary>The cross-entropy losses of <c>tf.nn</c>, built from the fused ops and stable formulas.</summary>
internal static class CrossEntropy
{
    /// <summary>
    /// <c>tf.nn.softmax_cross_entropy_with_logits_v2</c>: per-example <c>-sum(labels * log_softmax(logits))</c>
    /// over <paramref name="axis"/> (the last by default; another axis is moved last by a transpose, as TensorFlow
    /// 1.x does); gradients flow to both logits and labels. Inputs of rank other than 2 are flattened to
    /// <c>[-1, classes]</c> and the result has the logits' shape without the class axis. Labels may broadcast
    /// against the logits as TensorFlow's fused op accepts (e.g. one <c>[classes]</c> or <c>[1, classes]</c>
    /// distribution for the whole batch).
    /// </summary>
    public static Tensor SoftmaxV2(TensorLike labels, TensorLike logits, string? name, int axis = -1)
    {
        using var b = OpBuilder.Begin(name, "softmax_cross_entropy_with_logits", logits, labels);
        var x = b.Convert(logits, "logits");
        var y = b.Convert(labels, "labels", labels.Value is Tensor ? null : x.dtype);
        if (y.dtype != x.dtype) y = Cast.Build(y, x.dtype);
        if (!x.shape.IsKnownRank) throw new ValueError($"softmax_cross_entropy_with_logits needs logits of known rank, got {x}");
        var rank = x.shape.ndims;
        if (rank == 0) throw new ValueError("logits must have at least one dimension");
        if (axis < -rank || axis >= rank)
            throw new InvalidArgumentError($"Dimension ({axis}) must be in the range [{-rank}, {rank}), where {rank} is the number of dimensions in the input.");
        if (axis < 0) axis += rank;
        if (axis != rank - 1)
        {
            if (!y.shape.IsKnownRank || y.shape.ndims != rank)
                throw new ValueError($"labels must have the logits' rank {rank} to take the class axis {axis}, got {y}");
            var perm = Enumerable.Range(0, rank).Where(i => i != axis).Append(axis).ToArray();
            x = Transpose.Build(x, Shapes.Const(b.Graph, perm, "perm"));
            y = Transpose.Build(y, Shapes.Const(b.Graph, perm, "perm"));
        }
        if (Shape.TryBroadcast(x.shape, y.shape) is not { } joint || (joint.IsKnownRank && !joint.IsCompatibleWith(x.shape)))
            throw new ValueError($"logits and labels must be broadcastable to the logits' shape: logits_size={x.shape.ToListString()} labels_size={y.shape.ToListString()}");
        if (rank == 2 && y.shape.IsKnownRank && y.shape.ndims == 2) return SoftmaxCrossEntropyWithLogits.Build(x, y, b.Scope).Loss;
        var flatX = Reshape.Build(x, new[] { -1, LastDim(x, y) });
        var flatY = y.shape.IsKnownRank && y.shape.ndims >= 1 && y.shape[y.shape.ndims - 1] >= 0
            ? Reshape.Build(y, new[] { -1, y.shape[y.shape.ndims - 1] })
            : Reshape.Build(y, new[] { -1, LastDim(x, y) });
        var (loss, _) = SoftmaxCrossEntropyWithLogits.Build(flatX, flatY);
        return Reshape.Build(loss, OuterShape(x), b.Scope);
    }

    /// <summary>
    /// TensorFlow 1.x's <c>tf.nn.softmax_cross_entropy_with_logits</c>: as the v2 function, with no gradient
    /// flowing into the labels.
    /// </summary>
    public static Tensor Softmax(TensorLike labels, TensorLike logits, string? name, int axis = -1)
    {
        var graph = OpBuilder.GraphOf([labels, logits]);
        using var _ = graph.as_default();
        return SoftmaxV2(StopGradient.Build(labels, "labels_stop_gradient"), logits, name, axis);
    }

    /// <summary>
    /// <c>tf.nn.sparse_softmax_cross_entropy_with_logits</c>: labels are class indices of the logits' shape
    /// without the last axis; no gradient flows to them.
    /// </summary>
    public static Tensor Sparse(TensorLike labels, TensorLike logits, string? name)
    {
        using var b = OpBuilder.Begin(name, "SparseSoftmaxCrossEntropyWithLogits", labels, logits);
        var x = b.Convert(logits, "logits");
        var y = b.Convert(labels, "labels");
        if (!y.dtype.is_integer) throw new TypeError($"labels must be int32 or int64, got {y.dtype.name}");
        if (x.shape.IsKnownRank && y.shape.IsKnownRank)
        {
            if (y.shape.ndims != x.shape.ndims - 1)
                throw new ValueError($"Rank mismatch: Rank of labels (received {y.shape.ndims}) should equal rank of logits minus 1 (received {x.shape.ndims}).");
            for (var i = 0; i < y.shape.ndims; i++)
                if (x.shape[i] >= 0 && y.shape[i] >= 0 && x.shape[i] != y.shape[i])
                    throw new ValueError($"Shape mismatch: The shape of labels (received {y.shape}) should equal the shape of logits except for the last dimension (received {x.shape}).");
        }
        if (!x.shape.IsKnownRank) throw new ValueError($"sparse_softmax_cross_entropy_with_logits needs logits of known rank, got {x}");
        if (x.shape.ndims == 2) return SparseSoftmaxCrossEntropyWithLogits.Build(x, y, b.Scope).Loss;
        var (loss, _) = SparseSoftmaxCrossEntropyWithLogits.Build(Reshape.Build(x, new[] { -1, LastDim(x, x) }), Reshape.Build(y, new[] { -1 }));
        return Reshape.Build(loss, OuterShape(x), b.Scope);
    }

    /// <summary>
    /// <c>tf.nn.sigmoid_cross_entropy_with_logits</c>: element-wise <c>max(x, 0) - x*z + log(1 + exp(-|x|))</c>,
    /// stable for any logits.
    /// </summary>
    public static Tensor Sigmoid(TensorLike labels, TensorLike logits, string? name)
    {
        using var b = OpBuilder.Begin(name, "logistic_loss", logits, labels);
        var x = b.Convert(logits, "logits");
        var z = b.Convert(labels, "labels", x.dtype);
        if (!x.shape.IsCompatibleWith(z.shape))
            throw new ValueError($"logits and labels must have the same shape ({x.shape} vs {z.shape})");
        var zeros = ZerosLike.Def.Apply(x, null, optimize: true, null);
        var cond = GreaterEqual.Build(x, zeros);
        var reluLogits = Select.Build(cond, x, zeros);
        var negAbsLogits = Select.Build(cond, Neg.Build(x), x);
        return b.Graph.CreateOp(Add.Def, b.Scope, [Sub.Build(reluLogits, Mul.Build(x, z)), Log1p.Build(Exp.Build(negAbsLogits))],
            new Dictionary<string, object> { ["T"] = x.dtype }).outputs[0];
    }

    private static int LastDim(Tensor x, Tensor y)
    {
        var d = x.shape[x.shape.ndims - 1];
        if (d < 0 && y.shape.IsKnownRank) d = y.shape[y.shape.ndims - 1];
        if (d < 0) throw new ValueError($"the number of classes (last dimension of {x}) must be known");
        return d;
    }

    private static Tensor OuterShape(Tensor x)
    {
        var rank = x.shape.ndims;
        if (x.shape.IsFullyDefined) return Shapes.Const(x.graph, x.shape.Dims[..(rank - 1)], "Shape");
        return Slice.Build(Shape_.Build(x), new[] { 0 }, new[] { rank - 1 });
    }
}
