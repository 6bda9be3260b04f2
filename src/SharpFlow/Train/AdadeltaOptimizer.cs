using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Adadelta (<c>tf.train.AdadeltaOptimizer</c>): slots <c>accum</c> and <c>accum_update</c>, both starting at 0.</summary>
public sealed class AdadeltaOptimizer : Optimizer
{
    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public AdadeltaOptimizer(TensorLike? learning_rate = null, double rho = 0.95, double epsilon = 1e-8, bool use_locking = false, string name = "Adadelta")
        : base(use_locking, name)
    {
        HyperParameter("learning_rate", learning_rate ?? 0.001);
        HyperParameter("rho", rho);
        HyperParameter("epsilon", epsilon);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList)
        {
            ZerosSlot(v, "accum");
            ZerosSlot(v, "accum_update");
        }
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyAdadelta.Def.Apply([var, get_slot(var, "accum")!, get_slot(var, "accum_update")!, Hyper("learning_rate", var), Hyper("rho", var), Hyper("epsilon", var), grad], UseLocking, null).op;
    }

    /// <inheritdoc/>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        return SparseApplyAdadelta.Def.Apply([var, get_slot(var, "accum")!, get_slot(var, "accum_update")!, Hyper("learning_rate", var), Hyper("rho", var), Hyper("epsilon", var), grad.values, grad.indices], UseLocking).op;
    }
}
