using System.Text;
using SharpFlow.Framework;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// One node of the optimizer's copy of a pruned graph: the op whose kernel runs, with the inputs and control
/// inputs it runs with. An unchanged node runs a user op with (a copy of) its own inputs; a rewired one runs a
/// user op with other inputs (a removed Identity's input); a new node runs an op the optimizer made (a fused op,
/// a folded constant) that belongs to no graph's op list.
/// </summary>
internal sealed class OptNode(Operation op, Tensor[] inputs, List<Operation> controlInputs, string? origin = null)
{
    /// <summary>The op whose kernel the step runs.</summary>
    public Operation Op { get; } = op;

    /// <summary>The tensors the node reads (the optimizer's copy: rewiring them never touches the user's graph).</summary>
    public Tensor[] Inputs { get; } = inputs;

    /// <summary>The ops that must run before this one.</summary>
    public List<Operation> ControlInputs { get; } = controlInputs;

    /// <summary>For a node the optimizer made, what it replaces (<c>"MatMul + BiasAdd + Relu"</c>); null for a user op.</summary>
    public string? Origin { get; } = origin;
}

/// <summary>
/// The graph optimizer's working copy of one run's pruned graph and, once the passes are done, their result: the
/// nodes to run (in a topological order), which fetched tensors a new node now produces, and a log of every
/// rewrite (for tests and <c>sharpflow graph --optimized</c>). The user's graph, its <c>as_graph_def()</c> and
/// TensorBoard's view are never changed.
/// </summary>
internal sealed class OptimizedGraph
{
    private readonly HashSet<Tensor> _fetched;
    private readonly HashSet<Tensor> _fed;
    private readonly HashSet<Operation> _targets;
    private readonly IReadOnlyList<Tensor> _fetches;
    private readonly Dictionary<Tensor, Tensor> _alias = new(TensorComparer.Instance);
    private readonly List<string> _log = [];

    public OptimizedGraph(IReadOnlyList<Operation> ordered, IReadOnlyList<Tensor> fetches, IReadOnlyList<Operation> targets, IReadOnlyList<Tensor> feeds)
    {
        _fetches = fetches;
        _fetched = new HashSet<Tensor>(fetches, TensorComparer.Instance);
        _fed = new HashSet<Tensor>(feeds, TensorComparer.Instance);
        _targets = [.. targets];
        Nodes = [.. ordered.Select(op => new OptNode(op, [.. op.inputs], [.. op.control_inputs]))];
        NodeCountBefore = Nodes.Count;
        _controlFlowRegion = ControlFlowRegion(ordered);
    }

    // Ops whose outputs may be dead (downstream of a Switch, up to a Merge) or that run in a while loop's frame
    // (between an Enter and its Exit): their timing and liveness belong to the dataflow executor, so no rewrite
    // touches them (a folded zeros of an untaken cond branch would reach its Merge first).
    private readonly HashSet<Operation> _controlFlowRegion;

    private HashSet<Operation> ControlFlowRegion(IReadOnlyList<Operation> ordered)
    {
        var region = new HashSet<Operation>();
        if (!ordered.Any(op => op.Def.ControlFlow != ControlFlowRole.None)) return region;
        var dead = new HashSet<Operation>();
        var depth = new Dictionary<Operation, int>();
        foreach (var op in ordered)
        {
            var sources = op.inputs.Where(t => !_fed.Contains(t)).Select(t => t.op).Concat(op.control_inputs).ToList();
            var d = sources.Select(s => depth.GetValueOrDefault(s)).DefaultIfEmpty(0).Max();
            d += op.Def.ControlFlow switch { ControlFlowRole.Enter => 1, ControlFlowRole.Exit => -1, _ => 0 };
            depth[op] = System.Math.Max(0, d);
            var mayBeDead = op.Def.ControlFlow switch
            {
                ControlFlowRole.Switch => true,
                ControlFlowRole.Merge => false,
                _ => sources.Any(dead.Contains),
            };
            if (mayBeDead) dead.Add(op);
            if (mayBeDead || depth[op] > 0 || op.Def.ControlFlow != ControlFlowRole.None) region.Add(op);
        }
        return region;
    }

    /// <summary>
    /// True for ops no rewrite may touch: <see cref="IsFrozen"/> ones, and ops whose outputs may be dead or that
    /// run inside a while loop's frame.
    /// </summary>
    public bool Frozen(Operation op) => IsFrozen(op) || _controlFlowRegion.Contains(op);

