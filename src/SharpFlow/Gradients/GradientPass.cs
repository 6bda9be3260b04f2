using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Gradients;

/// <summary>
/// Reverse-mode differentiation as TensorFlow 1.x's <c>tf.gradients</c>: one pass over the ops between
/// <c>xs</c> and <c>ys</c> in reverse topological order. Each op's output gradients are summed (fan-out), its
/// rule builds the input gradients as ordinary ops in the scope <c>gradients/&lt;op&gt;_grad</c>, and for
/// broadcasting ops the pass sums the gradients back to each input's shape. Ops listed in
/// <c>stop_gradients</c>, <c>StopGradient</c> ops and non-float tensors pass nothing back; an input that no
/// <c>y</c> depends on gets null.
/// </summary>
internal static class GradientPass
{
    public static Tensor?[] Build(IReadOnlyList<Tensor> ys, IReadOnlyList<Tensor> xs, IReadOnlyList<Tensor?>? gradYs,
        IReadOnlyList<Tensor>? stopGradients, string? name)
    {
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentNullException.ThrowIfNull(xs);
        if (ys.Count == 0) throw new ValueError("ys must not be empty.");
        if (gradYs is not null && gradYs.Count != ys.Count)
            throw new ValueError($"Passed {gradYs.Count} grad_ys for {ys.Count} ys");
        var all = ys.Concat(xs).Concat(gradYs?.OfType<Tensor>() ?? []).Concat(stopGradients ?? []).ToList();
        var graph = all[0].graph;
        foreach (var t in all)
            if (!ReferenceEquals(t.graph, graph))
                throw new ValueError($"{t} must be from the same graph as {all[0]}.");

        using var graphScope = graph.as_default();
        using var scope = graph.name_scope(string.IsNullOrEmpty(name) ? "gradients" : name);

        var (between, betweenList) = OpsBetween(ys, xs);
        // Differentiating through while loops needs their backprop loops, built as the pass reaches them.
        var loopState = ControlFlowState.MaybeCreate(betweenList, between);
        var pending = new Dictionary<Operation, int>();
        foreach (var op in betweenList)
            foreach (var input in op.inputs)
                if (between.Contains(input.op))
                    pending[input.op] = pending.GetValueOrDefault(input.op) + 1;

        var xOps = xs.Select(x => x.op).ToHashSet();
        var stopOps = new HashSet<Operation>();
        foreach (var op in xOps)
            if (op.inputs.All(i => pending.GetValueOrDefault(i.op) == 0)) stopOps.Add(op);
        foreach (var t in stopGradients ?? []) stopOps.Add(t.op);

        var grads = new Dictionary<Operation, List<Tensor>?[]>();
        for (var i = 0; i < ys.Count; i++)
        {
            var y = ys[i];
            // A given grad_y gets an identity in the gradients scope, so TensorArrays can tell which gradient
            // computation it belongs to (TensorFlow's _DefaultGradYs).
            var gy = gradYs?[i] is { } given ? Identity.Build(given, $"grad_ys_{i}") : InitialGradient(y, i);
            if (gy.dtype != y.dtype)
                throw new TypeError($"Gradient type {gy.dtype.name} generated for op {y.op.name} does not match input type {y.dtype.name}");
            if (!gy.shape.IsCompatibleWith(y.shape))
                throw new ValueError($"Incompatible shapes between op input and calculated input gradient. Forward operation: {y.op.name}. Input index: {y.value_index}. Original input shape: {y.shape}. Calculated input gradient shape: {gy.shape}");
            Add(grads, y, gy);
        }

        // Ops whose consumers have all been processed are ready; ys' ops that feed other ys wait for them.
        var queue = new Queue<Operation>();
        var queued = new HashSet<Operation>();
        var toOps = new HashSet<Operation>();
        foreach (var y in ys)
            if (pending.GetValueOrDefault(y.op) == 0 && queued.Add(y.op))
            {
                if (between.Contains(y.op)) toOps.Add(y.op);
                queue.Enqueue(y.op);
            }
        if (loopState is not null)
            foreach (var exit in loopState.ProcessUnusedLoopExits(pending, toOps))
            {
                if (IsBackpropagatable(exit)) Add(grads, exit, loopState.ZerosLikeForExit(exit));
                if (queued.Add(exit.op)) queue.Enqueue(exit.op);
            }

        while (queue.Count > 0)
        {
            var op = queue.Dequeue();
            var outGrads = new Tensor?[op.outputs.Count];
            var hasGrad = false;
            using (loopState?.EnterGradWhileContext(op, before: true))
                for (var i = 0; i < outGrads.Length; i++)
                {
                    outGrads[i] = Aggregate(grads, op, i);
                    hasGrad |= outGrads[i] is not null;
                }

            using (loopState?.EnterGradWhileContext(op, before: false))
            {
                if (ControlFlowUtil.IsLoopSwitch(op) && ReferenceEquals(op.Context, graph.ControlFlowContext))
                    throw new ValueError($"Cannot compute gradient inside while loop with respect to op '{(xs.FirstOrDefault(x => op.Context!.Contains(x.op)) ?? xs[0]).op.name}'. We do not support taking the gradient wrt or through the initial value of a loop variable. Gradients can be computed through loop invariants or wrt the input parameters to the loop body.");
                if (hasGrad && !stopOps.Contains(op) && between.Contains(op) && op.inputs.Count > 0)
                {
                    Tensor?[] inGrads;
                    if (op.Def.NotDifferentiable) inGrads = new Tensor?[op.inputs.Count];
                    else
                    {
                        // Inside loops a missing output gradient is zero (built in the backprop loop).
                        if (loopState is not null)
                            for (var i = 0; i < outGrads.Length; i++)
                                if (outGrads[i] is null && IsBackpropagatable(op.outputs[i]))
                                    outGrads[i] = loopState.ZerosLike(op, i);
                        using (graph.name_scope(op.name + "_grad"))
                        {
                            inGrads = op.Def.Gradient(op, outGrads);
                            if (inGrads.Length != op.inputs.Count)
                                throw new ValueError($"Num gradients {inGrads.Length} generated for op {op.name} (op type: {op.type}) do not match num inputs {op.inputs.Count}");
                            if (op.Def.BroadcastsInputs)
                                for (var i = 0; i < inGrads.Length; i++)
                                    if (inGrads[i] is { } g) inGrads[i] = Unbroadcast.SumToShapeOf(g, op.inputs[i]);
                        }
                    }
                    for (var i = 0; i < inGrads.Length; i++)
                    {
                        var input = op.inputs[i];
                        if (inGrads[i] is not { } g || !between.Contains(input.op) || !IsBackpropagatable(input)) continue;
                        if (!g.shape.IsCompatibleWith(input.shape))
                            throw new ValueError($"Incompatible shapes between op input and calculated input gradient. Forward operation: {op.name}. Input index: {i}. Original input shape: {input.shape}. Calculated input gradient shape: {g.shape}");
                        Add(grads, input, g);
                    }
                }
            }

            foreach (var input in op.inputs)
            {
                if (!pending.ContainsKey(input.op)) continue;
                pending[input.op]--;
                var ready = pending[input.op] == 0;
                // A loop Switch is visited twice: from its Exit (starting the backprop Merge) and from the body.
                if (!ready && loopState is not null && ControlFlowUtil.IsLoopSwitch(input.op)) ready = pending[input.op] > 0;
                if (!ready) continue;
                if (loopState is not null && ControlFlowUtil.IsLoopExit(input.op))
                {
                    // An exit waits until all exits of its loop are reached; unused ones then get zeros.
                    var state = loopState.GradStateOf(input.op, before: false)!;
                    state.DeferredExits.Add(input);
                    state.PendingExitsCount--;
                    if (state.PendingExitsCount != 0) continue;
                    var anyGrad = false;
                    foreach (var e in state.DeferredExits)
                    {
                        if (HasGrad(grads, e.op))
                        {
                            anyGrad = true;
                            queue.Enqueue(e.op);
                        }
                        else state.UnusedExits.Add(e);
                    }
                    foreach (var e in state.UnusedExits)
                    {
                        if (anyGrad && IsBackpropagatable(e)) Add(grads, e, loopState.ZerosLikeForExit(e));
                        queue.Enqueue(e.op);
                    }
                    continue;
                }
                if (ControlFlowUtil.IsLoopSwitch(input.op) || queued.Add(input.op)) queue.Enqueue(input.op);
            }
        }
        loopState?.PostProcessing();

        var result = new Tensor?[xs.Count];
        for (var i = 0; i < xs.Count; i++) result[i] = Aggregate(grads, xs[i].op, xs[i].value_index);
        return result;
    }

