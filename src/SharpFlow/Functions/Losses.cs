using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Functions;

/// <summary>How <c>tf.losses</c> functions reduce per-element losses (<c>tf.losses.Reduction</c>).</summary>
public enum Reduction
{
    /// <summary>No reduction: the weighted losses themselves.</summary>
    NONE,
    /// <summary>The sum of the weighted losses.</summary>
    SUM,
    /// <summary>The sum divided by the sum of the weights.</summary>
    MEAN,
    /// <summary>The sum divided by the number of elements.</summary>
    SUM_OVER_BATCH_SIZE,
    /// <summary>The sum divided by the number of elements with a non-zero weight (the default).</summary>
    SUM_BY_NONZERO_WEIGHTS,
}

/// <summary>
/// TensorFlow 1.x's <c>tf.losses</c>: each function computes per-element losses, weights and reduces them
/// (by default to their mean over elements of non-zero weight), and adds the result to the LOSSES collection.
/// </summary>
internal static class Losses
{
    /// <summary>
    /// <c>tf.losses.compute_weighted_loss</c>: losses times weights, reduced, cast back to the losses' dtype and
    /// added to <paramref name="lossCollection"/> (unless null).
    /// </summary>
    public static Tensor ComputeWeightedLoss(Tensor losses, TensorLike? weights = null, string? scope = null,
        string? lossCollection = GraphKeys.LOSSES, Reduction reduction = Reduction.SUM_BY_NONZERO_WEIGHTS)
    {
        ArgumentNullException.ThrowIfNull(losses);
        using var b = OpBuilder.Begin(scope, "weighted_loss", losses, weights ?? default);
        var inputDType = losses.dtype;
        var l = Cast.Build(losses, DType.float32);
        var w = Cast.Build(b.Convert(weights ?? 1.0, "weights"), DType.float32);
        // As TensorFlow's assert_broadcastable: the weights are a scalar or broadcast to exactly the losses' shape.
        if (w.shape.IsKnownRank && w.shape.ndims > 0 && l.shape.IsKnownRank)
        {
            var fits = w.shape.ndims == l.shape.ndims;
            for (var i = 0; fits && i < w.shape.ndims; i++)
                fits = w.shape[i] is 1 or -1 || l.shape[i] < 0 || w.shape[i] == l.shape[i];
            if (!fits) throw new ValueError($"weights can not be broadcast to values. values.shape={l.shape}. weights.shape={w.shape}.");
        }
        var weighted = Mul.Build(l, w);
        Tensor loss;
        if (reduction == Reduction.NONE) loss = weighted;
        else
        {
            loss = Sum.Build(weighted);
            switch (reduction)
            {
                case Reduction.MEAN:
                    loss = SafeMean(loss, Sum.Build(Mul.Build(OnesLike.Def.Apply(l, null, optimize: true, null), w)));
                    break;
                case Reduction.SUM_BY_NONZERO_WEIGHTS:
                    loss = SafeMean(loss, NumPresent(l, w));
                    break;
                case Reduction.SUM_OVER_BATCH_SIZE:
                    loss = SafeMean(loss, Cast.Build(Size.Build(l), DType.float32));
                    break;
            }
        }
        loss = Cast.Build(loss, inputDType, "value");
        if (lossCollection is not null) b.Graph.add_to_collection(lossCollection, loss);
        return loss;
    }

    /// <summary><c>tf.losses.mean_squared_error</c>: <c>(predictions - labels)²</c>, weighted and reduced.</summary>
    public static Tensor MeanSquaredError(TensorLike labels, TensorLike predictions, TensorLike? weights = null, string? scope = null,
        string? lossCollection = GraphKeys.LOSSES, Reduction reduction = Reduction.SUM_BY_NONZERO_WEIGHTS) =>
        Elementwise("mean_squared_error", (p, l) => SquaredDifference.Build(p, l), labels, predictions, weights, scope, lossCollection, reduction);

