#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Ops;
using SharpFlow.Ops.Control;
using SharpFlow.Ops.State;

namespace SharpFlow;

/// <summary>
/// Brings TensorFlow's <c>tf</c> into scope: <c>using static SharpFlow.Binding;</c>. Everything under <c>tf</c>
/// forwards to the op builders; nothing inside the library calls the facade.
/// </summary>
public static partial class Binding
{
    /// <summary>TensorFlow 1.x's <c>tf</c> module: graphs, sessions, variables and the ops, with TensorFlow's names.</summary>
    public static partial class tf
    {
        // ----- dtypes -----

        /// <summary>32-bit float.</summary>
        public static readonly DType float32 = DType.float32;
        /// <summary>64-bit float.</summary>
        public static readonly DType float64 = DType.float64;
        /// <summary>Alias of float64.</summary>
        public static readonly DType @double = DType.float64;
        /// <summary>32-bit integer.</summary>
        public static readonly DType int32 = DType.int32;
        /// <summary>64-bit integer.</summary>
        public static readonly DType int64 = DType.int64;
        /// <summary>8-bit unsigned integer.</summary>
        public static readonly DType uint8 = DType.uint8;
        /// <summary>Boolean.</summary>
        public static readonly DType @bool = DType.@bool;
        /// <summary>Byte strings (<c>tf.string</c>): the dtype of serialized summaries.</summary>
        public static readonly DType @string = DType.@string;

        /// <summary>Reuse a variable if it exists, create it otherwise.</summary>
        public static readonly Reuse AUTO_REUSE = Reuse.AutoReuse;

        // ----- graphs -----

        /// <summary>A new, empty graph (<c>tf.Graph()</c>).</summary>
        public static Graph Graph() => new();

        /// <summary>The current thread's default graph.</summary>
        public static Graph get_default_graph() => SharpFlow.Graph.get_default();

        /// <summary>Replaces the global default graph with an empty one.</summary>
        public static void reset_default_graph() => SharpFlow.Graph.ResetDefault();

        /// <summary>Sets the default graph's random seed; random ops without their own seed then derive one from it.</summary>
        public static void set_random_seed(int seed) => SharpFlow.Graph.get_default().seed = seed;

        /// <summary>Opens a name scope in the default graph: <c>using (tf.name_scope("layer1")) { ... }</c>.</summary>
        public static IDisposable name_scope(string? name) => SharpFlow.Graph.get_default().name_scope(name);

        /// <summary>Ops created inside run after <paramref name="control_inputs"/>.</summary>
        public static IDisposable control_dependencies(IEnumerable<ITensorOrOperation>? control_inputs) =>
            Functions.GraphFunctions.ControlDependencies(control_inputs);

        /// <summary>An operation that runs all of <paramref name="inputs"/>.</summary>
        public static Operation group(params ITensorOrOperation[] inputs) => NoOp.Group(inputs);

        /// <summary>An operation that runs all of <paramref name="inputs"/>, named.</summary>
        public static Operation group(IEnumerable<ITensorOrOperation> inputs, string? name = null) => NoOp.Group(inputs, name);

        /// <summary>An operation that does nothing.</summary>
        public static Operation no_op(string? name = null) => NoOp.Build(name);

        // ----- collections -----

