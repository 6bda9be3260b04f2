using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>MaxPool3D: the maximum of each ksize window of NDHWC volumes (<c>tf.nn.max_pool3d</c>).</summary>
internal sealed class MaxPool3D : OpDef
{
    public static readonly MaxPool3D Def = new();

    public override string Type => "MaxPool3D";

    internal static Shape PooledShape(InferenceContext ctx, Shape input)
    {
        var attrs = Volumetric.Of(ctx);
        attrs.Validate(m => ctx.Error(m));
        return attrs.OutputShape(input, attrs.Window(Shape.Unknown), input.IsKnownRank && input.ndims == 5 ? input[4] : -1, m => ctx.Error(m));
    }

    internal static Volume Geometry(OpKernelContext ctx, Shape input)
    {
        var attrs = Volumetric.Of(ctx.op);
        return attrs.Geometry(input, attrs.Window(Shape.Unknown), ctx.InvalidArgumentOf);
    }

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(Volumetric.CheckFloat(ctx, 0), PooledShape(ctx, ctx.InputShape(0)));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var g = Geometry(ctx, x.shape);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Volumetric.Output(g, g.Channels));
        if (x.dtype == DType.float32) VolumeKernels.Pool(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, max: true);
        else VolumeKernels.Pool(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, max: true);
    });

    /// <summary>TensorFlow's <c>_MaxPool3DGrad</c>: MaxPool3DGrad(input, output, grad).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [MaxPool3DGrad.Build(op.inputs[0], op.outputs[0], grads[0]!, Volumetric.Of(op))];

    internal static Tensor Build(TensorLike input, int[] ksize, int[] strides, string padding, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPool3D", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], Volumetric.ForPool(ksize, strides, padding).ToAttrs(x.dtype)).outputs[0];
    }
}
