using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// PreventGradient: the input unchanged, but differentiating through it is an error (TensorFlow's
/// <c>array_ops.prevent_gradient</c>): a gradient rule wraps a value whose own gradient is not defined, such as the
/// fused backprop of the sparse softmax cross entropy, so a second derivative fails with the reason in
/// <c>message</c>.
/// </summary>
internal sealed class PreventGradient : OpDef
{
    public static readonly PreventGradient Def = new();

    private static readonly OpAttr<string> Message = new("message", "");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "PreventGradient";

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(ctx.InputDType(0), ctx.InputShape(0));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx => ctx.ForwardOutput(0, ctx.Input(0)));

    /// <summary>Always an error: TensorFlow's <c>_PreventGradientGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        throw new LookupError($"Gradient explicitly disabled. Reason: {Message.Of(op)}");

    /// <summary><c>prevent_gradient(input, message)</c>.</summary>
    public static Tensor Build(TensorLike input, string message = "", string? name = null)
    {
        using var b = OpBuilder.Begin(name, "PreventGradient", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], new() { { T, x.dtype }, { Message, message } }).outputs[0];
    }
}