    /// <summary>The nodes, in a topological order once <see cref="Prune"/> has run.</summary>
    public List<OptNode> Nodes { get; private set; }

    /// <summary>Nodes of the pruned graph before any rewrite.</summary>
    public int NodeCountBefore { get; }

    /// <summary>Every rewrite, one line each, prefixed by its pass (<c>remapping: fused ...</c>).</summary>
    public IReadOnlyList<string> Log => _log;

    /// <summary>Rewrites a pass made (log lines starting with its name).</summary>
    public int Count(string pass) => _log.Count(l => l.StartsWith(pass + ":", StringComparison.Ordinal));

    internal void Record(string pass, string what) => _log.Add(pass + ": " + what);

    /// <summary>The tensor that holds a fetched tensor's value in the optimized graph.</summary>
    public Tensor Resolve(Tensor t)
    {
        while (_alias.TryGetValue(t, out var r)) t = r;
        return t;
    }

    public bool IsFetched(Tensor t) => _fetched.Contains(t);

    public bool IsFed(Tensor t) => _fed.Contains(t);

    /// <summary>The node running <paramref name="op"/>, or null.</summary>
    public OptNode? NodeOf(Operation op) => Nodes.FirstOrDefault(n => ReferenceEquals(n.Op, op));

    /// <summary>The readers of each tensor: (node, input index).</summary>
    public Dictionary<Tensor, List<(OptNode Node, int Input)>> Consumers()
    {
        var result = new Dictionary<Tensor, List<(OptNode, int)>>(TensorComparer.Instance);
        foreach (var n in Nodes)
            for (var i = 0; i < n.Inputs.Length; i++)
            {
                if (!result.TryGetValue(n.Inputs[i], out var list)) result[n.Inputs[i]] = list = [];
                list.Add((n, i));
            }
        return result;
    }

    /// <summary>Ops some node waits for through a control edge.</summary>
    public HashSet<Operation> ControlSources() => [.. Nodes.SelectMany(n => n.ControlInputs)];

    /// <summary>
    /// Ops no rewrite may touch (TensorFlow's nodes_to_preserve and more): stateful ops (variables, assignments,
    /// random ops, queues, iterators, readers, savers), control-flow ops and every op inside a cond branch or while
    /// loop, ops with reference inputs or outputs, and op types with side effects.
    /// </summary>
    public static bool IsFrozen(Operation op)
    {
        if (op.Def.IsStateful || op.Def.ControlFlow != ControlFlowRole.None || op.Context is not null) return true;
        for (var i = 0; i < op.inputs.Count; i++)
            if (op.Def.IsRefInput(i)) return true;
        for (var i = 0; i < op.outputs.Count; i++)
            if (op.Def.IsRefOutput(i)) return true;
        foreach (var word in SideEffectWords)
            if (op.type.Contains(word, StringComparison.Ordinal)) return true;
        return op.type is "Placeholder" or "PlaceholderWithDefault" or "PlaceholderV2";
    }

    // Op types whose run does more than compute its outputs from its inputs, or reads the outside world.
    private static readonly string[] SideEffectWords =
        ["Print", "Assert", "Summary", "Save", "Restore", "Read", "Write", "File", "Queue", "Iterator", "Dataset", "Reader",
         "Stack", "TensorArray", "Variable", "Assign", "Scatter", "Apply", "Random", "Shuffle", "Sampler", "Checkpoint", "Barrier", "Session"];

    /// <summary>
    /// Nodes a pass must keep as they are: fetched, fed or target nodes, frozen ops (<see cref="IsFrozen"/>), and
    /// nodes with control inputs or that other nodes wait for.
    /// </summary>
    public bool IsPreserved(OptNode n, HashSet<Operation> controlSources)
    {
        if (_targets.Contains(n.Op) || Frozen(n.Op) || n.ControlInputs.Count > 0 || controlSources.Contains(n.Op)) return true;
        foreach (var t in n.Op.outputs)
            if (_fetched.Contains(t) || _fed.Contains(t)) return true;
        return false;
    }

    /// <summary>
    /// A user node a fusion may absorb: not preserved (<see cref="IsPreserved"/>), one output, read by exactly one node.
    /// </summary>
    public bool IsIntermediate(OptNode n, HashSet<Operation> controlSources, Dictionary<Tensor, List<(OptNode Node, int Input)>> consumers) =>
        !IsPreserved(n, controlSources) && n.Origin is null && n.Op.outputs.Count == 1
        && consumers.TryGetValue(n.Op.outputs[0], out var readers) && readers.Count == 1;

