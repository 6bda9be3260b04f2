using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>AvgPool3D: the mean of each ksize window of NDHWC volumes, padding not counted (<c>tf.nn.avg_pool3d</c>).</summary>
internal sealed class AvgPool3D : OpDef
{
    public static readonly AvgPool3D Def = new();

    public override string Type => "AvgPool3D";

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(Volumetric.CheckFloat(ctx, 0), MaxPool3D.PooledShape(ctx, ctx.InputShape(0)));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var g = MaxPool3D.Geometry(ctx, x.shape);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Volumetric.Output(g, g.Channels));
        if (x.dtype == DType.float32) VolumeKernels.Pool(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, max: false);
        else VolumeKernels.Pool(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, max: false);
    });

    /// <summary>TensorFlow's <c>_AvgPool3DGrad</c>: AvgPool3DGrad(shape(input), grad).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [AvgPool3DGrad.Build(Shapes.Of(op.inputs[0]), grads[0]!, Volumetric.Of(op))];

    internal static Tensor Build(TensorLike input, int[] ksize, int[] strides, string padding, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "AvgPool3D", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], Volumetric.ForPool(ksize, strides, padding).ToAttrs(x.dtype)).outputs[0];
    }
}
