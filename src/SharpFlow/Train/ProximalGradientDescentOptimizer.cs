using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Proximal gradient descent (<c>tf.train.ProximalGradientDescentOptimizer</c>) with l1 and l2 regularization; no slots.</summary>
public sealed class ProximalGradientDescentOptimizer : Optimizer
{
    private readonly TensorLike _learningRate;
    private readonly double _l1, _l2;
    private Tensor? _lr, _l1T, _l2T;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public ProximalGradientDescentOptimizer(TensorLike learning_rate, double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "ProximalGradientDescent")
        : base(use_locking, name)
    {
        (_learningRate, _l1, _l2) = (learning_rate, l1_regularization_strength, l2_regularization_strength);
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
        _l1T = ToTensor(graph, _l1, "l1_regularization_strength");
        _l2T = ToTensor(graph, _l2, "l2_regularization_strength");
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyProximalGradientDescent.Def.Apply([var, As(_lr!, var), As(_l1T!, var), As(_l2T!, var), grad], UseLocking, null).op;
    }
}
