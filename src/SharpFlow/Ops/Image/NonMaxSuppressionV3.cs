using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// NonMaxSuppressionV3 (<c>tf.image.non_max_suppression</c>): <c>boxes</c> float32 [n, 4], <c>scores</c> [n],
/// <c>max_output_size</c>, <c>iou_threshold</c> and <c>score_threshold</c> scalars; the int32 indices of the kept
/// boxes by decreasing score. NonMaxSuppressionV2 is the same without a score threshold.
/// </summary>
internal class NonMaxSuppressionV3 : OpDef
{
    public static readonly NonMaxSuppressionV3 Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.float32);

    public override string Type => "NonMaxSuppressionV3";

    public override bool NotDifferentiable => true;

    protected virtual int Inputs => 5;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.float32) throw ctx.TypeError($"boxes must be float32, got {ctx.InputDType(0).name}");
        if (ctx.InputDType(1) != DType.float32) throw ctx.TypeError($"scores must be float32, got {ctx.InputDType(1).name}");
        if (ctx.InputDType(2) != DType.int32) throw ctx.TypeError($"max_output_size must be int32, got {ctx.InputDType(2).name}");
        var (boxes, scores) = (ctx.InputShape(0), ctx.InputShape(1));
        if (boxes.IsKnownRank && (boxes.ndims != 2 || boxes[1] is not (4 or -1))) throw ctx.Error($"boxes must be 2-D [num_boxes, 4], got {boxes.ToListString()}");
        if (scores.IsKnownRank && scores.ndims != 1) throw ctx.Error($"scores must be 1-D, got {scores.ToListString()}");
        if (boxes.IsKnownRank && scores.IsKnownRank && boxes[0] >= 0 && scores[0] >= 0 && boxes[0] != scores[0])
            throw ctx.Error($"scores has incompatible shape {scores.ToListString()} for boxes {boxes.ToListString()}");
        for (var i = 2; i < Inputs; i++)
            if (ctx.InputShape(i) is { IsKnownRank: true, ndims: not 0 } s) throw ctx.Error($"{InputName(i)} must be 0-D, got shape {s.ToListString()}");
        var max = ctx.ConstantInput(2) is { } m ? m.ToArray<int>()[0] : -1;
        ctx.AddOutput(DType.int32, new Shape(max >= 0 && boxes.IsKnownRank && boxes[0] >= 0 ? System.Math.Min(max, boxes[0]) : -1));
    }

    private static string InputName(int i) => i switch { 2 => "max_output_size", 3 => "iou_threshold", _ => "score_threshold" };

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (boxes, scores) = (ctx.Input(0), ctx.Input(1));
        if (boxes.ndim != 2 || boxes.shape[1] != 4) throw ctx.InvalidArgument($"boxes must be 2-D [num_boxes, 4], got {boxes.shape.ToListString()}");
        if (scores.ndim != 1 || scores.shape[0] != boxes.shape[0]) throw ctx.InvalidArgument($"scores has incompatible shape {scores.shape.ToListString()}");
        for (var i = 2; i < Inputs; i++)
            if (ctx.Input(i).ndim != 0) throw ctx.InvalidArgument($"{InputName(i)} must be 0-D, got shape {ctx.Input(i).shape.ToListString()}");
        var max = ctx.Input(2).ToArray<int>()[0];
        if (max < 0) throw ctx.InvalidArgument($"max_output_size must be non-negative, got {max}");
        var iou = ctx.Input(3).Cast(DType.float32).ToArray<float>()[0];
        if (iou is < 0 or > 1) throw ctx.InvalidArgument("iou_threshold must be in [0, 1]");
        var scoreThreshold = Inputs > 4 ? ctx.Input(4).Cast(DType.float32).ToArray<float>()[0] : float.NegativeInfinity;
        var kept = BoxKernels.NonMaxSuppression(boxes.AsReadOnlySpan<float>(), scores.AsReadOnlySpan<float>(), max, iou, scoreThreshold);
        ctx.ForwardOutput(0, new NDArray(kept, new Shape(kept.Length)));
    });

    /// <summary><c>tf.image.non_max_suppression(boxes, scores, max_output_size, iou_threshold, score_threshold)</c>.</summary>
    public static Tensor Build(TensorLike boxes, TensorLike scores, TensorLike maxOutputSize, TensorLike iouThreshold, TensorLike scoreThreshold, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "non_max_suppression", boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
        var inputs = new[]
        {
            b.Convert(boxes, "boxes", DType.float32), b.Convert(scores, "scores", DType.float32), b.Convert(maxOutputSize, "max_output_size", DType.int32),
            b.Convert(iouThreshold, "iou_threshold", DType.float32), b.Convert(scoreThreshold, "score_threshold", DType.float32),
        };
        return b.Create(Def, inputs, new() { { T, DType.float32 } }).outputs[0];
    }
}

/// <summary>NonMaxSuppressionV2: NonMaxSuppressionV3 without the score threshold.</summary>
internal sealed class NonMaxSuppressionV2 : NonMaxSuppressionV3
{
    public static new readonly NonMaxSuppressionV2 Def = new();

    public override string Type => "NonMaxSuppressionV2";

    protected override int Inputs => 4;

    /// <summary><c>gen_image_ops.non_max_suppression_v2(boxes, scores, max_output_size, iou_threshold)</c>.</summary>
    public static Tensor Build(TensorLike boxes, TensorLike scores, TensorLike maxOutputSize, TensorLike iouThreshold, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "NonMaxSuppressionV2", boxes, scores, maxOutputSize, iouThreshold);
        var inputs = new[]
        {
            b.Convert(boxes, "boxes", DType.float32), b.Convert(scores, "scores", DType.float32), b.Convert(maxOutputSize, "max_output_size", DType.int32),
            b.Convert(iouThreshold, "iou_threshold", DType.float32),
        };
        return b.Create(Def, inputs, new() { { T, DType.float32 } }).outputs[0];
    }
}
