using SharpFlow.Framework;

namespace SharpFlow.Ops.Image;

/// <summary>
/// NonMaxSuppressionV5 (<c>tf.image.non_max_suppression_with_scores</c>): NonMaxSuppressionV4 with a sixth scalar
/// input, <c>soft_nms_sigma</c>: above 0, a box overlapping a kept one below iou_threshold has its score decayed by
/// <c>exp(-IoU² / (2σ))</c> instead of surviving whole (Soft-NMS, Bodla et al.), and goes back into the queue while
/// its score stays above score_threshold; 0 is plain greedy suppression. Outputs: selected_indices, selected_scores
/// (the decayed scores) and valid_outputs; with pad_to_max_output_size both vectors are padded with 0. TensorFlow
/// 1.15 registers no gradient for it (nor marks it not differentiable), so differentiating selected_scores raises
/// LookupError, as there.
/// </summary>
internal sealed class NonMaxSuppressionV5 : OpDef
{
    public static readonly NonMaxSuppressionV5 Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.float32);
    internal static readonly OpAttr<bool> PadToMaxOutputSize = new("pad_to_max_output_size", false);

    public override string Type => "NonMaxSuppressionV5";

    public override void InferShapes(InferenceContext ctx)
    {
        var indices = NonMaxSuppressionV4.CheckShapes(ctx, 6, PadToMaxOutputSize.Of(ctx));
        ctx.AddOutput(DType.int32, indices);
        ctx.AddOutput(DType.float32, indices);
        ctx.AddOutput(DType.int32, Shape.Scalar);
    }

    /// <summary>TensorFlow 1.15 registers no gradient for this op type: differentiating through it fails as there.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        throw new LookupError($"No gradient defined for operation '{op.name}' (op type: {op.type})");

    public override OpKernel CreateKernel(Operation op)
    {
        var pad = PadToMaxOutputSize.Of(op);
        return OpKernel.From(ctx =>
        {
            var (indices, scores, valid) = NonMaxSuppressionV4.Run(ctx, 6, pad);
            ctx.ForwardOutput(0, new NDArray(indices, new Shape(indices.Length)));
            ctx.ForwardOutput(1, new NDArray(scores, new Shape(scores.Length)));
            ctx.ForwardOutput(2, NDArray.Scalar(valid));
        });
    }

    /// <summary><c>gen_image_ops.non_max_suppression_v5</c>: (selected_indices, selected_scores, valid_outputs).</summary>
    public static (Tensor SelectedIndices, Tensor SelectedScores, Tensor ValidOutputs) Build(TensorLike boxes, TensorLike scores, TensorLike maxOutputSize,
        TensorLike iouThreshold, TensorLike scoreThreshold, TensorLike softNmsSigma, bool padToMaxOutputSize = false, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "NonMaxSuppressionV5", boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
        var inputs = new[]
        {
            b.Convert(boxes, "boxes", DType.float32), b.Convert(scores, "scores", DType.float32), b.Convert(maxOutputSize, "max_output_size", DType.int32),
            b.Convert(iouThreshold, "iou_threshold", DType.float32), b.Convert(scoreThreshold, "score_threshold", DType.float32),
            b.Convert(softNmsSigma, "soft_nms_sigma", DType.float32),
        };
        var op = b.Create(Def, inputs, new() { { T, DType.float32 }, { PadToMaxOutputSize, padToMaxOutputSize } });
        return (op.outputs[0], op.outputs[1], op.outputs[2]);
    }
}
