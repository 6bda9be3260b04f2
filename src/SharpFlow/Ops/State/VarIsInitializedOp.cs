using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>VarIsInitializedOp: whether the resource variable behind <c>resource</c> holds a value (a bool scalar).</summary>
internal sealed class VarIsInitializedOp : OpDef
{
    public static readonly VarIsInitializedOp Def = new();

    public override string Type => "VarIsInitializedOp";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"Input 'resource' must be a resource handle, got {ctx.InputDType(0).name}");
        ctx.AddOutput(DType.@bool, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var handle = ResourceVariableHandle.Of(ctx.Input(0), ctx.InvalidArgumentOf);
        ctx.AllocateOutput(0, DType.@bool, Shape.Scalar).AsSpan<bool>()[0] = ctx.Variables.Read(handle.Key) is not null;
    });

    /// <summary><c>gen_resource_variable_ops.var_is_initialized_op(resource)</c>.</summary>
    public static Tensor Build(Tensor resource, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var b = OpBuilder.Begin(name, "VarIsInitializedOp", resource);
        return b.Create(Def, [resource]).outputs[0];
    }
}
