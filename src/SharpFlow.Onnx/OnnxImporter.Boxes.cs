using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    /// <summary>
    /// ONNX NonMaxSuppression: TensorFlow's greedy suppression (NonMaxSuppressionV3: boxes by decreasing score, the
    /// lower index first among equal scores; a box dropped when its IoU with a kept one is above the threshold or
    /// its score not above the score threshold) for each batch and class, as
    /// <c>(batch, class, box)</c> rows in that order. <c>center_point_box = 1</c> boxes
    /// <c>[x_center, y_center, width, height]</c> become corners first. The batches and classes are unrolled, so
    /// their counts must be known at import; the thresholds must be constants.
    /// </summary>
    private void NonMaxSuppression(NodeProto node)
    {
        var boxes = X(node, 0);
        var scores = X(node, 1);
        if (boxes.shape.ndims != 3 && boxes.shape.IsKnownRank) throw Invalid(node, $"its boxes have rank {boxes.shape.ndims}, not 3.");
        if (scores.shape.ndims != 3 && scores.shape.IsKnownRank) throw Invalid(node, $"its scores have rank {scores.shape.ndims}, not 3.");
        var (batches, classes) = scores.shape.IsKnownRank ? (scores.shape[0], scores.shape[1]) : (-1, -1);
        if (batches < 0 || classes < 0) throw Unsupported(node, "scores whose batch or class count is unknown at import (the batches and classes are unrolled)");
        var count = tf.shape(boxes, out_type: DType.int64)[1];
        // max_output_boxes_per_class: absent is 0; an int64 beyond the boxes' count keeps them all.
        var max = Has(node, 2) ? tf.reshape(tf.cast(X(node, 2), DType.int64), Array.Empty<int>()) : S(0, DType.int64);
        max = tf.cast(tf.maximum(tf.minimum(max, count), S(0, DType.int64)), DType.int32);
        var iou = Has(node, 3) ? ScalarConstant(node, 3, "iou_threshold") : 0f;
        var threshold = Has(node, 4) ? ScalarConstant(node, 4, "score_threshold") : float.NegativeInfinity;
        if (Attr(node, "center_point_box", 0L) is var center && center is not (0 or 1)) throw Invalid(node, $"center_point_box is {center}, not 0 or 1.");
        if (center == 1)
        {
            // [x_center, y_center, width, height] to TensorFlow's [y1, x1, y2, x2], as ONNX Runtime takes them.
            Tensor Field(int k) => tf.gather(boxes, S(k, DType.int64), axis: 2);
            var (xc, yc) = (Field(0), Field(1));
            var (hw, hh) = (Field(2) / S(2, boxes.dtype), Field(3) / S(2, boxes.dtype));
            boxes = tf.stack(new[] { yc - hh, xc - hw, yc + hh, xc + hw }, axis: -1);
        }
        // ONNX Runtime drops a box whose IoU is above the threshold, TensorFlow one whose IoU reaches it: the next
        // float up gives TensorFlow's op ONNX's rule. At 1 nothing is dropped (no IoU is above 1), which TensorFlow's
        // op cannot be asked for: the boxes above the score threshold by decreasing score (ties by index) instead.
        Tensor Kept(Tensor b, Tensor s)
        {
            if (iou < 1f) return tf.image.non_max_suppression(b, s, max, MathF.BitIncrement(iou), threshold);
            var order = tf.nn.top_k(s, tf.size(s)).indices;
            var above = tf.boolean_mask(order, tf.greater(tf.gather(s, order), S(threshold, s.dtype)));
            return tf.slice(above, new[] { 0 }, tf.reshape(tf.minimum(max, tf.size(above)), new[] { 1 }));
        }
        var rows = new List<Tensor>();
        for (var b = 0; b < batches; b++)
        {
            var batchBoxes = tf.gather(boxes, S(b, DType.int64));
            var batchScores = tf.gather(scores, S(b, DType.int64));
            for (var c = 0; c < classes; c++)
            {
                var kept = tf.cast(Kept(batchBoxes, tf.gather(batchScores, S(c, DType.int64))), DType.int64);
                var at = tf.zeros_like(kept);
                rows.Add(tf.stack(new[] { at + S(b, DType.int64), at + S(c, DType.int64), kept }, axis: 1));
            }
        }
        Set(node, rows.Count switch
        {
            0 => tf.zeros(new Shape(0, 3), DType.int64),
            1 => rows[0],
            _ => tf.concat(rows, 0),
        });
    }

    /// <summary>A one-element constant input, as a float.</summary>
    private float ScalarConstant(NodeProto node, int index, string what)
    {
        var value = ConstantOf(node, index, what);
        return value.size == 1 ? value.Cast(DType.float32).ToArray<float>()[0] : throw Invalid(node, $"its {what} holds {value.size} values, not 1.");
    }
}
