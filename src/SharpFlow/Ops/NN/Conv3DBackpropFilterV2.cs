using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv3DBackpropFilterV2(input, filter_sizes, out_backprop): the gradient of Conv3D with respect to its filter.
/// Linear in the input and in out_backprop.
/// </summary>
internal sealed class Conv3DBackpropFilterV2 : OpDef
{
    public static readonly Conv3DBackpropFilterV2 Def = new();

    public override string Type => "Conv3DBackpropFilterV2";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = Volumetric.CheckFloat(ctx, 0, 2);
        var attrs = Volumetric.Of(ctx);
        attrs.Validate(m => ctx.Error(m));
        var sizes = ctx.ShapeFromInput(1);
        Volumetric.CheckFilter(ctx, ctx.InputShape(0), sizes);
        var expected = attrs.OutputShape(ctx.InputShape(0), attrs.Window(sizes), sizes.IsKnownRank ? sizes[4] : -1, m => ctx.Error(m));
        if (!expected.IsCompatibleWith(ctx.InputShape(2)))
            throw ctx.Error($"out_backprop has shape {ctx.InputShape(2).ToListString()}, but the convolution gives {expected.ToListString()}");
        ctx.AddOutput(dtype, sizes.IsKnownRank ? sizes : Shape.UnknownDims(5));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var filterShape = Volumetric.ShapeInput(ctx, 1, "filter_sizes");
        var (x, dy) = (ctx.Input(0), ctx.Input(2));
        Conv3D.CheckRuntimeFilter(ctx, x.shape, filterShape);
        var attrs = Volumetric.Of(ctx.op);
        var g = attrs.Geometry(x.shape, attrs.Window(filterShape), ctx.InvalidArgumentOf);
        WindowAttrs.CheckOutput(Volumetric.Output(g, filterShape[4]), dy.shape, ctx, "out_backprop");
        var df = ctx.AllocateUninitializedOutput(0, dy.dtype, filterShape);
        if (dy.dtype == DType.float32) VolumeKernels.Conv3DBackpropFilter(x.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), df.AsSpan<float>(), g, filterShape[4]);
        else VolumeKernels.Conv3DBackpropFilter(x.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), df.AsSpan<double>(), g, filterShape[4]);
    });

    /// <summary>TensorFlow's <c>_Conv3DBackpropFilterGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (input, dy, g) = (op.inputs[0], op.inputs[2], grads[0]!);
        var attrs = Volumetric.Of(op);
        return [Conv3DBackpropInputV2.Build(Shapes.Of(input), g, dy, attrs), null, Conv3D.Build(input, g, attrs)];
    }

    internal static Tensor Build(TensorLike input, Tensor filterSizes, TensorLike outBackprop, Volumetric attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Conv3DBackpropFilterV2", input, filterSizes, outBackprop);
        var inputs = b.SameType("Conv3DBackpropFilterV2", [input, outBackprop], ["input", "out_backprop"]);
        return b.Create(Def, [inputs[0], b.Convert(filterSizes, "filter_sizes"), inputs[1]], attrs.ToAttrs(inputs[0].dtype)).outputs[0];
    }
}
