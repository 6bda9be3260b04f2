using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// AvgPool3DGrad(orig_input_shape, grad): each window's gradient spread evenly over its taps inside the volume.
/// Linear in grad: its gradient is AvgPool3D of the incoming gradient.
/// </summary>
internal sealed class AvgPool3DGrad : OpDef
{
    public static readonly AvgPool3DGrad Def = new();

    public override string Type => "AvgPool3DGrad";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = Volumetric.CheckFloat(ctx, 1);
        var sizes = ctx.ShapeFromInput(0);
        if (sizes.IsKnownRank && sizes.ndims != 5) throw ctx.Error($"orig_input_shape must have 5 entries (NDHWC), got {sizes.ToListString()}");
        var pooled = MaxPool3D.PooledShape(ctx, sizes);
        if (!pooled.IsCompatibleWith(ctx.InputShape(1)))
            throw ctx.Error($"grad has shape {ctx.InputShape(1).ToListString()}, but pooling gives {pooled.ToListString()}");
        ctx.AddOutput(d, sizes.IsKnownRank ? sizes : Shape.UnknownDims(5));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var shape = Volumetric.ShapeInput(ctx, 0, "orig_input_shape");
        var dy = ctx.Input(1);
        var g = MaxPool3D.Geometry(ctx, shape);
        WindowAttrs.CheckOutput(Volumetric.Output(g, g.Channels), dy.shape, ctx, "grad");
        var dx = ctx.AllocateUninitializedOutput(0, dy.dtype, shape);
        if (dy.dtype == DType.float32) VolumeKernels.AvgPoolGrad(dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g);
        else VolumeKernels.AvgPoolGrad(dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g);
    });

    /// <summary>TensorFlow's <c>_AvgPool3DGradGrad</c>: nothing for the shape, AvgPool3D of the gradient for grad.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var pool = Volumetric.Of(op);
        return [null, AvgPool3D.Build(grads[0]!, pool.Ksize!, pool.Strides, pool.Padding)];
    }

    internal static Tensor Build(Tensor origInputShape, TensorLike grad, Volumetric attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "AvgPool3DGrad", origInputShape, grad);
        var g = b.Convert(grad, "grad");
        return b.Create(Def, [b.Convert(origInputShape, "orig_input_shape"), g], attrs.ToAttrs(g.dtype)).outputs[0];
    }
}
