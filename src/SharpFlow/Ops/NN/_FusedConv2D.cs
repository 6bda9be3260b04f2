using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// TensorFlow's internal <c>_FusedConv2D</c> (input, filter, bias[, residual]) → act(conv2d(input, filter) + bias
/// [+ residual]), NHWC, with Conv2D's window attributes, <c>fused_ops</c> (<c>["BiasAdd"]</c>,
/// <c>["BiasAdd", "Relu"]</c>, <c>["BiasAdd", "Add", "Relu"]</c>, ...) and <c>num_args</c> (2 with the residual):
/// each chunk's product applies the bias, residual and activation to its tiles while they are in cache. Only the
/// graph optimizer's remapper makes it, in optimized plans: it is not in users' graphs and has no gradient.
/// </summary>
internal sealed class FusedConv2D : OpDef
{
    public static readonly FusedConv2D Def = new();

    public override string Type => "_FusedConv2D";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => FusedOps.InferShapes(ctx, Conv2D.Def);

    public override OpKernel CreateKernel(Operation op)
    {
        var fusion = FusedOps.FusionOf(op);
        var constant = new ConstantOperand(); // a constant filter is packed once for the session's runs
        return OpKernel.From(ctx =>
        {
            var (x, f) = (ctx.Input(0), ctx.Input(1));
            var g = ConvolutionFamily.Geometry(ctx, x.shape, f.shape);
            var channels = f.shape[3];
            FusedOps.Run(ctx, fusion, Shape.Interned([g.Batch, g.OutHeight, g.OutWidth, channels]), (y, bias, residual, activation) =>
            {
                if (x.dtype == DType.float32)
                    Conv2DKernels.Forward(x.AsReadOnlySpan<float>(), f.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, channels, FusedOps.Float(bias, residual, activation),
                        constant?.Filter(f));
                else
                    Conv2DKernels.Forward(x.AsReadOnlySpan<double>(), f.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, channels, FusedOps.Double(bias, residual, activation));
            });
        });
    }
}
