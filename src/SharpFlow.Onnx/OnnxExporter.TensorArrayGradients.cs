using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.Control;

namespace SharpFlow.Onnx;

/// <summary>
/// A gradient TensorArray (TensorArrayGradV3: the gradient of <c>tf.nn.dynamic_rnn</c> and of any while loop that
/// reads or writes a TensorArray) as a dense tensor. TensorFlow's gradient array starts as zeros and adds repeated
/// writes to one index, and the backprop loop writes it at indices popped off a stack (in no order an ONNX sequence
/// could append in), so it is exported as one tensor shaped like its forward array stacked: zeros at first, each
/// write adding a one-hot mask of its index times the value, each read a Gather, a scatter an add of the one-hot
/// matrix times the values, a gather a Gather of the indices. Like a stack, the tensor is state of the run: it is
/// threaded through the model, one per forward array and gradient source, and every ONNX Loop whose body uses it
/// carries it. The flows of the gradient array's ops stand for nothing and are a scalar 0.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The ONNX name of each gradient array's dense tensor now, keyed by its forward TensorArrayV3 op and its source.</summary>
    private readonly Dictionary<(Operation Array, string Source), string> _gradArrayStates = [];

    /// <summary>The TensorArrayGradV3 op a gradient TensorArray's handle comes from (through Enters, Identities and Switches).</summary>
    private static Operation GradArrayOf(Tensor handle)
    {
        var t = handle;
        while (t.op.type is "Enter" or "Identity" or "Switch") t = t.op.inputs[0];
        return t.op.type == "TensorArrayGradV3" ? t.op : throw new InternalError($"ONNX export: the TensorArray handle {handle.name} does not come from a TensorArrayGradV3 op ({t.op.type} \"{t.op.name}\").");
    }

    private static (Operation Array, string Source) GradKey(Operation grad) => (ArrayOp(grad.inputs[0]), grad.Attr<string>("source"));

    /// <summary>Whether <paramref name="op"/> is TensorArrayGradV3 or an op on the array it gives.</summary>
    private static bool IsGradArrayOp(Operation op) =>
        op.type == "TensorArrayGradV3" || (op.type.StartsWith("TensorArray", StringComparison.Ordinal) && op.type != "TensorArrayV3" && op.inputs.Count > 0 && IsGradArray(op.inputs[0]));

    /// <summary>The zeros a gradient array starts as: a tensor shaped like its forward array (the sequence <paramref name="flow"/> stands for) stacked.</summary>
    private string GradArrayZeros(Operation grad, Tensor flow)
    {
        if (SequenceElement(flow) is not { } dtype)
            throw new UnimplementedError($"Cannot export {grad.type} \"{grad.name}\" to ONNX: the flow it takes ({flow.op.type} \"{flow.op.name}\") is not its forward TensorArray's, whose stacked shape the dense gradient array takes.", grad.name);
        var stacked = ApplyWith("ConcatFromSequence", [Name(flow)], ("axis", 0L), ("new_axis", 1L));
        return Apply("Expand", Scalar(0, dtype), Apply("Shape", stacked));
    }

    /// <summary>One-hot rows of <paramref name="indices"/> (int32 or int64, shape [k] or scalar) over the array's length: [length, k] (or [length]) of <paramref name="dtype"/>.</summary>
    private string OneHot(string state, string indices, DType dtype, Operation op, bool vector)
    {
        var length = ApplyWith("Gather", [Apply("Shape", state), Long(0)], ("axis", 0L));
        var positions = Apply("Range", Long(0), length, Long(1));
        if (vector) positions = Apply("Reshape", positions, Ints([-1, 1]));
        var index = ApplyWith("Cast", [indices], ("to", (long)DataTypeOf(DType.int64, op)));
        return ApplyWith("Cast", [Apply("Equal", positions, index)], ("to", (long)DataTypeOf(dtype, op)));
    }

    /// <summary>A gradient TensorArray op on the dense tensor (see the type's summary); the other forms are refused.</summary>
    private void ExportGradArray(Operation op)
    {
        UnimplementedError Refuse(string why) => new($"Cannot export {op.type} \"{op.name}\" to ONNX: {why}.", op.name);
        var grad = op.type == "TensorArrayGradV3" ? op : GradArrayOf(op.inputs[0]);
        var key = GradKey(grad);
        var dtype = key.Array.Attr<DType>("dtype");
        if (op.type == "TensorArrayGradV3")
        {
            if (!_gradArrayStates.ContainsKey(key)) _gradArrayStates[key] = GradArrayZeros(op, op.inputs[1]);
            _names[op.outputs[0]] = _gradArrayStates[key];
            _names[op.outputs[1]] = Scalar(0, op.outputs[1].dtype);
            return;
        }
        if (op.type is not ("TensorArrayWriteV3" or "TensorArrayScatterV3" or "TensorArrayReadV3" or "TensorArrayGatherV3" or "TensorArraySizeV3"))
            throw Refuse("its TensorArray is a gradient TensorArray, of which SharpFlow.Onnx exports the write, read, scatter, gather and size only");
        if (!_gradArrayStates.TryGetValue(key, out var state))
            throw Refuse($"its gradient TensorArray \"{grad.name}\" is not in the model at this point");
        var contexts = ContextsOf(op).ToHashSet();
        if (ContextsOf(grad).OfType<CondContext>().FirstOrDefault(c => !contexts.Contains(c)) is { } cond)
            throw Refuse($"its gradient TensorArray \"{grad.name}\" is made inside the branch of the cond \"{cond.Name}\" and used after it (SharpFlow.Onnx gives a gradient TensorArray out of no If)");
        switch (op.type)
        {
            case "TensorArrayWriteV3":
            {
                if (op.inputs[2].shape.IsKnownRank is false) throw Refuse("the rank of the value it writes is not known");
                var mask = Apply("Reshape", OneHot(state, Name(op.inputs[1]), dtype, op, vector: false), Ints([-1, .. Enumerable.Repeat(1L, op.inputs[2].shape.ndims)]));
                _gradArrayStates[key] = Apply("Add", state, Apply("Mul", mask, Name(op.inputs[2])));
                _names[op.outputs[0]] = Scalar(0, op.outputs[0].dtype);
                return;
            }
            case "TensorArrayScatterV3":
            {
                // [length, k] one-hot times the values flattened to [k, m]: each index's values added into its row.
                var rows = Apply("MatMul", OneHot(state, Name(op.inputs[1]), dtype, op, vector: true), Apply("Reshape", Name(op.inputs[2]), Ints([0, -1])));
                _gradArrayStates[key] = Apply("Add", state, Apply("Reshape", rows, Apply("Shape", state)));
                _names[op.outputs[0]] = Scalar(0, op.outputs[0].dtype);
                return;
            }
            case "TensorArrayReadV3":
            case "TensorArrayGatherV3":
            {
                var index = ApplyWith("Cast", [Name(op.inputs[1])], ("to", (long)DataTypeOf(DType.int64, op)));
                Node("Gather", [state, index], [Out(op.outputs[0])], ("axis", 0L));
                _names[op.outputs[0]] = Out(op.outputs[0]);
                return;
            }
            case "TensorArraySizeV3":
            {
                var length = ApplyWith("Gather", [Apply("Shape", state), Long(0)], ("axis", 0L));
                Node("Cast", [length], [Out(op.outputs[0])], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
                _names[op.outputs[0]] = Out(op.outputs[0]);
                return;
            }
            default:
                throw new InternalError($"ONNX export: no case for the gradient TensorArray op {op.type} \"{op.name}\".");
        }
    }

    /// <summary>
    /// The gradient arrays <paramref name="loop"/>'s body uses: the Loop carries them. One the body creates (the
    /// gradient of a read inside the forward loop) is made before the Loop, from the forward array's flow the body
    /// takes in as a loop invariant, so that its writes add up over the iterations.
    /// </summary>
    private List<(Operation Array, string Source)> CarriedGradArrays(List<Operation> inLoop, WhileContext loop)
    {
        var keys = new List<(Operation Array, string Source)>();
        foreach (var op in inLoop)
        {
            if (!IsGradArrayOp(op)) continue;
            var grad = op.type == "TensorArrayGradV3" ? op : GradArrayOf(op.inputs[0]);
            var key = GradKey(grad);
            if (keys.Contains(key)) continue;
            if (!_gradArrayStates.ContainsKey(key))
            {
                if (grad.inputs[1].op is not { type: "Enter" } enter || !enter.Attr<bool>("is_constant"))
                    throw new UnimplementedError($"Cannot export {grad.type} \"{grad.name}\" to ONNX: its gradient TensorArray is made inside the while loop \"{loop.Name}\" from a flow that is not a loop invariant, so it cannot be made before the Loop that carries it.", grad.name);
                _gradArrayStates[key] = GradArrayZeros(grad, grad.inputs[1]);
            }
            keys.Add(key);
        }
        return keys;
    }

    /// <summary>A loop-carried gradient array's type: a tensor of its forward array's dtype.</summary>
    private static ValueInfoProto GradArrayInfo(string name, (Operation Array, string Source) key) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(key.Array.Attr<DType>("dtype"), key.Array) } },
    };
}
