using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of the box ops: NonMaxSuppressionV2 and V3 as ONNX NonMaxSuppression, CropAndResize as
/// GatherND of the sampled pixels.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// NonMaxSuppressionV2 and V3: ONNX NonMaxSuppression (<c>center_point_box = 0</c>: TensorFlow's
    /// <c>[y1, x1, y2, x2]</c> of any two opposite corners) of one batch and one class, the boxes <c>[1, n, 4]</c> and
    /// scores <c>[1, 1, n]</c>; of its <c>[selected, 3]</c> (batch, class, box) triplets column 2, cast to int32. Both
    /// keep the boxes by decreasing score (the lower index first among equal scores) and, with V3's score threshold,
    /// drop the boxes whose score is not above it. SharpFlow's kernel (as TensorFlow's since its soft-NMS rewrite,
    /// <c>similarity &gt;= similarity_threshold</c>) drops a box whose IoU with a kept one reaches the threshold, ONNX
    /// Runtime only one whose IoU is above it: ONNX is given the float32 just below the threshold (float IoUs above
    /// it are exactly those at or above the threshold). A constant threshold is stepped down exactly
    /// (<c>nextafter</c> toward −∞); a computed one is multiplied by <c>1 − 2⁻²⁴</c>, which is the step down for every
    /// normal positive float32. A threshold of 0 is refused: TensorFlow then drops every box after the first (an IoU
    /// of 0 reaches it), which ONNX Runtime, never suppressing disjoint boxes, cannot be asked for.
    /// </summary>
    private void NonMaxSuppressionOp(Operation op, string y)
    {
        var boxes = Apply("Unsqueeze", In(op, 0), Ints([0]));
        var scores = Apply("Unsqueeze", In(op, 1), Ints([0, 1]));
        var max = Apply("Reshape", Int64(op.inputs[2]), Ints([1]));
        string iou;
        if (_constants.TryGetValue(op.inputs[3], out var given))
        {
            var threshold = given.Cast(DType.float32).ToArray<float>()[0];
            if (threshold <= 0f)
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: iou_threshold {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)} drops every box after the first (an IoU of 0 reaches it), while ONNX NonMaxSuppression drops only boxes whose IoU is above the threshold.", op.name);
            iou = Initializer($"{op.name}/iou_threshold_below", NDArray.FromFlat([MathF.BitDecrement(threshold)], new Shape(1)));
        }
        else iou = Apply("Reshape", Apply("Mul", InDType(op, 3, DType.float32), Scalar(1 - System.Math.Pow(2, -24), DType.float32)), Ints([1]));
        string[] inputs = op.type == "NonMaxSuppressionV3" ? [boxes, scores, max, iou, Apply("Reshape", In(op, 4), Ints([1]))] : [boxes, scores, max, iou];
        var triplets = ApplyWith("NonMaxSuppression", inputs, ("center_point_box", 0L));
        var selected = ApplyWith("Gather", [triplets, Long(2)], ("axis", 1L));
        Node("Cast", [selected], [y], ("to", (long)DataTypeOf(DType.int32, op)));
    }

    /// <summary>
    /// CropAndResize (a constant <c>crop_size</c>): TensorFlow's kernel in float32 operators. Per box the sample
    /// rows <c>in_y = y1 (H - 1) + y · ((y2 - y1) (H - 1) / (crop_h - 1))</c> (<c>0.5 (y1 + y2) (H - 1)</c> for one
    /// row) and likewise the columns, as <c>[boxes, crop_h]</c> and <c>[boxes, crop_w]</c>; the pixels at the
    /// floors and ceilings (bilinear, interpolated along x, then y) or at the rounded positions (nearest, halves
    /// away from zero) gathered with GatherND of <c>(box_ind, row, column)</c>; samples outside the image take
    /// <c>extrapolation_value</c>.
    /// </summary>
    private void CropAndResizeOp(Operation op, string y)
    {
        var size = ConstantOf(op, 3, "crop_size").Cast(DType.int64).ToArray<long>();
        var (ch, cw) = (size[0], size[1]);
        var method = Attr<string>(op, "method");
        var extrapolation = Attr<float>(op, "extrapolation_value");
        var f32 = DType.float32;
        var image = InDType(op, 0, f32);
        var shape = Apply("Shape", image);
        string Last(long axis) => ApplyWith("Cast", [Apply("Sub", ApplyWith("Gather", [shape, Long(axis)], ("axis", 0L)), Long(1))], ("to", (long)DataTypeOf(f32)));
        var (hLast, wLast) = (Last(1), Last(2));
        var (y1, x1, y2, x2) = (Fresh(), Fresh(), Fresh(), Fresh());
        Node("Split", [In(op, 1), Ints([1, 1, 1, 1])], [y1, x1, y2, x2], ("axis", 1L));
        // The sample positions along one axis: [boxes, count].
        string Positions(string start, string end, string last, long count)
        {
            if (count == 1) return Apply("Mul", Apply("Mul", Scalar(0.5, f32), Apply("Add", start, end)), last);
            var scale = Apply("Div", Apply("Mul", Apply("Sub", end, start), last), Scalar(count - 1, f32));
            var steps = Initializer($"{op.name}/steps_{_counter++}", NDArray.FromFlat(Enumerable.Range(0, (int)count).Select(i => (float)i).ToArray(), new Shape(1, (int)count)));
            return Apply("Add", Apply("Mul", start, last), Apply("Mul", steps, scale));
        }
        var (inY, inX) = (Positions(y1, y2, hLast, ch), Positions(x1, x2, wLast, cw));
        string Inside(string p, string last) => Apply("And", Apply("GreaterOrEqual", p, Scalar(0, f32)), Apply("LessOrEqual", p, last));
        var rowsShape = Ints([-1, ch, 1, 1]);
        var columnsShape = Ints([-1, 1, cw, 1]);
        var inside = Apply("And", Apply("Reshape", Inside(inY, hLast), rowsShape), Apply("Reshape", Inside(inX, wLast), columnsShape));
        var target = ApplyWith("Concat", [ApplyWith("Slice", [Apply("Shape", In(op, 1)), Ints([0]), Ints([1])]), Ints([ch, cw, 1])], ("axis", 0L));
        var box = Apply("Reshape", Int64(op.inputs[2]), Ints([-1, 1, 1, 1]));
        // An index into the image (clamped: the samples outside it are replaced afterwards).
        string Index(string p, string last, string shapeOf) =>
            Apply("Reshape", ApplyWith("Cast", [Apply("Clip", p, Scalar(0, f32), last)], ("to", 7L)), shapeOf);
        string Pixels(string row, string column) =>
            Apply("GatherND", image, ApplyWith("Concat", [Apply("Expand", box, target), Apply("Expand", row, target), Apply("Expand", column, target)], ("axis", -1L)));
        string sampled;
        if (method == "nearest")
        {
            string Nearest(string p)
            {
                var floor = Apply("Floor", p);
                return Apply("Where", Apply("Equal", Apply("Sub", p, floor), Scalar(0.5, f32)), Apply("Add", floor, Scalar(1, f32)), Apply("Round", p));
            }
            sampled = Pixels(Index(Nearest(inY), hLast, rowsShape), Index(Nearest(inX), wLast, columnsShape));
        }
        else
        {
            var (top, left) = (Apply("Floor", inY), Apply("Floor", inX));
            var (topRow, bottomRow) = (Index(top, hLast, rowsShape), Index(Apply("Ceil", inY), hLast, rowsShape));
            var (leftColumn, rightColumn) = (Index(left, wLast, columnsShape), Index(Apply("Ceil", inX), wLast, columnsShape));
            var yLerp = Apply("Reshape", Apply("Sub", inY, top), rowsShape);
            var xLerp = Apply("Reshape", Apply("Sub", inX, left), columnsShape);
            var (tl, tr) = (Pixels(topRow, leftColumn), Pixels(topRow, rightColumn));
            var (bl, br) = (Pixels(bottomRow, leftColumn), Pixels(bottomRow, rightColumn));
            var topValue = Apply("Add", tl, Apply("Mul", Apply("Sub", tr, tl), xLerp));
            var bottomValue = Apply("Add", bl, Apply("Mul", Apply("Sub", br, bl), xLerp));
            sampled = Apply("Add", topValue, Apply("Mul", Apply("Sub", bottomValue, topValue), yLerp));
        }
        Node("Where", [inside, sampled, Scalar(extrapolation, f32)], [y]);
    }
}
