using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>MaxPool: the maximum of each ksize window of NHWC images (<c>tf.nn.max_pool</c>).</summary>
internal sealed class MaxPool : OpDef
{
    public static readonly MaxPool Def = new();

    public override string Type => "MaxPool";

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(WindowAttrs.CheckFloat(ctx, 0), Pooling.OutputShape(ctx, ctx.InputShape(0)));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var g = Pooling.Geometry(ctx, x.shape);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Pooling.Output(g));
        if (x.dtype == DType.float32) PoolingKernels.MaxPool(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), g);
        else PoolingKernels.MaxPool(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), g);
    });

    /// <summary>The gradient goes to each window's maximum (MaxPoolGrad).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [MaxPoolGrad.Build(op.inputs[0], op.outputs[0], grads[0]!, WindowAttrs.Of(op.attrs))];

    /// <summary><c>tf.nn.max_pool(value, ksize, strides, padding)</c>.</summary>
    public static Tensor Build(TensorLike value, int[] ksize, int[] strides, string padding, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPool", value);
        var x = b.Convert(value, "input");
        return b.Create(Def, [x], WindowAttrs.ForPool(ksize, strides, padding).ToAttrs(x.dtype)).outputs[0];
    }
}
