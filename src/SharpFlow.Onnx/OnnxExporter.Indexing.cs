using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of TensorFlow's depth/space rearrangements, local response normalisation, cumulative
/// sums and the index ops (GatherNd, OneHot, TopKV2) to the ONNX operators of opsets 13 to 17.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// DepthToSpace/SpaceToDepth in NHWC: ONNX's NCHW operators between Transposes (TensorFlow's depth order is
    /// ONNX's DCR mode: the block offsets outer, the channels inner).
    /// </summary>
    private void SpaceDepth(Operation op)
    {
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : "NHWC";
        if (format != "NHWC")
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: data_format {format}.", op.name);
        var blockSize = IntAttr(op, "block_size");
        if (op.type == "DepthToSpace") BetweenTransposes(op, "DepthToSpace", [], [("blocksize", blockSize), ("mode", "DCR")]);
        else BetweenTransposes(op, "SpaceToDepth", [], [("blocksize", blockSize)]);
    }

    /// <summary>
    /// LRN over NHWC's channels: ONNX LRN in NCHW with <c>size = 2·depth_radius + 1</c> and
    /// <c>alpha = alpha_tf · size</c> (ONNX divides alpha by the window's size; TensorFlow does not).
    /// </summary>
    private void Lrn(Operation op)
    {
        if (op.inputs[0].shape.ndims != 4)
            throw new UnimplementedError($"Cannot export LRN \"{op.name}\" to ONNX: its input of shape {op.inputs[0].shape} is not 4-D.", op.name);
        var size = 2 * IntAttr(op, "depth_radius") + 1;
        float F(string name) => Convert.ToSingle(op.get_attr(name), System.Globalization.CultureInfo.InvariantCulture);
        BetweenTransposes(op, "LRN", [], [("size", size), ("alpha", F("alpha") * size), ("beta", F("beta")), ("bias", F("bias"))]);
    }

    /// <summary>GatherNd (no batch dimensions): ONNX GatherND with int64 indices.</summary>
    private void GatherNdOp(Operation op, string y)
    {
        Node("GatherND", [Name(op.inputs[0]), Int64(op.inputs[1])], [y]);
    }

    /// <summary>A value as int64 (ONNX's index type): itself, or a Cast.</summary>
    private string Int64(Tensor t)
    {
        if (t.dtype == DType.int64) return Name(t);
        var cast = Fresh();
        Node("Cast", [Name(t)], [cast], ("to", 7L));
        return cast;
    }

    /// <summary>
    /// OneHot: ONNX OneHot with <c>values = [off_value, on_value]</c>. ONNX counts a negative index from the end;
    /// TensorFlow gives the off value there, so negative indices become <c>depth</c> (out of range: all off).
    /// </summary>
    private void OneHotOp(Operation op, string y)
    {
        var indices = Int64(op.inputs[0]);
        var depth = Int64(op.inputs[1]);
        var (zero, negative, inRange) = (Ints([0]), Fresh(), Fresh());
        Node("Less", [indices, zero], [negative]);
        Node("Where", [negative, depth, indices], [inRange]);
        string Vector(int i)
        {
            var v = Fresh();
            Node("Reshape", [Name(op.inputs[i]), Ints([1])], [v]);
            return v;
        }
        var values = Fresh();
        Node("Concat", [Vector(3), Vector(2)], [values], ("axis", 0L));
        Node("OneHot", [inRange, depth, values], [y], ("axis", IntAttr(op, "axis")));
    }

    /// <summary>
    /// TopKV2: ONNX TopK over the last axis, largest first (ties: the lower index first, as in TensorFlow); an
    /// unsorted request is given sorted, one of the orders it allows. The int64 indices are cast to the op's type.
    /// </summary>
    private void TopKOp(Operation op)
    {
        var k = Fresh();
        Node("Reshape", [Int64(op.inputs[1]), Ints([1])], [k]);
        var outs = Outs(op);
        var indices = op.outputs[1].dtype == DType.int64 ? outs[1] : Fresh();
        Node("TopK", [Name(op.inputs[0]), k], [outs[0], indices], ("axis", -1L), ("largest", 1L), ("sorted", 1L));
        if (indices != outs[1]) Node("Cast", [indices], [outs[1]], ("to", (long)DataTypeOf(op.outputs[1].dtype, op)));
    }
}
