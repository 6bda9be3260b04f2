using System.Text.RegularExpressions;
using SharpFlow.Framework;

namespace SharpFlow;

/// <summary>
/// A TensorFlow computation graph: operations and the tensors flowing between them, with unique names, name
/// scopes, control-dependency scopes and collections. A graph holds no run-time values: sessions do, so one graph
/// can serve several sessions at once.
/// </summary>
/// <remarks>
/// A default graph always exists (<c>tf.get_default_graph()</c>); <c>using (g.as_default())</c> makes another graph
/// the default for the current thread. Several threads may build into one graph: adding ops is serialised, and
/// name scopes and control-dependency scopes are per thread, as in TensorFlow.
/// </remarks>
public sealed partial class Graph
{
    private static readonly object GlobalLock = new();
    private static Graph? _globalDefault;
    [ThreadStatic] private static Stack<Graph>? _defaultStack;

    private readonly object _lock = new();
    private readonly List<Operation> _operations = [];
    private readonly Dictionary<string, Operation> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _namesInUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<object>> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, object> _builderState = [];
    // As in TensorFlow, the name scope and the control-dependency scopes belong to the thread that opened them,
    // so threads building into one graph do not see each other's scopes. Weak keys: a graph's per-thread state
    // goes away with the graph.
    [ThreadStatic] private static System.Runtime.CompilerServices.ConditionalWeakTable<Graph, ThreadState>? _threadStates;

    private sealed class ThreadState
    {
        public string NameStack = "";
        public readonly List<ControlDependencyScope> ControlStack = [];
        public ControlFlowContext? ControlFlowContext;
        public string Device = "";
    }

    private ThreadState Local => (_threadStates ??= []).GetValue(this, _ => new ThreadState());

    private string _nameStack
    {
        get => Local.NameStack;
        set => Local.NameStack = value;
    }

    private List<ControlDependencyScope> _controlStack => Local.ControlStack;

    /// <summary>The graph-level random seed (<c>tf.set_random_seed</c>); null when unset.</summary>
    public int? seed { get; set; }

    /// <summary>True once <see cref="finalize"/> was called: no more ops can be added.</summary>
    public bool finalized { get; private set; }

    /// <summary>Number of ops created so far; TensorFlow's <c>_last_id</c> (the id of the newest op).</summary>
    public int LastId
    {
        get { lock (_lock) return _operations.Count; }
    }

    /// <summary>Incremented each time an op is added (TensorFlow's <c>version</c>).</summary>
    public int version => LastId;

    // ----- default graph -----

    /// <summary>The current default graph of this thread.</summary>
    public static Graph get_default()
    {
        var stack = _defaultStack;
        if (stack is { Count: > 0 }) return stack.Peek();
        lock (GlobalLock) return _globalDefault ??= new Graph();
    }

    /// <summary>
    /// Makes this graph the default for the current thread until the returned scope is disposed:
    /// <c>using (g.as_default()) { ... }</c>.
    /// </summary>
    public IDisposable as_default()
    {
        var stack = _defaultStack ??= new Stack<Graph>();
        stack.Push(this);
        return new Scope(() =>
        {
            if (stack.Count == 0 || !ReferenceEquals(stack.Peek(), this))
                throw new InvalidOperationException("Graph.as_default() scopes must be disposed in the reverse order they were opened.");
            stack.Pop();
        });
    }

    /// <summary>
    /// Replaces the global default graph with a new, empty one (<c>tf.reset_default_graph()</c>). Not allowed while
    /// a graph is made default with <see cref="as_default"/> on this thread.
    /// </summary>
    public static void ResetDefault()
    {
        if (_defaultStack is { Count: > 0 })
            throw new InvalidOperationException("Do not use tf.reset_default_graph() to clear nested graphs. " +
                                                "If you need a cleared graph, exit the nesting and create a new graph.");
        lock (GlobalLock) _globalDefault = new Graph();
    }

    // ----- names -----

