using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Plain gradient descent: <c>var -= lr * g</c> (<c>tf.train.GradientDescentOptimizer</c>).</summary>
public sealed class GradientDescentOptimizer : Optimizer
{
    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public GradientDescentOptimizer(TensorLike learning_rate, bool use_locking = false, string name = "GradientDescent")
        : base(use_locking, name)
    {
        HyperParameter("learning_rate", learning_rate);
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyGradientDescent.Def.Apply([var, Hyper("learning_rate", var), grad], UseLocking, null).op;
    }
}
