using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.State;

/// <summary>
/// The shared rule of AssignAdd and AssignSub: update an initialized variable in place with a value of exactly
/// its shape, and output the variable.
/// </summary>
internal abstract class AssignUpdateOp : OpDef
{
    private static readonly OpAttr<bool> UseLocking = new("use_locking");
    internal static readonly OpAttr<DType> T = new("T");

    public override bool IsStateful => true;

    public override bool IsRefInput(int index) => index == 0;

    public override bool IsRefOutput(int index) => true;

    /// <summary>Updates <paramref name="variable"/> with <paramref name="value"/> in place.</summary>
    protected abstract void Update(NDArray variable, NDArray value);

    public override void InferShapes(InferenceContext ctx)
    {
        VariableV2.Of(ctx.Inputs[0], $"{Type} \"{ctx.OpName}\"");
        if (ctx.InputDType(0) != ctx.InputDType(1))
            throw ctx.TypeError($"cannot update a {ctx.InputDType(0).name} variable with a {ctx.InputDType(1).name} value");
        if (!ctx.InputDType(0).IsNumeric) throw ctx.TypeError($"dtype {ctx.InputDType(0).name} is not supported");
        if (!ctx.InputShape(0).IsCompatibleWith(ctx.InputShape(1)))
            throw ctx.Error($"Shapes must be equal: the variable has shape {ctx.InputShape(0).ToListString()}, the value {ctx.InputShape(1).ToListString()}");
        ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var variable = VariableV2.Of(op.inputs[0], op.name);
        var useLocking = UseLocking.Of(op);
        return OpKernel.From(ctx =>
        {
            using var _ = useLocking ? ctx.Variables.Lock(variable) : null;
            var current = ctx.Variables.Read(variable)
                          ?? throw new FailedPreconditionError(VariableV2.UninitializedMessage(variable), ctx.op.name);
            var value = ctx.Input(1);
            if (current.shape != value.shape)
                throw ctx.InvalidArgument($"Cannot update variable with shape {current.shape.ToListString()} using a Tensor with shape {value.shape.ToListString()}, shapes must be equal.");
            Update(current, value);
            ctx.ForwardOutput(0, current);
        });
    }

    /// <summary>Builds the op on a variable reference.</summary>
    public Tensor Apply(Tensor reference, TensorLike value, bool useLocking, string? name, string defaultName)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var b = OpBuilder.Begin(name, defaultName, reference, value);
        var v = b.Convert(value, "value", reference.dtype);
        var refTensor = reference.op.outputs[reference.value_index];
        return b.Create(this, [refTensor, v], new() { { T, v.dtype }, { UseLocking, useLocking } }).outputs[0];
    }
}
