using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// Assign: stores a value in a variable and outputs the variable. With <c>validate_shape</c> (the default) the
/// value must have the variable's shape; without, the variable takes the value's shape.
/// </summary>
internal sealed class Assign : OpDef
{
    public static readonly Assign Def = new();

    private static readonly OpAttr<bool> ValidateShape = new("validate_shape", true);
    private static readonly OpAttr<bool> UseLocking = new("use_locking", true);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Assign";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override bool IsRefInput(int index) => index == 0;

    public override bool IsRefOutput(int index) => true;

    public override void InferShapes(InferenceContext ctx)
    {
        VariableV2.Of(ctx.Inputs[0], $"Assign \"{ctx.OpName}\"");
        if (ctx.InputDType(0) != ctx.InputDType(1))
            throw ctx.TypeError($"cannot assign a {ctx.InputDType(1).name} value to a {ctx.InputDType(0).name} variable");
        var validate = ValidateShape.Of(ctx);
        if (validate && !ctx.InputShape(0).IsCompatibleWith(ctx.InputShape(1)))
            throw ctx.Error($"Shapes must be equal: the variable has shape {ctx.InputShape(0).ToListString()}, the value {ctx.InputShape(1).ToListString()}");
        ctx.AddOutput(ctx.InputDType(0), validate ? ctx.InputShape(0).MergeWith(ctx.InputShape(1)) : ctx.InputShape(1));
    }

    // String variables (tf.train.match_filenames_once) are assigned by replacing the value: byte strings have no in-place view.
    public override bool AcceptsStrings => true;

    public override OpKernel CreateKernel(Operation op)
    {
        var variable = VariableV2.Of(op.inputs[0], op.name);
        var validate = ValidateShape.Of(op);
        var useLocking = UseLocking.Of(op);
        var declared = VariableV2.ShapeAttr.Of(variable);
        return OpKernel.From(ctx =>
        {
            var value = ctx.Input(1);
            using var _ = useLocking ? ctx.Variables.Lock(variable) : null;
            var current = ctx.Variables.Read(variable);
            var lhs = current?.shape ?? declared;
            if (validate && !(current is null ? lhs.IsCompatibleWith(value.shape) : lhs == value.shape))
                throw ctx.InvalidArgument($"Assign requires shapes of both tensors to match. lhs shape= {lhs.ToListString()} rhs shape= {value.shape.ToListString()}");
            if (current is not null && current.shape == value.shape && value.dtype != DType.@string)
            {
                // Update in place, so readers that hold the buffer see the new value, as TensorFlow's ref variables.
                value.AsBytes().CopyTo(current.AsWritableBytes());
            }
            else
            {
                current = value.Copy(); // never alias a constant or a fed array
                ctx.Variables.Write(variable, current);
            }
            ctx.ForwardOutput(0, current);
        });
    }

    /// <summary><c>tf.assign(ref, value, validate_shape, use_locking)</c>.</summary>
    public static Tensor Build(Tensor reference, TensorLike value, bool validateShape = true, bool useLocking = true, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var b = OpBuilder.Begin(name, "Assign", reference, value);
        var v = b.Convert(value, "value", reference.dtype);
        var refTensor = reference.op.outputs[reference.value_index];
        return b.Create(Def, [refTensor, v], new() { { T, v.dtype }, { ValidateShape, validateShape }, { UseLocking, useLocking } }).outputs[0];
    }
}