    /// <summary><c>tf.losses.absolute_difference</c>: <c>|predictions - labels|</c>, weighted and reduced.</summary>
    public static Tensor AbsoluteDifference(TensorLike labels, TensorLike predictions, TensorLike? weights = null, string? scope = null,
        string? lossCollection = GraphKeys.LOSSES, Reduction reduction = Reduction.SUM_BY_NONZERO_WEIGHTS) =>
        Elementwise("absolute_difference", (p, l) => Abs.Build(Sub.Build(p, l)), labels, predictions, weights, scope, lossCollection, reduction);

    /// <summary>A per-element loss of predictions and labels of compatible shapes, computed in float32, weighted and reduced.</summary>
    private static Tensor Elementwise(string defaultName, Func<Tensor, Tensor, Tensor> perElement, TensorLike labels, TensorLike predictions,
        TensorLike? weights, string? scope, string? lossCollection, Reduction reduction)
    {
        using var b = OpBuilder.Begin(scope, defaultName, predictions, labels, weights ?? default);
        var p = Cast.Build(b.Convert(predictions, "predictions"), DType.float32);
        var l = Cast.Build(b.Convert(labels, "labels"), DType.float32);
        if (!p.shape.IsCompatibleWith(l.shape)) throw new ValueError($"Shapes {p.shape} and {l.shape} are incompatible");
        return ComputeWeightedLoss(perElement(p, l), weights, b.Scope, lossCollection, reduction);
    }

