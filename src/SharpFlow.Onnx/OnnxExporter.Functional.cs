using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// The rows of TensorFlow 2's functional control flow (which SharpFlow lowers on import), of the ops that only order
/// others (Assert, NoOp, ControlTrigger, TensorArrayCloseV3) and of a TensorArray's split and concat.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// A row for a TensorFlow 2 functional op: SharpFlow's import lowers If and StatelessIf to a v1 <c>tf.cond</c>
    /// (Switch, Merge), While and StatelessWhile to a v1 <c>tf.while_loop</c>, PartitionedCall and
    /// StatefulPartitionedCall to their function's inlined body (GraphIO's FunctionalOps, as TensorFlow's
    /// LowerFunctionalOpsPass does), so a graph holds the lowered ops, which export as ONNX If, Loop and the body's
    /// operators. No graph holds the functional op itself: its converter is never reached.
    /// </summary>
    private static ExportSpec Lowered(string type, string notes) =>
        Named(type, notes, (_, op) => throw new InternalError($"ONNX export: {op.type} \"{op.name}\" is lowered on import, so a SharpFlow graph never holds it."));

    /// <summary>
    /// A row for an op without outputs that only orders others through control edges: the exporter follows data
    /// inputs only, so the op and its control edges are left out of the model, and nothing is written for it.
    /// </summary>
    private static ExportSpec Dropped(string type, string notes) => Named(type, notes, (_, _) => { });

    /// <summary>
    /// TensorArraySplitV3 into a new TensorArray: SplitToSequence of the value along axis 0 by its lengths (TensorFlow
    /// checks that they add up to the value's first dimension; ONNX Runtime fails when they do not).
    /// </summary>
    private void TensorArraySplitOp(Operation op)
    {
        if (IsGradArrayOp(op))
        {
            ExportGradArray(op); // refused naming the forms a gradient array exports
            return;
        }
        if (op.inputs[3].op.type != "TensorArrayV3")
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: it splits into a TensorArray already written to.", op.name);
        var flow = Out(op.outputs[0]);
        Node("SplitToSequence", [In(op, 1), Int64(op.inputs[2])], [flow], ("axis", 0L));
        _names[op.outputs[0]] = flow;
    }

    /// <summary>
    /// TensorArrayConcatV3: ConcatFromSequence of the elements along their first axis; the lengths (when read) a Loop
    /// over the sequence whose scan output is each element's first dimension. A TensorArray written from its last
    /// index down (appended in reverse) is refused, and an empty one fails in ONNX Runtime (TensorFlow gives a
    /// value of 0 rows when element_shape_except0 is known).
    /// </summary>
    private void TensorArrayConcatOp(Operation op)
    {
        if (IsGradArrayOp(op))
        {
            ExportGradArray(op); // refused naming the forms a gradient array exports
            return;
        }
        if (Backward(ArrayOp(op.inputs[0])))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its TensorArray is written from the last index down (a reversed scan's), whose elements SharpFlow.Onnx exports for a stack only.", op.name);
        var sequence = In(op, 1);
        var value = Out(op.outputs[0]);
        Node("ConcatFromSequence", [sequence], [value], ("axis", 0L), ("new_axis", 0L));
        _names[op.outputs[0]] = value;
        if (!IsRead(op.outputs[1])) return;

        var outer = _current;
        var body = new GraphProto { Name = op.name + "/lengths" };
        _current = body;
        string length;
        try
        {
            var (iteration, condIn) = (Fresh(), Fresh());
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            var element = Apply("SequenceAt", sequence, iteration);
            length = Apply("Slice", Apply("Shape", element), Ints([0]), Ints([1]));
            body.Output.Add(ScalarInfo(BodyOutputOf(condIn), DType.@bool));
            body.Output.Add(new ValueInfoProto { Name = length, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(DType.int64) } } });
        }
        finally
        {
            _current = outer;
        }
        var scanned = Fresh();
        Node("Loop", [Apply("SequenceLength", sequence), ""], [scanned], ("body", body));
        Node("Reshape", [scanned, Ints([-1])], [Out(op.outputs[1])]);
        _names[op.outputs[1]] = Out(op.outputs[1]);
    }

    /// <summary>A body graph's condition output passing its condition input on: an Identity of it.</summary>
    private string BodyOutputOf(string condIn) => Apply("Identity", condIn);
}
