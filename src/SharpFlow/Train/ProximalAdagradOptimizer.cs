using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Proximal Adagrad (<c>tf.train.ProximalAdagradOptimizer</c>): slot <c>accumulator</c> (<c>initial_accumulator_value</c>).</summary>
public sealed class ProximalAdagradOptimizer : Optimizer
{
    private readonly double _initial;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public ProximalAdagradOptimizer(TensorLike learning_rate, double initial_accumulator_value = 0.1, double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "ProximalAdagrad")
        : base(use_locking, name)
    {
        if (!(initial_accumulator_value > 0)) throw new ValueError($"initial_accumulator_value must be positive: {initial_accumulator_value}");
        _initial = initial_accumulator_value;
        HyperParameter("learning_rate", learning_rate);
        HyperParameter("l1_regularization_strength", l1_regularization_strength);
        HyperParameter("l2_regularization_strength", l2_regularization_strength);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList) SlotWithValue(v, "accumulator", _initial);
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyProximalAdagrad.Def.Apply([var, get_slot(var, "accumulator")!, Hyper("learning_rate", var), Hyper("l1_regularization_strength", var), Hyper("l2_regularization_strength", var), grad], UseLocking, null).op;
    }

    /// <inheritdoc/>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        return SparseApplyProximalAdagrad.Def.Apply([var, get_slot(var, "accumulator")!, Hyper("learning_rate", var), Hyper("l1_regularization_strength", var), Hyper("l2_regularization_strength", var), grad.values, grad.indices], UseLocking).op;
    }
}
