using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>AssignSub: <c>ref -= value</c>.</summary>
internal sealed class AssignSub : AssignUpdateOp
{
    public static readonly AssignSub Def = new();

    public override string Type => "AssignSub";

    public override bool NotDifferentiable => true;

    protected override void Update(NDArray variable, NDArray value) => ElementwiseKernels.Binary<SubtractOperator>(variable, value, variable);

    /// <summary><c>tf.assign_sub(ref, value)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike value, bool useLocking = false, string? name = null) =>
        Def.Apply(reference, value, useLocking, name, "AssignSub");
}
