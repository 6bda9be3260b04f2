using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// MaxPool3DGrad(orig_input, orig_output, grad): each window's gradient goes to its first maximum. Its own gradient
/// (TensorFlow's MaxPool3DGradGrad) is not implemented: marked not differentiable.
/// </summary>
internal sealed class MaxPool3DGrad : OpDef
{
    public static readonly MaxPool3DGrad Def = new();
    internal static readonly OpAttr<DType> TInput = new("TInput", DType.float32);

    public override string Type => "MaxPool3DGrad";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var d = Volumetric.CheckFloat(ctx, 0, 1, 2);
        var pooled = MaxPool3D.PooledShape(ctx, ctx.InputShape(0));
        if (!pooled.IsCompatibleWith(ctx.InputShape(2)))
            throw ctx.Error($"grad has shape {ctx.InputShape(2).ToListString()}, but pooling gives {pooled.ToListString()}");
        ctx.AddOutput(d, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, dy) = (ctx.Input(0), ctx.Input(2));
        var g = MaxPool3D.Geometry(ctx, x.shape);
        WindowAttrs.CheckOutput(Volumetric.Output(g, g.Channels), dy.shape, ctx, "grad");
        var dx = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        if (x.dtype == DType.float32) VolumeKernels.MaxPoolGrad(x.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g);
        else VolumeKernels.MaxPoolGrad(x.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g);
    });

    internal static Tensor Build(Tensor origInput, Tensor origOutput, Tensor grad, Volumetric attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPool3DGrad", origInput, origOutput, grad);
        var inputs = b.SameType("MaxPool3DGrad", [origInput, origOutput, grad], ["orig_input", "orig_output", "grad"]);
        var a = attrs.ToAttrs(inputs[0].dtype);
        TInput.Set(a, inputs[0].dtype);
        return b.Create(Def, inputs, a).outputs[0];
    }
}
