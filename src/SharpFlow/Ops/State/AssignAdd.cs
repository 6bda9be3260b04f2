using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>AssignAdd: <c>ref += value</c>.</summary>
internal sealed class AssignAdd : AssignUpdateOp
{
    public static readonly AssignAdd Def = new();

    public override string Type => "AssignAdd";

    public override bool NotDifferentiable => true;

    protected override void Update(NDArray variable, NDArray value) => ElementwiseKernels.Binary<AddOperator>(variable, value, variable);

    /// <summary><c>tf.assign_add(ref, value)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike value, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, value, useLocking, name, "AssignAdd");
}
