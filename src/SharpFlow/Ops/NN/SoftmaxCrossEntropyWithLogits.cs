using SharpFlow.Framework;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.NN;

/// <summary>
/// SoftmaxCrossEntropyWithLogits: for <c>[batch, classes]</c> logits and label distributions, the per-row loss
/// <c>-sum(labels * log_softmax(logits))</c> (output 0) and its gradient <c>softmax - labels</c> (output 1),
/// computed in one stable pass.
/// </summary>
internal sealed class SoftmaxCrossEntropyWithLogits : OpDef
{
    public static readonly SoftmaxCrossEntropyWithLogits Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "SoftmaxCrossEntropyWithLogits";

    // Labels (or logits) that broadcast to the other's 2-D shape ([1, classes] labels for a batch) are accepted,
    // as TensorFlow's op does; the gradient rule sums their gradients back over the broadcast axes it can see in
    // the static shapes (so the usual same-shape case gains no ops).

    public override void InferShapes(InferenceContext ctx)
    {
        var (df, dl) = (ctx.InputDType(0), ctx.InputDType(1));
        if (df != dl) throw ctx.TypeError($"logits and labels have different dtypes: {df.name} and {dl.name}");
        if (!df.is_floating) throw ctx.TypeError($"dtype {df.name} is not supported (float32 or float64)");
        var (features, labels) = (ctx.InputShape(0), ctx.InputShape(1));
        if (features.IsKnownRank && features.ndims == 2 && features.IsCompatibleWith(labels))
        {
            var merged = features.MergeWith(labels);
            ctx.AddOutput(df, new Shape(merged[0]));
            ctx.AddOutput(df, merged);
            return;
        }
        var shape = Shape.TryBroadcast(features, labels)
                    ?? throw ctx.Error($"logits and labels must be broadcastable: logits_size={features.ToListString()} labels_size={labels.ToListString()}");
        if (!shape.IsKnownRank)
        {
            ctx.AddOutput(df, Shape.UnknownDims(1));
            ctx.AddOutput(df, Shape.UnknownDims(2));
            return;
        }
        if (shape.ndims != 2) throw ctx.Error($"Shape must be broadcasted with rank 2, but is rank {shape.ndims}");
        ctx.AddOutput(df, new Shape(shape[0]));
        ctx.AddOutput(df, shape);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (logits, labels) = (ctx.Input(0), ctx.Input(1));
        if (logits.shape != labels.shape)
        {
            var dims = Kernels.Broadcast.Shape(logits.shape.AsSpan(), labels.shape.AsSpan())
                       ?? throw ctx.InvalidArgument($"logits and labels must be broadcastable: logits_size={logits.shape.ToListString()} labels_size={labels.shape.ToListString()}");
            if (dims.Length != 2) throw ctx.InvalidArgument("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional");
            logits = Expand(logits, dims[0], dims[1]);
            labels = Expand(labels, dims[0], dims[1]);
        }
        if (logits.ndim != 2) throw ctx.InvalidArgument("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional");
        var loss = ctx.AllocateUninitializedOutput(0, logits.dtype, new Shape(logits.shape[0]));
        var backprop = ctx.AllocateUninitializedOutput(1, logits.dtype, logits.shape);
        var classes = logits.shape[1];
        if (logits.dtype == DType.float32)
            Kernels.Softmax.CrossEntropy(logits.AsReadOnlySpan<float>(), labels.AsReadOnlySpan<float>(), loss.AsSpan<float>(), backprop.AsSpan<float>(), classes);
        else
            Kernels.Softmax.CrossEntropy(logits.AsReadOnlySpan<double>(), labels.AsReadOnlySpan<double>(), loss.AsSpan<double>(), backprop.AsSpan<double>(), classes);
    });

    /// <summary>A copy of <paramref name="x"/> (rank 2 or less) broadcast to rows×cols.</summary>
    private static NDArray Expand(NDArray x, int rows, int cols)
    {
        if (x.ndim == 2 && x.shape[0] == rows && x.shape[1] == cols) return x;
        var (r, c) = x.ndim switch { 0 => (1, 1), 1 => (1, x.shape[0]), _ => (x.shape[0], x.shape[1]) };
        var bytes = x.AsBytes();
        var size = x.dtype.size;
        var result = NDArray.Zeros(x.dtype, new Shape(rows, cols));
        var target = result.AsWritableBytes();
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                bytes.Slice(((r == 1 ? 0 : i) * c + (c == 1 ? 0 : j)) * size, size).CopyTo(target.Slice((i * cols + j) * size, size));
        return result;
    }

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
            var g = ArrayOps.ExpandDims.Build(gLoss, -1);
            gradLogits = Mul.Build(g, op.outputs[1]);
            gradLabels = Mul.Build(g, Neg.Build(LogSoftmax.Build(logits)));
        }
        if (grads[1] is { } gBackprop)
        {
            var softmax = Softmax.Build(logits);
            var term = Mul.Build(Sub.Build(gBackprop, Sum.Build(Mul.Build(gBackprop, softmax), 1, keepDims: true)), softmax);
            gradLogits = gradLogits is null ? term : Add.Build(gradLogits, term);
        }
        return [gradLogits is null ? null : SumToStaticShape(gradLogits, logits), gradLabels is null ? null : SumToStaticShape(gradLabels, op.inputs[1])];
    }

    /// <summary>
    /// Sums a [batch, classes] gradient over the axes along which <paramref name="input"/> was broadcast, as far as
    /// its static shape tells (a missing leading axis, or a known 1 where the gradient's size is not 1).
    /// </summary>
    private static Tensor SumToStaticShape(Tensor grad, Tensor input)
    {
        var (gs, xs) = (grad.shape, input.shape);
        if (!xs.IsKnownRank || !gs.IsKnownRank || gs.ndims != 2) return grad;
        var offset = gs.ndims - xs.ndims;
        var axes = Enumerable.Range(0, gs.ndims).Where(i => i < offset || (xs[i - offset] == 1 && gs[i] != 1)).ToArray();
        if (axes.Length == 0) return grad;
        return ArrayOps.Reshape.Build(Sum.Build(grad, axes), xs.IsFullyDefined ? Shapes.Of(input) : ArrayOps.Shape_.Build(input));
    }

    /// <summary>The raw op: (loss, backprop).</summary>
    public static (Tensor Loss, Tensor Backprop) Build(Tensor logits, Tensor labels, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SoftmaxCrossEntropyWithLogits", logits, labels);
        var inputs = b.SameType("SoftmaxCrossEntropyWithLogits", [logits, labels], ["features", "labels"]);
        var op = b.Create(Def, inputs, new() { { T, inputs[0].dtype } });
        return (op.outputs[0], op.outputs[1]);
    }
}
