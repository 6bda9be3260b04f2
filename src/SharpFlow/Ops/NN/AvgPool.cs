using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// AvgPool: the mean of each ksize window of NHWC images (<c>tf.nn.avg_pool</c>), over the window's elements
/// inside the image (padding is not counted).
/// </summary>
internal sealed class AvgPool : OpDef
{
    public static readonly AvgPool Def = new();

    public override string Type => "AvgPool";

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(WindowAttrs.CheckFloat(ctx, 0), Pooling.OutputShape(ctx, ctx.InputShape(0)));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var g = Pooling.Geometry(ctx, x.shape);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Pooling.Output(g));
        if (x.dtype == DType.float32) PoolingKernels.AvgPool(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), g);
        else PoolingKernels.AvgPool(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), g);
    });

    /// <summary>Each window's gradient is shared equally among its elements (AvgPoolGrad).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [AvgPoolGrad.Build(Shapes.Of(op.inputs[0]), grads[0]!, WindowAttrs.Of(op))];

    /// <summary><c>tf.nn.avg_pool(value, ksize, strides, padding)</c>.</summary>
    public static Tensor Build(TensorLike value, int[] ksize, int[] strides, string padding, string? name = null) =>
        Build(value, WindowAttrs.ForPool(ksize, strides, padding), name);

    internal static Tensor Build(TensorLike value, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "AvgPool", value);
        var x = b.Convert(value, "value");
        return b.Create(Def, [x], attrs.ToAttrs(x.dtype)).outputs[0];
    }
}
