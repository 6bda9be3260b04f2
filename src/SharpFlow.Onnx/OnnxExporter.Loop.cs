using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.Control;

namespace SharpFlow.Onnx;

/// <summary>
/// <c>tf.while_loop</c> as ONNX Loop, and the TensorArrays of <c>map_fn</c>, <c>scan</c> and <c>foldl</c> as ONNX
/// sequences.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// One while loop as ONNX Loop. Its loop variables (the Merges the outputs need) are the Loop's carried values:
    /// the initial values are what their Enters take in; the body graph binds each variable's Merge and Switch to a
    /// body input, holds the loop's ops, and ends with the loop's condition evaluated again on the next values (ONNX
    /// checks <c>cond</c> before each iteration, TensorFlow's LoopCond reads the Merges, so the condition's ops are
    /// exported twice: once outside for the initial values, once at the end of the body). <c>maximum_iterations</c>
    /// is the Loop's M as well (the counter TensorFlow adds stays in the condition). Loop invariants (constant
    /// Enters) are read from the outer scope.
    /// </summary>
    private void ExportLoop(IReadOnlyList<Operation> ops, WhileContext loop)
    {
        var inLoop = ops.Where(loop.Contains).ToList();
        var merges = loop.LoopEnters
            .Select(e => e.consumers().FirstOrDefault(c => c.type == "Merge" && ReferenceEquals(c.Context, loop)))
            .Where(m => m is not null && _needed.Contains(m)).Select(m => m!).Distinct().ToList();
        if (loop.Pivot is not { } pivot || merges.Count == 0)
            throw new UnimplementedError($"Cannot export the while loop \"{loop.Name}\" to ONNX: it has no condition or no loop variable the outputs need.", loop.Name);
        var mergeSet = merges.ToHashSet();
        var predicate = pivot.op.inputs[0];

        // The condition's ops: what the predicate reads inside the loop, up to the loop variables and invariants.
        var condSet = new HashSet<Operation>();
        var stack = new Stack<Operation>([predicate.op]);
        while (stack.Count > 0)
        {
            var o = stack.Pop();
            if (!loop.Contains(o) || mergeSet.Contains(o) || (o.type == "Enter" && ReferenceEquals(o.Context, loop)) || !condSet.Add(o)) continue;
            foreach (var input in o.inputs) stack.Push(input.op);
        }
        var condOps = inLoop.Where(condSet.Contains).ToList();
        var bodyOps = inLoop.Where(o => !condSet.Contains(o)).ToList();

        Operation SwitchOf(Operation merge) =>
            merge.outputs[0].consumers().FirstOrDefault(c => c.type == "Switch" && ReferenceEquals(c.Context, loop))
            ?? throw new InternalError($"ONNX export: the loop variable {merge.name} of \"{loop.Name}\" has no Switch.");
        var switches = merges.Select(SwitchOf).ToList();
        var exits = switches.Select(s => s.outputs[0].consumers().FirstOrDefault(c => c.type == "Exit")).ToList();

        var initial = merges.Select(m => Name(m.inputs[0].op.inputs[0])).ToList();
        var trips = "";
        if (loop.MaximumIterations is { } limit && (_names.ContainsKey(limit) || _constants.ContainsKey(limit)))
        {
            trips = Fresh();
            Node("Cast", [Name(limit)], [trips], ("to", 7L));
        }
        var condInit = Condition(loop, merges, condOps, predicate, initial, $"__init{_counter++}");
        var stacks = CarriedStacks(inLoop, loop);
        var stacksIn = stacks.Select(s => _stackStates[s]).ToList();
        var gradArrays = CarriedGradArrays(inLoop, loop);
        var gradArraysIn = gradArrays.Select(k => _gradArrayStates[k]).ToList();

        var outer = _current;
        var body = new GraphProto { Name = loop.Name };
        _current = body;
        try
        {
            var iteration = Fresh();
            var condIn = Fresh();
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            for (var i = 0; i < merges.Count; i++)
            {
                var v = Fresh();
                body.Input.Add(CarriedInfo(v, merges[i].outputs[0], merges[i]));
                _names[merges[i].outputs[0]] = v;
                _names[switches[i].outputs[1]] = v;
            }
            foreach (var s in stacks)
            {
                var v = Fresh();
                body.Input.Add(StackInfo(v, s));
                _stackStates[s] = v;
            }
            foreach (var k in gradArrays)
            {
                var v = Fresh();
                body.Input.Add(GradArrayInfo(v, k));
                _gradArrayStates[k] = v;
            }
            ExportOps(bodyOps, loop);
            var next = merges.Select(m => Name(m.inputs[1].op.inputs[0])).ToList();
            var condNext = Condition(loop, merges, condOps, predicate, next, "");
            body.Output.Add(ScalarInfo(BodyOutput(condNext, sequence: false, loop), DType.@bool));
            for (var i = 0; i < merges.Count; i++)
            {
                var isSequence = SequenceElement(merges[i].outputs[0]) is not null;
                body.Output.Add(CarriedInfo(BodyOutput(next[i], isSequence, loop), merges[i].outputs[0], merges[i]));
            }
            foreach (var s in stacks) body.Output.Add(StackInfo(BodyOutput(_stackStates[s], sequence: true, loop), s));
            foreach (var k in gradArrays) body.Output.Add(GradArrayInfo(BodyOutput(_gradArrayStates[k], sequence: false, loop), k));
        }
        finally
        {
            _current = outer;
        }
        var outputs = exits.Select(e => e is null ? Fresh() : Out(e.outputs[0])).ToList();
        var stacksOut = stacks.Select(_ => Fresh()).ToList();
        var gradArraysOut = gradArrays.Select(_ => Fresh()).ToList();
        Node("Loop", [trips, condInit, .. initial, .. stacksIn, .. gradArraysIn], [.. outputs, .. stacksOut, .. gradArraysOut], ("body", body));
        for (var i = 0; i < stacks.Count; i++) _stackStates[stacks[i]] = stacksOut[i];
        for (var i = 0; i < gradArrays.Count; i++) _gradArrayStates[gradArrays[i]] = gradArraysOut[i];
        for (var i = 0; i < exits.Count; i++)
            if (exits[i] is { } exit) _names[exit.outputs[0]] = outputs[i];
    }

    /// <summary>The loop's condition on <paramref name="values"/> of its variables: its ops exported with <paramref name="suffix"/> on their names.</summary>
    private string Condition(WhileContext loop, List<Operation> merges, List<Operation> condOps, Tensor predicate, List<string> values, string suffix)
    {
        for (var i = 0; i < merges.Count; i++) _names[merges[i].outputs[0]] = values[i];
        var saved = _suffix;
        _suffix = suffix;
        try
        {
            ExportOps(condOps, loop);
            return Name(predicate);
        }
        finally
        {
            _suffix = saved;
        }
    }

    /// <summary>
    /// A body graph's output: the value itself when a node of the body makes it and no other output is it, else an
    /// Identity of it (a sequence's Identity needs opset 14).
    /// </summary>
    private string BodyOutput(string value, bool sequence, WhileContext loop)
    {
        var made = _current.Node.Any(n => n.Output.Contains(value)) && !_current.Output.Any(o => o.Name == value);
        if (made) return value;
        if (sequence && _opset < 14)
            throw new UnimplementedError($"Cannot export the while loop \"{loop.Name}\" to ONNX at opset {_opset}: a TensorArray passes through its body unchanged (a sequence's Identity needs opset 14).", loop.Name);
        var output = Fresh();
        Node("Identity", [value], [output]);
        return output;
    }

    private static ValueInfoProto ScalarInfo(string name, DType dtype) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(dtype), Shape = new TensorShapeProto() } },
    };

    /// <summary>The type of a loop-carried value: a sequence for a TensorArray's flow, else a tensor of the variable's dtype and known dimensions.</summary>
    private static ValueInfoProto CarriedInfo(string name, Tensor t, Operation op)
    {
        if (SequenceElement(t) is { } element)
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(element, op) } } } },
            };
        var tensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(t.dtype, op) };
        if (t.shape.IsKnownRank)
        {
            tensorType.Shape = new TensorShapeProto();
            for (var i = 0; i < t.shape.ndims; i++)
                tensorType.Shape.Dim.Add(t.shape[i] >= 0 ? new TensorShapeProto.Types.Dimension { DimValue = t.shape[i] } : new TensorShapeProto.Types.Dimension());
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    /// <summary>
    /// The element dtype when <paramref name="t"/> is a TensorArray's handle or flow (found through Enters,
    /// Merges, Switches, Identities, Exits and NextIterations, and the flows TensorArray ops give), else null.
    /// </summary>
    private static DType? SequenceElement(Tensor t)
    {
        for (var depth = 0; depth < 10_000; depth++)
        {
            var op = t.op;
            switch (op.type)
            {
                case "TensorArrayV3": return op.Attr<DType>("dtype");
                case "TensorArrayWriteV3" or "TensorArrayScatterV3" or "TensorArraySplitV3":
                case "Enter" or "Merge" or "Switch" or "Identity" or "Exit" or "NextIteration":
                    t = op.inputs[0];
                    continue;
                default: return null;
            }
        }
        return null;
    }

    /// <summary>
    /// A TensorArray op as an ONNX sequence op, the TensorArray's flow standing for the sequence: TensorArrayV3 is
    /// SequenceEmpty, a write SequenceInsert at the index (TensorFlow writes each index once, so writes in index
    /// order append, and any other order fails in ONNX Runtime instead of giving wrong values), or, for an array
    /// written from its last index down (a reversed scan), a SequenceInsert at the end whose stack is reversed; a read SequenceAt,
    /// the size SequenceLength, <c>unstack</c> (a scatter of <c>range(0, n)</c> into a new array) SplitToSequence,
    /// <c>stack</c> (a gather of <c>range(0, size)</c>) ConcatFromSequence on a new axis. The other forms are refused.
    /// </summary>
    private void ExportTensorArray(Operation op)
    {
        string Refuse(string why) => throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: {why}.", op.name);
        if (IsGradArrayOp(op))
        {
            ExportGradArray(op);
            return;
        }
        switch (op.type)
        {
            case "TensorArrayV3":
            {
                var flow = Out(op.outputs[1]);
                Node("SequenceEmpty", [], [flow], ("dtype", (long)DataTypeOf(op.Attr<DType>("dtype"), op)));
                _names[op.outputs[1]] = flow;
                _names[op.outputs[0]] = flow; // the handle: never read by the exported ops
                return;
            }
            case "TensorArrayWriteV3":
            {
                // Writes append: in index order (from 0 up), or from the last index down (a reversed scan), which a
                // stack then reverses.
                if (WriteOrder(op) is null)
                    Refuse("its index is neither 0 or the last index into a new TensorArray nor a loop variable counting up or down by one, so the writes would not append to ONNX's sequence in order");
                var array = ArrayOp(op.inputs[0]);
                if (Forward(array) && Backward(array)) Refuse("its TensorArray is written both from index 0 up and from the last index down");
                if (Backward(array))
                {
                    var appended = Out(op.outputs[0]);
                    Node("SequenceInsert", [Name(op.inputs[3]), Name(op.inputs[2])], [appended]);
                    _names[op.outputs[0]] = appended;
                    return;
                }
                var flow = Out(op.outputs[0]);
                Node("SequenceInsert", [Name(op.inputs[3]), Name(op.inputs[2]), Name(op.inputs[1])], [flow]);
                _names[op.outputs[0]] = flow;
                return;
            }
            case "TensorArrayReadV3":
            {
                if (Backward(ArrayOp(op.inputs[0]))) Refuse("its TensorArray is written from the last index down (a reversed scan's), whose elements SharpFlow.Onnx exports for a stack only");
                var value = Out(op.outputs[0]);
                Node("SequenceAt", [Name(op.inputs[2]), Name(op.inputs[1])], [value]);
                _names[op.outputs[0]] = value;
                return;
            }
            case "TensorArraySizeV3":
            {
                var length = Fresh();
                Node("SequenceLength", [Name(op.inputs[1])], [length]);
                Node("Cast", [length], [Out(op.outputs[0])], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
                _names[op.outputs[0]] = Out(op.outputs[0]);
                return;
            }
            case "TensorArrayScatterV3":
            {
                if (op.inputs[3].op.type != "TensorArrayV3") Refuse("it scatters into a TensorArray already written to");
                if (!IsRangeFromZero(op.inputs[1], _ => true)) Refuse("its indices are not range(0, n) (only unstack is exported)");
                var flow = Out(op.outputs[0]);
                Node("SplitToSequence", [Name(op.inputs[2])], [flow], ("axis", 0L), ("keepdims", 0L));
                _names[op.outputs[0]] = flow;
                return;
            }
            case "TensorArrayGatherV3":
            {
                if (!IsRangeFromZero(op.inputs[1], limit => limit.op.type == "TensorArraySizeV3"))
                    Refuse("its indices are not range(0, size) (only stack is exported)");
                var value = Out(op.outputs[0]);
                if (Backward(ArrayOp(op.inputs[0])))
                {
                    // Appended from the last index down: stacked, then reversed along the stacked axis.
                    var stacked = Fresh();
                    Node("ConcatFromSequence", [Name(op.inputs[2])], [stacked], ("axis", 0L), ("new_axis", 1L));
                    Node("Slice", [stacked, Ints([-1]), Ints([long.MinValue]), Ints([0]), Ints([-1])], [value]);
                }
                else Node("ConcatFromSequence", [Name(op.inputs[2])], [value], ("axis", 0L), ("new_axis", 1L));
                _names[op.outputs[0]] = value;
                return;
            }
            default:
                Refuse("SharpFlow.Onnx exports a TensorArray's write, read, size, unstack and stack only");
                return;
        }
    }

    /// <summary>True when <paramref name="indices"/> is a Range from a constant 0 in steps of a constant 1 whose limit passes <paramref name="limitOk"/>.</summary>
    private bool IsRangeFromZero(Tensor indices, Func<Tensor, bool> limitOk)
    {
        var range = indices.op;
        if (range.type != "Range") return false;
        bool Is(int input, long value) => ConstantValue(range.inputs[input]) is { } v && v.size == 1 && v.Cast(DType.int64).ToArray<long>()[0] == value;
        return Is(0, 0) && Is(2, 1) && limitOk(range.inputs[1]);
    }

    private enum Order
    {
        /// <summary>From index 0 up: into a new array at 0, or at a loop variable counting up by one.</summary>
        Up,

        /// <summary>From the last index down: into a new array at its size minus one, or at a loop variable counting down by one.</summary>
        Down,

        /// <summary>Into a new array of one element at 0: either.</summary>
        Neutral,
    }

    /// <summary>The order a TensorArray write's index follows, or null when it follows none SharpFlow.Onnx can append in.</summary>
    private Order? WriteOrder(Operation write)
    {
        var index = write.inputs[1];
        if (write.inputs[3].op.type == "TensorArrayV3")
        {
            var first = ConstantValue(index) is { size: 1 } v && v.Cast(DType.int64).ToArray<long>()[0] == 0;
            var last = IsLastIndex(index, ArrayOp(write.inputs[0]));
            return first && last ? Order.Neutral : first ? Order.Up : last ? Order.Down : null;
        }
        return IsCounting(index, 1) ? Order.Up : IsCounting(index, -1) ? Order.Down : null;
    }

    private readonly Dictionary<Operation, Order[]> _writeOrders = [];

    /// <summary>The orders of the writes the export needs into <paramref name="array"/>.</summary>
    private Order[] WriteOrders(Operation array)
    {
        if (_writeOrders.TryGetValue(array, out var known)) return known;
        return _writeOrders[array] = [.. _needed.Where(o => o.type == "TensorArrayWriteV3" && !IsGradArray(o.inputs[0]) && ReferenceEquals(ArrayOp(o.inputs[0]), array))
            .Select(WriteOrder).OfType<Order>()];
    }

    /// <summary>Whether a write into <paramref name="array"/> goes from the last index down.</summary>
    private bool Backward(Operation array) => WriteOrders(array).Contains(Order.Down);

    /// <summary>Whether a write into <paramref name="array"/> goes from index 0 up.</summary>
    private bool Forward(Operation array) => WriteOrders(array).Contains(Order.Up);

    /// <summary>The TensorArrayV3 op a TensorArray handle comes from (through a loop's Enters, Identities and a cond's Switches).</summary>
    private static Operation ArrayOp(Tensor handle)
    {
        var t = handle;
        while (t.op.type is "Enter" or "Identity" or "Switch") t = t.op.inputs[0];
        return t.op.type == "TensorArrayV3" ? t.op : throw new InternalError($"ONNX export: the TensorArray handle {handle.name} does not come from a TensorArrayV3 op ({t.op.type} \"{t.op.name}\").");
    }

    /// <summary>Whether a TensorArray handle comes from TensorArrayGradV3 (through a loop's Enters, Identities and a cond's Switches).</summary>
    private static bool IsGradArray(Tensor handle)
    {
        var t = handle;
        while (t.op.type is "Enter" or "Identity" or "Switch") t = t.op.inputs[0];
        return t.op.type == "TensorArrayGradV3";
    }

    /// <summary>True when <paramref name="index"/> is the last index of <paramref name="array"/>: its size minus one, as constants or as <c>Sub(size, 1)</c>.</summary>
    private bool IsLastIndex(Tensor index, Operation array)
    {
        var size = array.inputs[0];
        if (ConstantValue(index) is { size: 1 } i && ConstantValue(size) is { size: 1 } n)
            return i.Cast(DType.int64).ToArray<long>()[0] == n.Cast(DType.int64).ToArray<long>()[0] - 1;
        return index.op.type == "Sub" && TensorComparer.Instance.Equals(index.op.inputs[0], size) && IsConstant(index.op.inputs[1], 1);
    }

    private bool IsConstant(Tensor t, long value) => ConstantValue(t) is { size: 1 } v && v.Cast(DType.int64).ToArray<long>()[0] == value;

    /// <summary>True when <paramref name="index"/> is a while loop's variable whose next value is itself plus <paramref name="step"/> (a constant ±1: Add of it, or Sub of its negation).</summary>
    private bool IsCounting(Tensor index, long step)
    {
        static Tensor Through(Tensor t)
        {
            while (t.op.type == "Identity") t = t.op.inputs[0];
            return t;
        }
        var variable = Through(index);
        if (variable.op.type != "Switch" || variable.op.inputs[0].op is not { type: "Merge" } merge || merge.inputs.Count != 2) return false;
        if (merge.inputs[1].op is not { type: "NextIteration" } next || next.inputs[0].op is not { type: "Add" or "AddV2" or "Sub" } update) return false;
        bool IsVariable(Tensor t) => TensorComparer.Instance.Equals(Through(t), variable);
        if (update.type == "Sub") return IsVariable(update.inputs[0]) && IsConstant(update.inputs[1], -step);
        return (IsVariable(update.inputs[0]) && IsConstant(update.inputs[1], step)) || (IsVariable(update.inputs[1]) && IsConstant(update.inputs[0], step));
    }

    private NDArray? ConstantValue(Tensor t) =>
        _constants.TryGetValue(t, out var v) ? v : t.op.type == "Const" ? t.op.Attr<NDArray>("value") : null;
}
