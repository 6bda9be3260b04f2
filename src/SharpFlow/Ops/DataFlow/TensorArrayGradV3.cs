using SharpFlow.Framework;

namespace SharpFlow.Ops.DataFlow;

/// <summary>
/// TensorArrayGradV3: the gradient array of a TensorArray for one gradient computation (<c>source</c>), created
/// on first use with the forward array's size and element shape; repeated writes to it are summed.
/// </summary>
internal sealed class TensorArrayGradV3 : TensorArrayOp
{
    public static readonly TensorArrayGradV3 Def = new();

    private static readonly OpAttr<string> Source = new("source");

    public override string Type => "TensorArrayGradV3";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        CheckHandle(ctx);
        ctx.AddOutput(DType.resource, Shape.Scalar);
        ctx.AddOutput(DType.float32, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var source = Source.Of(op);
        return OpKernel.From(ctx =>
        {
            var array = RunTensorArray.Of(ctx.Input(0), ctx.InvalidArgument);
            ctx.ForwardOutput(0, RunTensorArray.Handle(array.Grad(source)));
            Flow(ctx, 1);
        });
    }

    /// <summary>
    /// The gradient computation a gradient tensor belongs to: its name up to the last <c>gradients</c> scope
    /// (TensorFlow's <c>_GetGradSource</c>), so two <c>tf.gradients</c> calls use two gradient arrays.
    /// </summary>
    public static string GradSource(Tensor gradient)
    {
        var tokens = gradient.name.Split('/');
        var last = System.Array.FindLastIndex(tokens, t => t.StartsWith("gradients", StringComparison.Ordinal));
        if (last < 0)
            throw new ValueError($"Expected op/tensor name to start with gradients (excluding scope), got: {gradient.name}");
        return string.Join('/', tokens[..(last + 1)]);
    }

    public static (Tensor Handle, Tensor Flow) Build(Tensor handle, Tensor flow, string source)
    {
        using var b = OpBuilder.Begin(handle.graph, null, "TensorArrayGrad");
        var op = b.Create(Def, [handle, flow], new() { { Source, source } });
        return (op.outputs[0], op.outputs[1]);
    }
}
