using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// TensorFlow's internal <c>_FusedDepthwiseConv2dNative</c> (input, filter, bias) →
/// act(depthwise_conv2d(input, filter) + bias), NHWC, with DepthwiseConv2dNative's window attributes and
/// <c>fused_ops</c> (<c>["BiasAdd"]</c> or <c>["BiasAdd", act]</c>): the depthwise kernel, then the bias and
/// activation in place, block by block, with the float operations of the separate kernels. Only the graph
/// optimizer's remapper makes it, in optimized plans: it is not in users' graphs and has no gradient.
/// </summary>
internal sealed class FusedDepthwiseConv2dNative : OpDef
{
    public static readonly FusedDepthwiseConv2dNative Def = new();

    public override string Type => "_FusedDepthwiseConv2dNative";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx) => FusedOps.InferShapes(ctx, DepthwiseConv2dNative.Def);

    public override OpKernel CreateKernel(Operation op)
    {
        var fusion = FusedOps.FusionOf(op);
        return OpKernel.From(ctx =>
        {
            var (x, f) = (ctx.Input(0), ctx.Input(1));
            var g = ConvolutionFamily.Geometry(ctx, x.shape, f.shape);
            var multiplier = f.shape[3];
            var channels = f.shape[2] * multiplier;
            FusedOps.Run(ctx, fusion, Shape.Interned([g.Batch, g.OutHeight, g.OutWidth, channels]), (y, bias, residual, activation) =>
            {
                if (x.dtype == DType.float32)
                {
                    DepthwiseConv2DKernels.Forward(x.AsReadOnlySpan<float>(), f.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, multiplier);
                    Gemm.ApplyEpilogue(y.AsSpan<float>(), channels, FusedOps.Float(bias, residual, activation));
                }
                else
                {
                    DepthwiseConv2DKernels.Forward(x.AsReadOnlySpan<double>(), f.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, multiplier);
                    Gemm.ApplyEpilogue(y.AsSpan<double>(), channels, FusedOps.Double(bias, residual, activation));
                }
            });
        });
    }
}
