using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.State;

namespace SharpFlow.Execution;

/// <summary>
/// What one kind of run executes: the ops the fetches and targets need (pruned at fed tensors), in creation
/// order (which is a topological order, since an op's inputs always exist before it), with a slot number for each
/// tensor that flows and the step after which each slot is dead. Built once per fetch/target/feed signature and
/// cached by the session; it holds no values, so concurrent runs can share it (each run's values live in a
/// <see cref="RunMemory"/>).
/// </summary>
internal sealed class Plan
{
    /// <summary>
    /// One op to run: its kernel, where its inputs come from and its outputs go, and the slots no later step reads
    /// (<see cref="ReleaseSlots"/>: their buffers can be reused once this step has run).
    /// </summary>
    internal sealed record Step(Operation Op, OpKernel Kernel, int[] InputSlots, bool[] RefInputs, int[] OutputSlots, bool[] Fetched)
    {
        public int[] ReleaseSlots { get; init; } = [];

        /// <summary>
        /// Per input, whether this step is the last reader of its slot and the slot is neither fed nor fetched: the
        /// kernel may write an output into its buffer (if, at run time, no other slot shares the buffer).
        /// </summary>
        public bool[] Forwardable { get; init; } = [];

        /// <summary>
        /// The tensors the step reads: the op's own inputs, unless the graph optimizer rewired them (a removed
        /// Identity's consumer reads the Identity's input).
        /// </summary>
        public Tensor[] Inputs { get; init; } = [];

        /// <summary>The ops that must run first: the op's control inputs, unless the optimizer removed a NoOp between them.</summary>
        public Operation[] ControlInputs { get; init; } = [];
    }

    private Plan(Step[] steps, int slotCount, Tensor[] fetches, int[] fetchSlots, int[] feedSlots)
    {
        Fetches = fetches;
        Steps = steps;
        SlotCount = slotCount;
        FetchSlots = fetchSlots;
        FeedSlots = feedSlots;
    }

    public Step[] Steps { get; }
    public int SlotCount { get; }
    /// <summary>The fetched tensors, in fetch order.</summary>
    public Tensor[] Fetches { get; }
    /// <summary>
    /// The tensors the steps produce for the fetches, in fetch order: the fetches themselves, or the optimizer's
    /// replacement of one (a fused op's output for a fetched activation).
    /// </summary>
    public Tensor[] RunFetches { get; private init; } = [];
    /// <summary>The slot of each fetched tensor, in fetch order.</summary>
    public int[] FetchSlots { get; }
    /// <summary>The slot of each fed tensor, in feed order.</summary>
    public int[] FeedSlots { get; }
    /// <summary>
    /// For a plan whose ops include control flow (Switch, Merge, Enter, ...), the structure the dataflow executor
    /// runs; null for an acyclic plan without it, which runs its steps in order.
    /// </summary>
    public DataflowGraph? Dataflow { get; private init; }

    /// <summary>What the graph optimizer did to this plan's graph; null when it did not run.</summary>
    public Optimizer.OptimizedGraph? Optimized { get; private init; }

    /// <summary>
    /// Prunes and orders the graph for these fetches, targets and feeds; with <paramref name="rewrites"/>, the graph
    /// optimizer rewrites a copy of the pruned graph first (the user's graph is never changed).
    /// </summary>
    public static Plan Build(IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation> targets, IReadOnlyList<Tensor> feeds,
        Func<Operation, OpKernel> kernelOf, RewriterConfig? rewrites = null)
    {
        var fed = new HashSet<Tensor>(feeds, TensorComparer.Instance);
        var needed = new HashSet<Operation>();
        var stack = new Stack<Operation>();
        void Need(Operation op)
        {
            if (needed.Add(op)) stack.Push(op);
        }
        foreach (var t in fetches)
            if (!fed.Contains(t)) Need(t.op);
        foreach (var op in targets) Need(op);
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            foreach (var input in op.inputs)
                if (!fed.Contains(input)) Need(input.op);
            foreach (var control in op.control_inputs) Need(control);
        }

        var ordered = needed.OrderBy(op => op.Id).ToList();
        foreach (var op in ordered)
            if (op.Def is Placeholder)
                throw new InvalidArgumentError(Placeholder.MissingFeedMessage(op), op.name);

