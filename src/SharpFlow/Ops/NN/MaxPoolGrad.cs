using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// MaxPoolGrad: the gradient of MaxPool from the original input, the original output and the output's gradient;
/// each window's gradient goes to the window's first maximum.
/// </summary>
internal sealed class MaxPoolGrad : OpDef
{
    public static readonly MaxPoolGrad Def = new();

    public override string Type => "MaxPoolGrad";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = WindowAttrs.CheckFloat(ctx, 0);
        var pooled = Pooling.OutputShape(ctx, ctx.InputShape(0));
        if (!pooled.IsCompatibleWith(ctx.InputShape(2)))
            throw ctx.Error($"grad has shape {ctx.InputShape(2).ToListString()}, but pooling gives {pooled.ToListString()}");
        ctx.AddOutput(d, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, dy) = (ctx.Input(0), ctx.Input(2));
        var g = Pooling.Geometry(ctx, x.shape);
        WindowAttrs.CheckOutput(Pooling.Output(g), dy.shape, ctx, "grad");
        var dx = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        if (x.dtype == DType.float32) PoolingKernels.MaxPoolGrad(x.AsReadOnlySpan<float>(), dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), g);
        else PoolingKernels.MaxPoolGrad(x.AsReadOnlySpan<double>(), dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), g);
    });

    /// <summary>TensorFlow's <c>_MaxPoolGradGrad</c>: nothing for the original tensors, MaxPoolGradGrad for grad.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
    [
        ArrayOps.ZerosLike.Def.Apply(op.inputs[0], null, false, null),
        ArrayOps.ZerosLike.Def.Apply(op.inputs[1], null, false, null),
        MaxPoolGradGrad.Build(op.inputs[0], op.inputs[1], grads[0]!, WindowAttrs.Of(op)),
    ];

    internal static Tensor Build(Tensor origInput, Tensor origOutput, Tensor grad, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPoolGrad", origInput, origOutput, grad);
        var inputs = b.SameType("MaxPoolGrad", [origInput, origOutput, grad], ["orig_input", "orig_output", "grad"]);
        return b.Create(Def, inputs, attrs.ToAttrs(inputs[0].dtype)).outputs[0];
    }
}
