using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>
/// InTopKV2: for <c>[batch, classes]</c> float32 predictions and <c>[batch]</c> targets, whether each target's
/// prediction is among the k largest of its row (ties count in; an out-of-range target or a non-finite
/// prediction gives false).
/// </summary>
internal sealed class InTopKV2 : OpDef
{
    public static readonly InTopKV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.int32);

    public override string Type => "InTopKV2";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.float32) throw ctx.TypeError($"predictions must be float32, got {ctx.InputDType(0).name}");
        var t = ctx.InputDType(1);
        if (t != DType.int32 && t != DType.int64) throw ctx.TypeError($"targets must be int32 or int64, got {t.name}");
        if (ctx.InputDType(2) != t) throw ctx.TypeError($"k must have the targets' dtype {t.name}, got {ctx.InputDType(2).name}");
        var (p, targets, k) = (ctx.InputShape(0), ctx.InputShape(1), ctx.InputShape(2));
        if (p.IsKnownRank && p.ndims != 2) throw ctx.Error($"Shape must be rank 2 but is rank {p.ndims} for predictions");
        if (targets.IsKnownRank && targets.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {targets.ndims} for targets");
        if (k.IsKnownRank && k.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {k.ndims} for k");
        var batch = p.IsKnownRank ? p[0] : -1;
        var tb = targets.IsKnownRank ? targets[0] : -1;
        if (batch >= 0 && tb >= 0 && batch != tb)
            throw ctx.Error($"Dimensions must be equal, but are {batch} and {tb} for predictions and targets");
        ctx.AddOutput(DType.@bool, new Shape(batch >= 0 ? batch : tb));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (p, targets, kIn) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        if (p.ndim != 2) throw ctx.InvalidArgument($"predictions must be 2-dimensional, got shape {p.shape.ToListString()}");
        if (targets.ndim != 1) throw ctx.InvalidArgument($"targets must be 1-dimensional, got shape {targets.shape.ToListString()}");
        if (p.shape[0] != targets.shape[0])
            throw ctx.InvalidArgument($"First dimension of predictions {p.shape[0]} must match length of targets {targets.shape[0]}");
        if (kIn.ndim != 0) throw ctx.InvalidArgument($"k must be 0-D, got shape {kIn.shape.ToListString()}");
        var output = ctx.AllocateUninitializedOutput(0, DType.@bool, new Shape(p.shape[0]));
        TopK.InTopK(p.AsReadOnlySpan<float>(), p.shape[1], targets.ToArray<long>(), kIn.ToArray<long>()[0], output.AsSpan<bool>());
    });

    /// <summary><c>tf.nn.in_top_k(predictions, targets, k)</c>.</summary>
    public static Tensor Build(TensorLike predictions, TensorLike targets, TensorLike k, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "in_top_k", predictions, targets, k);
        var p = b.Convert(predictions, "predictions");
        var t = b.Convert(targets, "targets");
        var kt = b.Convert(k, "k", k.Value is Tensor ? null : t.dtype);
        return b.Create(Def, [p, t, kt], new() { { T, t.dtype } }).outputs[0];
    }
}
