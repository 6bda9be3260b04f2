using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>
/// InitializedValue (SharpFlow's own op type): the variable's value if the session has initialized it, else its
/// initial value. This is what TensorFlow 1.15 builds for <c>Variable.initialized_value()</c> out of
/// <c>cond(is_variable_initialized(v), v.read_value, lambda: v.initial_value)</c>; SharpFlow has no
/// control-flow ops, so one op does it. Like the cond's branches, the initial value is computed either way.
/// </summary>
internal sealed class InitializedValue : OpDef
{
    public static readonly InitializedValue Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "InitializedValue";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override bool IsRefInput(int index) => index == 0;

    public override void InferShapes(InferenceContext ctx)
    {
        VariableV2.Of(ctx.Inputs[0], $"InitializedValue \"{ctx.OpName}\"");
        ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var variable = VariableV2.Of(op.inputs[0], op.name);
        return OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Variables.Read(variable) ?? ctx.Input(1)));
    }

    /// <summary>Builds the op for a variable and its initial value.</summary>
    public static Tensor Build(Tensor variableRef, Tensor initialValue)
    {
        using var b = OpBuilder.Begin(null, "cond", variableRef, initialValue);
        return b.Create(Def, [variableRef, initialValue], new() { { T, variableRef.dtype } }).outputs[0];
    }
}
