using SharpFlow.Framework;

namespace SharpFlow.Ops.State;

/// <summary>IsVariableInitialized: whether the session holds a value for the variable (a bool scalar).</summary>
internal sealed class IsVariableInitialized : OpDef
{
    public static readonly IsVariableInitialized Def = new();
    internal static readonly OpAttr<DType> Dtype = new("dtype");

    public override string Type => "IsVariableInitialized";

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override bool IsRefInput(int index) => true;

    public override void InferShapes(InferenceContext ctx)
    {
        VariableV2.Of(ctx.Inputs[0], $"IsVariableInitialized \"{ctx.OpName}\"");
        ctx.AddOutput(DType.@bool, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var variable = VariableV2.Of(op.inputs[0], op.name);
        return OpKernel.From(ctx => ctx.AllocateOutput(0, DType.@bool, Shape.Scalar).AsSpan<bool>()[0] = ctx.Variables.Read(variable) is not null);
    }

    /// <summary><c>tf.is_variable_initialized(variable)</c>.</summary>
    public static Tensor Build(Tensor variable, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(variable);
        using var b = OpBuilder.Begin(name, "IsVariableInitialized", variable);
        return b.Create(Def, [variable.op.outputs[variable.value_index]], new() { { Dtype, variable.dtype } }).outputs[0];
    }
}
