using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Proximal Adagrad (<c>tf.train.ProximalAdagradOptimizer</c>): slot <c>accumulator</c> (<c>initial_accumulator_value</c>).</summary>
public sealed class ProximalAdagradOptimizer : Optimizer
{
    private readonly TensorLike _learningRate;
    private readonly double _initial, _l1, _l2;
    private Tensor? _lr, _l1T, _l2T;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public ProximalAdagradOptimizer(TensorLike learning_rate, double initial_accumulator_value = 0.1, double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "ProximalAdagrad")
        : base(use_locking, name)
    {
        if (!(initial_accumulator_value > 0)) throw new ValueError($"initial_accumulator_value must be positive: {initial_accumulator_value}");
        (_learningRate, _initial, _l1, _l2) = (learning_rate, initial_accumulator_value, l1_regularization_strength, l2_regularization_strength);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList) SlotWithValue(v, "accumulator", _initial);
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
        return ApplyProximalAdagrad.Def.Apply([var, get_slot(var, "accumulator")!, As(_lr!, var), As(_l1T!, var), As(_l2T!, var), grad], UseLocking, null).op;
    }
}
