using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Adagrad dual averaging (<c>tf.train.AdagradDAOptimizer</c>): slots <c>gradient_accumulator</c> (0) and <c>gradient_squared_accumulator</c> (<c>initial_gradient_squared_accumulator_value</c>); the update uses <c>global_step + 1</c>.</summary>
public sealed class AdagradDAOptimizer : Optimizer
{
    private readonly Tensor _globalStep;
    private readonly double _initial;
    private Tensor? _step;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public AdagradDAOptimizer(TensorLike learning_rate, Tensor global_step, double initial_gradient_squared_accumulator_value = 0.1, double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "AdagradDA")
        : base(use_locking, name)
    {
        ArgumentNullException.ThrowIfNull(global_step);
        if (!(initial_gradient_squared_accumulator_value > 0)) throw new ValueError($"initial_gradient_squared_accumulator_value must be positive: {initial_gradient_squared_accumulator_value}");
        (_globalStep, _initial) = (global_step, initial_gradient_squared_accumulator_value);
        HyperParameter("learning_rate", learning_rate);
        HyperParameter("l1_regularization_strength", l1_regularization_strength);
        HyperParameter("l2_regularization_strength", l2_regularization_strength);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList)
        {
            ZerosSlot(v, "gradient_accumulator");
            SlotWithValue(v, "gradient_squared_accumulator", _initial);
        }
    }

    /// <inheritdoc/>
    protected override void Prepare(Graph graph)
    {
        var step = Ops.ArrayOps.Identity.Build(_globalStep);
        _step = Ops.MathOps.Add.Build(step.dtype == DType.int64 ? step : Ops.MathOps.Cast.Build(step, DType.int64), 1L);
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyAdagradDA.Def.Apply([var, get_slot(var, "gradient_accumulator")!, get_slot(var, "gradient_squared_accumulator")!, grad,
            Hyper("learning_rate", var), Hyper("l1_regularization_strength", var), Hyper("l2_regularization_strength", var), _step!], UseLocking, null).op;
    }

    /// <inheritdoc/>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        return SparseApplyAdagradDA.Def.Apply([var, get_slot(var, "gradient_accumulator")!, get_slot(var, "gradient_squared_accumulator")!, grad.values, grad.indices,
            Hyper("learning_rate", var), Hyper("l1_regularization_strength", var), Hyper("l2_regularization_strength", var), _step!], UseLocking).op;
    }
}