        /// <summary>The standard collection names.</summary>
        public static class GraphKeys
        {
            /// <inheritdoc cref="SharpFlow.GraphKeys.GLOBAL_VARIABLES"/>
            public const string GLOBAL_VARIABLES = SharpFlow.GraphKeys.GLOBAL_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.VARIABLES"/>
            public const string VARIABLES = SharpFlow.GraphKeys.VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.LOCAL_VARIABLES"/>
            public const string LOCAL_VARIABLES = SharpFlow.GraphKeys.LOCAL_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.METRIC_VARIABLES"/>
            public const string METRIC_VARIABLES = SharpFlow.GraphKeys.METRIC_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.MODEL_VARIABLES"/>
            public const string MODEL_VARIABLES = SharpFlow.GraphKeys.MODEL_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.TRAINABLE_VARIABLES"/>
            public const string TRAINABLE_VARIABLES = SharpFlow.GraphKeys.TRAINABLE_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.SUMMARIES"/>
            public const string SUMMARIES = SharpFlow.GraphKeys.SUMMARIES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.QUEUE_RUNNERS"/>
            public const string QUEUE_RUNNERS = SharpFlow.GraphKeys.QUEUE_RUNNERS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.TABLE_INITIALIZERS"/>
            public const string TABLE_INITIALIZERS = SharpFlow.GraphKeys.TABLE_INITIALIZERS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.ASSET_FILEPATHS"/>
            public const string ASSET_FILEPATHS = SharpFlow.GraphKeys.ASSET_FILEPATHS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.MOVING_AVERAGE_VARIABLES"/>
            public const string MOVING_AVERAGE_VARIABLES = SharpFlow.GraphKeys.MOVING_AVERAGE_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.REGULARIZATION_LOSSES"/>
            public const string REGULARIZATION_LOSSES = SharpFlow.GraphKeys.REGULARIZATION_LOSSES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.CONCATENATED_VARIABLES"/>
            public const string CONCATENATED_VARIABLES = SharpFlow.GraphKeys.CONCATENATED_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.SAVERS"/>
            public const string SAVERS = SharpFlow.GraphKeys.SAVERS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.WEIGHTS"/>
            public const string WEIGHTS = SharpFlow.GraphKeys.WEIGHTS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.BIASES"/>
            public const string BIASES = SharpFlow.GraphKeys.BIASES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.ACTIVATIONS"/>
            public const string ACTIVATIONS = SharpFlow.GraphKeys.ACTIVATIONS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.UPDATE_OPS"/>
            public const string UPDATE_OPS = SharpFlow.GraphKeys.UPDATE_OPS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.LOSSES"/>
            public const string LOSSES = SharpFlow.GraphKeys.LOSSES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.SAVEABLE_OBJECTS"/>
            public const string SAVEABLE_OBJECTS = SharpFlow.GraphKeys.SAVEABLE_OBJECTS;
            /// <inheritdoc cref="SharpFlow.GraphKeys.RESOURCES"/>
            public const string RESOURCES = SharpFlow.GraphKeys.RESOURCES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.LOCAL_RESOURCES"/>
            public const string LOCAL_RESOURCES = SharpFlow.GraphKeys.LOCAL_RESOURCES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.TRAINABLE_RESOURCE_VARIABLES"/>
            public const string TRAINABLE_RESOURCE_VARIABLES = SharpFlow.GraphKeys.TRAINABLE_RESOURCE_VARIABLES;
            /// <inheritdoc cref="SharpFlow.GraphKeys.INIT_OP"/>
            public const string INIT_OP = SharpFlow.GraphKeys.INIT_OP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.LOCAL_INIT_OP"/>
            public const string LOCAL_INIT_OP = SharpFlow.GraphKeys.LOCAL_INIT_OP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.READY_OP"/>
            public const string READY_OP = SharpFlow.GraphKeys.READY_OP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.READY_FOR_LOCAL_INIT_OP"/>
            public const string READY_FOR_LOCAL_INIT_OP = SharpFlow.GraphKeys.READY_FOR_LOCAL_INIT_OP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.SUMMARY_OP"/>
            public const string SUMMARY_OP = SharpFlow.GraphKeys.SUMMARY_OP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.GLOBAL_STEP"/>
            public const string GLOBAL_STEP = SharpFlow.GraphKeys.GLOBAL_STEP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.EVAL_STEP"/>
            public const string EVAL_STEP = SharpFlow.GraphKeys.EVAL_STEP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.TRAIN_OP"/>
            public const string TRAIN_OP = SharpFlow.GraphKeys.TRAIN_OP;
            /// <inheritdoc cref="SharpFlow.GraphKeys.COND_CONTEXT"/>
            public const string COND_CONTEXT = SharpFlow.GraphKeys.COND_CONTEXT;
            /// <inheritdoc cref="SharpFlow.GraphKeys.WHILE_CONTEXT"/>
            public const string WHILE_CONTEXT = SharpFlow.GraphKeys.WHILE_CONTEXT;
        }

        /// <summary>Appends a value to a collection of the default graph.</summary>
        public static void add_to_collection(string name, object value) => SharpFlow.Graph.get_default().add_to_collection(name, value);

        /// <summary>Appends a value to several collections of the default graph.</summary>
        public static void add_to_collections(IEnumerable<string> names, object value) => SharpFlow.Graph.get_default().add_to_collections(names, value);

        /// <summary>A copy of a collection of the default graph, optionally filtered by a name-scope regex.</summary>
        public static List<object> get_collection(string key, string? scope = null) => SharpFlow.Graph.get_default().get_collection(key, scope);

        /// <summary>The items of a collection that are of type <typeparamref name="T"/> (<c>tf.get_collection&lt;Tensor&gt;("losses")</c>).</summary>
        public static List<T> get_collection<T>(string key, string? scope = null) => Functions.GraphFunctions.GetCollection<T>(key, scope);

        /// <summary>The collection's own list.</summary>
        public static List<object> get_collection_ref(string key) => SharpFlow.Graph.get_default().get_collection_ref(key);

        // ----- sessions -----

        /// <summary>A session on <paramref name="graph"/> (the default graph when null).</summary>
        public static Session Session(Graph? graph = null) => new(graph);

        /// <summary>A session that makes itself the default one, for <c>t.eval()</c> in scripts.</summary>
        public static Session InteractiveSession(Graph? graph = null)
        {
            var session = new Session(graph);
            session.BecomeDefaultUntilClosed();
            return session;
        }

        /// <summary>The thread's default session, or null.</summary>
        public static Session? get_default_session() => SharpFlow.Session.get_default();

        // ----- placeholders -----

        /// <summary>A value to be fed at run time; unknown dimensions are -1, a null shape accepts any shape.</summary>
        public static Tensor placeholder(DType dtype, Shape? shape = null, string? name = null) => Ops.ArrayOps.Placeholder.Build(dtype, shape, name);

