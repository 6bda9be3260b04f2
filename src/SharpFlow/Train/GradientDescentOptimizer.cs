using SharpFlow.Framework;
using SharpFlow.Ops.State;
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

    /// <summary>TensorFlow's sparse rule: <c>scatter_sub(var, indices, lr * values)</c>; repeated rows subtract twice.</summary>
    protected override Operation ApplySparseDuplicateIndices(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        var delta = Ops.MathOps.Mul.Build(grad.values, Hyper("learning_rate", var));
        return ScatterSub.Build(var, grad.indices, delta, UseLocking).op;
    }
}
