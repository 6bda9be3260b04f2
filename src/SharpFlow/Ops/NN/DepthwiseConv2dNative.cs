using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// DepthwiseConv2dNative: each input channel convolved with its own filters (<c>tf.nn.depthwise_conv2d</c>); the
/// filter is <c>[kh, kw, in_channels, channel_multiplier]</c> and the output has <c>in_channels·multiplier</c>
/// channels.
/// </summary>
internal sealed class DepthwiseConv2dNative : OpDef
{
    public static readonly DepthwiseConv2dNative Def = new();

    public override string Type => "DepthwiseConv2dNative";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = Conv2D.CheckFloat(ctx, 0, 1);
        var attrs = WindowAttrs.Of(ctx.Attrs);
        attrs.Validate(m => ctx.Error(m));
        var (input, filter) = (ctx.InputShape(0), ctx.InputShape(1));
        Conv2D.CheckFilter(ctx, input, filter, "filter");
        var (kh, kw) = attrs.Window(filter);
        ctx.AddOutput(dtype, attrs.OutputShape(input, kh, kw, OutChannels(filter), m => ctx.Error(m)));
    }

    /// <summary>in_channels·multiplier, -1 when unknown.</summary>
    internal static int OutChannels(Shape filter) =>
        filter.IsKnownRank && filter[2] >= 0 && filter[3] >= 0 ? filter[2] * filter[3] : -1;

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, f) = (ctx.Input(0), ctx.Input(1));
        var g = Conv2D.Geometry(ctx, x.shape, f.shape);
        var y = ctx.AllocateOutput(0, x.dtype, new Shape(g.Batch, g.OutHeight, g.OutWidth, f.shape[2] * f.shape[3]));
        if (x.dtype == DType.float32) DepthwiseConv2DKernels.Forward(x.AsReadOnlySpan<float>(), f.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, f.shape[3]);
        else DepthwiseConv2DKernels.Forward(x.AsReadOnlySpan<double>(), f.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, f.shape[3]);
    });

    /// <summary>The two backprop ops with the same window attributes.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (input, filter, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var attrs = WindowAttrs.Of(op.attrs);
        return
        [
            DepthwiseConv2dNativeBackpropInput.Build(Shapes.Of(input), filter, g, attrs),
            DepthwiseConv2dNativeBackpropFilter.Build(input, Shapes.Of(filter), g, attrs),
        ];
    }

    internal static Tensor Build(TensorLike input, TensorLike filter, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "DepthwiseConv2dNative", input, filter);
        var inputs = b.SameType("DepthwiseConv2dNative", [input, filter], ["input", "filter"]);
        var a = attrs.ToAttrs(inputs[0].dtype);
        a.Remove("use_cudnn_on_gpu");
        return b.Create(Def, inputs, a).outputs[0];
    }
}
