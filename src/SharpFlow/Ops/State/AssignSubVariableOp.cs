using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>AssignSubVariableOp: subtracts <c>value</c> from the resource variable behind <c>resource</c> (<c>v.assign_sub(x)</c> of a resource variable).</summary>
internal sealed class AssignSubVariableOp : AssignUpdateVariableOp
{
    public static readonly AssignSubVariableOp Def = new();

    public override string Type => "AssignSubVariableOp";

    protected override void Update(NDArray variable, NDArray value) => ElementwiseKernels.Binary<SubtractOperator>(variable, value, variable);

    /// <summary><c>gen_resource_variable_ops.assign_sub_variable_op(resource, value)</c>.</summary>
    public static Operation Build(Tensor resource, TensorLike value, DType dtype, string? name = null) =>
        Def.Apply(resource, value, dtype, name, "AssignSubVariableOp");
}
