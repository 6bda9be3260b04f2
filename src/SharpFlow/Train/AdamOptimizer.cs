using SharpFlow.Framework;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Adam (<c>tf.train.AdamOptimizer</c>): slots <c>m</c> and <c>v</c> (0) and the non-slot variables <c>beta1_power</c> and <c>beta2_power</c>, multiplied by beta1 and beta2 after each step.</summary>
public sealed class AdamOptimizer : Optimizer
{
    private readonly double _beta1, _beta2;
    private Variable? _beta1Power, _beta2Power;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public AdamOptimizer(TensorLike? learning_rate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool use_locking = false, string name = "Adam")
        : base(use_locking, name)
    {
        (_beta1, _beta2) = (beta1, beta2);
        HyperParameter("learning_rate", learning_rate ?? 0.001);
        HyperParameter("beta1", _beta1);
        HyperParameter("beta2", _beta2);
        HyperParameter("epsilon", epsilon);
    }

    /// <summary>After the updates, the beta powers advance one step.</summary>
    protected override Operation Finish(IReadOnlyList<Operation> updateOps, string name)
    {
        var graph = _beta1Power!.graph;
        Tensor update1, update2;
        using (graph.control_dependencies([.. updateOps]))
        {
            update1 = _beta1Power.assign(Ops.MathOps.Mul.Build(_beta1Power, Hyper("beta1")), use_locking: UseLocking);
            update2 = _beta2Power!.assign(Ops.MathOps.Mul.Build(_beta2Power, Hyper("beta2")), use_locking: UseLocking);
        }
        return Ops.Control.NoOp.Group([.. updateOps, update1, update2], name);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        if (varList.Count == 0) return;
        var first = varList.OrderBy(v => v.name, StringComparer.Ordinal).First();
        _beta1Power = NonSlotVariable(first.graph, "beta1_power", _beta1);
        _beta2Power = NonSlotVariable(first.graph, "beta2_power", _beta2);
        foreach (var v in varList)
        {
            ZerosSlot(v, "m");
            ZerosSlot(v, "v");
        }
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyAdam.Def.Apply([var, get_slot(var, "m")!, get_slot(var, "v")!, As(_beta1Power!, var), As(_beta2Power!, var),
            Hyper("learning_rate", var), Hyper("beta1", var), Hyper("beta2", var), Hyper("epsilon", var), grad], UseLocking, null, new() { { ApplyAdam.UseNesterov, false } }).op;
    }

    /// <summary>
    /// TensorFlow 1.x's sparse Adam (<c>_apply_sparse_shared</c>): both moments decay everywhere
    /// (<c>m = beta1*m</c>, <c>v = beta2*v</c>), the rows of the gradient are added with <c>scatter_add</c>, and the
    /// whole variable moves by <c>lr_t * m / (sqrt(v) + epsilon)</c>.
    /// </summary>
    protected override Operation ApplySparse(IndexedSlices grad, Variable var)
    {
        ArgumentNullException.ThrowIfNull(grad);
        var graph = var.graph;
        var (beta1Power, beta2Power) = (As(_beta1Power!, var), As(_beta2Power!, var));
        var (lrT, beta1, beta2, eps) = (Hyper("learning_rate", var), Hyper("beta1", var), Hyper("beta2", var), Hyper("epsilon", var));
        var one = Literal.ToNDArray(1.0, var.dtype);
        var lr = Ops.MathOps.RealDiv.Build(Ops.MathOps.Mul.Build(lrT, Ops.MathOps.Sqrt.Build(Ops.MathOps.Sub.Build(one, beta2Power))), Ops.MathOps.Sub.Build(one, beta1Power));
        var m = get_slot(var, "m")!;
        var mScaled = Ops.MathOps.Mul.Build(grad.values, Ops.MathOps.Sub.Build(one, beta1));
        var mT = m.assign(Ops.MathOps.Mul.Build(m, beta1), use_locking: UseLocking);
        using (graph.control_dependencies([mT]))
            mT = ScatterAdd.Build(m, grad.indices, mScaled, UseLocking);
        var v = get_slot(var, "v")!;
        var vScaled = Ops.MathOps.Mul.Build(Ops.MathOps.Mul.Build(grad.values, grad.values), Ops.MathOps.Sub.Build(one, beta2));
        var vT = v.assign(Ops.MathOps.Mul.Build(v, beta2), use_locking: UseLocking);
        using (graph.control_dependencies([vT]))
            vT = ScatterAdd.Build(v, grad.indices, vScaled, UseLocking);
        var vSqrt = Ops.MathOps.Sqrt.Build(vT);
        var update = var.assign_sub(Ops.MathOps.RealDiv.Build(Ops.MathOps.Mul.Build(lr, mT), Ops.MathOps.Add.Build(vSqrt, eps)), use_locking: UseLocking);
        return Ops.Control.NoOp.Group([update.op, mT.op, vT.op]);
    }
}