    /// <summary>The float outputs that carry gradients; integers, booleans and shapes do not.</summary>
    private static bool IsBackpropagatable(Tensor t) => t.dtype.is_floating;

    /// <summary>
    /// The ops reachable forward from xs through float tensors and backward from ys: the only ops whose gradients
    /// matter.
    /// </summary>
    private static (HashSet<Operation> Set, List<Operation> List) OpsBetween(IReadOnlyList<Tensor> ys, IReadOnlyList<Tensor> xs)
    {
        var reached = new HashSet<Operation>();
        var stack = new Stack<Operation>(xs.Select(x => x.op));
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!reached.Add(op)) continue;
            foreach (var output in op.outputs)
                if (IsBackpropagatable(output))
                    foreach (var consumer in output.consumers()) stack.Push(consumer);
        }
        var between = new HashSet<Operation>();
        var list = new List<Operation>();
        foreach (var y in ys) if (reached.Contains(y.op)) stack.Push(y.op);
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!between.Add(op)) continue;
            list.Add(op);
            foreach (var input in op.inputs)
                if (reached.Contains(input.op)) stack.Push(input.op);
        }
        return (between, list);
    }

    /// <summary><c>dy/dy</c>: ones of y's shape (TensorFlow's <c>gradients/grad_ys_i</c> filled to <c>shape(y)</c>).</summary>
    private static Tensor InitialGradient(Tensor y, int index)
    {
        if (!y.dtype.is_floating)
            throw new TypeError($"Gradients of ys with dtype {y.dtype.name} are not defined: {y}");
        var name = $"grad_ys_{index}";
        return y.shape.IsFullyDefined
            ? Fill.Constant(y.shape, y.dtype, one: true, name)
            : Fill.Dynamic(Shape_.Build(y), y.dtype, one: true, name);
    }

    private static bool HasGrad(Dictionary<Operation, List<Tensor>?[]> grads, Operation op) =>
        grads.TryGetValue(op, out var lists) && lists.Any(l => l is { Count: > 0 });

    private static void Add(Dictionary<Operation, List<Tensor>?[]> grads, Tensor t, Tensor g)
    {
        if (!grads.TryGetValue(t.op, out var lists))
            grads[t.op] = lists = new List<Tensor>?[t.op.outputs.Count];
        (lists[t.value_index] ??= []).Add(g);
    }

    /// <summary>The sum of the gradients that reached output <paramref name="index"/> of <paramref name="op"/>.</summary>
    private static Tensor? Aggregate(Dictionary<Operation, List<Tensor>?[]> grads, Operation op, int index)
    {
        if (!grads.TryGetValue(op, out var lists) || lists[index] is not { Count: > 0 } list) return null;
        if (list.Count == 1) return list[0];
        // Sparse gradients (IndexedSlices) stay sparse when all of them are: their rows are concatenated, and
        // repeated rows add up where they are used. One dense gradient makes the sum dense (TensorFlow's
        // aggregate_indexed_slices_gradients).
        var sum = list.TrueForAll(t => t is IndexedSlices)
            ? ConcatSlices([.. list.Cast<IndexedSlices>()])
            : AddN.Build([.. list.Select(t => (TensorLike)t)]);
        list.Clear();
        list.Add(sum);
        return sum;
    }

    /// <summary>
    /// The slices of several sparse gradients as one: values and indices concatenated (int32 indices become int64
    /// when the others are int64, as TensorFlow's <c>_as_indexed_slices_list</c>).
    /// </summary>
    internal static IndexedSlices ConcatSlices(IReadOnlyList<IndexedSlices> slices)
    {
        var wide = slices.Any(s => s.indices.dtype == DType.int64);
        var indices = slices.Select(s => (TensorLike)(wide && s.indices.dtype != DType.int64 ? Cast.Build(s.indices, DType.int64) : s.indices)).ToList();
        var values = ConcatV2.Build([.. slices.Select(s => (TensorLike)s.values)], 0);
        var shape = slices.Aggregate(Shape.Unknown, (acc, s) => acc.MergeWith(s.shape));
        return new IndexedSlices(values, ConcatV2.Build(indices, 0), slices[0].dense_shape, shape);
    }
}
