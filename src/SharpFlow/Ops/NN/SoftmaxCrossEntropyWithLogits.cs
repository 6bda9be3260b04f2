using SharpFlow.Framework;
using SharpFlow.Ops.Math;

namespace SharpFlow.Ops.NN;

/// <summary>
/// SoftmaxCrossEntropyWithLogits: for <c>[batch, classes]</c> logits and label distributions, the per-row loss
/// <c>-sum(labels * log_softmax(logits))</c> (output 0) and its gradient <c>softmax - labels</c> (output 1),
/// computed in one stable pass.
/// </summary>
internal sealed class SoftmaxCrossEntropyWithLogits : OpDef
{
    public static readonly SoftmaxCrossEntropyWithLogits Def = new();

    public override string Type => "SoftmaxCrossEntropyWithLogits";

    public override void InferShapes(InferenceContext ctx)
    {
        var (df, dl) = (ctx.InputDType(0), ctx.InputDType(1));
        if (df != dl) throw ctx.TypeError($"logits and labels have different dtypes: {df.name} and {dl.name}");
        if (!df.is_floating) throw ctx.TypeError($"dtype {df.name} is not supported (float32 or float64)");
        var (features, labels) = (ctx.InputShape(0), ctx.InputShape(1));
        if ((features.IsKnownRank && features.ndims != 2) || (labels.IsKnownRank && labels.ndims != 2))
            throw ctx.Error($"logits and labels must be 2-D [batch_size, num_classes], got {features.ToListString()} and {labels.ToListString()}");
        if (!features.IsCompatibleWith(labels))
            throw ctx.Error($"logits and labels must be same size: logits_size={features.ToListString()} labels_size={labels.ToListString()}");
        var merged = features.IsFullyDefined ? features : labels.IsKnownRank ? labels : features;
        ctx.AddOutput(df, new Shape(merged.IsKnownRank ? merged[0] : -1));
        ctx.AddOutput(df, merged.IsKnownRank ? merged : Shape.UnknownDims(2));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (logits, labels) = (ctx.Input(0), ctx.Input(1));
        if (logits.ndim != 2 || logits.shape != labels.shape)
            throw ctx.InvalidArgument($"logits and labels must be same size: logits_size={logits.shape.ToListString()} labels_size={labels.shape.ToListString()}");
        var loss = ctx.AllocateUninitializedOutput(0, logits.dtype, new Shape(logits.shape[0]));
        var backprop = ctx.AllocateUninitializedOutput(1, logits.dtype, logits.shape);
        var classes = logits.shape[1];
        if (logits.dtype == DType.float32)
            Kernels.Softmax.CrossEntropy(logits.AsReadOnlySpan<float>(), labels.AsReadOnlySpan<float>(), loss.AsSpan<float>(), backprop.AsSpan<float>(), classes);
        else
            Kernels.Softmax.CrossEntropy(logits.AsReadOnlySpan<double>(), labels.AsReadOnlySpan<double>(), loss.AsSpan<double>(), backprop.AsSpan<double>(), classes);
    });

    /// <summary>
    /// TensorFlow's <c>_SoftmaxCrossEntropyWithLogitsGrad</c>: the logits receive <c>g * backprop</c> (plus the
    /// second-order term when the backprop output itself is differentiated); the labels receive
    /// <c>g * -log_softmax(logits)</c> only; like TensorFlow, the backprop output's gradient adds nothing to them.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var logits = op.inputs[0];
        Tensor? gradLogits = null;
        Tensor? gradLabels = null;
        if (grads[0] is { } gLoss)
        {
            var g = Array.ExpandDims.Build(gLoss, -1);
            gradLogits = Mul.Build(g, op.outputs[1]);
            gradLabels = Mul.Build(g, Neg.Build(LogSoftmax.Build(logits)));
        }
        if (grads[1] is { } gBackprop)
        {
            var softmax = Softmax.Build(logits);
            var term = Mul.Build(Sub.Build(gBackprop, Sum.Build(Mul.Build(gBackprop, softmax), 1, keepDims: true)), softmax);
            gradLogits = gradLogits is null ? term : Add.Build(gradLogits, term);
        }
        return [gradLogits, gradLabels];
    }

    /// <summary>The raw op: (loss, backprop).</summary>
    public static (Tensor Loss, Tensor Backprop) Build(Tensor logits, Tensor labels, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SoftmaxCrossEntropyWithLogits", logits, labels);
        var inputs = b.SameType("SoftmaxCrossEntropyWithLogits", [logits, labels], ["features", "labels"]);
        var op = b.Create(Def, inputs, new() { ["T"] = inputs[0].dtype });
        return (op.outputs[0], op.outputs[1]);
    }
}
