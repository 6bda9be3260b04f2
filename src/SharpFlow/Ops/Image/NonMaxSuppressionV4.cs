using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// NonMaxSuppressionV4 (<c>tf.image.non_max_suppression_padded</c>): NonMaxSuppressionV3's greedy suppression
/// (boxes float32 [n, 4], scores [n], scalar max_output_size, iou_threshold and score_threshold) with a second output,
/// <c>valid_outputs</c>, the number of boxes kept; with <c>pad_to_max_output_size</c> the int32
/// <c>selected_indices</c> are padded with 0 to max_output_size, whose static shape the shape rule then knows.
/// </summary>
internal sealed class NonMaxSuppressionV4 : OpDef
{
    public static readonly NonMaxSuppressionV4 Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.float32);
    internal static readonly OpAttr<DType> TThreshold = new("T_threshold", DType.float32);
    internal static readonly OpAttr<bool> PadToMaxOutputSize = new("pad_to_max_output_size", false);

    public override string Type => "NonMaxSuppressionV4";

    public override bool NotDifferentiable => true;

    internal static readonly string[] InputNames = ["boxes", "scores", "max_output_size", "iou_threshold", "score_threshold", "soft_nms_sigma"];

    /// <summary>TensorFlow's NMSShapeFn: boxes [n, 4], scores [n], the rest scalars; the indices' length, padded or not.</summary>
    internal static Shape CheckShapes(InferenceContext ctx, int inputs, bool pad)
    {
        for (var i = 0; i < 2; i++)
            if (ctx.InputDType(i) != DType.float32) throw ctx.TypeError($"{InputNames[i]} must be float32, got {ctx.InputDType(i).name}");
        if (ctx.InputDType(2) != DType.int32) throw ctx.TypeError($"max_output_size must be int32, got {ctx.InputDType(2).name}");
        for (var i = 3; i < inputs; i++)
            if (ctx.InputDType(i) != DType.float32) throw ctx.TypeError($"{InputNames[i]} must be float32, got {ctx.InputDType(i).name}");
        var (boxes, scores) = (ctx.InputShape(0), ctx.InputShape(1));
        if (boxes.IsKnownRank && boxes.ndims != 2) throw ctx.Error($"boxes: Shape must be rank 2 but is rank {boxes.ndims}");
        if (scores.IsKnownRank && scores.ndims != 1) throw ctx.Error($"scores: Shape must be rank 1 but is rank {scores.ndims}");
        for (var i = 2; i < inputs; i++)
            if (ctx.InputShape(i) is { IsKnownRank: true, ndims: not 0 } s) throw ctx.Error($"{InputNames[i]}: Shape must be rank 0 but is rank {s.ndims}");
        if (boxes.IsKnownRank && scores.IsKnownRank && boxes[0] >= 0 && scores[0] >= 0 && boxes[0] != scores[0])
            throw ctx.Error($"Dimensions must be equal, but are {boxes[0]} and {scores[0]} (boxes {boxes.ToListString()}, scores {scores.ToListString()})");
        if (boxes.IsKnownRank && boxes[1] is not (4 or -1)) throw ctx.Error($"Dimension must be 4 but is {boxes[1]} (boxes {boxes.ToListString()})");
        if (!pad) return new Shape(-1);
        var max = ctx.ConstantInput(2) is { } m ? m.ToArray<int>()[0] : -1;
        if (max < -1) throw ctx.Error($"Dimension size, given by scalar input 2, must be non-negative but is {max}");
        return new Shape(max);
    }

    public override void InferShapes(InferenceContext ctx)
    {
        ctx.AddOutput(DType.int32, CheckShapes(ctx, 5, PadToMaxOutputSize.Of(ctx)));
        ctx.AddOutput(DType.int32, Shape.Scalar);
    }

    /// <summary>The kernel's checks of the inputs (its messages), then the suppression.</summary>
    internal static (int[] Indices, float[] Scores, int Valid) Run(OpKernelContext ctx, int inputs, bool pad)
    {
        // In the kernel's order: each scalar checked as it is read.
        NDArray Scalar(int i) => ctx.Input(i).ndim == 0 ? ctx.Input(i) : throw ctx.InvalidArgument($"{InputNames[i]} must be 0-D, got shape {ctx.Input(i).shape.ToListString()}");
        var max = Scalar(2).ToArray<int>()[0];
        var iou = Scalar(3).ToArray<float>()[0];
        if (!(iou >= 0 && iou <= 1)) throw ctx.InvalidArgument("iou_threshold must be in [0, 1]");
        var scoreThreshold = Scalar(4).ToArray<float>()[0];
        var sigma = 0f;
        if (inputs > 5)
        {
            sigma = Scalar(5).ToArray<float>()[0];
            if (!(sigma >= 0)) throw ctx.InvalidArgument("soft_nms_sigma_val must be >= 0");
        }
        var (boxes, scores) = (ctx.Input(0), ctx.Input(1));
        if (boxes.ndim != 2) throw ctx.InvalidArgument($"boxes must be 2-D{boxes.shape.ToListString()}");
        if (boxes.shape[1] != 4) throw ctx.InvalidArgument("boxes must have 4 columns");
        if (scores.ndim != 1) throw ctx.InvalidArgument($"scores must be 1-D{scores.shape.ToListString()}");
        if (scores.shape[0] != boxes.shape[0]) throw ctx.InvalidArgument("scores has incompatible shape");
        if (max < 0) throw ctx.InvalidArgument($"max_output_size must be non-negative, got {max}");
        return BoxKernels.NonMaxSuppression(boxes.AsReadOnlySpan<float>(), scores.AsReadOnlySpan<float>(), max, iou, scoreThreshold, sigma, pad);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var pad = PadToMaxOutputSize.Of(op);
        return OpKernel.From(ctx =>
        {
            var (indices, _, valid) = Run(ctx, 5, pad);
            ctx.ForwardOutput(0, new NDArray(indices, new Shape(indices.Length)));
            ctx.ForwardOutput(1, NDArray.Scalar(valid));
        });
    }

    /// <summary><c>gen_image_ops.non_max_suppression_v4</c>: (selected_indices, valid_outputs).</summary>
    public static (Tensor SelectedIndices, Tensor ValidOutputs) Build(TensorLike boxes, TensorLike scores, TensorLike maxOutputSize, TensorLike iouThreshold,
        TensorLike scoreThreshold, bool padToMaxOutputSize = false, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "NonMaxSuppressionV4", boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
        var inputs = new[]
        {
            b.Convert(boxes, "boxes", DType.float32), b.Convert(scores, "scores", DType.float32), b.Convert(maxOutputSize, "max_output_size", DType.int32),
            b.Convert(iouThreshold, "iou_threshold", DType.float32), b.Convert(scoreThreshold, "score_threshold", DType.float32),
        };
        var op = b.Create(Def, inputs, new() { { T, DType.float32 }, { TThreshold, DType.float32 }, { PadToMaxOutputSize, padToMaxOutputSize } });
        return (op.outputs[0], op.outputs[1]);
    }
}
