using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv3D: the 3-D convolution of NDHWC volumes with a <c>[kd, kh, kw, in, out]</c> filter (<c>tf.nn.conv3d</c>), with
/// 5-entry strides and dilations and SAME or VALID padding. Plain loops (<see cref="VolumeKernels"/>).
/// </summary>
internal sealed class Conv3D : OpDef
{
    public static readonly Conv3D Def = new();

    public override string Type => "Conv3D";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = Volumetric.CheckFloat(ctx, 0, 1);
        var attrs = Volumetric.Of(ctx);
        attrs.Validate(m => ctx.Error(m));
        var (input, filter) = (ctx.InputShape(0), ctx.InputShape(1));
        Volumetric.CheckFilter(ctx, input, filter);
        ctx.AddOutput(dtype, attrs.OutputShape(input, attrs.Window(filter), filter.IsKnownRank ? filter[4] : -1, m => ctx.Error(m)));
    }

    internal static void CheckRuntimeFilter(OpKernelContext ctx, Shape input, Shape filter)
    {
        if (filter.ndims != 5) throw ctx.InvalidArgument($"filter must be 5-dimensional, got shape {filter.ToListString()}");
        if (input.ndims == 5 && input[4] != filter[3])
            throw ctx.InvalidArgument($"input depth must be evenly divisible by filter depth: input has {input[4]} channels, the filter {filter[3]}");
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, f) = (ctx.Input(0), ctx.Input(1));
        CheckRuntimeFilter(ctx, x.shape, f.shape);
        var attrs = Volumetric.Of(ctx.op);
        var g = attrs.Geometry(x.shape, attrs.Window(f.shape), ctx.InvalidArgumentOf);
        var cout = f.shape[4];
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Volumetric.Output(g, cout));
        if (x.dtype == DType.float32) VolumeKernels.Conv3D(x.AsReadOnlySpan<float>(), f.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, cout);
        else VolumeKernels.Conv3D(x.AsReadOnlySpan<double>(), f.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, cout);
    });

    /// <summary>TensorFlow's <c>_Conv3DGrad</c>: Conv3DBackpropInputV2 and Conv3DBackpropFilterV2.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (input, filter, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var attrs = Volumetric.Of(op);
        return [Conv3DBackpropInputV2.Build(Shapes.Of(input), filter, g, attrs), Conv3DBackpropFilterV2.Build(input, Shapes.Of(filter), g, attrs)];
    }

    internal static Tensor Build(TensorLike input, TensorLike filter, Volumetric attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Conv3D", input, filter);
        var inputs = b.SameType("Conv3D", [input, filter], ["input", "filter"]);
        return b.Create(Def, inputs, attrs.ToAttrs(inputs[0].dtype)).outputs[0];
    }
}
