using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.NN;

/// <summary>
/// BatchNormWithGlobalNormalization: TensorFlow's deprecated batch normalization op (GraphDef versions before 9;
/// Google's 2015 Inception graph uses it): a 4-D <c>t</c> normalized over its last axis with the given mean
/// <c>m</c>, variance <c>v</c>, offset <c>beta</c> and, with <c>scale_after_normalization</c>, scale <c>gamma</c>:
/// <c>(t - m) * (rsqrt(v + variance_epsilon) * gamma) + beta</c>, as TensorFlow's batch_norm_op.h computes it.
/// Importable from a GraphDef; Python's <c>tf.nn.batch_norm_with_global_normalization</c> builds
/// <c>tf.nn.batch_normalization</c> instead.
/// </summary>
internal sealed class BatchNormWithGlobalNormalization : OpDef
{
    public static readonly BatchNormWithGlobalNormalization Def = new();

    internal static readonly OpAttr<float> VarianceEpsilon = new("variance_epsilon");
    internal static readonly OpAttr<bool> ScaleAfterNormalization = new("scale_after_normalization");
    internal static readonly OpAttr<DType> TAttr = new("T");

    public override string Type => "BatchNormWithGlobalNormalization";

    // TensorFlow's shape function: t has rank 4; m, v, beta and gamma are vectors whose length merges with t's last
    // dimension; the result has t's shape with that merged depth.
    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        for (var i = 1; i < 5; i++)
            if (ctx.InputDType(i) != d) throw ctx.TypeError($"input {i} has dtype {ctx.InputDType(i).name}, input 0 has {d.name}");
        if (d != DType.float32 && d != DType.float64) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        var t = ctx.InputShape(0);
        if (t.IsKnownRank && t.ndims != 4) throw ctx.Error($"Shape must be rank 4 but is rank {t.ndims}: input t {t.ToListString()}");
        var depth = t.IsKnownRank ? t[3] : -1;
        string[] names = ["", "m", "v", "beta", "gamma"];
        for (var i = 1; i < 5; i++)
        {
            var s = ctx.InputShape(i);
            if (!s.IsKnownRank) continue;
            if (s.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {s.ndims}: input {names[i]} {s.ToListString()}");
            if (s[0] >= 0)
            {
                if (depth >= 0 && depth != s[0]) throw ctx.Error($"Dimensions must be equal, but are {depth} and {s[0]}: the depth of t and input {names[i]}");
                depth = s[0];
            }
        }
        ctx.AddOutput(d, t.IsKnownRank ? new Shape(t[0], t[1], t[2], depth) : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var t = ctx.Input(0);
        if (t.ndim != 4) throw ctx.InvalidArgument($"input must be 4-dimensional{t.shape.ToListString()}");
        string[] names = ["", "mean", "variance", "beta", "gamma"];
        var depth = t.shape[3];
        for (var i = 1; i < 5; i++)
        {
            var p = ctx.Input(i);
            if (p.ndim != 1) throw ctx.InvalidArgument($"{names[i]} must be 1-dimensional{p.shape.ToListString()}");
            if (p.shape[0] != depth) throw ctx.InvalidArgument($"{names[i]} must have as many elements as the depth of the input ({depth}), got {p.shape[0]}");
        }
        var epsilon = BatchNormWithGlobalNormalization.VarianceEpsilon.Of(ctx);
        var scale = BatchNormWithGlobalNormalization.ScaleAfterNormalization.Of(ctx);
        var y = ctx.AllocateUninitializedOutput(0, t.dtype, t.shape);
        if (t.dtype == DType.float32)
            Compute(t.AsReadOnlySpan<float>(), ctx.Input(1).AsReadOnlySpan<float>(), ctx.Input(2).AsReadOnlySpan<float>(), ctx.Input(3).AsReadOnlySpan<float>(),
                ctx.Input(4).AsReadOnlySpan<float>(), y.AsSpan<float>(), depth, epsilon, scale);
        else
            Compute(t.AsReadOnlySpan<double>(), ctx.Input(1).AsReadOnlySpan<double>(), ctx.Input(2).AsReadOnlySpan<double>(), ctx.Input(3).AsReadOnlySpan<double>(),
                ctx.Input(4).AsReadOnlySpan<double>(), y.AsSpan<double>(), depth, epsilon, scale);
    });