    /// <summary>
    /// A node a rewrite may replace by a new op producing its one output in its place: the output may be fetched (the
    /// new op's is fetched instead) but not fed, and the node is not frozen, a target, or tied by control edges.
    /// </summary>
    public bool IsReplaceable(OptNode n, HashSet<Operation> controlSources) =>
        !Frozen(n.Op) && n.ControlInputs.Count == 0 && !controlSources.Contains(n.Op) && !_targets.Contains(n.Op)
        && n.Op.outputs.Count == 1 && !_fed.Contains(n.Op.outputs[0]);

    /// <summary>True when <paramref name="op"/> is one of the run's targets.</summary>
    public bool IsTarget(Operation op) => _targets.Contains(op);

    /// <summary>
    /// Makes every reader of <paramref name="old"/> read <paramref name="replacement"/> (never a reference input);
    /// a fetched <paramref name="old"/> is then fetched from the replacement. Returns false, changing nothing,
    /// when some reader takes <paramref name="old"/> as a reference.
    /// </summary>
    public bool Replace(Tensor old, Tensor replacement)
    {
        foreach (var n in Nodes)
            for (var i = 0; i < n.Inputs.Length; i++)
                if (TensorComparer.Instance.Equals(n.Inputs[i], old) && n.Op.Def.IsRefInput(i)) return false;
        foreach (var n in Nodes)
            for (var i = 0; i < n.Inputs.Length; i++)
                if (TensorComparer.Instance.Equals(n.Inputs[i], old)) n.Inputs[i] = replacement;
        if (_fetched.Contains(old)) _alias[old] = replacement;
        return true;
    }

    /// <summary>Adds a node the optimizer made.</summary>
    public void Add(OptNode node) => Nodes.Add(node);

    /// <summary>
    /// Drops the nodes no fetch or target needs any more (the Identity whose readers were rewired, the inputs of
    /// a folded constant) and orders the rest topologically (by op id: a new node takes the id of the last op it
    /// replaces, which comes after all of its inputs; among nodes of one id, readers after what they read).
    /// </summary>
    public void Prune()
    {
        var byOp = new Dictionary<Operation, OptNode>();
        foreach (var n in Nodes) byOp[n.Op] = n;
        var needed = new HashSet<OptNode>();
        var stack = new Stack<OptNode>();
        void Need(Operation op)
        {
            if (byOp.TryGetValue(op, out var n) && needed.Add(n)) stack.Push(n);
        }
        foreach (var t in _fetches)
            if (!_fed.Contains(t)) Need(Resolve(t).op);
        foreach (var op in _targets) Need(op);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            foreach (var t in n.Inputs)
                if (!_fed.Contains(t)) Need(t.op);
            foreach (var c in n.ControlInputs) Need(c);
        }
        var sorted = Nodes.Where(needed.Contains).OrderBy(n => n.Op.Id).ToList();
        // New nodes may share an id (a pass that makes several nodes from the ops it replaces, and constant folding
        // naming a constant after the node it folds): each node still comes after the nodes it reads.
        var ordered = new List<OptNode>(sorted.Count);
        var placed = new HashSet<OptNode>();
        void Place(OptNode n)
        {
            if (!placed.Add(n)) return;
            foreach (var t in n.Inputs)
                if (!_fed.Contains(t) && byOp.TryGetValue(t.op, out var p) && needed.Contains(p)) Place(p);
            foreach (var c in n.ControlInputs)
                if (byOp.TryGetValue(c, out var p) && needed.Contains(p)) Place(p);
            ordered.Add(n);
        }
        foreach (var n in sorted) Place(n);
        Nodes = ordered;
    }

    /// <summary>The optimized graph as text: one <c>name = Type(inputs, ^controls)</c> line per node, then the log.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        foreach (var n in Nodes)
        {
            sb.Append(n.Op.name).Append(" = ").Append(n.Op.type).Append('(')
                .AppendJoin(", ", n.Inputs.Select(t => t.value_index == 0 ? t.op.name : t.op.name + ":" + t.value_index)
                    .Concat(n.ControlInputs.Select(c => "^" + c.name)))
                .Append(')');
            if (n.Origin is not null) sb.Append("  # ").Append(n.Origin);
            sb.Append('\n');
        }
        foreach (var line in _log) sb.Append("// ").Append(line).Append('\n');
        return sb.ToString();
    }

    /// <summary>The node types, for tests (<c>"_FusedMatMul"</c>, ...).</summary>
    public IEnumerable<string> Types => Nodes.Select(n => n.Op.type);
}
