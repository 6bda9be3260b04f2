using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.Control;

namespace SharpFlow.Onnx;

/// <summary>
/// The stacks of a while loop's gradient (StackV2, StackPushV2, StackPopV2) as ONNX sequences: the forward loop pushes
/// each iteration's value, the backprop loop pops them in reverse. A stack is state of the run, so its sequence is
/// threaded through the model as a value: created by SequenceEmpty, every push a SequenceInsert at the end, every pop
/// a SequenceAt of the last element and a SequenceErase of it, and every ONNX Loop whose body pushes or pops carries
/// the sequence as one more loop-carried value (out of the forward loop, into the backprop loop). A stack made inside
/// a cond's branch and used after the cond leaves the If as an optional sequence (opset 15). The pushes and pops run
/// in an order TensorFlow's executor could run them in, their control dependencies included.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The ONNX name of each stack's sequence now, in the graph being written.</summary>
    private readonly Dictionary<Operation, string> _stackStates = [];

    /// <summary>The ops the model holds, in the order they are exported (see <see cref="OrderedByDependencies"/>).</summary>
    private List<Operation> _exportOrder = [];

    /// <summary>The stack states that are an If's optional sequence (see <see cref="StacksLeaving"/>), unwrapped where next used.</summary>
    private readonly HashSet<string> _optionalStacks = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds to <paramref name="needed"/> the pushes onto every stack it holds, and the pushes and pops on those stacks
    /// that a needed op follows through control dependencies (directly, or through ops the outputs do not need, as
    /// <c>tf.group</c>'s NoOp), with the ops they read: nothing reads a push's output (the pops only follow it), but
    /// the pops need the values pushed, and a pop the outputs only follow still takes its value off the stack, as
    /// TensorFlow's executor runs every op a fetched op depends on. Other ops reached only through control
    /// dependencies (an Assert) stay out of the model.
    /// </summary>
    private void AddStackPushes(HashSet<Operation> needed)
    {
        void Add(Operation start)
        {
            var pending = new Stack<Operation>([start]);
            while (pending.Count > 0)
            {
                var op = pending.Pop();
                if (!needed.Add(op)) continue;
                foreach (var input in op.inputs)
                    if (!IsInput(input)) pending.Push(input.op);
            }
        }
        while (true)
        {
            var before = needed.Count;
            var stacks = needed.Where(o => o.type == "StackV2").ToHashSet();
            foreach (var stackOp in stacks)
                foreach (var push in PushesOf(stackOp))
                    Add(push);
            foreach (var op in ControlledStackOps(needed))
                if (StackOf(op.inputs[0]) is not { } stackOp || stacks.Contains(stackOp)) Add(op);
            if (needed.Count == before) return;
        }
    }

    /// <summary>
    /// The StackPushV2 and StackPopV2 ops outside <paramref name="needed"/> that an op in it depends on through a
    /// control dependency: the ops behind each needed op's control inputs, through their data and control inputs.
    /// </summary>
    private List<Operation> ControlledStackOps(HashSet<Operation> needed)
    {
        var found = new List<Operation>();
        var seen = new HashSet<Operation>();
        var pending = new Stack<Operation>(needed.SelectMany(o => o.control_inputs).Where(c => !needed.Contains(c)));
        while (pending.Count > 0)
        {
            var op = pending.Pop();
            if (needed.Contains(op) || !seen.Add(op)) continue;
            if (op.type is "StackPushV2" or "StackPopV2") found.Add(op);
            foreach (var input in op.inputs)
                if (!IsInput(input)) pending.Push(input.op);
            foreach (var control in op.control_inputs) pending.Push(control);
        }
        return found;
    }

    /// <summary>
    /// <paramref name="ops"/> in an order TensorFlow's executor could run them in: after every op they read or follow
    /// through a control dependency (directly, or through ops not among them), in creation order where that leaves a
    /// choice. Creation order alone is not enough: the gradient of a while loop adds control inputs to ops made
    /// before the pushes and pops they must follow. A loop variable's Merge does not wait for its NextIteration.
    /// </summary>
    private static List<Operation> OrderedByDependencies(IReadOnlyCollection<Operation> ops, Dictionary<Operation, int> creation)
    {
        var members = ops.ToHashSet();
        var predecessors = new Dictionary<Operation, HashSet<Operation>>();
        var successors = members.ToDictionary(o => o, _ => new List<Operation>());
        foreach (var op in members)
        {
            var before = new HashSet<Operation>();
            foreach (var input in op.inputs)
                if (members.Contains(input.op) && !(op.type == "Merge" && input.op.type == "NextIteration")) before.Add(input.op);
            // Control dependencies, through the ops outside the set they pass (a NoOp of tf.group).
            var seen = new HashSet<Operation>();
            var pending = new Stack<Operation>(op.control_inputs);
            while (pending.Count > 0)
            {
                var c = pending.Pop();
                if (!seen.Add(c)) continue;
                if (members.Contains(c))
                {
                    before.Add(c);
                    continue;
                }
                foreach (var input in c.inputs) pending.Push(input.op);
                foreach (var control in c.control_inputs) pending.Push(control);
            }
            before.Remove(op);
            predecessors[op] = before;
            foreach (var p in before) successors[p].Add(op);
        }
        var waiting = members.ToDictionary(o => o, o => predecessors[o].Count);
        var ready = new PriorityQueue<Operation, int>(members.Where(o => waiting[o] == 0).Select(o => (o, creation[o])));
        var ordered = new List<Operation>(members.Count);
        while (ready.TryDequeue(out var op, out _))
        {
            ordered.Add(op);
            foreach (var next in successors[op])
                if (--waiting[next] == 0) ready.Enqueue(next, creation[next]);
        }
        // A cycle (no graph TensorFlow runs has one): the rest in creation order, as before.
        if (ordered.Count < members.Count) ordered.AddRange(members.Where(o => waiting[o] > 0).OrderBy(o => creation[o]));
        return ordered;
    }

    /// <summary>The StackPushV2 ops onto <paramref name="stackOp"/>'s stack (through the Enters, Identities, StopGradients and Switches of its handle).</summary>
    private static IEnumerable<Operation> PushesOf(Operation stackOp)
    {
        var handles = new Stack<Tensor>([stackOp.outputs[0]]);
        var seen = new HashSet<Operation>();
        while (handles.Count > 0)
            foreach (var consumer in handles.Pop().consumers())
            {
                if (!seen.Add(consumer)) continue;
                if (consumer.type == "StackPushV2" && consumer.inputs.Count > 0 && StackOf(consumer.inputs[0]) == stackOp) yield return consumer;
                else if (consumer.type is "Enter" or "Switch" || PassesHandle(consumer))
                    foreach (var output in consumer.outputs) handles.Push(output);
            }
    }

    /// <summary>The StackV2 op a stack handle comes from (through Enters, Identities, StopGradients and Switches), or null.</summary>
    private static Operation? StackOf(Tensor handle)
    {
        var t = handle;
        while (t.op.type is "Enter" or "Switch" || PassesHandle(t.op)) t = t.op.inputs[0];
        return t.op.type == "StackV2" ? t.op : null;
    }

    /// <summary>An Identity or StopGradient of a resource handle: it gives the handle on unchanged.</summary>
    private static bool PassesHandle(Operation op) => op.type is "Identity" or "StopGradient" && op.inputs.Count == 1 && op.inputs[0].dtype == DType.resource;

    /// <summary>
    /// Exports an Identity or StopGradient of a stack's handle (the handle stands for nothing in the model: the pushes
    /// and pops find their stack's sequence through <see cref="StackOf"/>); false for any other op.
    /// </summary>
    private bool ExportedAsAStackHandle(Operation op)
    {
        if (!PassesHandle(op) || StackOf(op.outputs[0]) is null) return false;
        if (_names.TryGetValue(op.inputs[0], out var handle)) _names[op.outputs[0]] = handle;
        return true;
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
        if (StackState(stackOp) is not { } state)
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
            if (StackState(stackOp) is null)
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

    /// <summary>
    /// A stack's sequence now, or null when it is not in the model: an If's optional sequence (a stack made inside a
    /// branch) is unwrapped first, which fails the run in ONNX Runtime when the branch that makes the stack was not
    /// taken, as TensorFlow's push or pop of a dead handle leaves the outputs without a value.
    /// </summary>
    private string? StackState(Operation stackOp)
    {
        if (!_stackStates.TryGetValue(stackOp, out var state)) return null;
        if (_optionalStacks.Contains(state))
        {
            state = Apply("OptionalGetElement", state);
            _stackStates[stackOp] = state;
        }
        return state;
    }

    /// <summary>
    /// The stacks made inside either branch of the cond being exported as an If (in <paramref name="ops"/>) and pushed
    /// or popped after it: the If gives each out as an optional sequence, holding the stack in the branch that makes
    /// it and nothing in the other (whose TensorFlow run leaves the stack's handle dead). ONNX's optionals need opset
    /// 15; one already optional (made in a cond inside the branch) passes on through an Identity, which needs 16.
    /// </summary>
    private List<(Operation Stack, CondContext Branch)> StacksLeaving(IReadOnlyList<Operation> ops, CondContext whenFalse, CondContext whenTrue)
    {
        var leaving = new List<(Operation Stack, CondContext Branch)>();
        foreach (var stackOp in ops.Where(o => o.type == "StackV2"))
        {
            var contexts = ContextsOf(stackOp).ToList();
            if ((contexts.Contains(whenTrue) ? whenTrue : contexts.Contains(whenFalse) ? whenFalse : null) is not { } branch) continue;
            // The first push or pop outside the branch, in the whole model: a stack of a cond nested in the branch leaves both.
            var user = _exportOrder.FirstOrDefault(o => o.type is "StackPushV2" or "StackPopV2" && !ContextsOf(o).Contains(branch) && StackOf(o.inputs[0]) == stackOp);
            if (user is null) continue;
            UnimplementedError Refuse(string why) => new($"Cannot export {user.type} \"{user.name}\" to ONNX{(_opset < 15 ? $" at opset {_opset}" : "")}: its stack \"{stackOp.name}\" {why}.", user.name);
            if (_opset < 15)
                throw Refuse($"is made inside the branch of the cond \"{branch.Name}\", which gives it out as an optional sequence (opset 15)");
            if (ChildContext(stackOp, branch) is WhileContext loop)
                throw Refuse($"is made inside the while loop \"{loop.Name}\" and used after the cond \"{branch.Name}\" around it");
            leaving.Add((stackOp, branch));
        }
        return leaving;
    }

    /// <summary>
    /// The output of the branch graph being written (for <paramref name="branch"/>) that gives out a stack made in
    /// <paramref name="madeIn"/>: the stack as an optional sequence, or an optional holding nothing in the other branch.
    /// </summary>
    private ValueInfoProto StackLeavingBranch(Operation stackOp, CondContext madeIn, CondContext branch)
    {
        var sequence = StackInfo("", stackOp).Type;
        var output = Fresh();
        if (!ReferenceEquals(madeIn, branch)) Node("Optional", [], [output], ("type", sequence));
        else if (!_stackStates.TryGetValue(stackOp, out var state))
            throw new InternalError($"ONNX export: the stack {stackOp.name} made in the branch \"{branch.Name}\" is not in its graph.");
        else if (_optionalStacks.Contains(state))
        {
            if (_opset < 16)
                throw new UnimplementedError($"Cannot export StackV2 \"{stackOp.name}\" to ONNX at opset {_opset}: it is made inside a cond nested in the branch \"{branch.Name}\" and used after both, which passes its optional sequence on through an Identity (opset 16).", stackOp.name);
            Node("Identity", [state], [output]);
        }
        else Node("Optional", [state], [output]);
        return new ValueInfoProto { Name = output, Type = new TypeProto { OptionalType = new TypeProto.Types.Optional { ElemType = sequence } } };
    }

    /// <summary>After the If: each stack that left it is the If's optional output <paramref name="outputs"/>[i].</summary>
    private void StacksLeft(List<(Operation Stack, CondContext Branch)> leaving, List<string> outputs)
    {
        for (var i = 0; i < leaving.Count; i++)
        {
            _stackStates[leaving[i].Stack] = outputs[i];
            _optionalStacks.Add(outputs[i]);
        }
    }
}
