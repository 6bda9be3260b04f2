using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>The exporter's mappings of the box ops: NonMaxSuppressionV2 and V3 as ONNX NonMaxSuppression.</summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// NonMaxSuppressionV2 and V3: ONNX NonMaxSuppression (<c>center_point_box = 0</c>: TensorFlow's
    /// <c>[y1, x1, y2, x2]</c> of any two opposite corners) of one batch and one class, the boxes <c>[1, n, 4]</c> and
    /// scores <c>[1, 1, n]</c>; of its <c>[selected, 3]</c> (batch, class, box) triplets column 2, cast to int32. Both
    /// keep the boxes by decreasing score (the lower index first among equal scores), drop a box whose IoU with a
    /// kept one passes the threshold and, with V3's score threshold, the boxes whose score is not above it.
    /// </summary>
    private void NonMaxSuppressionOp(Operation op, string y)
    {
        var boxes = Apply("Unsqueeze", In(op, 0), Ints([0]));
        var scores = Apply("Unsqueeze", In(op, 1), Ints([0, 1]));
        var max = Apply("Reshape", Int64(op.inputs[2]), Ints([1]));
        var iou = Apply("Reshape", In(op, 3), Ints([1]));
        string[] inputs = op.type == "NonMaxSuppressionV3" ? [boxes, scores, max, iou, Apply("Reshape", In(op, 4), Ints([1]))] : [boxes, scores, max, iou];
        var triplets = ApplyWith("NonMaxSuppression", inputs, ("center_point_box", 0L));
        var selected = ApplyWith("Gather", [triplets, Long(2)], ("axis", 1L));
        Node("Cast", [selected], [y], ("to", (long)DataTypeOf(DType.int32, op)));
    }
}