    private static void Compute<T>(ReadOnlySpan<T> t, ReadOnlySpan<T> m, ReadOnlySpan<T> v, ReadOnlySpan<T> beta, ReadOnlySpan<T> gamma, Span<T> y,
        int depth, float epsilon, bool scale) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (depth == 0) return;
        var eps = T.CreateChecked(epsilon);
        Span<T> factor = depth <= 1024 ? stackalloc T[depth] : new T[depth];
        for (var c = 0; c < depth; c++)
        {
            factor[c] = T.One / T.Sqrt(v[c] + eps);
            if (scale) factor[c] *= gamma[c];
        }
        for (var i = 0; i < t.Length; i++)
        {
            var c = i % depth;
            y[i] = (t[i] - m[c]) * factor[c] + beta[c];
        }
    }

    /// <summary>
    /// TensorFlow's BatchNormWithGlobalNormalizationGrad (batch_norm_op.h), built from ordinary ops so that it can
    /// be differentiated again: dx = g * rsqrt(v + eps) * gamma, dm = -sum(g) * rsqrt(v + eps) * gamma,
    /// dv = sum(g * (t - m)) * (-1/2) * rsqrt(v + eps) / (v + eps) * gamma, dbeta = sum(g),
    /// dgamma = sum(g * (t - m)) * rsqrt(v + eps) (zeros without scale_after_normalization); sums over all axes
    /// but the last.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var g = grads[0]!;
        var (t, m, v, gamma) = (op.inputs[0], op.inputs[1], op.inputs[2], op.inputs[4]);
        var epsilon = BatchNormWithGlobalNormalization.VarianceEpsilon.Of(op);
        var scale = BatchNormWithGlobalNormalization.ScaleAfterNormalization.Of(op);
        var axes = new[] { 0, 1, 2 };
        var db = Sum.Build(g, axes);
        var vPlusEps = Add.Build(v, Const.Create(v.graph, NDArray.Scalar(epsilon).Cast(v.dtype), "variance_epsilon"));
        var rsqrt = Rsqrt.Build(vPlusEps);
        var centered = Sub.Build(t, m);
        var sumGCentered = Sum.Build(Mul.Build(g, centered), axes);
        var factor = scale ? Mul.Build(rsqrt, gamma) : rsqrt;
        var dx = Mul.Build(g, factor);
        var dm = Mul.Build(Neg.Build(db), factor);
        var dg = scale ? Mul.Build(sumGCentered, rsqrt) : ZerosLike.Def.Apply(gamma, null, true, null);
        var half = Const.Create(v.graph, NDArray.Scalar(-0.5f).Cast(v.dtype), "minus_half");
        var dvFactor = RealDiv.Build(Mul.Build(rsqrt, half), vPlusEps);
        if (scale) dvFactor = Mul.Build(dvFactor, gamma);
        var dv = Mul.Build(sumGCentered, dvFactor);
        return [dx, dm, dv, db, dg];
    }

    /// <summary>The op as TensorFlow's generated <c>gen_nn_ops.batch_norm_with_global_normalization</c> builds it.</summary>
    public static Tensor Build(TensorLike t, TensorLike m, TensorLike v, TensorLike beta, TensorLike gamma, double varianceEpsilon,
        bool scaleAfterNormalization, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BatchNormWithGlobalNormalization", t, m, v, beta, gamma);
        var inputs = new[] { b.Convert(t, "t"), b.Convert(m, "m"), b.Convert(v, "v"), b.Convert(beta, "beta"), b.Convert(gamma, "gamma") };
        return b.Create(Def, inputs, new Dictionary<string, object>
        {
            { TAttr, inputs[0].dtype }, { VarianceEpsilon, (float)varianceEpsilon }, { ScaleAfterNormalization, scaleAfterNormalization },
        }).outputs[0];
    }
}
