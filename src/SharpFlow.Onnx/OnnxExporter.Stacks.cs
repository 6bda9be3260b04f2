using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.Control;

namespace SharpFlow.Onnx;

/// <summary>
/// The stacks of a while loop's gradient (StackV2, StackPushV2, StackPopV2) as ONNX sequences: the forward loop pushes
/// each iteration's value, the backprop loop pops them in reverse. A stack is state of the run, so its sequence is
/// threaded through the model as a value: created by SequenceEmpty, every push a SequenceInsert at the end, every pop
/// a SequenceAt of the last element and a SequenceErase of it, and every ONNX Loop whose body pushes or pops carries
/// the sequence as one more loop-carried value (out of the forward loop, into the backprop loop).
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The ONNX name of each stack's sequence now, in the graph being written.</summary>
    private readonly Dictionary<Operation, string> _stackStates = [];

    /// <summary>
    /// Adds to <paramref name="needed"/> the pushes onto every stack it holds, with the ops they read: nothing reads a
    /// push's output (the backprop loop's pops only follow it), but the pops need the values pushed.
    /// </summary>
    private void AddStackPushes(HashSet<Operation> needed)
    {
        var work = new Stack<Operation>(needed.Where(o => o.type == "StackV2"));
        var seen = new HashSet<Operation>();
        while (work.Count > 0)
        {
            var stackOp = work.Pop();
            if (!seen.Add(stackOp)) continue;
            foreach (var push in PushesOf(stackOp))
            {
                var pending = new Stack<Operation>([push]);
                while (pending.Count > 0)
                {
                    var op = pending.Pop();
                    if (!needed.Add(op)) continue;
                    if (op.type == "StackV2") work.Push(op);
                    foreach (var input in op.inputs)
                        if (!IsInput(input)) pending.Push(input.op);
                }
            }
        }
    }

    /// <summary>The StackPushV2 ops onto <paramref name="stackOp"/>'s stack (through the Enters, Identities and Switches of its handle).</summary>
    private static IEnumerable<Operation> PushesOf(Operation stackOp)
    {
        var handles = new Stack<Tensor>([stackOp.outputs[0]]);
        var seen = new HashSet<Operation>();
        while (handles.Count > 0)
            foreach (var consumer in handles.Pop().consumers())
            {
                if (!seen.Add(consumer)) continue;
                if (consumer.type == "StackPushV2" && consumer.inputs.Count > 0 && StackOf(consumer.inputs[0]) == stackOp) yield return consumer;
                else if (consumer.type is "Enter" or "Identity" or "Switch")
                    foreach (var output in consumer.outputs) handles.Push(output);
            }
    }

    /// <summary>The StackV2 op a stack handle comes from (through Enters, Identities and Switches), or null.</summary>
    private static Operation? StackOf(Tensor handle)
    {
        var t = handle;
        while (t.op.type is "Enter" or "Identity" or "Switch") t = t.op.inputs[0];
        return t.op.type == "StackV2" ? t.op : null;
    }

    /// <summary>
    /// A stack op: StackV2 is SequenceEmpty of <c>elem_type</c>; StackPushV2 a SequenceInsert at the end (at a position
    /// out of range once the stack holds <c>max_size</c> elements, so that ONNX Runtime fails the run as TensorFlow
    /// does on overflow), its output the value pushed; StackPopV2 a SequenceAt of the last element (ONNX Runtime fails
    /// on an empty stack, as TensorFlow does) and a SequenceErase of it. A push or pop inside a cond branch is refused
    /// (the If would have to give the stack back as an output).
    /// </summary>
    private void ExportStack(Operation op)
    {
        UnimplementedError Refuse(string why) => new($"Cannot export {op.type} \"{op.name}\" to ONNX: {why}.", op.name);
        if (op.type == "StackV2")
        {
            if (_stackStates.ContainsKey(op)) return; // made already, before the first Loop that carries it
            var created = Out(op.outputs[0]);
            Node("SequenceEmpty", [], [created], ("dtype", (long)DataTypeOf(op.Attr<DType>("elem_type"), op)));
            _stackStates[op] = created;
            _names[op.outputs[0]] = created; // the handle: read by no exported op but a cond's Switch
            return;
        }
        if (ContextsOf(op).OfType<CondContext>().FirstOrDefault() is { } cond)
            throw Refuse($"it is inside the branch of the cond \"{cond.Name}\" (SharpFlow.Onnx carries a stack through ONNX Loops only, not out of an If)");
        var stackOp = StackOf(op.inputs[0]) ?? throw Refuse("its handle does not come from a StackV2 op");
        if (!_stackStates.TryGetValue(stackOp, out var state))
            throw Refuse($"its stack \"{stackOp.name}\" is not in the model at this point (created inside a branch, or used before it is created)");
        var elementType = stackOp.Attr<DType>("elem_type");
        if (op.type == "StackPushV2")
        {
            if (op.inputs[1].dtype != elementType)
                throw Refuse($"it pushes {op.inputs[1].dtype.name} onto a stack of {elementType.name}");
            var value = Name(op.inputs[1]);
            var pushed = Fresh();
            var length = Apply("SequenceLength", state);
            var position = length;
            if (ConstantValue(stackOp.inputs[0]) is not { size: 1 } max)
                throw Refuse($"the max_size of its stack \"{stackOp.name}\" is not a constant");
            else if (max.Cast(DType.int64).ToArray<long>()[0] is var limit and >= 0)
                position = Apply("Where", Apply("Less", length, Long(limit)), length, Apply("Add", length, Long(1)));
            Node("SequenceInsert", [state, value, position], [pushed]);
            _stackStates[stackOp] = pushed;
            _names[op.outputs[0]] = value;
            return;
        }
        if (op.outputs[0].dtype != elementType)
            throw Refuse($"it pops {op.outputs[0].dtype.name} off a stack of {elementType.name}");
        var popped = Out(op.outputs[0]);
        Node("SequenceAt", [state, Long(-1)], [popped]);
        var rest = Fresh();
        Node("SequenceErase", [state, Long(-1)], [rest]);
        _stackStates[stackOp] = rest;
        _names[op.outputs[0]] = popped;
    }

    /// <summary>
    /// The stacks <paramref name="loop"/>'s body pushes onto or pops off (in <paramref name="inLoop"/>, nested loops
    /// included) that were created outside it: the Loop carries them.
    /// </summary>
    private List<Operation> CarriedStacks(List<Operation> inLoop, WhileContext loop)
    {
        var inside = inLoop.ToHashSet();
        var stacks = new List<Operation>();
        foreach (var op in inLoop)
        {
            if (op.type is not ("StackPushV2" or "StackPopV2") || StackOf(op.inputs[0]) is not { } stackOp || inside.Contains(stackOp) || stacks.Contains(stackOp)) continue;
            // The gradient makes its stacks after the forward loop, which is exported where its first Exit is: a stack
            // made outside the loop (from a constant max_size) is made here, before the Loop.
            if (!_stackStates.ContainsKey(stackOp) && (stackOp.Context is null || ContextsOf(inLoop[0]).Contains(stackOp.Context)) && !DependsOnInput(stackOp.inputs[0].op))
                ExportStack(stackOp);
            if (!_stackStates.ContainsKey(stackOp))
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its stack \"{stackOp.name}\" is not in the model before the while loop \"{loop.Name}\".", op.name);
            stacks.Add(stackOp);
        }
        return stacks;
    }

    /// <summary>A loop-carried stack's type: a sequence of its element type.</summary>
    private static ValueInfoProto StackInfo(string name, Operation stackOp) => new()
    {
        Name = name,
        Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(stackOp.Attr<DType>("elem_type"), stackOp) } } } },
    };
}
