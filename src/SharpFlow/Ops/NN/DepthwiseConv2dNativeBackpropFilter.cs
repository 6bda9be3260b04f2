using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>DepthwiseConv2dNativeBackpropFilter: the gradient of a depthwise convolution with respect to its filter.</summary>
internal sealed class DepthwiseConv2dNativeBackpropFilter : OpDef
{
    public static readonly DepthwiseConv2dNativeBackpropFilter Def = new();

    public override string Type => "DepthwiseConv2dNativeBackpropFilter";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = Conv2D.CheckFloat(ctx, 0, 2);
        WindowAttrs.Of(ctx.Attrs).Validate(m => ctx.Error(m));
        var sizes = ctx.ShapeFromInput(1);
        Conv2D.CheckFilter(ctx, ctx.InputShape(0), sizes, "filter_sizes");
        ctx.AddOutput(dtype, sizes.IsKnownRank ? sizes : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var filterShape = Conv2DBackpropInput.InputSizes(ctx, 1, "filter_sizes");
        var (x, dy) = (ctx.Input(0), ctx.Input(2));
        var g = Conv2D.Geometry(ctx, x.shape, filterShape);
        WindowAttrs.CheckOutput(new Shape(g.Batch, g.OutHeight, g.OutWidth, filterShape[2] * filterShape[3]), dy.shape, ctx, "out_backprop");
        var df = ctx.AllocateOutput(0, dy.dtype, filterShape);
        if (dy.dtype == DType.float32) DepthwiseConv2DKernels.BackpropFilter(x.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), df.AsSpan<float>(), g, filterShape[3]);
        else DepthwiseConv2DKernels.BackpropFilter(x.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), df.AsSpan<double>(), g, filterShape[3]);
    });

    /// <summary>Linear in the input and in out_backprop, as Conv2DBackpropFilter.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (input, dy, g) = (op.inputs[0], op.inputs[2], grads[0]!);
        var attrs = WindowAttrs.Of(op.attrs);
        return [DepthwiseConv2dNativeBackpropInput.Build(Shapes.Of(input), g, dy, attrs), null, DepthwiseConv2dNative.Build(input, g, attrs)];
    }

    internal static Tensor Build(TensorLike input, Tensor filterSizes, TensorLike outBackprop, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "DepthwiseConv2dNativeBackpropFilter", input, filterSizes, outBackprop);
        var inputs = b.SameType("DepthwiseConv2dNativeBackpropFilter", [input, outBackprop], ["input", "out_backprop"]);
        var a = attrs.ToAttrs(inputs[0].dtype);
        a.Remove("use_cudnn_on_gpu");
        return b.Create(Def, [inputs[0], b.Convert(filterSizes, "filter_sizes"), inputs[1]], a).outputs[0];
    }
}
