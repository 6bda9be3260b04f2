using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of InvertPermutation, LinSpace, MatrixDiag, MatrixDiagPart and the segment reductions:
/// ScatterElements, Range and masks built from Range, ScatterND with a reduction (add and mul from opset 16, max and
/// min from 18).
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>A scalar int64 initializer.</summary>
    private string Long(long value) => Initializer($"scalar_{_counter++}", NDArray.Scalar(value));

    /// <summary>Dimension <paramref name="axis"/> (negative from the end) of <paramref name="value"/>'s Shape, an int64 scalar.</summary>
    private string Dim(string value, long axis) => ApplyWith("Gather", [Apply("Shape", value), Long(axis)], ("axis", 0L));

    /// <summary>The <c>[rows, columns]</c> boolean mask of the diagonal, <c>i == j</c>, from two Ranges (run-time sizes).</summary>
    private string DiagonalMask(string rows, string columns)
    {
        var (zero, one) = (Long(0), Long(1));
        var i = Apply("Unsqueeze", Apply("Range", zero, rows, one), Ints([1]));
        return Apply("Equal", i, Apply("Range", zero, columns, one));
    }

    /// <summary>
    /// InvertPermutation: <c>y[x[i]] = i</c>, ScatterElements of <c>Range(0, n)</c> at the indices <c>x</c> into
    /// zeros. TensorFlow's kernel fails on an x that is not a permutation; the exported model does not check it
    /// (ONNX Runtime fails on an index out of range, but a repeated index gives an unspecified result).
    /// </summary>
    private void InvertPermutationOp(Operation op, string y)
    {
        var dtype = op.outputs[0].dtype;
        var x = In(op, 0);
        var n = Dim(x, 0);
        var positions = ApplyWith("Cast", [Apply("Range", Long(0), n, Long(1))], ("to", (long)DataTypeOf(dtype, op)));
        var zeros = ApplyWith("ConstantOfShape", [Apply("Shape", x)], ("value", NDArray.Scalar(0.0).Cast(dtype).Reshape(new Shape(1))));
        Node("ScatterElements", [zeros, x, positions], [y], ("axis", 0L));
    }

    /// <summary>
    /// LinSpace: <c>start + step · i</c> for i in <c>[0, num)</c> with <c>step = (stop - start) / (num - 1)</c>
    /// computed in the output's type, the last value <c>stop</c> itself (as TensorFlow's kernel writes it) unless
    /// num is 1, which gives <c>[start]</c>.
    /// </summary>
    private void LinSpaceOp(Operation op, string y)
    {
        var dtype = op.outputs[0].dtype;
        var to = ("to", (long)DataTypeOf(dtype, op));
        var (start, stop, num) = (In(op, 0), In(op, 1), Int64(op.inputs[2]));
        var one = Long(1);
        var i = Apply("Range", Long(0), num, one);
        var intervals = Apply("Max", Apply("Sub", num, one), one);
        var step = Apply("Div", Apply("Sub", stop, start), ApplyWith("Cast", [intervals], to));
        var values = Apply("Add", start, Apply("Mul", step, ApplyWith("Cast", [i], to)));
        var last = Apply("And", Apply("Equal", i, Apply("Sub", num, one)), Apply("Greater", num, one));
        Node("Where", [last, stop, values], [y]);
    }

    /// <summary>MatrixDiag: the diagonal <c>[..., n]</c> on the diagonal of <c>[..., n, n]</c> zeros, Where of the i == j mask.</summary>
    private void MatrixDiagOp(Operation op, string y)
    {
        var diagonal = In(op, 0);
        var n = Dim(diagonal, -1);
        Node("Where", [DiagonalMask(n, n), Apply("Unsqueeze", diagonal, Ints([-1])), Scalar(0, op.outputs[0].dtype)], [y]);
    }

    /// <summary>
    /// MatrixDiagPart: the diagonal of <c>[..., m, n]</c>, <c>[..., min(m, n)]</c>: the input where i == j (0
    /// elsewhere, so an infinity or NaN off the diagonal does not reach it), ReduceSum over the columns, its first
    /// n rows.
    /// </summary>
    private void MatrixDiagPartOp(Operation op, string y)
    {
        var x = In(op, 0);
        var (rows, columns) = (Dim(x, -2), Dim(x, -1));
        var masked = Apply("Where", DiagonalMask(rows, columns), x, Scalar(0, op.outputs[0].dtype));
        var sums = ApplyWith("ReduceSum", [masked, Ints([-1])], ("keepdims", 0L));
        Node("Slice", [sums, Ints([0]), Apply("Unsqueeze", columns, Ints([0])), Ints([-1])], [y]);
    }

    /// <summary>
    /// The segment reductions: ScatterND (reduction add, mul, max or min) of the data's rows at their segment ids
    /// into <c>[num_segments] + data.shape[ids.ndim:]</c> filled with the reduction's identity (0, 1, or, as
    /// TensorFlow fills the empty segments of UnsortedSegmentMax and UnsortedSegmentMin, the lowest or the highest
    /// value of the dtype); a row with a negative id, which TensorFlow drops, adds the identity at row 0. The sorted
    /// ops (SegmentSum, SegmentMean, SegmentMax, SegmentMin) have the largest id + 1 segments, 0 for no ids (their
    /// ids sorted, which the model does not check, as TensorFlow's kernel does), and give 0 for an empty segment:
    /// the rows per segment are counted by a second ScatterND (add) of ones, SegmentMean divides by the count (at
    /// least 1), SegmentMax and SegmentMin put 0 where it is 0. A NaN among the rows of a max or min is not carried
    /// through as TensorFlow's kernel does (ONNX Runtime compares with std::max). SegmentProd fills with 1, which an
    /// empty segment keeps, as TensorFlow's kernel gives it. SparseSegmentSum, SparseSegmentMean and
    /// SparseSegmentSqrtN Gather the rows <c>data[indices]</c> first, then reduce them as the sorted ops (SqrtN divides
    /// by the Sqrt of the count); TensorFlow's check of the indices' range is kept as ONNX Runtime's failure on an
    /// index past the end (a negative index, which ONNX would read from the end, is made one). The ranks of the ids
    /// and the data must be known.
    /// </summary>
    private void SegmentOp(Operation op, string y)
    {
        var dtype = op.outputs[0].dtype;
        var sparse = op.type.StartsWith("SparseSegment", StringComparison.Ordinal);
        var idsInput = sparse ? 2 : 1;
        var (dataRank, idsRank) = (op.inputs[0].shape.ndims, op.inputs[idsInput].shape.ndims);
        if (dataRank < 0 || idsRank < 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the rank of its data or segment_ids is unknown.", op.name);
        var reduction = op.type switch
        {
            "UnsortedSegmentProd" or "SegmentProd" => "mul",
            "UnsortedSegmentMax" or "SegmentMax" => "max",
            "UnsortedSegmentMin" or "SegmentMin" => "min",
            _ => "add",
        };
        var sorted = sparse || op.type.StartsWith("Segment", StringComparison.Ordinal);
        var identity = SegmentIdentity(reduction, dtype, op);
        var data = sparse ? ApplyWith("Gather", [In(op, 0), OutOfRangeIfNegative(Int64(op.inputs[1]))], ("axis", 0L)) : In(op, 0);
        var ids = Int64(op.inputs[idsInput]);
        var zero = Long(0);
        var count = sorted
            ? Apply("Add", ApplyWith("ReduceMax", [ApplyWith("Concat", [Ints([-1]), Apply("Reshape", ids, Ints([-1]))], ("axis", 0L))], ("keepdims", 0L)), Long(1))
            : Int64(op.inputs[2]);
        var inner = Apply("Slice", Apply("Shape", data), Ints([idsRank]), Ints([long.MaxValue]));
        var shape = ApplyWith("Concat", [Apply("Reshape", count, Ints([1])), inner], ("axis", 0L));
        var filled = ApplyWith("ConstantOfShape", [shape], ("value", identity));
        var dropped = Apply("Less", ids, zero);
        var rows = Apply("Unsqueeze", Apply("Where", dropped, zero, ids), Ints([-1]));
        var droppedRows = dataRank > idsRank ? Apply("Unsqueeze", dropped, Ints([.. Enumerable.Range(idsRank, dataRank - idsRank).Select(a => (long)a)])) : dropped;
        var updates = Apply("Where", droppedRows, Initializer($"scalar_{_counter++}", identity.Reshape(Shape.Scalar)), data);
        if (!sorted || op.type is "SegmentSum" or "SegmentProd" or "SparseSegmentSum")
        {
            Node("ScatterND", [filled, rows, updates], [y], ("reduction", reduction));
            return;
        }
        var reduced = ApplyWith("ScatterND", [filled, rows, updates], ("reduction", reduction));
        var ones = Apply("Where", dropped, zero, ApplyWith("ConstantOfShape", [Apply("Shape", ids)], ("value", NDArray.FromFlat(new[] { 1L }, new Shape(1)))));
        var counts = ApplyWith("ScatterND", [ApplyWith("ConstantOfShape", [Apply("Reshape", count, Ints([1]))], ("value", NDArray.FromFlat(new[] { 0L }, new Shape(1)))), rows, ones], ("reduction", "add"));
        var outRank = 1 + dataRank - idsRank;
        var perRow = outRank > 1 ? Apply("Unsqueeze", counts, Ints([.. Enumerable.Range(1, outRank - 1).Select(a => (long)a)])) : counts;
        var to = ("to", (long)DataTypeOf(dtype, op));
        if (op.type is "SegmentMean" or "SparseSegmentMean") Node("Div", [reduced, ApplyWith("Cast", [Apply("Max", perRow, Long(1))], to)], [y]);
        else if (op.type == "SparseSegmentSqrtN") Node("Div", [reduced, Apply("Sqrt", ApplyWith("Cast", [Apply("Max", perRow, Long(1))], to))], [y]);
        else Node("Where", [Apply("Equal", perRow, zero), Scalar(0, dtype), reduced], [y]);
    }

    /// <summary>int64 <paramref name="indices"/> with each negative index made the largest int64, out of any range.</summary>
    private string OutOfRangeIfNegative(string indices) => Apply("Where", Apply("Less", indices, Long(0)), Long(long.MaxValue), indices);

    /// <summary>The identity of a segment reduction in <paramref name="dtype"/>, shaped [1] for ConstantOfShape: 0, 1, the lowest or the highest value.</summary>
    private static NDArray SegmentIdentity(string reduction, DType dtype, Operation op)
    {
        if (reduction is "add" or "mul") return NDArray.Scalar(reduction == "mul" ? 1.0 : 0.0).Cast(dtype).Reshape(new Shape(1));
        var lowest = reduction == "max";
        var one = new Shape(1);
        if (dtype == DType.float32) return NDArray.FromFlat(new[] { lowest ? float.MinValue : float.MaxValue }, one);
        if (dtype == DType.float64) return NDArray.FromFlat(new[] { lowest ? double.MinValue : double.MaxValue }, one);
        if (dtype == DType.int32) return NDArray.FromFlat(new[] { lowest ? int.MinValue : int.MaxValue }, one);
        if (dtype == DType.int64) return NDArray.FromFlat(new[] { lowest ? long.MinValue : long.MaxValue }, one);
        throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: segments of {dtype.name} (float32, float64, int32 and int64 export).", op.name);
    }
}
