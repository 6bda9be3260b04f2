using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// ReadVariableOp: the current value of the resource variable behind <c>resource</c> (attribute <c>dtype</c>). Its
/// shape is the VarHandleOp's <c>shape</c> where the handle comes straight from one. Reading a variable that holds no
/// value is TensorFlow's FailedPreconditionError ("Error while reading resource variable v from Container:
/// localhost. This could mean that the variable was uninitialized. ..."); a dtype other than the variable's is an
/// InvalidArgumentError. The gradient passes through to the handle (TensorFlow's <c>_ReadGrad</c>), which is how
/// <c>tf.gradients</c> reaches a resource variable.
/// </summary>
internal sealed class ReadVariableOp : OpDef
{
    public static readonly ReadVariableOp Def = new();

    private static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "ReadVariableOp";

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.resource) throw ctx.TypeError($"Input 'resource' must be a resource handle, got {ctx.InputDType(0).name}");
        var dtype = Dtype.Of(ctx);
        var shape = Shape.Unknown;
        if (VarHandleOp.Producer(ctx.Inputs[0]) is { } handle)
        {
            if (VarHandleOp.Dtype.Of(handle) != dtype)
                throw ctx.TypeError($"Trying to read variable with wrong dtype. Expected {VarHandleOp.Dtype.Of(handle).name} got {dtype.name}");
            shape = VarHandleOp.ShapeAttr.Of(handle);
        }
        ctx.AddOutput(dtype, shape);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var dtype = Dtype.Of(op);
        return OpKernel.From(ctx =>
        {
            var handle = ResourceVariableHandle.Of(ctx.Input(0), ctx.InvalidArgumentOf);
            NDArray value;
            using (ctx.Variables.Lock(handle.Key))
            {
                value = handle.Read(ctx, ctx.op.name);
                if (value.dtype != dtype)
                    throw ctx.InvalidArgument($"Trying to read variable with wrong dtype. Expected {value.dtype.name} got {dtype.name}");
                // A copy: later assignments (in place, as TensorFlow's copy-on-write buffers allow) must not change a value already read.
                value = value.Copy();
            }
            ctx.ForwardOutput(0, value);
        });
    }

    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [grads[0]];

    /// <summary><c>gen_resource_variable_ops.read_variable_op(resource, dtype)</c>.</summary>
    public static Tensor Build(Tensor resource, DType dtype, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        using var b = OpBuilder.Begin(name, "ReadVariableOp", resource);
        return b.Create(Def, [resource], new() { { Dtype, dtype } }).outputs[0];
    }
}
