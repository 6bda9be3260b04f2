using SharpFlow.Framework;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Ops.NN;

/// <summary>MaxPool: the maximum of each ksize window of NHWC images (<c>tf.nn.max_pool</c>).</summary>
internal sealed class MaxPool : OpDef
{
    public static readonly MaxPool Def = new();

    public override string Type => "MaxPool";

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = WindowAttrs.CheckFloat(ctx, 0);
        if (DepthWindow(WindowAttrs.KsizeAttr.Of(ctx), WindowAttrs.StridesAttr.Of(ctx), m => ctx.Error(m)) is { } k)
        {
            var input = ctx.InputShape(0);
            if (input.IsKnownRank && input.ndims != 4) throw ctx.Error($"input must be 4-dimensional (NHWC), got shape {input.ToListString()}");
            if (input.IsKnownRank && input[3] >= 0 && input[3] % k != 0)
                throw ctx.Error("Depthwise max pooling requires the depth window to evenly divide the input depth.");
            ctx.AddOutput(dtype, input.IsKnownRank ? new Shape(input[0], input[1], input[2], input[3] < 0 ? -1 : input[3] / k) : new Shape(-1, -1, -1, -1));
            return;
        }
        ctx.AddOutput(dtype, Pooling.OutputShape(ctx, ctx.InputShape(0)));
    }

    /// <summary>
    /// The depth window of a pooling across channels (ksize and strides <c>[1, 1, 1, k]</c>, TensorFlow's depthwise
    /// max pooling), or null for a spatial pooling; pooling across both is refused as TensorFlow does.
    /// </summary>
    internal static int? DepthWindow(Operation op, Func<string, Exception> error) =>
        DepthWindow(WindowAttrs.KsizeAttr.Of(op), WindowAttrs.StridesAttr.Of(op), error);

    private static int? DepthWindow(int[] ksize, int[] strides, Func<string, Exception> error)
    {
        if (ksize.Length != 4 || strides.Length != 4 || (ksize[3] == 1 && strides[3] == 1)) return null;
        if (ksize[0] != 1 || strides[0] != 1) throw error("Pooling is not yet supported on the batch dimension.");
        if (ksize[1] != 1 || ksize[2] != 1 || strides[1] != 1 || strides[2] != 1)
            throw error("MaxPooling supports exactly one of pooling across depth or pooling across width/height.");
        if (ksize[3] != strides[3]) throw error("Depthwise max pooling requires the depth window to equal the depth stride.");
        if (ksize[3] < 1) throw error($"ksize must be positive, got [{string.Join(", ", ksize)}]");
        return ksize[3];
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (DepthWindow(ctx.op, ctx.InvalidArgumentOf) is { } k)
        {
            if (x.ndim != 4) throw ctx.InvalidArgument($"input must be 4-dimensional (NHWC), got shape {x.shape.ToListString()}");
            if (x.shape[3] % k != 0) throw ctx.InvalidArgument("Depthwise max pooling requires the depth window to evenly divide the input depth.");
            var pooled = ctx.AllocateUninitializedOutput(0, x.dtype, new Shape(x.shape[0], x.shape[1], x.shape[2], x.shape[3] / k));
            if (x.dtype == DType.float32) PoolDepth(x.AsReadOnlySpan<float>(), pooled.AsSpan<float>(), k);
            else PoolDepth(x.AsReadOnlySpan<double>(), pooled.AsSpan<double>(), k);
            return;
        }
        var g = Pooling.Geometry(ctx, x.shape);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, Pooling.Output(g));
        if (x.dtype == DType.float32) PoolingKernels.MaxPool(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), g);
        else PoolingKernels.MaxPool(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), g);
    });

    /// <summary>The maximum of each run of <paramref name="k"/> consecutive channels.</summary>
    private static void PoolDepth<T>(ReadOnlySpan<T> x, Span<T> y, int k) where T : unmanaged, System.Numerics.INumber<T>
    {
        for (var o = 0; o < y.Length; o++)
        {
            var window = x.Slice(o * k, k);
            var max = window[0];
            for (var i = 1; i < k; i++)
                if (window[i] > max) max = window[i];
            y[o] = max;
        }
    }

    /// <summary>
    /// The gradient goes to each window's maximum (MaxPoolGrad). TensorFlow has no CPU gradient for pooling across
    /// depth; neither does this.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        if (DepthWindow(op, m => new ValueError(m)) is not null)
            throw new UnimplementedError("MaxPoolingGrad is not yet supported on the depth dimension.", op.name);
        return [MaxPoolGrad.Build(op.inputs[0], op.outputs[0], grads[0]!, WindowAttrs.Of(op))];
    }

    /// <summary><c>tf.nn.max_pool(value, ksize, strides, padding)</c>.</summary>
    public static Tensor Build(TensorLike value, int[] ksize, int[] strides, string padding, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MaxPool", value);
        var x = b.Convert(value, "input");
        ArgumentNullException.ThrowIfNull(ksize);
        ArgumentNullException.ThrowIfNull(strides);
        return b.Create(Def, [x], WindowAttrs.ForPool(ksize, strides, padding).ToAttrs(x.dtype)).outputs[0];
    }
}
