using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>GatherTree (beam search's backtracking) as an ONNX Loop over time from the end.</summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// GatherTree over step_ids and parent_ids [max_time, batch, beam], as TensorFlow's kernel follows each beam's
    /// parents back from its batch entry's length: a Loop over t = max_time - 1 down to 0 carries each beam's pointer
    /// (the beam it reads at t, at first itself); where t &lt; max_sequence_lengths[b] the step's id at the pointer
    /// is the output (GatherElements) and the pointer becomes that beam's parent, elsewhere the output is
    /// end_token. The scan output, in reverse time, is reversed (Slice with step -1) and given the ids' shape (so that max_time 0 gives no
    /// beams); then every id after a beam's
    /// first end_token becomes end_token (an exclusive CumSum of Equal end_token over time, Greater 0). A parent id
    /// outside [0, beam) that is followed fails in ONNX Runtime, as in TensorFlow (a negative one is made out of
    /// range, as ONNX would count it from the end).
    /// </summary>
    private void GatherTreeOp(Operation op, string y)
    {
        var (steps, parents) = (In(op, 0), In(op, 1));
        var lengths = Apply("Unsqueeze", Int64(op.inputs[2]), Ints([1])); // [batch, 1]
        var end = In(op, 3);
        var shape = Apply("Shape", steps);
        var maxTime = Apply("Squeeze", Apply("Slice", shape, Ints([0]), Ints([1])), Ints([0]));
        var last = Apply("Sub", maxTime, Long(1));
        var beamWidth = Apply("Squeeze", Apply("Slice", shape, Ints([2]), Ints([3])), Ints([0]));
        var self = Apply("Expand", Apply("Range", Long(0), beamWidth, Long(1)), Apply("Slice", shape, Ints([1]), Ints([3])));

        var outer = _current;
        var body = new GraphProto { Name = op.name + "/backtrack" };
        _current = body;
        string next, ids;
        try
        {
            var (iteration, condIn, pointer) = (Fresh(), Fresh(), Fresh());
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(new ValueInfoProto { Name = pointer, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(DType.int64) } } });
            var t = Apply("Sub", last, iteration);
            var active = Apply("Less", t, lengths); // [batch, 1]
            var inRange = Apply("Where", Apply("Less", pointer, Long(0)), Long(long.MaxValue), pointer);
            var stepAt = ApplyWith("Gather", [steps, t], ("axis", 0L));
            var parentAt = ApplyWith("Gather", [parents, t], ("axis", 0L));
            ids = Apply("Where", active, ApplyWith("GatherElements", [stepAt, inRange], ("axis", 1L)), end);
            next = Apply("Where", active, Int64Of(ApplyWith("GatherElements", [parentAt, inRange], ("axis", 1L))), pointer);
            body.Output.Add(ScalarInfo(BodyOutputOf(condIn), DType.@bool));
            body.Output.Add(new ValueInfoProto { Name = next, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(DType.int64) } } });
            body.Output.Add(new ValueInfoProto { Name = ids, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(DType.int32) } } });
        }
        finally
        {
            _current = outer;
        }
        var (finalPointer, reversed) = (Fresh(), Fresh());
        Node("Loop", [maxTime, "", self], [finalPointer, reversed], ("body", body));
        // Reshaped to the ids' shape: with max_time 0 the Loop's scan output has no shape to stack.
        var beams = Apply("Reshape", Apply("Slice", reversed, Ints([-1]), Ints([long.MinValue]), Ints([0]), Ints([-1])), shape);
        var ends = ApplyWith("Cast", [Apply("Equal", beams, end)], ("to", 6L));
        var before = ApplyWith("CumSum", [ends, Long(0)], ("exclusive", 1L));
        Node("Where", [Apply("Greater", before, Scalar(0, DType.int32)), end, beams], [y]);
    }

    /// <summary>An int32 value cast to int64.</summary>
    private string Int64Of(string x) => ApplyWith("Cast", [x], ("to", 7L));
}
