using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>RMSProp (<c>tf.train.RMSPropOptimizer</c>): slots <c>rms</c> (starting at 1, as TensorFlow 1.x), <c>momentum</c> (0) and, when centered, <c>mg</c> (0).</summary>
public sealed class RMSPropOptimizer : Optimizer
{
    private readonly bool _centered;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public RMSPropOptimizer(TensorLike learning_rate, double decay = 0.9, double momentum = 0.0, double epsilon = 1e-10, bool use_locking = false, bool centered = false, string name = "RMSProp")
        : base(use_locking, name)
    {
        _centered = centered;
        HyperParameter("learning_rate", learning_rate);
        HyperParameter("decay", decay);
        HyperParameter("momentum", momentum);
        HyperParameter("epsilon", epsilon);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList)
        {
            SlotWithValue(v, "rms", 1.0);
            if (_centered) ZerosSlot(v, "mg");
            ZerosSlot(v, "momentum");
        }
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        var (lr, rho, momentum, eps) = (Hyper("learning_rate", var), Hyper("decay", var), Hyper("momentum", var), Hyper("epsilon", var));
        return _centered
            ? ApplyCenteredRMSProp.Def.Apply([var, get_slot(var, "mg")!, get_slot(var, "rms")!, get_slot(var, "momentum")!, lr, rho, momentum, eps, grad], UseLocking, null).op
            : ApplyRMSProp.Def.Apply([var, get_slot(var, "rms")!, get_slot(var, "momentum")!, lr, rho, momentum, eps, grad], UseLocking, null).op;
    }

    /// <inheritdoc/>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        var (lr, rho, momentum, eps) = (Hyper("learning_rate", var), Hyper("decay", var), Hyper("momentum", var), Hyper("epsilon", var));
        return _centered
            ? SparseApplyCenteredRMSProp.Def.Apply([var, get_slot(var, "mg")!, get_slot(var, "rms")!, get_slot(var, "momentum")!, lr, rho, momentum, eps, grad.values, grad.indices], UseLocking).op
            : SparseApplyRMSProp.Def.Apply([var, get_slot(var, "rms")!, get_slot(var, "momentum")!, lr, rho, momentum, eps, grad.values, grad.indices], UseLocking).op;
    }
}
