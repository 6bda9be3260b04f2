using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>FTRL-Proximal (<c>tf.train.FtrlOptimizer</c>): slots <c>accum</c> (<c>initial_accumulator_value</c>) and <c>linear</c> (0).</summary>
public sealed class FtrlOptimizer : Optimizer
{
    private readonly double _initial;
    private readonly bool _shrinkage;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public FtrlOptimizer(TensorLike learning_rate, double learning_rate_power = -0.5, double initial_accumulator_value = 0.1, double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "Ftrl", double l2_shrinkage_regularization_strength = 0.0)
        : base(use_locking, name)
    {
        if (initial_accumulator_value < 0) throw new ValueError($"initial_accumulator_value {initial_accumulator_value:F6} needs to be positive or zero");
        if (learning_rate_power > 0) throw new ValueError($"learning_rate_power {learning_rate_power:F6} needs to be negative or zero");
        if (l1_regularization_strength < 0) throw new ValueError($"l1_regularization_strength {l1_regularization_strength:F6} needs to be positive or zero");
        if (l2_regularization_strength < 0) throw new ValueError($"l2_regularization_strength {l2_regularization_strength:F6} needs to be positive or zero");
        if (l2_shrinkage_regularization_strength < 0) throw new ValueError($"l2_shrinkage_regularization_strength {l2_shrinkage_regularization_strength:F6} needs to be positive or zero");
        _initial = initial_accumulator_value;
        _shrinkage = l2_shrinkage_regularization_strength > 0;
        HyperParameter("learning_rate", learning_rate);
        HyperParameter("l1_regularization_strength", l1_regularization_strength);
        HyperParameter("l2_regularization_strength", l2_regularization_strength);
        HyperParameter("learning_rate_power", learning_rate_power);
        HyperParameter("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList)
        {
            SlotWithValue(v, "accum", _initial);
            ZerosSlot(v, "linear");
        }
    }

    /// <summary>ApplyFtrl, or ApplyFtrlV2 when <c>l2_shrinkage_regularization_strength</c> is positive.</summary>
    protected override Operation ApplyDense(Tensor grad, Variable var) =>
        _shrinkage ? ApplyFtrlV2.Def.Apply(Inputs(grad, null, var), UseLocking, null).op : ApplyFtrl.Def.Apply(Inputs(grad, null, var), UseLocking, null).op;

    /// <summary>SparseApplyFtrl, or SparseApplyFtrlV2 with shrinkage.</summary>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        return _shrinkage ? SparseApplyFtrlV2.Def.Apply(Inputs(grad.values, grad.indices, var), UseLocking).op : SparseApplyFtrl.Def.Apply(Inputs(grad.values, grad.indices, var), UseLocking).op;
    }

    /// <summary>The update's inputs in TensorFlow's order; indices only for the sparse ops, shrinkage only for V2.</summary>
    private Tensor[] Inputs(Tensor grad, Tensor? indices, Variable var)
    {
        List<Tensor> inputs = [var, get_slot(var, "accum")!, get_slot(var, "linear")!, grad];
        if (indices is not null) inputs.Add(indices);
        inputs.AddRange([Hyper("learning_rate", var), Hyper("l1_regularization_strength", var), Hyper("l2_regularization_strength", var)]);
        if (_shrinkage) inputs.Add(Hyper("l2_shrinkage_regularization_strength", var));
        inputs.Add(Hyper("learning_rate_power", var));
        return [.. inputs];
    }
}