    private static readonly Regex ValidOpName = ValidOpNameRegex();
    private static readonly Regex ValidScopeName = ValidScopeNameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")]
    private static partial Regex ValidOpNameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-/>]*$")]
    private static partial Regex ValidScopeNameRegex();

    /// <summary>
    /// A name not yet used in this graph, under the current name scope: <c>add</c>, then <c>add_1</c>, ...
    /// Names are compared case-insensitively, as TensorFlow does.
    /// </summary>
    public string unique_name(string name, bool mark_as_used = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (_nameStack.Length > 0) name = _nameStack + "/" + name;
            var key = name.ToLowerInvariant();
            _namesInUse.TryGetValue(key, out var i);
            if (mark_as_used) _namesInUse[key] = i + 1;
            if (i > 0)
            {
                var baseKey = key;
                while (_namesInUse.ContainsKey(key))
                {
                    key = $"{baseKey}_{i}";
                    i++;
                }
                if (mark_as_used) _namesInUse[key] = 1;
                name = $"{name}_{i - 1}";
            }
            return name;
        }
    }

    /// <summary>The current name scope, without a trailing slash (<c>""</c> at the root).</summary>
    public string get_name_scope() => _nameStack;

    /// <summary>
    /// Opens a name scope (TensorFlow's <c>Graph.name_scope</c>): <c>"foo"</c> becomes a unique <c>foo</c> or
    /// <c>foo_1</c> scope; a name ending in <c>/</c> re-enters that exact scope; null or empty returns to the root.
    /// </summary>
    /// <param name="name">The scope name.</param>
    /// <param name="scopeName">The full scope entered, with a trailing slash (empty at the root).</param>
    public IDisposable name_scope(string? name, out string scopeName)
    {
        if (!string.IsNullOrEmpty(name))
        {
            var regex = _nameStack.Length > 0 ? ValidScopeName : ValidOpName;
            if (!regex.IsMatch(name)) throw new ValueError($"'{name}' is not a valid scope name");
        }
        var old = _nameStack;
        string newStack;
        if (string.IsNullOrEmpty(name)) newStack = "";
        else if (name.EndsWith('/')) newStack = name[..^1];
        else newStack = unique_name(name);
        _nameStack = newStack;
        scopeName = newStack.Length == 0 ? "" : newStack + "/";
        return new Scope(() => _nameStack = old);
    }

    /// <summary>Opens a name scope; see <see cref="name_scope(string?, out string)"/>.</summary>
    public IDisposable name_scope(string? name) => name_scope(name, out _);

    /// <summary>
    /// Opens a device scope (TensorFlow's <c>Graph.device</c>): ops created inside it on this thread record the
    /// canonical device string (<c>"/cpu:0"</c> becomes <c>/device:CPU:0</c>); an inner scope overrides the parts
    /// it names of an outer one, and null or <c>""</c> clears the device.
    /// </summary>
    public IDisposable device(string? device_name_or_function)
    {
        var canonical = DeviceSpec.Canonical(device_name_or_function);
        var local = Local;
        var old = local.Device;
        local.Device = canonical.Length == 0 ? "" : DeviceSpec.Merge(old, canonical);
        return new Scope(() => local.Device = old);
    }

    /// <summary>The device of the innermost device scope open on this thread (<c>""</c> when none).</summary>
    internal string CurrentDevice => Local.Device;

    // ----- lookup -----

    /// <summary>All operations, in creation order.</summary>
    public IReadOnlyList<Operation> get_operations()
    {
        lock (_lock) return [.. _operations];
    }

    /// <summary>The operation with this name; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    public Operation get_operation_by_name(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
            return _byName.TryGetValue(name, out var op)
                ? op
                : throw new KeyNotFoundException($"The name '{name}' refers to an Operation not in the graph.");
    }

    /// <summary>The operation with this name, or null.</summary>
    internal Operation? FindOperation(string name)
    {
        lock (_lock) return _byName.GetValueOrDefault(name);
    }

    /// <summary>The tensor with this name (<c>op_name:index</c>).</summary>
    public Tensor get_tensor_by_name(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var colon = name.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(name.AsSpan(colon + 1), out var index))
            throw new ValueError($"The name '{name}' looks like an (invalid) Operation name, not a Tensor. Tensor names must be of the form \"<op_name>:<output_index>\".");
        var op = get_operation_by_name(name[..colon]);
        if (index < 0 || index >= op.outputs.Count)
            throw new KeyNotFoundException($"The name '{name}' refers to a Tensor which does not exist. The operation, '{op.name}', exists but only has {op.outputs.Count} outputs.");
        return op.outputs[index];
    }

    /// <summary>Prevents further changes; later op creation throws.</summary>
    public void finalize() => finalized = true;

    // ----- control-flow contexts -----

    /// <summary>
    /// The cond branch or while loop being built on this thread (TensorFlow's <c>_get_control_flow_context</c>), or
    /// null at the top level.
    /// </summary>
    internal ControlFlowContext? ControlFlowContext
    {
        get => Local.ControlFlowContext;
        set => Local.ControlFlowContext = value;
    }

    /// <summary>Makes <paramref name="context"/> current until the returned scope is disposed.</summary>
    internal IDisposable EnterContext(ControlFlowContext? context)
    {
        var saved = ControlFlowContext;
        ControlFlowContext = context;
        return new Scope(() => ControlFlowContext = saved);
    }

    // ----- op creation -----

    /// <summary>
    /// Adds an op: names it (a name ending in <c>/</c> is used as is, minus the slash; otherwise it is made
    /// unique), runs its shape rule, applies the active control dependencies and links its inputs.
    /// </summary>
    internal Operation CreateOp(OpDef def, string name, IReadOnlyList<Tensor> inputs,
        IReadOnlyDictionary<string, object>? attrs = null, IEnumerable<Operation>? controlInputs = null)
    {
        inputs = Densified(inputs);
        if (ControlFlowContext is not { } context) return CreateOpCore(null, def, name, inputs, attrs, controlInputs, scoped: true);
        // Inside a cond branch or a loop body, inputs from outside go through the context's Switch or Enter ops,
        // which are themselves created outside it.
        var mapped = inputs.ToArray();
        var control = controlInputs?.ToList() ?? [];
        foreach (var t in mapped)
            if (!ReferenceEquals(t.graph, this))
                throw new ValueError($"{def.Type} \"{name}\": input {t} is from a different graph; tensors of two graphs cannot be combined in one op.");
        foreach (var c in ControlInputsFor(mapped))
            if (!control.Contains(c)) control.Add(c);
        context.PrepareInputs(def, mapped, control);
        return CreateOpCore(context, def, name, mapped, attrs, control, scoped: false);
    }

    /// <summary>
    /// Adds an op to <paramref name="context"/> with its inputs as given: control-flow constructs create their own
    /// Switch, Enter, Merge and Exit ops this way.
    /// </summary>
    internal Operation CreateOpIn(ControlFlowContext? context, OpDef def, string name, IReadOnlyList<Tensor> inputs,
        IReadOnlyDictionary<string, object>? attrs = null, IEnumerable<Operation>? controlInputs = null) =>
        CreateOpCore(context, def, name, Densified(inputs), attrs, controlInputs, scoped: false);

    /// <summary>An <see cref="IndexedSlices"/> used as an op input becomes its dense tensor there, as TensorFlow converts it.</summary>
    private static IReadOnlyList<Tensor> Densified(IReadOnlyList<Tensor> inputs)
    {
        foreach (var t in inputs)
            if (t.IsIndexedSlices) return [.. inputs.Select(x => x.IsIndexedSlices ? x.AsInput() : x)];
        return inputs;
    }

    private Operation CreateOpCore(ControlFlowContext? context, OpDef def, string name, IReadOnlyList<Tensor> inputs,
        IReadOnlyDictionary<string, object>? attrs, IEnumerable<Operation>? controlInputs, bool scoped)
    {
        if (finalized) throw new InvalidOperationException("Graph is finalized and cannot be modified.");
        foreach (var t in inputs)
        {
            if (!ReferenceEquals(t.graph, this))
                throw new ValueError($"{def.Type} \"{name}\": input {t} is from a different graph; tensors of two graphs cannot be combined in one op.");
            if (t.dtype == DType.@string && !def.AcceptsStrings)
                throw new TypeError($"{def.Type} \"{name}\": string tensors are not supported (input {t}); strings flow only into summary ops, Identity and Reshape.");
        }

        lock (_lock)
        {
            var opName = name.EndsWith('/') ? name[..^1] : unique_name(name);
            if (!ValidOpName.IsMatch(opName)) throw new ValueError($"'{opName}' is not a valid node name");
            if (_byName.ContainsKey(opName)) throw new ValueError($"Duplicate node name in graph: '{opName}'");
            _namesInUse.TryAdd(opName.ToLowerInvariant(), 1);

            var attrCopy = attrs is null ? new Dictionary<string, object>(StringComparer.Ordinal) : new Dictionary<string, object>(attrs, StringComparer.Ordinal);
            foreach (var attr in def.Attrs)
                if (attrCopy.TryGetValue(attr.Name, out var value) && !attr.Accepts(value))
                    throw attr.WrongType(value, def.Type, opName, def);
            var ctx = new InferenceContext(def.Type, opName, inputs, attrCopy, def);
            def.InferShapes(ctx);
            for (var i = 0; i < ctx.Outputs.Count; i++)
                if (ctx.Outputs[i].Shape is { IsFullyDefined: true } shape && TensorLimits.Violation(shape, ctx.Outputs[i].DType) is { } violation)
                    throw new ValueError($"{def.Type} \"{opName}\": output {i} cannot be created: {violation}.");

            var control = new List<Operation>();
            if (controlInputs is not null)
                foreach (var c in controlInputs)
                {
                    if (!ReferenceEquals(c.graph, this))
                        throw new ValueError($"{def.Type} \"{opName}\": control input '{c.name}' is from a different graph.");
                    if (!control.Contains(c)) control.Add(c);
                }
            if (scoped)
                foreach (var c in ControlInputsFor(inputs))
                    if (!control.Contains(c)) control.Add(c);

            var op = new Operation(this, _operations.Count + 1, opName, def, [.. inputs], [.. control], attrCopy, ctx.Outputs) { Context = context, device = Local.Device };
            _operations.Add(op);
            _byName.Add(opName, op);
            foreach (var t in inputs) t.AddConsumer(op);
            foreach (var scope in _controlStack) scope.Created.Add(op);
            return op;
        }
    }

    // ----- control dependencies -----

    private List<Operation> ControlInputsFor(IReadOnlyList<Tensor> inputs)
    {
        var result = new List<Operation>();
        foreach (var scope in _controlStack)
        {
            if (scope.ControlInputs is null) continue;
            // An input created inside the same scope already depends on the scope's control inputs.
            var dominated = inputs.Any(t => scope.Created.Contains(t.op));
            if (dominated) continue;
            foreach (var c in scope.ControlInputs)
                if (!inputs.Any(t => ReferenceEquals(t.op, c))) result.Add(c);
        }
        return result;
    }

    /// <summary>
    /// Ops created until the scope is disposed run only after <paramref name="control_inputs"/>
    /// (<c>tf.control_dependencies</c>). Null clears the dependencies of enclosing scopes.
    /// </summary>
    public IDisposable control_dependencies(IEnumerable<ITensorOrOperation>? control_inputs)
    {
        List<Operation>? ops = null;
        var saved = new List<ControlDependencyScope>(_controlStack);
        if (control_inputs is null)
        {
            _controlStack.Clear();
        }
        else
        {
            ops = [];
            var current = new HashSet<Operation>(_controlStack.Where(s => s.ControlInputs is not null).SelectMany(s => s.ControlInputs!));
            foreach (var c in control_inputs)
            {
                if (c is null) throw new TypeError("Control input must be an Operation or a Tensor, got null.");
                var op = c.op;
                if (!ReferenceEquals(op.graph, this))
                    throw new ValueError($"Control input '{c.name}' is from a different graph.");
                if (current.Add(op)) ops.Add(op);
            }
        }
        var scope = new ControlDependencyScope(ops);
        _controlStack.Add(scope);
        return new Scope(() =>
        {
            _controlStack.Clear();
            _controlStack.AddRange(saved);
        });
    }

    private sealed class ControlDependencyScope(List<Operation>? controlInputs)
    {
        public List<Operation>? ControlInputs { get; } = controlInputs;
        public HashSet<Operation> Created { get; } = [];
    }

    // ----- collections -----

    /// <summary>Appends <paramref name="value"/> to the collection <paramref name="name"/>.</summary>
    public void add_to_collection(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (!_collections.TryGetValue(name, out var list)) _collections[name] = list = [];
            list.Add(value);
        }
    }

    /// <summary>Appends <paramref name="value"/> to each of the collections.</summary>
    public void add_to_collections(IEnumerable<string> names, object value)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var n in names.Distinct()) add_to_collection(n, value);
    }

    /// <summary>
    /// A copy of the collection's items; with <paramref name="scope"/>, only items whose <c>name</c> matches the
    /// regular expression at its start (items without a name are skipped), as TensorFlow filters.
    /// </summary>
    public List<object> get_collection(string name, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (!_collections.TryGetValue(name, out var list)) return [];
            if (scope is null) return [.. list];
            var regex = new Regex("^(?:" + scope + ")", RegexOptions.CultureInvariant);
            return list.Where(item => ItemName(item) is { } n && regex.IsMatch(n)).ToList();
        }
    }

    /// <summary>The collection's own list (created when missing), for callers that edit it in place.</summary>
    public List<object> get_collection_ref(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (!_collections.TryGetValue(name, out var list)) _collections[name] = list = [];
            return list;
        }
    }

    /// <summary>The names of all non-empty collections.</summary>
    public IReadOnlyList<string> get_all_collection_keys()
    {
        lock (_lock) return [.. _collections.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key)];
    }

    /// <summary>Removes the collection.</summary>
    public void clear_collection(string name)
    {
        lock (_lock) _collections.Remove(name);
    }

    private static string? ItemName(object item) => item switch
    {
        ITensorOrOperation t => t.name,
        INamed n => n.name,
        _ => null,
    };

    // ----- build-time state of graph-building helpers (variable scopes, ...) -----

    /// <summary>A per-graph object of type <typeparamref name="T"/> used while building (never at run time).</summary>
    internal T BuilderState<T>() where T : class, new()
    {
        lock (_lock)
        {
            if (!_builderState.TryGetValue(typeof(T), out var state)) _builderState[typeof(T)] = state = new T();
            return (T)state;
        }
    }

    /// <summary>Restores a saved state when disposed.</summary>
    internal sealed class Scope(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose()
        {
            _onDispose?.Invoke();
            _onDispose = null;
        }
    }
}

/// <summary>Anything with a TensorFlow-style name that collections can filter by scope.</summary>
public interface INamed
{
    /// <summary>The name.</summary>
    string name { get; }
}
