using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// MaxPoolGradGrad: the gradient of MaxPoolGrad with respect to its <c>grad</c> input: each pooled position takes
/// the value of its window's maximum in <c>grad</c> (shaped as the original input).
/// </summary>
internal sealed class MaxPoolGradGrad : OpDef
{
    public static readonly MaxPoolGradGrad Def = new();

    public override string Type => "MaxPoolGradGrad";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = WindowAttrs.CheckFloat(ctx, 0);
        if (!ctx.InputShape(0).IsCompatibleWith(ctx.InputShape(2)))
            throw ctx.Error($"grad has shape {ctx.InputShape(2).ToListString()}, but the original input has {ctx.InputShape(0).ToListString()}");
        ctx.AddOutput(d, Pooling.OutputShape(ctx, ctx.InputShape(0)));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, ddx) = (ctx.Input(0), ctx.Input(2));
        var g = Pooling.Geometry(ctx, x.shape);
        WindowAttrs.CheckOutput(x.shape, ddx.shape, ctx, "grad");
        var ddy = ctx.AllocateOutput(0, x.dtype, Pooling.Output(g));
        if (x.dtype == DType.float32) PoolingKernels.MaxPoolGradGrad(x.AsReadOnlySpan<float>(), ddx.AsReadOnlySpan<float>(), ddy.AsSpan<float>(), g);
        else PoolingKernels.MaxPoolGradGrad(x.AsReadOnlySpan<double>(), ddx.AsReadOnlySpan<double>(), ddy.AsSpan<double>(), g);
    });

    /// <summary>TensorFlow's <c>_MaxPoolGradGradGrad</c>: MaxPoolGrad for grad, nothing for the original tensors.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
    [
        ArrayOps.ZerosLike.Def.Apply(op.inputs[0], null, false, null),
        ArrayOps.ZerosLike.Def.Apply(op.inputs[1], null, false, null),
        MaxPoolGrad.Build(op.inputs[0], op.inputs[1], grads[0]!, WindowAttrs.Of(op)),
    ];

    internal static Tensor Build(Tensor origInput, Tensor origOutput, Tensor grad, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPoolGradGrad", origInput, origOutput, grad);
        var inputs = b.SameType("MaxPoolGradGrad", [origInput, origOutput, grad], ["orig_input", "orig_output", "grad"]);
        return b.Create(Def, inputs, attrs.ToAttrs(inputs[0].dtype)).outputs[0];
    }
}
