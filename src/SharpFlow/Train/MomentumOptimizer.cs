using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Momentum (<c>tf.train.MomentumOptimizer</c>): slot <c>momentum</c>; <c>accum = accum*m + g</c>, <c>var -= lr*accum</c>, or the Nesterov form.</summary>
public sealed class MomentumOptimizer : Optimizer
{
    private readonly bool _nesterov;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public MomentumOptimizer(TensorLike learning_rate, TensorLike momentum, bool use_locking = false, string name = "Momentum", bool use_nesterov = false)
        : base(use_locking, name)
    {
        _nesterov = use_nesterov;
        HyperParameter("learning_rate", learning_rate);
        HyperParameter("momentum", momentum);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList) ZerosSlot(v, "momentum");
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        var def = _nesterov ? ApplyMomentum.Nesterov : ApplyMomentum.Def;
        return def.Apply([var, get_slot(var, "momentum")!, Hyper("learning_rate", var), grad, Hyper("momentum", var)], UseLocking, null, new() { { ApplyMomentum.UseNesterovAttr, _nesterov } }).op;
    }

    /// <inheritdoc/>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        var def = _nesterov ? SparseApplyMomentum.Nesterov : SparseApplyMomentum.Def;
        return def.Apply([var, get_slot(var, "momentum")!, Hyper("learning_rate", var), grad.values, grad.indices, Hyper("momentum", var)], UseLocking, null, new() { { SparseApplyMomentum.UseNesterov, _nesterov } }).op;
    }
}
