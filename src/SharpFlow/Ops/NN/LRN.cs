using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>
/// LRN: local response normalization of a 4-D tensor over its last axis (<c>tf.nn.local_response_normalization</c>,
/// <c>tf.nn.lrn</c>): <c>x / (bias + alpha * sum(x[d - depth_radius .. d + depth_radius]^2))^beta</c>. Attributes
/// depth_radius (5), bias (1), alpha (1), beta (0.5). TensorFlow's CPU kernel takes float32 (and half); float64 is
/// accepted here too.
/// </summary>
internal sealed class LRN : OpDef
{
    public static readonly LRN Def = new();

    internal static readonly OpAttr<DType> T = new("T", DType.float32);
    internal static readonly OpAttr<int> DepthRadius = new("depth_radius", 5);
    internal static readonly OpAttr<float> Bias = new("bias", 1f);
    internal static readonly OpAttr<float> Alpha = new("alpha", 1f);
    internal static readonly OpAttr<float> Beta = new("beta", 0.5f);

    public override string Type => "LRN";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = CheckFloat(ctx, 0);
        ctx.AddOutput(d, CheckRank4(ctx, ctx.InputShape(0)));
    }

    internal static DType CheckFloat(InferenceContext ctx, params int[] indexes)
    {
        var d = ctx.InputDType(indexes[0]);
        foreach (var i in indexes)
            if (ctx.InputDType(i) != d) throw ctx.TypeError($"inputs have different dtypes: {d.name} and {ctx.InputDType(i).name}");
        if (d != DType.float32 && d != DType.float64) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        if (DepthRadius.Of(ctx) < 0) throw ctx.Error($"depth_radius = {DepthRadius.Of(ctx)} must be non-negative");
        return d;
    }

    internal static Shape CheckRank4(InferenceContext ctx, Shape s)
    {
        if (s.IsKnownRank && s.ndims != 4) throw ctx.Error($"Shape must be rank 4 but is rank {s.ndims}: input {s.ToListString()}");
        return s.IsKnownRank ? s : Shape.UnknownDims(4);
    }

    /// <summary>The attributes LRN and LRNGrad share.</summary>
    internal static (int Radius, double Bias, double Alpha, double Beta) Params(Operation op) =>
        (DepthRadius.Of(op), Bias.Of(op), Alpha.Of(op), Beta.Of(op));

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var x = ctx.Input(0);
        if (x.ndim != 4) throw ctx.InvalidArgument($"input must be 4-dimensional, got shape {x.shape.ToListString()}");
        var (r, bias, alpha, beta) = Params(ctx.op);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        var depth = x.shape[3];
        if (x.dtype == DType.float32) LocalResponseNormalization.Forward(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), depth, r, bias, alpha, beta);
        else LocalResponseNormalization.Forward(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), depth, r, bias, alpha, beta);
    });

    /// <summary>TensorFlow's <c>_LRNGrad</c>: LRNGrad(grad, input, output) with the same attributes.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [LRNGrad.Build(grads[0]!, op.inputs[0], op.outputs[0], DepthRadius.Of(op), Bias.Of(op), Alpha.Of(op), Beta.Of(op))];

    /// <summary>The attribute map of LRN and LRNGrad.</summary>
    internal static Dictionary<string, object> AttrMap(DType dtype, int depthRadius, float bias, float alpha, float beta) => new()
    {
        { T, dtype }, { DepthRadius, depthRadius }, { Bias, bias }, { Alpha, alpha }, { Beta, beta },
    };

    /// <summary><c>tf.nn.local_response_normalization(input, depth_radius, bias, alpha, beta)</c>.</summary>
    public static Tensor Build(TensorLike input, int depthRadius = 5, double bias = 1, double alpha = 1, double beta = 0.5, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "LRN", input);
        var x = b.Convert(input, "input");
        return b.Create(Def, [x], AttrMap(x.dtype, depthRadius, (float)bias, (float)alpha, (float)beta)).outputs[0];
    }
}
