using SharpFlow.Framework;

namespace SharpFlow.Ops.NN;

/// <summary>
/// BatchNormWithGlobalNormalizationGrad(t, m, v, gamma, backprop): the gradients (dx, dm, dv, db, dg) of
/// <see cref="BatchNormWithGlobalNormalization"/>, as TensorFlow's batch_norm_op.h computes them, for imported
/// graphs that hold it (SharpFlow's own gradient of the forward op is built from ordinary ops). TensorFlow registers
/// no gradient for it.
/// </summary>
internal sealed class BatchNormWithGlobalNormalizationGrad : OpDef
{
    public static readonly BatchNormWithGlobalNormalizationGrad Def = new();
    internal static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<float> VarianceEpsilon = new("variance_epsilon");
    internal static readonly OpAttr<bool> ScaleAfterNormalization = new("scale_after_normalization");

    public override string Type => "BatchNormWithGlobalNormalizationGrad";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        for (var i = 1; i < 5; i++)
            if (ctx.InputDType(i) != d) throw ctx.TypeError($"input {i} has dtype {ctx.InputDType(i).name}, input 0 has {d.name}");
        if (d != DType.float32 && d != DType.float64) throw ctx.TypeError($"dtype {d.name} is not supported (float32 or float64)");
        var t = ctx.InputShape(0);
        var backprop = ctx.InputShape(4);
        foreach (var (s, name) in new[] { (t, "t"), (backprop, "backprop") })
            if (s.IsKnownRank && s.ndims != 4) throw ctx.Error($"Shape must be rank 4 but is rank {s.ndims}: input {name} {s.ToListString()}");
        if (!t.IsCompatibleWith(backprop)) throw ctx.Error($"the shapes of t {t.ToListString()} and backprop {backprop.ToListString()} differ");
        var input = t.IsKnownRank ? (backprop.IsKnownRank ? t.MergeWith(backprop) : t) : backprop.IsKnownRank ? backprop : Shape.UnknownDims(4);
        var depth = input[3];
        string[] names = ["", "m", "v", "gamma"];
        for (var i = 1; i < 4; i++)
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
        ctx.AddOutput(d, new Shape(input[0], input[1], input[2], depth));
        for (var i = 0; i < 4; i++) ctx.AddOutput(d, new Shape(depth));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var t = ctx.Input(0);
        var backprop = ctx.Input(4);
        if (t.ndim != 4) throw ctx.InvalidArgument($"input must be 4-dimensional{t.shape.ToListString()}");
        if (backprop.ndim != 4 || backprop.shape != t.shape) throw ctx.InvalidArgument($"backprop must have the input's shape {t.shape.ToListString()}, got {backprop.shape.ToListString()}");
        string[] names = ["", "mean", "variance", "gamma"];
        var depth = t.shape[3];
        for (var i = 1; i < 4; i++)
        {
            var p = ctx.Input(i);
            if (p.ndim != 1) throw ctx.InvalidArgument($"{names[i]} must be 1-dimensional{p.shape.ToListString()}");
            if (p.shape[0] != depth) throw ctx.InvalidArgument($"{names[i]} must have as many elements as the depth of the input ({depth}), got {p.shape[0]}");
        }
        var epsilon = BatchNormWithGlobalNormalization.VarianceEpsilon.Of(ctx);
        var scale = BatchNormWithGlobalNormalization.ScaleAfterNormalization.Of(ctx);
        var outs = new NDArray[5];
        outs[0] = ctx.AllocateUninitializedOutput(0, t.dtype, t.shape);
        for (var i = 1; i < 5; i++) outs[i] = ctx.AllocateUninitializedOutput(i, t.dtype, new Shape(depth));
        if (t.dtype == DType.float32)
            Compute(t.AsReadOnlySpan<float>(), ctx.Input(1).AsReadOnlySpan<float>(), ctx.Input(2).AsReadOnlySpan<float>(), ctx.Input(3).AsReadOnlySpan<float>(),
                backprop.AsReadOnlySpan<float>(), outs[0].AsSpan<float>(), outs[1].AsSpan<float>(), outs[2].AsSpan<float>(), outs[3].AsSpan<float>(), outs[4].AsSpan<float>(), depth, epsilon, scale);
        else
            Compute(t.AsReadOnlySpan<double>(), ctx.Input(1).AsReadOnlySpan<double>(), ctx.Input(2).AsReadOnlySpan<double>(), ctx.Input(3).AsReadOnlySpan<double>(),
                backprop.AsReadOnlySpan<double>(), outs[0].AsSpan<double>(), outs[1].AsSpan<double>(), outs[2].AsSpan<double>(), outs[3].AsSpan<double>(), outs[4].AsSpan<double>(), depth, epsilon, scale);
    });

    // batch_norm_op.h's BatchNormGrad: db = sum(g); scratch1 = rsqrt(v + eps); scratch2 = sum(g * (t - m));
    // dx = g * scratch1 * gamma; dm = -db * scratch1 * gamma; dg = scratch2 * scratch1 (0 without scaling);
    // dv = scratch2 * (scratch1 * -0.5 / (v + eps)) * gamma. Sums run over every axis but the last.
    private static void Compute<T>(ReadOnlySpan<T> t, ReadOnlySpan<T> m, ReadOnlySpan<T> v, ReadOnlySpan<T> gamma, ReadOnlySpan<T> g,
        Span<T> dx, Span<T> dm, Span<T> dv, Span<T> db, Span<T> dg, int depth, float epsilon, bool scale)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (depth == 0) return;
        var eps = T.CreateChecked(epsilon);
        var sumGCentered = new T[depth];
        db.Clear();
        for (var i = 0; i < t.Length; i++)
        {
            var c = i % depth;
            db[c] += g[i];
            sumGCentered[c] += g[i] * (t[i] - m[c]);
        }
        var factor = new T[depth];
        for (var c = 0; c < depth; c++)
        {
            var rsqrt = T.One / T.Sqrt(v[c] + eps);
            factor[c] = scale ? rsqrt * gamma[c] : rsqrt;
            dm[c] = -db[c] * factor[c];
            dg[c] = scale ? sumGCentered[c] * rsqrt : T.Zero;
            var half = rsqrt * T.CreateChecked(-0.5) / (v[c] + eps);
            dv[c] = sumGCentered[c] * (scale ? half * gamma[c] : half);
        }
        for (var i = 0; i < t.Length; i++) dx[i] = g[i] * factor[i % depth];
    }

    /// <summary>The op as TensorFlow's generated <c>gen_nn_ops.batch_norm_with_global_normalization_grad</c> builds it.</summary>
    public static Tensor[] Build(TensorLike t, TensorLike m, TensorLike v, TensorLike gamma, TensorLike backprop, double varianceEpsilon,
        bool scaleAfterNormalization, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "BatchNormWithGlobalNormalizationGrad", t, m, v, gamma, backprop);
        var inputs = new[] { b.Convert(t, "t"), b.Convert(m, "m"), b.Convert(v, "v"), b.Convert(gamma, "gamma"), b.Convert(backprop, "backprop") };
        return [.. b.Create(Def, inputs, new Dictionary<string, object>
        {
            { TAttr, inputs[0].dtype }, { VarianceEpsilon, (float)varianceEpsilon }, { ScaleAfterNormalization, scaleAfterNormalization },
        }).outputs];
    }
}
