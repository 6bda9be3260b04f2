using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>
/// TensorFlow's internal <c>_FusedConv2D</c> (input, filter, bias) → act(conv2d(input, filter) + bias), NHWC, with
/// Conv2D's window attributes and <c>fused_ops</c> (<c>["BiasAdd"]</c> or <c>["BiasAdd", "Relu"]</c>): the bias and
/// activation applied in place on the convolution's output. Only the graph optimizer's remapper makes it, in
/// optimized plans: it is not in users' graphs and has no gradient.
/// </summary>
internal sealed class FusedConv2D : OpDef
{
    public static readonly FusedConv2D Def = new();

    public override string Type => "_FusedConv2D";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        Conv2D.Def.InferShapes(ctx);
        FusedOps.CheckBias(ctx, ctx.Outputs[0].Shape);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var activation = FusedOps.ActivationOf(op);
        return OpKernel.From(ctx =>
        {
            var (x, f, bias) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
            var g = ConvolutionFamily.Geometry(ctx, x.shape, f.shape);
            var y = ctx.AllocateUninitializedOutput(0, x.dtype, new Shape(g.Batch, g.OutHeight, g.OutWidth, f.shape[3]));
            ConvolutionFamily.Standard.RunForward(x, f, y, g);
            FusedOps.Epilogue(ctx, y, bias, activation);
        });
    }
}
