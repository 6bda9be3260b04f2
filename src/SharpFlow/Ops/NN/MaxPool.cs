using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>MaxPool: the maximum of each ksize window of NHWC images (<c>tf.nn.max_pool</c>).</summary>
internal sealed class MaxPool : OpDef
{
    public static readonly MaxPool Def = new();

    public override string Type => "MaxPool";

    public override void InferShapes(InferenceContext ctx) => ctx.AddOutput(CheckFloat(ctx, 0), OutputShape(ctx, ctx.InputShape(0)));

    internal static DType CheckFloat(InferenceContext ctx, int index)
    {
        var d = ctx.InputDType(index);
        return d.is_floating ? d : throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
    }

    /// <summary>The pooled shape of an input of static shape <paramref name="input"/>, after checking the attributes.</summary>
    internal static Shape OutputShape(InferenceContext ctx, Shape input)
    {
        var attrs = WindowAttrs.Of(ctx.Attrs);
        attrs.Validate(m => ctx.Error(m));
        var (kh, kw) = attrs.Window(Shape.Unknown);
        return attrs.OutputShape(input, kh, kw, input.IsKnownRank && input.ndims == 4 ? input[3] : -1, m => ctx.Error(m));
    }

    /// <summary>The run-time pooling geometry for an input shape.</summary>
    internal static Window2D Geometry(OpKernelContext ctx, Shape input)
    {
        var attrs = WindowAttrs.Of(ctx.op.attrs);
        var (kh, kw) = attrs.Window(Shape.Unknown);
        return attrs.Geometry(input, kh, kw, m => ctx.InvalidArgument(m));
    }

    internal static Shape Output(Window2D g) => new(g.Batch, g.OutHeight, g.OutWidth, g.Channels);

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        var g = Geometry(ctx, x.shape);
        var y = ctx.AllocateOutput(0, x.dtype, Output(g));
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