        /// <summary>Passes <paramref name="input"/> through unless fed.</summary>
        public static Tensor placeholder_with_default(TensorLike input, Shape shape, string? name = null) =>
            Ops.ArrayOps.PlaceholderWithDefault.Build(input, shape, name);

        // ----- variables -----

        /// <summary>
        /// A variable with an initial value (a tensor, a number, an array): <c>tf.Variable(tf.random_normal((2, 3)))</c>.
        /// </summary>
        public static Variable Variable(TensorLike initial_value, bool trainable = true, IEnumerable<string>? collections = null,
            bool validate_shape = true, string? name = null, DType? dtype = null) =>
            SharpFlow.Variable.Create(initial_value, null, trainable, collections, validate_shape, name, dtype);

        /// <summary>The variables of the default graph (<c>GLOBAL_VARIABLES</c>), optionally filtered by scope.</summary>
        public static List<Variable> global_variables(string? scope = null) => get_collection<Variable>(SharpFlow.GraphKeys.GLOBAL_VARIABLES, scope);

        /// <summary>The trainable variables of the default graph.</summary>
        public static List<Variable> trainable_variables(string? scope = null) => get_collection<Variable>(SharpFlow.GraphKeys.TRAINABLE_VARIABLES, scope);

        /// <summary>
        /// The variables an <c>ExponentialMovingAverage.apply</c> keeps averages of (<c>MOVING_AVERAGE_VARIABLES</c>),
        /// optionally filtered by scope: <c>tf.moving_average_variables()</c>.
        /// </summary>
        public static List<Variable> moving_average_variables(string? scope = null) => get_collection<Variable>(SharpFlow.GraphKeys.MOVING_AVERAGE_VARIABLES, scope);

        /// <summary>The local variables of the default graph.</summary>
        public static List<Variable> local_variables(string? scope = null) => get_collection<Variable>(SharpFlow.GraphKeys.LOCAL_VARIABLES, scope);

        /// <summary>An op that runs the initializers of <paramref name="var_list"/> (a NoOp when the list is empty).</summary>
        public static Operation variables_initializer(IEnumerable<Variable> var_list, string name = "init")
        {
            ArgumentNullException.ThrowIfNull(var_list);
            var list = var_list.ToList();
            return list.Count == 0 ? NoOp.Build(name) : NoOp.Group(list.Select(v => (ITensorOrOperation)v.initializer), name);
        }

        /// <summary>An op that initializes every global variable (named <c>init</c>).</summary>
        public static Operation global_variables_initializer() => variables_initializer(global_variables());

        /// <summary>An op that initializes every local variable.</summary>
        public static Operation local_variables_initializer() => variables_initializer(local_variables(), "init");

        /// <summary>Whether <paramref name="variable"/> is initialized in the running session.</summary>
        public static Tensor is_variable_initialized(Variable variable) => IsVariableInitialized.Build(variable);

        /// <summary>Enters a variable scope by name: <c>using (tf.variable_scope("layer1")) { ... }</c>.</summary>
        public static VariableScopeContext variable_scope(string? name_or_scope, string? default_name = null, Reuse? reuse = null,
            Initializer? initializer = null, DType? dtype = null, bool auxiliary_name_scope = true) =>
            VariableScopes.Enter(name_or_scope, default_name, reuse, initializer, dtype, auxiliary_name_scope);

        /// <summary>Re-enters a captured variable scope.</summary>
        public static VariableScopeContext variable_scope(VariableScope scope, Reuse? reuse = null, Initializer? initializer = null,
            DType? dtype = null, bool auxiliary_name_scope = true) =>
            VariableScopes.Enter(scope, reuse, initializer, dtype, auxiliary_name_scope);

        /// <summary>The current variable scope.</summary>
        public static VariableScope get_variable_scope() => VariableScopes.Current(SharpFlow.Graph.get_default());

        /// <summary>
        /// Gets an existing variable or creates a new one named <c>scope/name</c>, following the scope's reuse
        /// rule; new float variables default to glorot_uniform, integer and bool ones to zeros.
        /// </summary>
        public static Variable get_variable(string name, Shape? shape = null, DType? dtype = null, Initializer? initializer = null,
            bool? trainable = null, IEnumerable<string>? collections = null, bool validate_shape = true, Functions.Regularizer? regularizer = null) =>
            VariableScopes.GetVariable(name, shape, dtype, initializer, trainable, collections, validate_shape,
                regularizer is null ? null : w => regularizer(w));

        /// <summary>Assigns a value to a variable.</summary>
        public static Tensor assign(Variable @ref, TensorLike value, bool validate_shape = true, bool use_locking = true, string? name = null) =>
            Assign.Build(@ref, value, validate_shape, use_locking, name);

        /// <summary>Adds to a variable.</summary>
        public static Tensor assign_add(Variable @ref, TensorLike value, bool use_locking = false, string? name = null) =>
            AssignAdd.Build(@ref, value, use_locking, name);

        /// <summary>Subtracts from a variable.</summary>
        public static Tensor assign_sub(Variable @ref, TensorLike value, bool use_locking = false, string? name = null) =>
            AssignSub.Build(@ref, value, use_locking, name);
    }
}