    /// <summary>
    /// <c>tf.losses.softmax_cross_entropy</c>: softmax cross entropy of one-hot labels (smoothed towards uniform
    /// by <paramref name="labelSmoothing"/>), weighted per example and reduced.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(TensorLike onehotLabels, TensorLike logits, TensorLike? weights = null, double labelSmoothing = 0,
        string? scope = null, string? lossCollection = GraphKeys.LOSSES, Reduction reduction = Reduction.SUM_BY_NONZERO_WEIGHTS)
    {
        using var b = OpBuilder.Begin(scope, "softmax_cross_entropy_loss", logits, onehotLabels, weights ?? default);
        var x = b.Convert(logits, "logits");
        var y = Cast.Build(b.Convert(onehotLabels, "onehot_labels"), x.dtype);
        if (!x.shape.IsCompatibleWith(y.shape)) throw new ValueError($"Shapes {x.shape} and {y.shape} are incompatible");
        if (labelSmoothing > 0)
        {
            var classes = Cast.Build(Slice.Build(Shape_.Build(y), new[] { 1 }, new[] { 1 }), x.dtype);
            y = Add.Build(Mul.Build(y, Literal.ToNDArray(1 - labelSmoothing, x.dtype)), RealDiv.Build(Literal.ToNDArray(labelSmoothing, x.dtype), classes));
        }
        var losses = CrossEntropy.SoftmaxV2(StopGradient.Build(y, "labels_stop_gradient"), x, "xentropy");
        return ComputeWeightedLoss(losses, weights, b.Scope, lossCollection, reduction);
    }

    /// <summary><c>tf.losses.sparse_softmax_cross_entropy</c>: softmax cross entropy of class indices, weighted and reduced.</summary>
    public static Tensor SparseSoftmaxCrossEntropy(TensorLike labels, TensorLike logits, TensorLike? weights = null, string? scope = null,
        string? lossCollection = GraphKeys.LOSSES, Reduction reduction = Reduction.SUM_BY_NONZERO_WEIGHTS)
    {
        using var b = OpBuilder.Begin(scope, "sparse_softmax_cross_entropy_loss", logits, labels, weights ?? default);
        var x = b.Convert(logits, "logits");
        var y = b.Convert(labels, "labels");
        // TensorFlow's _remove_squeezable_dimensions: [N, 1] labels for [N, C] logits become [N], and weights one
        // rank above the labels lose their last axis of 1.
        if (x.shape.IsKnownRank && y.shape.IsKnownRank && y.shape.ndims == x.shape.ndims && y.shape[y.shape.ndims - 1] == 1)
            y = Squeeze.Build(y, [y.shape.ndims - 1]);
        if (weights is { Value: Tensor wt } && wt.shape.IsKnownRank && y.shape.IsKnownRank && wt.shape.ndims == y.shape.ndims + 1 && wt.shape[wt.shape.ndims - 1] == 1)
            weights = Squeeze.Build(wt, [wt.shape.ndims - 1]);
        var losses = CrossEntropy.Sparse(y, x, "xentropy");
        return ComputeWeightedLoss(losses, weights, b.Scope, lossCollection, reduction);
    }

    /// <summary><c>tf.losses.sigmoid_cross_entropy</c>: sigmoid cross entropy of 0/1 labels, weighted and reduced.</summary>
    public static Tensor SigmoidCrossEntropy(TensorLike multiClassLabels, TensorLike logits, TensorLike? weights = null, double labelSmoothing = 0,
        string? scope = null, string? lossCollection = GraphKeys.LOSSES, Reduction reduction = Reduction.SUM_BY_NONZERO_WEIGHTS)
    {
        using var b = OpBuilder.Begin(scope, "sigmoid_cross_entropy_loss", logits, multiClassLabels, weights ?? default);
        var x = b.Convert(logits, "logits");
        var z = Cast.Build(b.Convert(multiClassLabels, "multi_class_labels"), x.dtype);
        if (labelSmoothing > 0)
            z = Add.Build(Mul.Build(z, Literal.ToNDArray(1 - labelSmoothing, x.dtype)), Literal.ToNDArray(0.5 * labelSmoothing, x.dtype));
        var losses = CrossEntropy.Sigmoid(z, x, "xentropy");
        return ComputeWeightedLoss(losses, weights, b.Scope, lossCollection, reduction);
    }

    /// <summary>Adds an externally defined loss to the LOSSES collection (<c>tf.losses.add_loss</c>).</summary>
    public static void AddLoss(Tensor loss, string lossCollection = GraphKeys.LOSSES)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.graph.add_to_collection(lossCollection, loss);
    }

    /// <summary>The losses in the LOSSES collection (<c>tf.losses.get_losses</c>).</summary>
    public static List<Tensor> GetLosses(string? scope = null, string lossCollection = GraphKeys.LOSSES) =>
        [.. Graph.get_default().get_collection(lossCollection, scope).OfType<Tensor>()];

    /// <summary>The regularization losses (<c>tf.losses.get_regularization_losses</c>).</summary>
    public static List<Tensor> GetRegularizationLosses(string? scope = null) => GetLosses(scope, GraphKeys.REGULARIZATION_LOSSES);

    /// <summary>The sum of the regularization losses, or a constant 0 (<c>tf.losses.get_regularization_loss</c>).</summary>
    public static Tensor GetRegularizationLoss(string? scope = null, string name = "total_regularization_loss")
    {
        var losses = GetRegularizationLosses(scope);
        return losses.Count > 0 ? AddN.Build([.. losses.Select(l => (TensorLike)l)], name) : Const.Build(0.0, name: name);
    }

    /// <summary>The sum of the losses and, by default, the regularization losses (<c>tf.losses.get_total_loss</c>).</summary>
    public static Tensor GetTotalLoss(bool addRegularizationLosses = true, string name = "total_loss", string? scope = null)
    {
        var losses = GetLosses(scope);
        if (addRegularizationLosses) losses.AddRange(GetRegularizationLosses(scope));
        if (losses.Count == 0) throw new ValueError("No losses found in the collection 'losses'.");
        return AddN.Build([.. losses.Select(l => (TensorLike)l)], name);
    }

    /// <summary>Division that gives 0 when the count is 0 (TensorFlow's <c>_safe_mean</c>).</summary>
    private static Tensor SafeMean(Tensor total, Tensor count)
    {
        var zero = Literal.ToNDArray(0.0, DType.float32);
        var isZero = Equal.Build(count, zero);
        var safe = Select.Build(isZero, OnesLike.Def.Apply(count, null, optimize: true, null), count);
        return Select.Build(isZero, ZerosLike.Def.Apply(total, null, optimize: true, null), RealDiv.Build(total, safe), "value");
    }

    /// <summary>The number of loss elements whose broadcast weight is non-zero.</summary>
    private static Tensor NumPresent(Tensor losses, Tensor weights)
    {
        var present = Cast.Build(NotEqual.Build(weights, Literal.ToNDArray(0.0, DType.float32)), DType.float32);
        var broadcast = Mul.Build(present, OnesLike.Def.Apply(losses, null, optimize: true, null));
        return Sum.Build(broadcast, name: "num_present");
    }
}
