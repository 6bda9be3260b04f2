using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Adagrad dual averaging (<c>tf.train.AdagradDAOptimizer</c>): slots <c>gradient_accumulator</c> (0) and <c>gradient_squared_accumulator</c> (<c>initial_gradient_squared_accumulator_value</c>); the update uses <c>global_step + 1</c>.</summary>
public sealed class AdagradDAOptimizer : Optimizer
{
    private readonly TensorLike _learningRate;
    private readonly Tensor _globalStep;
    private readonly double _initial, _l1, _l2;
    private Tensor? _lr, _l1T, _l2T, _step;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public AdagradDAOptimizer(TensorLike learning_rate, Tensor global_step, double initial_gradient_squared_accumulator_value = 0.1, double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "AdagradDA")
        : base(use_locking, name)
    {
        ArgumentNullException.ThrowIfNull(global_step);
        if (!(initial_gradient_squared_accumulator_value > 0)) throw new ValueError($"initial_gradient_squared_accumulator_value must be positive: {initial_gradient_squared_accumulator_value}");
        (_learningRate, _globalStep, _initial, _l1, _l2) = (learning_rate, global_step, initial_gradient_squared_accumulator_value, l1_regularization_strength, l2_regularization_strength);
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
        _lr = ToTensor(graph, _learningRate, "learning_rate");
        _l1T = ToTensor(graph, _l1, "l1_regularization_strength");
        _l2T = ToTensor(graph, _l2, "l2_regularization_strength");
        var step = Ops.Array.Identity.Build(_globalStep);
        _step = Ops.Math.Add.Build(step.dtype == DType.int64 ? step : Ops.Math.Cast.Build(step, DType.int64), 1L);
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyAdagradDA.Def.Apply([var, get_slot(var, "gradient_accumulator")!, get_slot(var, "gradient_squared_accumulator")!, grad,
            As(_lr!, var), As(_l1T!, var), As(_l2T!, var), _step!], UseLocking, null).op;
    }
}
