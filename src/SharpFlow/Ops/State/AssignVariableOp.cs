using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// AssignVariableOp: stores <c>value</c> in the resource variable behind <c>resource</c> (attribute <c>dtype</c>); it
/// has no outputs. The value must have the variable's dtype
/// and a shape the handle's declared <c>shape</c> accepts (TensorFlow: "Trying to assign variable with wrong dtype" /
/// "Trying to assign to variable with tensor with wrong shape").
/// </summary>
internal sealed class AssignVariableOp : OpDef
{
    public static readonly AssignVariableOp Def = new();

    private static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "AssignVariableOp";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"Input 'resource' must be a resource handle, got {ctx.InputDType(0).name}");
        var dtype = Dtype.Of(ctx);
        if (ctx.InputDType(1) != dtype)
            throw ctx.TypeError($"Input 'value' has dtype {ctx.InputDType(1).name}, but the op's dtype is {dtype.name}");
        if (VarHandleOp.Producer(ctx.Inputs[0]) is { } handle)
        {
            if (VarHandleOp.Dtype.Of(handle) != dtype)
                throw ctx.TypeError($"Trying to assign variable with wrong dtype. Expected {VarHandleOp.Dtype.Of(handle).name} got {dtype.name}");
            var declared = VarHandleOp.ShapeAttr.Of(handle);
            if (!declared.IsCompatibleWith(ctx.InputShape(1)))
                throw ctx.Error($"Shapes must be equal: the variable has shape {declared.ToListString()}, the value {ctx.InputShape(1).ToListString()}");
        }
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var handle = ResourceVariableHandle.Of(ctx.Input(0), ctx.InvalidArgumentOf);
        var value = ctx.Input(1);
        if (value.dtype != handle.DType)
            throw ctx.InvalidArgument($"Trying to assign variable with wrong dtype. Expected {handle.DType.name} got {value.dtype.name}");
        using (ctx.Variables.Lock(handle.Key))
        {
            if (!handle.Shape.IsCompatibleWith(value.shape))
                throw ctx.InvalidArgument($"Trying to assign to variable with tensor with wrong shape. Expected {handle.Shape.ToListString()} got {value.shape.ToListString()}");
            ctx.Variables.Write(handle.Key, value.Copy()); // never alias a constant or a fed array
        }
    });

    /// <summary><c>gen_resource_variable_ops.assign_variable_op(resource, value)</c>.</summary>
    public static Operation Build(Tensor resource, TensorLike value, DType dtype, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var b = OpBuilder.Begin(name, "AssignVariableOp", resource, value);
        var v = b.Convert(value, "value", dtype);
        return b.Create(Def, [resource, v], new() { { Dtype, v.dtype } });
    }
}
