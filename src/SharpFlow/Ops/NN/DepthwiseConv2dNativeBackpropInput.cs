using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>DepthwiseConv2dNativeBackpropInput: the gradient of a depthwise convolution with respect to its input.</summary>
internal sealed class DepthwiseConv2dNativeBackpropInput : OpDef
{
    public static readonly DepthwiseConv2dNativeBackpropInput Def = new();

    public override string Type => "DepthwiseConv2dNativeBackpropInput";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = Conv2D.CheckFloat(ctx, 1, 2);
        WindowAttrs.Of(ctx.Attrs).Validate(m => ctx.Error(m));
        var sizes = ctx.ShapeFromInput(0);
        if (sizes.IsKnownRank && sizes.ndims != 4) throw ctx.Error($"input_sizes must have 4 entries (NHWC), got {sizes.ToListString()}");
        Conv2D.CheckFilter(ctx, sizes, ctx.InputShape(1), "filter");
        ctx.AddOutput(dtype, sizes.IsKnownRank ? sizes : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var inputShape = Conv2DBackpropInput.InputSizes(ctx, 0, "input_sizes");
        var (f, dy) = (ctx.Input(1), ctx.Input(2));
        var g = Conv2D.Geometry(ctx, inputShape, f.shape);
        WindowAttrs.CheckOutput(new Shape(g.Batch, g.OutHeight, g.OutWidth, f.shape[2] * f.shape[3]), dy.shape, ctx, "out_backprop");
        var dx = ctx.AllocateOutput(0, dy.dtype, inputShape);
        if (dy.dtype == DType.float32) DepthwiseConv2DKernels.BackpropInput(f.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g, f.shape[3]);
        else DepthwiseConv2DKernels.BackpropInput(f.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g, f.shape[3]);
    });

    /// <summary>Linear in the filter and in out_backprop, as Conv2DBackpropInput.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (filter, dy, g) = (op.inputs[1], op.inputs[2], grads[0]!);
        var attrs = WindowAttrs.Of(op.attrs);
        return [null, DepthwiseConv2dNativeBackpropFilter.Build(g, Shapes.Of(filter), dy, attrs), DepthwiseConv2dNative.Build(g, filter, attrs)];
    }

    internal static Tensor Build(Tensor inputSizes, TensorLike filter, TensorLike outBackprop, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "DepthwiseConv2dNativeBackpropInput", inputSizes, filter, outBackprop);
        var inputs = b.SameType("DepthwiseConv2dNativeBackpropInput", [filter, outBackprop], ["filter", "out_backprop"]);
        var a = attrs.ToAttrs(inputs[0].dtype);
        a.Remove("use_cudnn_on_gpu");
        return b.Create(Def, [b.Convert(inputSizes, "input_sizes"), inputs[0], inputs[1]], a).outputs[0];
    }
}
