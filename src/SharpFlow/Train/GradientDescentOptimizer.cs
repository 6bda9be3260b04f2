using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Plain gradient descent: <c>var -= lr * g</c> (<c>tf.train.GradientDescentOptimizer</c>).</summary>
public sealed class GradientDescentOptimizer : Optimizer
{
    private readonly TensorLike _learningRate;
    private Tensor? _lr;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public GradientDescentOptimizer(TensorLike learning_rate, bool use_locking = false, string name = "GradientDescent")
        : base(use_locking, name)
    {
        _learningRate = learning_rate;
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        _ = varList;
    }

    /// <inheritdoc/>
    protected override void Prepare(Graph graph)
    {
        _lr = ToTensor(graph, _learningRate, "learning_rate");
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyGradientDescent.Def.Apply([var, As(_lr!, var), grad], UseLocking, null).op;
    }
}
