using SharpFlow.Ops.Initializers;

namespace SharpFlow.Ops.State;

/// <summary>
/// <c>tf.variable_scope</c> and <c>tf.get_variable</c> with TensorFlow 1.x's rules: variable names depend only on
/// variable scopes (<c>scope/name</c>), never on name scopes; <c>reuse=true</c> is inherited by sub-scopes and
/// cannot be turned off inside them (<c>false</c> means "inherit"); <c>tf.AUTO_REUSE</c> gets or creates. The
/// per-graph state (the current scope, the variables made by <c>get_variable</c>, the counts used to make
/// <c>default_name</c> scopes unique) is build-time state kept with the graph.
/// </summary>
internal static class VariableScopes
{
    /// <summary>The build-time state of one graph.</summary>
    internal sealed class State
    {
        public VariableScope Current { get; set; } = new(Reuse.False, "", "", null, null);
        public Dictionary<string, Variable> Variables { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> ScopeCounts { get; } = new(StringComparer.Ordinal);
    }

    public static VariableScope Current(Graph graph) => graph.BuilderState<State>().Current;

    /// <summary>Enters a variable scope by name (or by <paramref name="defaultName"/> made unique).</summary>
    public static VariableScopeContext Enter(string? nameOrScope, string? defaultName = null, Reuse? reuse = null, Initializer? initializer = null, DType? dtype = null, bool auxiliaryNameScope = true)
    {
        var graph = Graph.get_default();
        var state = graph.BuilderState<State>();
        if (nameOrScope is null && defaultName is null)
            throw new TypeError("If default_name is None then name_or_scope is required");
        var requested = reuse is { IsSet: true } r ? r : (Reuse?)null; // reuse=False means "inherit"
        var parent = state.Current;

        string relative;
        if (nameOrScope is null)
        {
            if (requested is not null) throw new ValueError("reuse=True cannot be used without a name_or_scope");
            relative = UniqueScopeName(state, parent, defaultName!);
        }
        else relative = nameOrScope;

        var fullName = parent.name.Length > 0 ? parent.name + "/" + relative : relative;
        IDisposable? nameScope = null;
        var nameScopeText = graph.get_name_scope();
        if (auxiliaryNameScope)
        {
            nameScope = graph.name_scope(nameOrScope ?? defaultName, out var opened);
            nameScopeText = opened;
        }
        else if (nameScopeText.Length > 0) nameScopeText += "/";

        var scope = new VariableScope(requested ?? parent.reuse, fullName, nameScopeText,
            initializer ?? parent.initializer, dtype ?? parent.dtype);
        state.ScopeCounts[fullName] = state.ScopeCounts.GetValueOrDefault(fullName) + 1;
        state.Current = scope;
        return new VariableScopeContext(scope, () =>
        {
            state.Current = parent;
            // Leaving a scope makes its sub-scopes' default names available again, as TensorFlow does.
            foreach (var key in state.ScopeCounts.Keys.Where(k => k.StartsWith(fullName + "/", StringComparison.Ordinal)).ToList())
                state.ScopeCounts[key] = 0;
            nameScope?.Dispose();
        });
    }

    /// <summary>Re-enters a captured scope: its name and reuse, under a new (unique) name scope.</summary>
    public static VariableScopeContext Enter(VariableScope captured, Reuse? reuse = null, Initializer? initializer = null, DType? dtype = null, bool auxiliaryNameScope = true)
    {
        ArgumentNullException.ThrowIfNull(captured);
        var graph = Graph.get_default();
        var state = graph.BuilderState<State>();
        var parent = state.Current;
        IDisposable? nameScope = null;
        if (auxiliaryNameScope)
        {
            var last = captured.name.Split('/')[^1];
            nameScope = graph.name_scope(last.Length > 0 ? last : null);
        }
        var requested = reuse is { IsSet: true } r ? r : (Reuse?)null;
        var scope = new VariableScope(requested ?? captured.reuse, captured.name, captured.original_name_scope,
            initializer ?? captured.initializer, dtype ?? captured.dtype);
        state.Current = scope;
        return new VariableScopeContext(scope, () =>
        {
            state.Current = parent;
            nameScope?.Dispose();
        });
    }

    private static string UniqueScopeName(State state, VariableScope parent, string prefix)
    {
        string Full(string n) => parent.name.Length > 0 ? parent.name + "/" + n : n;
        if (state.ScopeCounts.GetValueOrDefault(Full(prefix)) == 0) return prefix;
        for (var i = 1; ; i++)
        {
            var candidate = $"{prefix}_{i}";
            if (state.ScopeCounts.GetValueOrDefault(Full(candidate)) == 0) return candidate;
        }
    }

    /// <summary><c>tf.get_variable</c>: an existing variable (when the scope reuses) or a new one.</summary>
    public static Variable GetVariable(string name, Shape? shape, DType? dtype, Initializer? initializer, bool? trainable,
        IEnumerable<string>? collections, bool validateShape, Func<Tensor, Tensor?>? regularizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var graph = Graph.get_default();
        var state = graph.BuilderState<State>();
        var scope = state.Current;
        var fullName = scope.name.Length > 0 ? scope.name + "/" + name : name;
        initializer ??= scope.initializer;
        var fromValue = initializer as ValueInitializer;
        if (fromValue is not null && shape is not null)
            throw new ValueError("If initializer is a constant, do not specify shape.");

        if (state.Variables.TryGetValue(fullName, out var found))
        {
            if (!scope.reuse.IsSet)
                throw new ValueError($"Variable {fullName} already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?");
            if (shape is not null && !shape.IsCompatibleWith(found.shape))
                throw new ValueError($"Trying to share variable {fullName}, but specified shape {shape} and found shape {found.shape}.");
            if (dtype is { } d && d != found.dtype)
                throw new ValueError($"Trying to share variable {fullName}, but specified dtype {d.name} and found dtype {found.dtype.name}.");
            return found;
        }
        if (scope.reuse.IsTrue)
            throw new ValueError($"Variable {fullName} does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?");

        var type = dtype ?? (fromValue is not null ? fromValue.ValueDType : scope.dtype ?? DType.float32);
        if (fromValue is not null) shape = fromValue.ValueShape;
        else if (shape is null || !shape.IsFullyDefined)
            throw new ValueError($"Shape of a new variable ({fullName}) must be fully defined, but instead was {(shape ?? Shape.Unknown)}.");
        if (initializer is null)
        {
            if (type.is_floating) initializer = new GlorotUniformInitializer();
            else if (type.is_integer || type == DType.@bool) initializer = new ZerosInitializer();
            else throw new ValueError($"An initializer for variable {fullName} of {type.name} is required");
        }

        var init = initializer;
        var fixedShape = shape;
        Variable variable;
        // Variable names depend only on variable scopes: create it from the root name scope.
        using (graph.name_scope(null))
            variable = Variable.Create(null, () => init.Call(fixedShape, type), trainable ?? true, collections, validateShape, fullName, type);
        state.Variables[fullName] = variable;
        if (regularizer is not null)
        {
            // TensorFlow applies the regularizer to new variables only, in the exact scope "name/Regularizer/".
            using var _ = graph.name_scope(null);
            using var __ = graph.name_scope(fullName + "/Regularizer/");
            if (regularizer(variable) is { } loss) graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss);
        }
        return variable;
    }
}
