using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's array gradients of training graphs: StridedSliceGrad (the gradient written back where the slice
/// read), ConcatOffset (where each concatenated input starts), for shapes known only at run time, and
/// SparseSegmentMeanGrad and SparseSegmentSqrtNGrad (each segment's gradient spread back over its rows).
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// StridedSliceGrad(shape, begin, end, strides, dy): the flat positions <c>0 … size − 1</c> shaped as
    /// <c>shape</c> are sliced as the StridedSlice slices (its constant begin, end, strides and masks, negative
    /// strides included), which gives each element of dy its position; ScatterElements writes dy there into zeros of
    /// <c>shape</c> (a slice reads every position once). The shape may be known only at run time.
    /// </summary>
    private void StridedSliceGradOp(Operation op, string y)
    {
        var shape = Int64(op.inputs[0]);
        var size = Fresh();
        Reduce("ReduceProd", shape, [0], size, ("keepdims", 0L));
        var positions = Apply("Reshape", Apply("Range", Long(0), size, Long(1)), shape);
        // dy lacks the shrunk axes, all of size 1: flattened, the two orders agree.
        _ = StridedSliceOf(op, positions, out var sliced);
        var read = Apply("Reshape", sliced, Ints([-1]));
        var zeros = ApplyWith("ConstantOfShape", [Apply("Unsqueeze", size, Ints([0]))], ("value", NDArray.FromFlat(new double[] { 0 }, new Shape(1)).Cast(op.outputs[0].dtype)));
        var written = ApplyWith("ScatterElements", [zeros, read, Apply("Reshape", In(op, 4), Ints([-1]))], ("axis", 0L));
        Node("Reshape", [written, shape], [y]);
    }

    /// <summary>
    /// ConcatOffset(concat_dim, shape_0, …): offset i is zero but on the (constant) concat axis, where it is the sum of
    /// the earlier shapes' sizes on that axis: a running Add of each shape times a one-hot of the axis.
    /// </summary>
    private void ConcatOffsetOp(Operation op)
    {
        var rank = op.inputs[1].shape is { IsKnownRank: true } s && s.ndims == 1 && s[0] >= 0 ? s[0]
            : throw new UnimplementedError($"Cannot export ConcatOffset \"{op.name}\" to ONNX: the length of its shapes is unknown.", op.name);
        var axis = ConstantOf(op, 0, "concat_dim").Cast(DType.int64).ToArray<long>()[0];
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank)
            throw new UnimplementedError($"Cannot export ConcatOffset \"{op.name}\" to ONNX: concat_dim {axis} is out of range for shapes of {rank} dimensions.", op.name);
        var dtype = op.outputs[0].dtype;
        var oneHot = Initializer($"{op.name}/axis_{_counter++}", NDArray.FromFlat(Enumerable.Range(0, rank).Select(d => d == axis ? 1.0 : 0.0).ToArray(), new Shape(rank)).Cast(dtype));
        var offset = Initializer($"{op.name}/zeros_{_counter++}", NDArray.FromFlat(new double[rank], new Shape(rank)).Cast(dtype));
        for (var i = 0; i < op.outputs.Count; i++)
        {
            if (i > 0) offset = Apply("Add", offset, Apply("Mul", In(op, i), oneHot));
            var y = Out(op.outputs[i]);
            Node("Identity", [offset], [y]);
            _names[op.outputs[i]] = y;
        }
    }

    /// <summary>
    /// SparseSegmentMeanGrad and SparseSegmentSqrtNGrad(grad, indices, segment_ids, output_dim0):
    /// <c>output[indices[i]] += grad[segment_ids[i]] / w</c>, w the count of segment_ids[i] among segment_ids (its
    /// square root for SqrtN), as TensorFlow's kernel divides: the counts by ScatterElements (<c>reduction = add</c>)
    /// of ones, the rows by Gather and Div, the sum by ScatterND (<c>reduction = add</c>) into zeros of
    /// <c>output_dim0</c> rows (opset 16). The rank of grad must be known.
    /// </summary>
    private void SparseSegmentGradOp(Operation op, string y)
    {
        var rank = op.inputs[0].shape.ndims;
        if (rank < 1)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the rank of its grad is unknown.", op.name);
        var dtype = op.outputs[0].dtype;
        var (grad, ids) = (In(op, 0), Int64(op.inputs[2]));
        NDArray Filled(double v) => NDArray.FromFlat(new[] { v }, new Shape(1)).Cast(dtype);
        var gradShape = Apply("Shape", grad);
        var segments = ApplyWith("ConstantOfShape", [Apply("Slice", gradShape, Ints([0]), Ints([1]))], ("value", Filled(0)));
        var counts = ApplyWith("ScatterElements", [segments, ids, ApplyWith("ConstantOfShape", [Apply("Shape", ids)], ("value", Filled(1)))], ("axis", 0L), ("reduction", "add"));
        if (op.type == "SparseSegmentSqrtNGrad") counts = Apply("Sqrt", counts);
        var weights = Apply("Reshape", ApplyWith("Gather", [counts, ids], ("axis", 0L)), Ints([-1, .. Enumerable.Repeat(1L, rank - 1)]));
        var rows = Apply("Div", ApplyWith("Gather", [grad, ids], ("axis", 0L)), weights);
        var outShape = ApplyWith("Concat", [Apply("Reshape", Int64(op.inputs[3]), Ints([1])), Apply("Slice", gradShape, Ints([1]), Ints([long.MaxValue]))], ("axis", 0L));
        var zeros = ApplyWith("ConstantOfShape", [outShape], ("value", Filled(0)));
        Node("ScatterND", [zeros, Apply("Unsqueeze", Int64(op.inputs[1]), Ints([1])), rows], [y], ("reduction", "add"));
    }
}
