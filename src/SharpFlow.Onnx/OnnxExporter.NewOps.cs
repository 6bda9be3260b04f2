using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of AdjustContrastv2 (ReduceMean over height and width and element-wise arithmetic) and
/// NonMaxSuppressionV4 and V5 (ONNX NonMaxSuppression as for V3, padded with Pad; V5's Soft-NMS refused) and
/// MatrixSetDiag (Where of the diagonal mask).
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// AdjustContrastv2: <c>(x - mean) · factor + mean</c> with mean the ReduceMean over the height and width axes
    /// (-3, -2, kept), in float32 as TensorFlow's kernel computes it (half images cast there and back).
    /// </summary>
    private void AdjustContrastOp(Operation op, string y)
    {
        var f32 = DType.float32;
        var x = InDType(op, 0, f32);
        var mean = Fresh();
        Reduce("ReduceMean", x, [-3, -2], mean, ("keepdims", 1L));
        var adjusted = Apply("Add", Apply("Mul", Apply("Sub", x, mean), In(op, 1)), mean);
        if (op.outputs[0].dtype == f32) Node("Identity", [adjusted], [y]);
        else Node("Cast", [adjusted], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
    }

    /// <summary>
    /// NonMaxSuppressionV4 and V5: ONNX NonMaxSuppression as for V3 (one batch and class, the kept box indices in
    /// column 2 of its triplets); valid_outputs their count; V5's selected_scores the kept boxes' scores (greedy
    /// suppression leaves them whole); with pad_to_max_output_size the vectors padded with 0 to max_output_size.
    /// V5 exports only with a constant soft_nms_sigma of 0: ONNX NonMaxSuppression has no Soft-NMS.
    /// </summary>
    private void NonMaxSuppressionPaddedOp(Operation op)
    {
        var v5 = op.type == "NonMaxSuppressionV5";
        if (v5)
        {
            var sigma = ConstantOf(op, 5, "soft_nms_sigma").Cast(DType.float32).ToArray<float>()[0];
            if (sigma != 0)
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its soft_nms_sigma is {sigma}: ONNX NonMaxSuppression has no Soft-NMS (which decays the scores of overlapping boxes instead of dropping them); only soft_nms_sigma 0 (greedy suppression) exports.", op.name);
        }
        var boxes = Apply("Unsqueeze", In(op, 0), Ints([0]));
        var scores = Apply("Unsqueeze", In(op, 1), Ints([0, 1]));
        var max = Apply("Reshape", Int64(op.inputs[2]), Ints([1]));
        var iou = Apply("Reshape", In(op, 3), Ints([1]));
        var threshold = Apply("Reshape", In(op, 4), Ints([1]));
        var triplets = ApplyWith("NonMaxSuppression", [boxes, scores, max, iou, threshold], ("center_point_box", 0L));
        var kept = ApplyWith("Gather", [triplets, Long(2)], ("axis", 1L));
        var count = Apply("Shape", kept);
        var int32 = (long)DataTypeOf(DType.int32, op);
        var pad = Attr<bool>(op, "pad_to_max_output_size");
        // [0, max - count]: Pad's begin and end of the one axis.
        string Padded(string v) => pad ? Apply("Pad", v, ApplyWith("Concat", [Ints([0]), Apply("Sub", max, count)], ("axis", 0L))) : v;
        var indices = Out(op.outputs[0]);
        Node("Cast", [Padded(kept)], [indices], ("to", int32));
        _names[op.outputs[0]] = indices;
        if (v5)
        {
            var selectedScores = Out(op.outputs[1]);
            Node("Identity", [Padded(ApplyWith("Gather", [In(op, 1), kept], ("axis", 0L)))], [selectedScores]);
            _names[op.outputs[1]] = selectedScores;
        }
        var valid = Out(op.outputs[v5 ? 2 : 1]);
        Node("Cast", [Apply("Reshape", count, Ints([]))], [valid], ("to", int32));
        _names[op.outputs[v5 ? 2 : 1]] = valid;
    }

    /// <summary>
    /// MatrixSetDiag: Where of the diagonal mask (i == j) between the diagonal, unsqueezed along the longer side of
    /// the matrices so that element (i, j) of a diagonal position reads diagonal[i] (= diagonal[j]), and the input.
    /// The matrices' last two dimensions must be known to choose that side.
    /// </summary>
    private void MatrixSetDiagOp(Operation op, string y)
    {
        var s = op.inputs[0].shape;
        if (!s.IsKnownRank || s[s.ndims - 2] < 0 || s[s.ndims - 1] < 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the last two dimensions of its input are unknown ({s}), and whether its matrices are tall or wide decides how the diagonal spreads.", op.name);
        var x = In(op, 0);
        var (rows, columns) = (Dim(x, -2), Dim(x, -1));
        var spread = Apply("Unsqueeze", In(op, 1), Ints([s[s.ndims - 2] <= s[s.ndims - 1] ? -1 : -2]));
        Node("Where", [DiagonalMask(rows, columns), spread, x], [y]);
    }
}
