using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// StopGradient: the input unchanged, but the gradient pass treats it as a constant (<c>tf.stop_gradient</c>):
/// nothing flows back through it.
/// </summary>
internal sealed class StopGradient : OpDef
{
    public static readonly StopGradient Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "StopGradient";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Input(0)));

    /// <summary><c>tf.stop_gradient(input)</c>.</summary>
    public static Tensor Build(TensorLike input, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "StopGradient", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype } }).outputs[0];
    }
}
