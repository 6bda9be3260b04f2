using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>The exporter's mappings of DynamicStitch, ParallelDynamicStitch and DynamicPartition: ScatterND and Compress over the flattened index dimensions.</summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// <paramref name="x"/>'s first <paramref name="prefix"/> dimensions flattened into one: Reshape to
    /// <c>[-1] + shape[prefix:]</c>.
    /// </summary>
    private string FlattenPrefix(string x, int prefix)
    {
        var rest = Apply("Slice", Apply("Shape", x), Ints([prefix]), Ints([long.MaxValue]));
        return Apply("Reshape", x, ApplyWith("Concat", [Ints([-1]), rest], ("axis", 0L)));
    }

    /// <summary>
    /// DynamicStitch and ParallelDynamicStitch: every <c>indices[m]</c> flattened and concatenated, every
    /// <c>data[m]</c> flattened over the indices' dimensions and concatenated in the same order, then ScatterND of the
    /// rows into zeros of <c>[max(indices) + 1] + data[0].shape[indices[0].ndim:]</c>. ONNX Runtime writes the rows in
    /// order, so of repeated indices the later one wins, as in TensorFlow's kernel (the ONNX standard leaves
    /// repeated indices unspecified). A negative index fails (it is made out of range, as ONNX would count it from
    /// the end). The ranks of the indices must be known.
    /// </summary>
    private void DynamicStitchOp(Operation op, string y)
    {
        var n = op.inputs.Count / 2;
        var (indices, data) = (new string[n], new string[n]);
        for (var m = 0; m < n; m++)
        {
            var rank = op.inputs[m].shape.ndims;
            if (rank < 0)
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the rank of indices[{m}] is unknown.", op.name);
            indices[m] = Apply("Reshape", Int64(op.inputs[m]), Ints([-1]));
            data[m] = FlattenPrefix(In(op, n + m), rank);
        }
        var allIndices = n == 1 ? indices[0] : ApplyWith("Concat", indices, ("axis", 0L));
        var allData = n == 1 ? data[0] : ApplyWith("Concat", data, ("axis", 0L));
        var rows = Apply("Add", ApplyWith("ReduceMax", [ApplyWith("Concat", [Ints([-1]), allIndices], ("axis", 0L))], ("keepdims", 1L)), Ints([1]));
        var shape = ApplyWith("Concat", [rows, Apply("Slice", Apply("Shape", allData), Ints([1]), Ints([long.MaxValue]))], ("axis", 0L));
        var zeros = ApplyWith("ConstantOfShape", [shape], ("value", NDArray.Scalar(0.0).Cast(op.outputs[0].dtype).Reshape(new Shape(1))));
        var inRange = Apply("Where", Apply("Less", allIndices, Long(0)), Long(long.MaxValue), allIndices);
        Node("ScatterND", [zeros, Apply("Unsqueeze", inRange, Ints([1])), allData], [y]);
    }

    /// <summary>
    /// DynamicPartition (<c>num_partitions</c> outputs): the data flattened over the partitions' dimensions, then for
    /// each partition i Compress of its rows where the flattened partitions equal i, in their order. TensorFlow's
    /// kernel fails on a partition outside <c>[0, num_partitions)</c>; the model leaves that row out of every output
    /// instead. The rank of the partitions must be known.
    /// </summary>
    private void DynamicPartitionOp(Operation op)
    {
        var rank = op.inputs[1].shape.ndims;
        if (rank < 0)
            throw new UnimplementedError($"Cannot export DynamicPartition \"{op.name}\" to ONNX: the rank of its partitions is unknown.", op.name);
        var data = FlattenPrefix(In(op, 0), rank);
        var partitions = Apply("Reshape", Int64(op.inputs[1]), Ints([-1]));
        var outs = Outs(op);
        for (var i = 0; i < outs.Length; i++)
            Node("Compress", [data, Apply("Equal", partitions, Long(i))], [outs[i]], ("axis", 0L));
    }
}
