using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Adagrad (<c>tf.train.AdagradOptimizer</c>): slot <c>accumulator</c> starting at <c>initial_accumulator_value</c>; <c>var -= lr*g/sqrt(accum)</c> with no epsilon.</summary>
public sealed class AdagradOptimizer : Optimizer
{
    private readonly double _initial;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public AdagradOptimizer(TensorLike learning_rate, double initial_accumulator_value = 0.1, bool use_locking = false, string name = "Adagrad")
        : base(use_locking, name)
    {
        if (!(initial_accumulator_value > 0)) throw new ValueError($"initial_accumulator_value must be positive: {initial_accumulator_value}");
        _initial = initial_accumulator_value;
        HyperParameter("learning_rate", learning_rate);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList) SlotWithValue(v, "accumulator", _initial);
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyAdagrad.Def.Apply([var, get_slot(var, "accumulator")!, Hyper("learning_rate", var), grad], UseLocking, null, new() { { ApplyAdagrad.UpdateSlots, true } }).op;
    }

    /// <inheritdoc/>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        return SparseApplyAdagrad.Def.Apply([var, get_slot(var, "accumulator")!, Hyper("learning_rate", var), grad.values, grad.indices], UseLocking, null, new() { { SparseApplyAdagrad.UpdateSlots, true } }).op;
    }
}