        // The nodes to run: the pruned ops as they are, or the optimizer's rewrite of them.
        var optimized = Optimizer.GraphOptimizer.IsEnabled(rewrites)
            ? Optimizer.GraphOptimizer.Optimize(ordered, fetches, targets, feeds, rewrites!)
            : null;
        var nodes = optimized is not null
            ? optimized.Nodes.Select(n => (n.Op, Inputs: n.Inputs, Controls: n.ControlInputs.ToArray())).ToList()
            : ordered.Select(op => (Op: op, Inputs: op.inputs.ToArray(), Controls: op.control_inputs.ToArray())).ToList();
        var fetchedTensors = optimized is not null ? [.. fetches.Select(optimized.Resolve)] : fetches;

        var plan = FromNodes(nodes, fetches, fetchedTensors, feeds, kernelOf);
        return new Plan(plan.Steps, plan.SlotCount, plan.Fetches, plan.FetchSlots, plan.FeedSlots)
        {
            RunFetches = plan.RunFetches,
            Dataflow = ordered.Any(op => op.Def.ControlFlow != ControlFlowRole.None) ? new DataflowGraph(plan, feeds) : null,
            Optimized = optimized,
        };
    }

    /// <summary>
    /// The steps of already pruned and ordered nodes (an op with the inputs and control inputs it runs with);
    /// <paramref name="runFetches"/> are the tensors the nodes produce for <paramref name="fetches"/>.
    /// </summary>
    internal static Plan FromNodes(IReadOnlyList<(Operation Op, Tensor[] Inputs, Operation[] Controls)> nodes, IReadOnlyList<Tensor> fetches,
        IReadOnlyList<Tensor> runFetches, IReadOnlyList<Tensor> feeds, Func<Operation, OpKernel> kernelOf)
    {
        var fed = new HashSet<Tensor>(feeds, TensorComparer.Instance);
        var fetchedTensors = runFetches;
        // Assign slots: fed tensors first, then every output some needed op or fetch consumes.
        var slots = new Dictionary<Tensor, int>(TensorComparer.Instance);
        int SlotOf(Tensor t)
        {
            if (!slots.TryGetValue(t, out var s)) slots[t] = s = slots.Count;
            return s;
        }
        var feedSlots = feeds.Select(SlotOf).ToArray();
        var consumed = new HashSet<Tensor>(TensorComparer.Instance);
        foreach (var node in nodes)
            foreach (var input in node.Inputs) consumed.Add(input);
        foreach (var t in fetchedTensors) consumed.Add(t);
        var fetchedSet = new HashSet<Tensor>(fetchedTensors, TensorComparer.Instance);

        var steps = new List<Step>(nodes.Count);
        foreach (var (op, inputs, controls) in nodes)
        {
            var inputSlots = inputs.Select(SlotOf).ToArray();
            var refInputs = inputs.Select((_, i) => op.Def.IsRefInput(i)).ToArray();
            var outputSlots = new int[op.outputs.Count];
            var fetched = new bool[op.outputs.Count];
            for (var i = 0; i < outputSlots.Length; i++)
            {
                var t = op.outputs[i];
                // A fed output keeps the fed value; an unused one is dropped.
                outputSlots[i] = fed.Contains(t) || !consumed.Contains(t) ? -1 : SlotOf(t);
                fetched[i] = outputSlots[i] >= 0 && fetchedSet.Contains(t);
            }
            steps.Add(new Step(op, kernelOf(op), inputSlots, refInputs, outputSlots, fetched) { Inputs = inputs, ControlInputs = controls });
        }
        var fetchSlots = fetchedTensors.Select(SlotOf).ToArray();

        // The last reader of each slot releases it, unless the slot is fetched (its value goes to the caller).
        var lastReader = new int[slots.Count];
        Array.Fill(lastReader, -1);
        for (var i = 0; i < steps.Count; i++)
            foreach (var s in steps[i].InputSlots) lastReader[s] = i;
        foreach (var s in fetchSlots) lastReader[s] = -1;
        var fedSlots = new HashSet<int>(feedSlots);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            steps[i] = step with
            {
                ReleaseSlots = [.. step.InputSlots.Distinct().Where(s => lastReader[s] == i)],
                Forwardable = [.. step.InputSlots.Select((s, k) => lastReader[s] == i && !fedSlots.Contains(s) && !step.RefInputs[k])],
            };
        }
        return new Plan([.. steps], slots.Count, [.. fetches], fetchSlots, feedSlots) { RunFetches = [.. fetchedTensors] };
    }
}
