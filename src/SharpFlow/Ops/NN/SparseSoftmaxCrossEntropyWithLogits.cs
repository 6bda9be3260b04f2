using SharpFlow.Framework;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.NN;

/// <summary>
/// SparseSoftmaxCrossEntropyWithLogits: like SoftmaxCrossEntropyWithLogits with class indices
/// (<c>[batch]</c>, int32 or int64) as labels: loss <c>log(sum(exp(logits))) - logits[label]</c> and backprop
/// <c>softmax - onehot(label)</c>. A label outside <c>[0, classes)</c> is an InvalidArgumentError.
/// </summary>
internal sealed class SparseSoftmaxCrossEntropyWithLogits : OpDef
{
    public static readonly SparseSoftmaxCrossEntropyWithLogits Def = new();
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> Tlabels = new("Tlabels", DType.int64);

    public override string Type => "SparseSoftmaxCrossEntropyWithLogits";

    public override void InferShapes(InferenceContext ctx)
    {
        var df = ctx.InputDType(0);
        if (!df.is_floating) throw ctx.TypeError($"dtype {df.name} is not supported (float32 or float64)");
        if (!ctx.InputDType(1).is_integer) throw ctx.TypeError($"labels must be int32 or int64, got {ctx.InputDType(1).name}");
        var (features, labels) = (ctx.InputShape(0), ctx.InputShape(1));
        if (features.IsKnownRank && features.ndims != 2) throw ctx.Error($"logits must be 2-D [batch_size, num_classes], got {features.ToListString()}");
        if (labels.IsKnownRank && labels.ndims != 1) throw ctx.Error($"labels must be 1-D [batch_size], got {labels.ToListString()}");
        var batch = features.IsKnownRank ? features[0] : -1;
        if (labels.IsKnownRank && labels[0] >= 0)
        {
            if (batch >= 0 && batch != labels[0])
                throw ctx.Error($"logits and labels must have the same first dimension, got logits shape {features.ToListString()} and labels shape {labels.ToListString()}");
            batch = labels[0];
        }
        ctx.AddOutput(df, new Shape(batch));
        ctx.AddOutput(df, new Shape(batch, features.IsKnownRank ? features[1] : -1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (logits, labels) = (ctx.Input(0), ctx.Input(1));
        if (logits.ndim != 2 || labels.ndim != 1 || labels.shape[0] != logits.shape[0])
            throw ctx.InvalidArgument($"logits and labels must have the same first dimension, got logits shape {logits.shape.ToListString()} and labels shape {labels.shape.ToListString()}");
        var classes = logits.shape[1];
        var ids = labels.ToArray<long>();
        foreach (var id in ids)
            if (id < 0 || id >= classes)
                throw ctx.InvalidArgument($"Received a label value of {id} which is outside the valid range of [0, {classes}).  Label values: {string.Join(" ", ids)}");
        var loss = ctx.AllocateUninitializedOutput(0, logits.dtype, new Shape(logits.shape[0]));
        var backprop = ctx.AllocateUninitializedOutput(1, logits.dtype, logits.shape);
        if (logits.dtype == DType.float32)
            Kernels.Softmax.SparseCrossEntropy(logits.AsReadOnlySpan<float>(), ids, loss.AsSpan<float>(), backprop.AsSpan<float>(), classes);
        else
            Kernels.Softmax.SparseCrossEntropy(logits.AsReadOnlySpan<double>(), ids, loss.AsSpan<double>(), backprop.AsSpan<double>(), classes);
    });

    /// <summary>
    /// The logits receive <c>g * backprop</c>; the labels none. As in TensorFlow, the fused backprop cannot be
    /// differentiated again.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        // The backprop output's own gradient is ignored (the pass gives it zeros when loops are involved); a second
        // derivative fails at the PreventGradient, as TensorFlow's _SparseSoftmaxCrossEntropyWithLogitsGrad.
        var backprop = ArrayOps.PreventGradient.Build(op.outputs[1], "Currently there is no way to take the second derivative of sparse_softmax_cross_entropy_with_logits due to the fused implementation's interaction with tf.gradients()");
        return [Mul.Build(ArrayOps.ExpandDims.Build(grads[0]!, -1), backprop), null];
    }

    /// <summary>The raw op: (loss, backprop).</summary>
    public static (Tensor Loss, Tensor Backprop) Build(Tensor logits, Tensor labels, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SparseSoftmaxCrossEntropyWithLogits", logits, labels);
        var f = b.Convert(logits, "features");
        var l = b.Convert(labels, "labels");
        var op = b.Create(Def, [f, l], new() { { T, f.dtype }, { Tlabels, l.dtype } });
        return (op.outputs[0], op.outputs[1]);
    }
}
