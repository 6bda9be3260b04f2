using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mapping of Cumprod: ONNX has CumSum but no running product, and <c>exp(cumsum(log x))</c> is wrong
/// for zeros and negative values, so the product is carried through an ONNX Loop over the axis.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// Cumprod (<c>exclusive</c>, <c>reverse</c>): the axis moved to the front (Transpose), reversed for
    /// <c>reverse</c> (Slice with step -1), then a Loop over its length carrying the running product <c>p</c> (ones
    /// of a slice's shape at first): iteration i multiplies p by slice i and emits p after the product (inclusive) or
    /// before it (exclusive) as its scan output; the stacked scan is reshaped to the input's shape (so an empty axis
    /// gives an empty result), reversed back and transposed back. The products are the same multiplications in the
    /// same order as TensorFlow's kernel. The input's rank must be known.
    /// </summary>
    private void CumprodOp(Operation op, string y)
    {
        var rank = op.inputs[0].shape.ndims;
        if (rank < 1)
            throw new UnimplementedError($"Cannot export Cumprod \"{op.name}\" to ONNX: its input's rank is {(rank < 0 ? "unknown" : "0")}; the Loop over the axis needs a known rank of at least 1.", op.name);
        var axis = ConstantOf(op, 1, "axis").Cast(DType.int64).ToArray<long>()[0];
        if (axis < -rank || axis >= rank)
            throw new UnimplementedError($"Cannot export Cumprod \"{op.name}\" to ONNX: axis {axis} is out of range for its input of rank {rank}.", op.name);
        if (axis < 0) axis += rank;
        var (exclusive, reverse) = (Attr<bool>(op, "exclusive"), Attr<bool>(op, "reverse"));
        var dtype = op.outputs[0].dtype;
        long[] perm = [axis, .. Enumerable.Range(0, rank).Where(d => d != axis).Select(d => (long)d)];
        long[] back = [.. Enumerable.Range(0, rank).Select(d => (long)Array.IndexOf(perm, (long)d))];
        var front = axis == 0 ? In(op, 0) : ApplyWith("Transpose", [In(op, 0)], ("perm", perm));
        if (reverse) front = Reversed(front);
        var shape = Apply("Shape", front);
        var length = Dim(front, 0);
        var ones = ApplyWith("ConstantOfShape", [Apply("Slice", shape, Ints([1]), Ints([long.MaxValue]))], ("value", NDArray.Scalar(1.0).Cast(dtype).Reshape(new Shape(1))));

        var outer = _current;
        var body = new GraphProto { Name = op.name + "/cumprod" };
        _current = body;
        string condOut, next, emitted;
        try
        {
            var (iteration, condIn, product) = (Fresh(), Fresh(), Fresh());
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(TypedInfo(product, dtype, op, rank - 1));
            condOut = Apply("Identity", condIn);
            next = Apply("Mul", product, ApplyWith("Gather", [front, iteration], ("axis", 0L)));
            emitted = Apply("Identity", exclusive ? product : next);
            body.Output.Add(ScalarInfo(condOut, DType.@bool));
            body.Output.Add(TypedInfo(next, dtype, op, rank - 1));
            body.Output.Add(TypedInfo(emitted, dtype, op, rank - 1));
        }
        finally
        {
            _current = outer;
        }
        var (last, stacked) = (Fresh(), Fresh());
        Node("Loop", [length, "", ones], [last, stacked], ("body", body));
        // ONNX Runtime stacks zero iterations as [0]: the Reshape restores the other dimensions.
        var result = _opset >= 14 ? ApplyWith("Reshape", [stacked, shape], ("allowzero", 1L)) : Apply("Reshape", stacked, shape);
        if (reverse) result = Reversed(result);
        if (axis == 0) Node("Identity", [result], [y]);
        else Node("Transpose", [result], [y], ("perm", back));
    }

    /// <summary><paramref name="x"/> with its first axis reversed: Slice from the last element down with step -1.</summary>
    private string Reversed(string x) => Apply("Slice", x, Ints([-1]), Ints([long.MinValue]), Ints([0]), Ints([-1]));

    /// <summary>A subgraph input or output of <paramref name="dtype"/> and <paramref name="rank"/> dimensions of unknown sizes.</summary>
    private static ValueInfoProto TypedInfo(string name, DType dtype, Operation op, int rank)
    {
        var shape = new TensorShapeProto();
        for (var i = 0; i < rank; i++) shape.Dim.Add(new TensorShapeProto.Types.Dimension());
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(dtype, op), Shape = shape } } };
    }
}
