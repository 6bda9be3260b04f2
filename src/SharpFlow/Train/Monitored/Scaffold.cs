using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.State;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// <c>tf.train.Scaffold</c>: the ops a monitored session needs to create, restore and check a model. Anything left
/// null is filled in by <see cref="finalize"/>, from the graph's collections (INIT_OP, READY_OP, LOCAL_INIT_OP,
/// SUMMARY_OP, SAVERS) or with the defaults: initialise the global variables, check that they are initialised,
/// initialise the local variables, merge all summaries, save every global variable.
/// </summary>
public sealed class Scaffold
{
    private bool _finalized;

    /// <summary>A scaffold; every argument may be left null for its default.</summary>
    public Scaffold(Operation? init_op = null, FeedDict? init_feed_dict = null, Action<Scaffold, Session>? init_fn = null,
        Tensor? ready_op = null, Tensor? ready_for_local_init_op = null, Operation? local_init_op = null, Tensor? summary_op = null,
        Saver? saver = null, Scaffold? copy_from_scaffold = null)
    {
        if (copy_from_scaffold is not null)
        {
            init_op ??= copy_from_scaffold.init_op;
            init_feed_dict ??= copy_from_scaffold.init_feed_dict;
            init_fn ??= copy_from_scaffold.init_fn;
            ready_op ??= copy_from_scaffold.ready_op;
            ready_for_local_init_op ??= copy_from_scaffold.ready_for_local_init_op;
            local_init_op ??= copy_from_scaffold.local_init_op;
            summary_op ??= copy_from_scaffold.summary_op;
            saver ??= copy_from_scaffold.saver;
        }
        this.init_op = init_op;
        this.init_feed_dict = init_feed_dict;
        this.init_fn = init_fn;
        this.ready_op = ready_op;
        this.ready_for_local_init_op = ready_for_local_init_op;
        this.local_init_op = local_init_op;
        this.summary_op = summary_op;
        this.saver = saver;
    }

    /// <summary>Initialises the model when no checkpoint is restored.</summary>
    public Operation? init_op { get; private set; }

    /// <summary>Feeds for <see cref="init_op"/>.</summary>
    public FeedDict? init_feed_dict { get; }

    /// <summary>Called after <see cref="init_op"/> when no checkpoint is restored.</summary>
    public Action<Scaffold, Session>? init_fn { get; }

    /// <summary>
    /// Whether the model is ready. SharpFlow's default is a bool vector, true for each initialised global variable
    /// (TensorFlow's is the names of the uninitialised ones); a custom ready_op is ready when it has no element or
    /// only true elements.
    /// </summary>
    public Tensor? ready_op { get; private set; }

    /// <summary>Whether the global variables that the local init op reads are initialised (default: like <see cref="ready_op"/>).</summary>
    public Tensor? ready_for_local_init_op { get; private set; }

    /// <summary>Initialises the local variables (and tables) of every new session.</summary>
    public Operation? local_init_op { get; private set; }

    /// <summary>The merged summaries (null when the graph has none).</summary>
    public Tensor? summary_op { get; private set; }

    /// <summary>Saves and restores the model's checkpoints (null when the graph has no global variable).</summary>
    public Saver? saver { get; private set; }

    /// <summary>The names of the global variables that <see cref="ready_op"/> reports on, in order.</summary>
    internal List<string> ReadyVariableNames { get; } = [];

    /// <summary>Fills in the defaults and finalizes the graph; calling it again does nothing.</summary>
    public Scaffold finalize(Graph? graph = null)
    {
        if (_finalized) return this;
        graph ??= Graph.get_default();
        using (graph.as_default())
        {
            init_op ??= First<Operation>(graph, GraphKeys.INIT_OP) ?? Remember(graph, GraphKeys.INIT_OP,
                Group(graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().Select(v => (ITensorOrOperation)v.initializer), "init"));
            ready_op ??= First<Tensor>(graph, GraphKeys.READY_OP) ?? Remember(graph, GraphKeys.READY_OP, ReadyOp(graph, "ready_op"));
            ready_for_local_init_op ??= First<Tensor>(graph, GraphKeys.READY_FOR_LOCAL_INIT_OP)
                ?? Remember(graph, GraphKeys.READY_FOR_LOCAL_INIT_OP, ReadyOp(graph, "ready_for_local_init_op"));
            local_init_op ??= First<Operation>(graph, GraphKeys.LOCAL_INIT_OP) ?? Remember(graph, GraphKeys.LOCAL_INIT_OP,
                Group(graph.get_collection(GraphKeys.LOCAL_VARIABLES).OfType<Variable>().Select(v => (ITensorOrOperation)v.initializer)
                    .Concat(graph.get_collection(GraphKeys.TABLE_INITIALIZERS).OfType<ITensorOrOperation>()), "group_deps"));
            if (summary_op is null)
            {
                summary_op = First<Tensor>(graph, GraphKeys.SUMMARY_OP);
                if (summary_op is null)
                {
                    var summaries = graph.get_collection(GraphKeys.SUMMARIES).OfType<Tensor>().ToList();
                    if (summaries.Count > 0) summary_op = Remember(graph, GraphKeys.SUMMARY_OP, Summaries.SummaryOps.MergeSummary.Build(summaries));
                }
            }
            // TensorFlow's default saver allows an empty variable list; here a graph without global variables has none.
            saver ??= First<Saver>(graph, GraphKeys.SAVERS) ?? (graph.get_collection(GraphKeys.GLOBAL_VARIABLES).Count == 0
                ? null : Remember(graph, GraphKeys.SAVERS, new Saver(max_to_keep: 5, sharded: true))); // sharded, as TensorFlow's Scaffold
        }
        graph.finalize();
        _finalized = true;
        return this;
    }

    private static T? First<T>(Graph graph, string key) where T : class
    {
        var items = graph.get_collection(key);
        if (items.Count > 1) throw new InvalidOperationException($"More than one item in the collection \"{key}\". Please indicate which one to use by passing it to the constructor.");
        return items.Count == 1 ? items[0] as T : null;
    }

    private static T Remember<T>(Graph graph, string key, T value) where T : notnull
    {
        graph.add_to_collection(key, value);
        return value;
    }

    private static Operation Group(IEnumerable<ITensorOrOperation> ops, string name)
    {
        var list = ops.ToList();
        return list.Count == 0 ? NoOp.Build(name) : NoOp.Group(list, name);
    }

    private Tensor ReadyOp(Graph graph, string name)
    {
        var variables = graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().ToList();
        if (ReadyVariableNames.Count == 0) ReadyVariableNames.AddRange(variables.Select(v => v.op.name));
        if (variables.Count == 0) return Const.Build(Array.Empty<bool>(), DType.@bool, name: name);
        return Pack.Build(variables.Select(v => (TensorLike)IsVariableInitialized.Build(v)).ToList(), 0, name);
    }
}
