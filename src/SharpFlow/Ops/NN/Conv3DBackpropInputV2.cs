using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv3DBackpropInputV2(input_sizes, filter, out_backprop): the gradient of Conv3D with respect to its input, of
/// shape input_sizes. Linear in the filter and in out_backprop, so its gradients are the other two 3-D convolutions.
/// </summary>
internal sealed class Conv3DBackpropInputV2 : OpDef
{
    public static readonly Conv3DBackpropInputV2 Def = new();
    internal static readonly OpAttr<DType> Tshape = new("Tshape", DType.int32);

    public override string Type => "Conv3DBackpropInputV2";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = Volumetric.CheckFloat(ctx, 1, 2);
        var attrs = Volumetric.Of(ctx);
        attrs.Validate(m => ctx.Error(m));
        var sizes = ctx.ShapeFromInput(0);
        if (sizes.IsKnownRank && sizes.ndims != 5) throw ctx.Error($"input_sizes must have 5 entries (NDHWC), got {sizes.ToListString()}");
        Volumetric.CheckFilter(ctx, sizes, ctx.InputShape(1));
        var filter = ctx.InputShape(1);
        var expected = attrs.OutputShape(sizes, attrs.Window(filter), filter.IsKnownRank ? filter[4] : -1, m => ctx.Error(m));
        if (!expected.IsCompatibleWith(ctx.InputShape(2)))
            throw ctx.Error($"out_backprop has shape {ctx.InputShape(2).ToListString()}, but the convolution gives {expected.ToListString()}");
        ctx.AddOutput(dtype, sizes.IsKnownRank ? sizes : Shape.UnknownDims(5));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var inputShape = Volumetric.ShapeInput(ctx, 0, "input_sizes");
        var (f, dy) = (ctx.Input(1), ctx.Input(2));
        Conv3D.CheckRuntimeFilter(ctx, inputShape, f.shape);
        var attrs = Volumetric.Of(ctx.op);
        var g = attrs.Geometry(inputShape, attrs.Window(f.shape), ctx.InvalidArgumentOf);
        WindowAttrs.CheckOutput(Volumetric.Output(g, f.shape[4]), dy.shape, ctx, "out_backprop");
        var dx = ctx.AllocateUninitializedOutput(0, dy.dtype, inputShape);
        if (dy.dtype == DType.float32) VolumeKernels.Conv3DBackpropInput(f.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g, f.shape[4]);
        else VolumeKernels.Conv3DBackpropInput(f.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g, f.shape[4]);
    });

    /// <summary>TensorFlow's <c>_Conv3DBackpropInputGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (filter, dy, g) = (op.inputs[1], op.inputs[2], grads[0]!);
        var attrs = Volumetric.Of(op);
        return [null, Conv3DBackpropFilterV2.Build(g, Shapes.Of(filter), dy, attrs), Conv3D.Build(g, filter, attrs)];
    }

    internal static Tensor Build(Tensor inputSizes, TensorLike filter, TensorLike outBackprop, Volumetric attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Conv3DBackpropInputV2", inputSizes, filter, outBackprop);
        var inputs = b.SameType("Conv3DBackpropInputV2", [filter, outBackprop], ["filter", "out_backprop"]);
        var sizes = b.Convert(inputSizes, "input_sizes");
        var a = attrs.ToAttrs(inputs[0].dtype);
        Tshape.Set(a, sizes.dtype);
        return b.Create(Def, [sizes, inputs[0], inputs[1]], a).outputs[0];
    }
}
