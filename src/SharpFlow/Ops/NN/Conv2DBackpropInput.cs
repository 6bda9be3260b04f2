using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv2DBackpropInput: the gradient of Conv2D with respect to its input, from the input's shape
/// (<c>input_sizes</c>), the filter and the output's gradient (<c>out_backprop</c>). It is also the transposed
/// convolution (<c>tf.nn.conv2d_transpose</c>).
/// </summary>
internal sealed class Conv2DBackpropInput : OpDef
{
    public static readonly Conv2DBackpropInput Def = new();

    public override string Type => "Conv2DBackpropInput";

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
        var inputShape = InputSizes(ctx, 0, "input_sizes");
        var (f, dy) = (ctx.Input(1), ctx.Input(2));
        var g = Conv2D.Geometry(ctx, inputShape, f.shape);
        WindowAttrs.CheckOutput(new Shape(g.Batch, g.OutHeight, g.OutWidth, f.shape[3]), dy.shape, ctx, "out_backprop");
        var dx = ctx.AllocateOutput(0, dy.dtype, inputShape);
        if (dy.dtype == DType.float32) Conv2DKernels.BackpropInput(f.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g, f.shape[3]);
        else Conv2DKernels.BackpropInput(f.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g, f.shape[3]);
    });

    /// <summary>A shape given as an int32 vector input, checked.</summary>
    internal static Shape InputSizes(OpKernelContext ctx, int index, string name)
    {
        var v = ctx.Input(index);
        if (v.ndim != 1 || v.shape[0] != 4 || v.dtype != DType.int32)
            throw ctx.InvalidArgument($"{name} must be an int32 vector of 4 entries, got {v.dtype.name} {v.shape.ToListString()}");
        var dims = v.AsReadOnlySpan<int>().ToArray();
        if (dims.Any(d => d < 0)) throw ctx.InvalidArgument($"{name} must not be negative, got [{string.Join(", ", dims)}]");
        return new Shape(dims);
    }

    /// <summary>TensorFlow's <c>_Conv2DBackpropInputGrad</c>: linear in the filter and in out_backprop.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (filter, dy, g) = (op.inputs[1], op.inputs[2], grads[0]!);
        var attrs = WindowAttrs.Of(op.attrs);
        return [null, Conv2DBackpropFilter.Build(g, Shapes.Of(filter), dy, attrs), Conv2D.Build(g, filter, attrs)];
    }

    internal static Tensor Build(Tensor inputSizes, TensorLike filter, TensorLike outBackprop, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Conv2DBackpropInput", inputSizes, filter, outBackprop);
        var inputs = b.SameType("Conv2DBackpropInput", [filter, outBackprop], ["filter", "out_backprop"]);
        return b.Create(Def, [b.Convert(inputSizes, "input_sizes"), inputs[0], inputs[1]], attrs.ToAttrs(inputs[0].dtype)).outputs[0];
    }
}
