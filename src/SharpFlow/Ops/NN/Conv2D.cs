using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>
/// Conv2D: the 2-D convolution of NHWC images with an HWIO filter (<c>tf.nn.conv2d</c>), with strides, SAME or
/// VALID padding and dilations. The output is <c>[N, outH, outW, out_channels]</c> with the sizes of SPEC §35.
/// </summary>
internal sealed class Conv2D : OpDef
{
    public static readonly Conv2D Def = new();

    public override string Type => "Conv2D";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = CheckFloat(ctx, 0, 1);
        var attrs = WindowAttrs.Of(ctx.Attrs);
        attrs.Validate(m => ctx.Error(m));
        var (input, filter) = (ctx.InputShape(0), ctx.InputShape(1));
        CheckFilter(ctx, input, filter, "filter");
        var (kh, kw) = attrs.Window(filter);
        ctx.AddOutput(dtype, attrs.OutputShape(input, kh, kw, filter.IsKnownRank ? filter[3] : -1, m => ctx.Error(m)));
    }

    /// <summary>Both inputs float32 or float64 and of one dtype; returns it.</summary>
    internal static DType CheckFloat(InferenceContext ctx, int a, int b)
    {
        var (da, db) = (ctx.InputDType(a), ctx.InputDType(b));
        if (da != db) throw ctx.TypeError($"inputs have different dtypes: {da.name} and {db.name}");
        if (!da.is_floating) throw ctx.TypeError($"dtype {da.name} is not supported (float32 or float64)");
        return da;
    }

    /// <summary>The filter is [kh, kw, in_channels, out] and its in_channels match the input's depth.</summary>
    internal static void CheckFilter(InferenceContext ctx, Shape input, Shape filter, string filterName)
    {
        if (filter.IsKnownRank && filter.ndims != 4)
            throw ctx.Error($"{filterName} must be 4-dimensional [height, width, in_channels, out_channels], got shape {filter.ToListString()}");
        if (input.IsKnownRank && input.ndims != 4) throw ctx.Error($"input must be 4-dimensional (NHWC), got shape {input.ToListString()}");
        if (input.IsKnownRank && filter.IsKnownRank && input[3] >= 0 && filter[2] >= 0 && input[3] != filter[2])
            throw ctx.Error($"input depth must equal the {filterName}'s in_channels, but are {input[3]} and {filter[2]}: input {input.ToListString()}, {filterName} {filter.ToListString()}");
    }

    /// <summary>The run-time geometry from an input and a filter shape, with TensorFlow's checks.</summary>
    internal static Window2D Geometry(OpKernelContext ctx, Shape input, Shape filter)
    {
        var attrs = WindowAttrs.Of(ctx.op.attrs);
        if (filter.ndims != 4) throw ctx.InvalidArgument($"filter must be 4-dimensional: {filter.ToListString()}");
        if (input.ndims != 4) throw ctx.InvalidArgument($"input must be 4-dimensional: {input.ToListString()}");
        if (input[3] != filter[2])
            throw ctx.InvalidArgument($"input depth must be evenly divisible by filter depth: {input[3]} vs {filter[2]}");
        return attrs.Geometry(input, filter[0], filter[1], m => ctx.InvalidArgument(m));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, f) = (ctx.Input(0), ctx.Input(1));
        var g = Geometry(ctx, x.shape, f.shape);
        var y = ctx.AllocateOutput(0, x.dtype, new Shape(g.Batch, g.OutHeight, g.OutWidth, f.shape[3]));
        if (x.dtype == DType.float32) Conv2DKernels.Forward(x.AsReadOnlySpan<float>(), f.AsReadOnlySpan<float>(), y.AsSpan<float>(), g, f.shape[3]);
        else Conv2DKernels.Forward(x.AsReadOnlySpan<double>(), f.AsReadOnlySpan<double>(), y.AsSpan<double>(), g, f.shape[3]);
    });

    /// <summary>TensorFlow's <c>_Conv2DGrad</c>: the two backprop ops with the same window attributes.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (input, filter, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var attrs = WindowAttrs.Of(op.attrs);
        return
        [
            Conv2DBackpropInput.Build(Shapes.Of(input), filter, g, attrs),
            Conv2DBackpropFilter.Build(input, Shapes.Of(filter), g, attrs),
        ];
    }

    /// <summary><c>tf.nn.conv2d(input, filter, strides, padding, dilations)</c>.</summary>
    public static Tensor Build(TensorLike input, TensorLike filter, int[] strides, string padding, int[]? dilations = null, string? name = null) =>
        Build(input, filter, WindowAttrs.ForConv(strides, padding, dilations), name);

    internal static Tensor Build(TensorLike input, TensorLike filter, WindowAttrs attrs, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Conv2D", input, filter);
        var inputs = b.SameType("Conv2D", [input, filter], ["input", "filter"]);
        return b.Create(Def, inputs, attrs.ToAttrs(inputs[0].dtype)).outputs[0];
    }
}
