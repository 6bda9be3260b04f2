using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>AssignAddVariableOp: adds <c>value</c> to the resource variable behind <c>resource</c> (<c>v.assign_add(x)</c> of a resource variable).</summary>
internal sealed class AssignAddVariableOp : AssignUpdateVariableOp
{
    public static readonly AssignAddVariableOp Def = new();

    public override string Type => "AssignAddVariableOp";

    protected override void Update(NDArray variable, NDArray value) => ElementwiseKernels.Binary<AddOperator>(variable, value, variable);

    /// <summary><c>gen_resource_variable_ops.assign_add_variable_op(resource, value)</c>.</summary>
    public static Operation Build(Tensor resource, TensorLike value, DType dtype, string? name = null) =>
        Def.Apply(resource, value, dtype, name, "AssignAddVariableOp");
}
