using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Proximal gradient descent (<c>tf.train.ProximalGradientDescentOptimizer</c>) with l1 and l2 regularization; no slots.</summary>
public sealed class ProximalGradientDescentOptimizer : Optimizer
{
    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public ProximalGradientDescentOptimizer(TensorLike learning_rate, double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "ProximalGradientDescent")
        : base(use_locking, name)
    {
        HyperParameter("learning_rate", learning_rate);
        HyperParameter("l1_regularization_strength", l1_regularization_strength);
        HyperParameter("l2_regularization_strength", l2_regularization_strength);
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyProximalGradientDescent.Def.Apply([var, Hyper("learning_rate", var), Hyper("l1_regularization_strength", var), Hyper("l2_regularization_strength", var), grad], UseLocking, null).op;
    }

    /// <inheritdoc/>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        return SparseApplyProximalGradientDescent.Def.Apply([var, Hyper("learning_rate", var), Hyper("l1_regularization_strength", var), Hyper("l2_regularization_strength", var), grad.values, grad.indices], UseLocking).op;
    }
}
