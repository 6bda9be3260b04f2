using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// The shared rule of AssignAddVariableOp and AssignSubVariableOp: update the value of an initialized resource
/// variable in place with a value of exactly its shape; no outputs.
/// </summary>
internal abstract class AssignUpdateVariableOp : OpDef
{
    private static readonly OpAttr<DType> Dtype = new("dtype");

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    /// <summary>Updates <paramref name="variable"/> with <paramref name="value"/> in place.</summary>
    protected abstract void Update(NDArray variable, NDArray value);

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"Input 'resource' must be a resource handle, got {ctx.InputDType(0).name}");
        var dtype = Dtype.Of(ctx);
        if (ctx.InputDType(1) != dtype)
            throw ctx.TypeError($"Input 'value' has dtype {ctx.InputDType(1).name}, but the op's dtype is {dtype.name}");
        if (!dtype.IsNumeric) throw ctx.TypeError($"dtype {dtype.name} is not supported");
        if (VarHandleOp.Producer(ctx.Inputs[0]) is { } handle && !VarHandleOp.ShapeAttr.Of(handle).IsCompatibleWith(ctx.InputShape(1)))
            throw ctx.Error($"Shapes must be equal: the variable has shape {VarHandleOp.ShapeAttr.Of(handle).ToListString()}, the value {ctx.InputShape(1).ToListString()}");
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var handle = ResourceVariableHandle.Of(ctx.Input(0), ctx.InvalidArgumentOf);
        var value = ctx.Input(1);
        using (ctx.Variables.Lock(handle.Key))
        {
            var current = handle.Read(ctx, ctx.op.name);
            if (current.dtype != value.dtype)
                throw ctx.InvalidArgument($"Trying to update variable with wrong dtype. Expected {current.dtype.name} got {value.dtype.name}");
            if (current.shape != value.shape)
                throw ctx.InvalidArgument($"Cannot update variable with shape {current.shape.ToListString()} using a Tensor with shape {value.shape.ToListString()}, shapes must be equal.");
            Update(current, value);
        }
    });

    /// <summary>Builds the op on a resource handle.</summary>
    protected Operation Apply(Tensor resource, TensorLike value, DType dtype, string? name, string defaultName)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var b = OpBuilder.Begin(name, defaultName, resource, value);
        var v = b.Convert(value, "value", dtype);
        return b.Create(this, [resource, v], new() { { Dtype, v.dtype } });
    }
}
