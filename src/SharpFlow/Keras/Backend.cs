using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace SharpFlow.Keras;

/// <summary>
/// <c>tf.keras.backend</c> in graph mode: per-graph layer-name counters, the learning-phase placeholder, the session
/// Keras runs its models in and the set of variables it has already initialized there.
/// </summary>
public static partial class Backend
{
    private sealed class GraphState
    {
        public readonly Dictionary<string, int> Uids = new(StringComparer.Ordinal);
        public Tensor? LearningPhase;
        public Session? Session;
        public readonly HashSet<Variable> Initialized = new(ReferenceEqualityComparer.Instance);
        public Session? CheckedSession;          // the variable counts last checked, so a training step's get_session costs nothing
        public int CheckedGlobals = -1, CheckedLocals = -1;
    }

    private static readonly ConditionalWeakTable<Graph, GraphState> States = new();
    private static double _epsilon = 1e-7;

    private static GraphState State(Graph? graph = null) => States.GetValue(graph ?? Graph.get_default(), _ => new GraphState());

    /// <summary>Keras's fuzz factor (1e-7), used in clipping by the losses and the optimizers.</summary>
    public static double epsilon() => _epsilon;

    /// <summary>Sets the fuzz factor.</summary>
    public static void set_epsilon(double value) => _epsilon = value;

    /// <summary>The default float type, <c>"float32"</c>.</summary>
    public static string floatx() => "float32";

    /// <summary>
    /// The next number for <paramref name="prefix"/> in the default graph, starting at 1 (Keras's <c>get_uid</c>).
    /// </summary>
    public static int get_uid(string prefix = "")
    {
        var uids = State().Uids;
        uids[prefix] = uids.GetValueOrDefault(prefix) + 1;
        return uids[prefix];
    }

    /// <summary>A name unique in the default graph: <c>dense</c>, <c>dense_1</c>, ... (zero-based, as tf.keras layers).</summary>
    internal static string UniqueObjectName(string prefix)
    {
        var uid = get_uid(prefix) - 1;
        return uid == 0 ? prefix : $"{prefix}_{uid}";
    }

    /// <summary>Python's <c>to_snake_case</c> of a class name: <c>Conv2DTranspose</c> → <c>conv2d_transpose</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        var intermediate = Regex.Replace(name, "(.)([A-Z][a-z0-9]+)", "$1_$2");
        var insecure = Regex.Replace(intermediate, "([a-z])([A-Z])", "$1_$2").ToLowerInvariant();
        return insecure[0] != '_' ? insecure : "private" + insecure;
    }

    /// <summary>Resets the name counters and the learning phase of the default graph, and resets the graph (<c>clear_session</c>).</summary>
    public static void clear_session()
    {
        var old = Graph.get_default();
        if (States.TryGetValue(old, out var s)) { s.Session?.Dispose(); States.Remove(old); }
        Graph.ResetDefault();
    }

    /// <summary>
    /// The learning phase: a bool scalar <c>keras_learning_phase</c> (a placeholder with default false) that
    /// <c>fit</c> feeds with true, so Dropout and BatchNormalization switch through <c>tf.cond</c>.
    /// </summary>
    public static Tensor learning_phase()
    {
        var graph = Graph.get_default();
        var state = State(graph);
        if (state.LearningPhase is null)
        {
            using (graph.name_scope(null))
            using (graph.control_dependencies(null))
                state.LearningPhase = Ops.ArrayOps.PlaceholderWithDefault.Build(false, Shape.Scalar, "keras_learning_phase");
        }
        return state.LearningPhase;
    }

    internal static Tensor? LearningPhaseIfMade(Graph graph) => State(graph).LearningPhase;

    /// <summary>The session Keras uses for the default graph (the default session when one is active), made on first use.</summary>
    public static Session get_session()
    {
        var graph = Graph.get_default();
        var current = Session.get_default();
        var state = State(graph);
        if (current is not null && ReferenceEquals(current.graph, graph)) state.Session = current;
        state.Session ??= new Session(graph);
        InitializeVariables(state.Session, state);
        return state.Session;
    }

    /// <summary>Makes <paramref name="session"/> the one Keras uses for its graph.</summary>
    public static void set_session(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        State(session.graph).Session = session;
    }

    /// <summary>Initializes the variables of the graph that Keras has not initialized yet in this session.</summary>
    private static void InitializeVariables(Session session, GraphState state)
    {
        var globals = session.graph.get_collection_ref(GraphKeys.GLOBAL_VARIABLES).Count;
        var locals = session.graph.get_collection_ref(GraphKeys.LOCAL_VARIABLES).Count;
        if (ReferenceEquals(state.CheckedSession, session) && globals == state.CheckedGlobals && locals == state.CheckedLocals) return;
        var todo = session.graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>()
            .Concat(session.graph.get_collection(GraphKeys.LOCAL_VARIABLES).OfType<Variable>())
            .Where(v => !state.Initialized.Contains(v)).ToList();
        if (todo.Count == 0)
        {
            (state.CheckedSession, state.CheckedGlobals, state.CheckedLocals) = (session, globals, locals);
            return;
        }
        var flags = session.run(todo.Select(v => (Tensor)Ops.State.IsVariableInitialized.Build(v)).ToList());
        var init = todo.Where((v, i) => !flags[i].item<bool>()).Select(v => (ITensorOrOperation)v.initializer).ToList();
        if (init.Count > 0) session.run(Ops.Control.NoOp.Group(init));
        foreach (var v in todo) state.Initialized.Add(v);
        (state.CheckedSession, state.CheckedGlobals, state.CheckedLocals) = (session, globals, locals);
    }

    /// <summary>The value of a variable in Keras's session.</summary>
    public static NDArray get_value(Variable x) => get_session().run(x);

    /// <summary>Assigns <paramref name="value"/> to a variable in Keras's session.</summary>
    public static void set_value(Variable x, NDArray value)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(value);
        var session = get_session();
        var placeholder = AssignPlaceholder(x);
        session.run(placeholder.Assign.op, new FeedDict { [placeholder.Feed] = value.dtype == x.dtype ? value : value.Cast(x.dtype) });
    }

    /// <summary>Sets several variables in one run.</summary>
    public static void batch_set_value(IEnumerable<(Variable variable, NDArray value)> tuples)
    {
        var feed = new FeedDict();
        var ops = new List<ITensorOrOperation>();
        foreach (var (x, value) in tuples)
        {
            var p = AssignPlaceholder(x);
            feed[p.Feed] = value.dtype == x.dtype ? value : value.Cast(x.dtype);
            ops.Add(p.Assign.op);
        }
        if (ops.Count > 0) get_session().run(Ops.Control.NoOp.Group(ops), feed);
    }

    private static readonly ConditionalWeakTable<Variable, (Tensor Feed, Tensor Assign)?[]> AssignPlaceholders = new();

    private static (Tensor Feed, Tensor Assign) AssignPlaceholder(Variable x)
    {
        var box = AssignPlaceholders.GetValue(x, _ => new (Tensor, Tensor)?[1]);
        if (box[0] is { } made) return made;
        var graph = x.graph;
        using (graph.control_dependencies(null))
        using (graph.name_scope(x.op.name + "/"))
        {
            var feed = Ops.ArrayOps.Placeholder.Build(x.dtype, x.shape, "assign_placeholder");
            var assign = x.assign(feed, name: "Assign_keras");
            box[0] = (feed, assign);
        }
        return box[0]!.Value;
    }
}
