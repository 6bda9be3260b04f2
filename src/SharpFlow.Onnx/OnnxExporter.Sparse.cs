using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>The exporter's mapping of SparseToDense: ScatterND into a tensor filled with the default value.</summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// SparseToDense: <c>default_value</c> expanded to <c>output_shape</c>, then ScatterND of <c>sparse_values</c>
    /// (one scalar value expanded to every index) at <c>sparse_indices</c> (a scalar or a vector of indices of a
    /// 1-D output reshaped to <c>[N, 1]</c>). Of TensorFlow's checks the model keeps the bounds: ONNX counts a
    /// negative index from the end, so a negative index is made out of range and ONNX Runtime fails on it as on an
    /// index past the end. <c>validate_indices</c>' order and uniqueness checks are not made: unsorted indices give
    /// the same values, and a repeated index the value ONNX Runtime writes last, as TensorFlow's kernel does without
    /// the check (the ONNX standard leaves repeated indices unspecified). The rank of the indices must be known.
    /// </summary>
    private void SparseToDenseOp(Operation op, string y)
    {
        var rank = op.inputs[0].shape.ndims;
        if (rank < 0)
            throw new UnimplementedError($"Cannot export SparseToDense \"{op.name}\" to ONNX: the rank of its sparse_indices is unknown.", op.name);
        var indices = Int64(op.inputs[0]);
        var matrix = rank switch
        {
            0 => Apply("Reshape", indices, Ints([1, 1])),
            1 => Apply("Unsqueeze", indices, Ints([1])),
            _ => indices,
        };
        var zero = Long(0);
        var inRange = Apply("Where", Apply("Less", matrix, zero), Long(long.MaxValue), matrix);
        var count = Apply("Slice", Apply("Shape", matrix), Ints([0]), Ints([1]));
        var values = Apply("Expand", In(op, 2), count);
        var filled = Apply("Expand", In(op, 3), Int64(op.inputs[1]));
        Node("ScatterND", [filled, inRange, values], [y]);
    }
}
