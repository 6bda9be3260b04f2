using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>AvgPoolGrad: the gradient of AvgPool from the original input's shape and the output's gradient.</summary>
internal sealed class AvgPoolGrad : OpDef
{
    public static readonly AvgPoolGrad Def = new();

    public override string Type => "AvgPoolGrad";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = WindowAttrs.CheckFloat(ctx, 1);
        var sizes = ctx.ShapeFromInput(0);
        if (sizes.IsKnownRank && sizes.ndims != 4) throw ctx.Error($"orig_input_shape must have 4 entries (NHWC), got {sizes.ToListString()}");
        var pooled = Pooling.OutputShape(ctx, sizes);
        if (!pooled.IsCompatibleWith(ctx.InputShape(1)))
            throw ctx.Error($"grad has shape {ctx.InputShape(1).ToListString()}, but pooling gives {pooled.ToListString()}");
        ctx.AddOutput(d, sizes.IsKnownRank ? sizes : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var shape = WindowAttrs.ShapeInput(ctx, 0, "orig_input_shape");
        var dy = ctx.Input(1);
        var g = Pooling.Geometry(ctx, shape);
        WindowAttrs.CheckOutput(Pooling.Output(g), dy.shape, ctx, "grad");
        var dx = ctx.AllocateUninitializedOutput(0, dy.dtype, shape);
        if (dy.dtype == DType.float32) PoolingKernels.AvgPoolGrad(dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g);
        else PoolingKernels.AvgPoolGrad(dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g);
    });

    /// <summary>AvgPoolGrad is linear in grad; its adjoint is AvgPool (TensorFlow's <c>_AvgPoolGradGrad</c>).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [null, AvgPool.Build(grads[0]!, WindowAttrs.Of(op))];

    internal static Tensor Build(Tensor origInputShape, Tensor grad, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "AvgPoolGrad", origInputShape, grad);
        var g = b.Convert(grad, "grad");
        return b.Create(Def, [b.Convert(origInputShape, "orig_input_shape"), g], attrs.ToAttrs(g.dtype)).outputs[0];
    }
}
