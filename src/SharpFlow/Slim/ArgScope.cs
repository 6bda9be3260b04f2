using System.Collections;
using System.Reflection;
using SharpFlow.Functions;

namespace SharpFlow.Slim;

/// <summary>
/// The keyword arguments that an <c>arg_scope</c> gives to each slim function (TF-Slim's <c>current_arg_scope()</c>):
/// function name (<c>convolution2d</c>, <c>fully_connected</c>...) to argument name to value. What
/// <c>with slim.arg_scope(...) as sc</c> captures; <c>slim.arg_scope(sc)</c> re-enters it.
/// </summary>
public sealed class ArgScope
{
    internal ArgScope(Dictionary<string, Dictionary<string, object?>> scope) => Scope = scope;

    internal Dictionary<string, Dictionary<string, object?>> Scope { get; }

    /// <summary>The names of the functions the scope gives arguments to.</summary>
    public IEnumerable<string> Functions => Scope.Keys;

    /// <summary>The arguments given to the function named <paramref name="function"/> (empty when none).</summary>
    public IReadOnlyDictionary<string, object?> this[string function] =>
        Scope.TryGetValue(function, out var args) ? args : new Dictionary<string, object?>();
}

/// <summary>What <c>slim.arg_scope(...)</c> returns: dispose it to leave the scope.</summary>
public sealed class ArgScopeContext : IDisposable
{
    private bool _left;

    internal ArgScopeContext(ArgScope scope) => this.scope = scope;

    /// <summary>The scope entered (the <c>sc</c> of <c>with slim.arg_scope(...) as sc</c>).</summary>
    public ArgScope scope { get; }

    /// <summary>The entered scope.</summary>
    public static implicit operator ArgScope(ArgScopeContext context) => (context ?? throw new ArgumentNullException(nameof(context))).scope;

    /// <summary>Leaves the scope.</summary>
    public void Dispose()
    {
        if (_left) return;
        _left = true;
        ArgScopes.Pop(scope);
    }
}

/// <summary>
/// Python's <c>None</c> where a slim argument's C# default (null) means "not given, take the arg_scope's value or
/// TensorFlow's default": <c>activation_fn: slim.None</c> is TensorFlow's <c>activation_fn=None</c> (no activation),
/// and likewise for <c>normalizer_fn</c>, <c>biases_initializer</c>, <c>weights_regularizer</c> and
/// <c>updates_collections</c>.
/// </summary>
public sealed class NoneType
{
    private NoneType() { }

    internal static readonly NoneType Instance = new();
    internal static readonly Func<Tensor, Tensor> Activation = t => t;
    internal static readonly Func<Tensor, Tensor> NormalizerFn = t => t;
    internal static readonly Initializer Initializer = new Ops.Initializers.ZerosInitializer();
    internal static readonly Regularizer Regularizer = _ => null;
    internal static readonly string Collection = new(['<', 'N', 'o', 'n', 'e', '>']);

    /// <summary>No activation.</summary>
    public static implicit operator Func<Tensor, Tensor>(NoneType none) => Activation;
    /// <summary>No normalizer.</summary>
    public static implicit operator Delegate(NoneType none) => NormalizerFn;
    /// <summary>No initializer (no biases).</summary>
    public static implicit operator Initializer(NoneType none) => Initializer;
    /// <summary>No regularizer.</summary>
    public static implicit operator Regularizer(NoneType none) => Regularizer;
    /// <summary>No collection (batch_norm's updates run in place).</summary>
    public static implicit operator string(NoneType none) => Collection;

    /// <inheritdoc/>
    public override string ToString() => "None";

    internal static bool Is(object? value) => value is NoneType || ReferenceEquals(value, Activation) || ReferenceEquals(value, NormalizerFn)
        || ReferenceEquals(value, Initializer) || ReferenceEquals(value, Regularizer) || ReferenceEquals(value, Collection);
}

/// <summary>
/// TF-Slim's <c>arg_scope</c> stack and its <c>add_arg_scope</c> functions: each slim layer is a delegate registered
/// here by its Python name, and when it runs, the arguments its caller left out (null) come from the innermost
/// arg_scope that names it, then from TensorFlow's defaults. An arg_scope value the function does not take is
/// the same error Python gives when it calls the function.
/// </summary>
internal static class ArgScopes
{
    [ThreadStatic] private static List<ArgScope>? _stack;
    private static readonly Dictionary<Delegate, string> Names = new(ReferenceEqualityComparer.Instance);
    private static readonly Dictionary<string, HashSet<string>> Parameters = [];
    private static readonly Lock Sync = new();

    private static List<ArgScope> Stack => _stack ??= [];

    /// <summary>Registers a slim function (<c>@add_arg_scope</c>).</summary>
    public static T Register<T>(string name, T function) where T : Delegate
    {
        lock (Sync)
        {
            Names[function] = name;
            Parameters[name] = [.. typeof(T).GetMethod("Invoke")!.GetParameters().Select(p => p.Name!)];
        }
        return function;
    }

    public static string NameOf(Delegate op)
    {
        lock (Sync)
            return Names.TryGetValue(op, out var n) ? n : throw new ValueError($"{op.Method.Name} is not decorated with @add_arg_scope");
    }

    public static bool IsRegistered(Delegate op)
    {
        lock (Sync) return Names.ContainsKey(op);
    }

    /// <summary>The current scope (empty outside any arg_scope).</summary>
    public static ArgScope Current => Stack.Count > 0 ? Stack[^1] : new ArgScope([]);

    /// <summary><c>slim.arg_scope(list_ops, **kwargs)</c>: the arguments that are not null, and those of <paramref name="kwargs"/>, pushed for the listed functions.</summary>
    public static ArgScopeContext Enter(IEnumerable<Delegate> list_ops_or_scope, Func<Tensor, Tensor>? activation_fn = null,
        Delegate? normalizer_fn = null, IReadOnlyDictionary<string, object?>? normalizer_params = null, Initializer? weights_initializer = null,
        Regularizer? weights_regularizer = null, Initializer? biases_initializer = null, Regularizer? biases_regularizer = null,
        string? padding = null, Size2D? stride = null, string? data_format = null, TensorLike? is_training = null, double? keep_prob = null,
        double? decay = null, double? epsilon = null, bool? center = null, bool? scale = null, string? updates_collections = null,
        object? variables_collections = null, object? outputs_collections = null, bool? trainable = null, bool? fused = null,
        Reuse? reuse = null, IReadOnlyDictionary<string, object?>? kwargs = null)
    {
        var args = new Dictionary<string, object?>();
        void Put(string name, object? value)
        {
            if (value is not null) args[name] = value;
        }
        Put("activation_fn", activation_fn);
        Put("normalizer_fn", normalizer_fn);
        Put("normalizer_params", normalizer_params);
        Put("weights_initializer", weights_initializer);
        Put("weights_regularizer", weights_regularizer);
        Put("biases_initializer", biases_initializer);
        Put("biases_regularizer", biases_regularizer);
        Put("padding", padding);
        Put("stride", stride);
        Put("data_format", data_format);
        Put("is_training", is_training);
        Put("keep_prob", keep_prob);
        Put("decay", decay);
        Put("epsilon", epsilon);
        Put("center", center);
        Put("scale", scale);
        Put("updates_collections", updates_collections);
        Put("variables_collections", variables_collections);
        Put("outputs_collections", outputs_collections);
        Put("trainable", trainable);
        Put("fused", fused);
        Put("reuse", reuse);
        if (kwargs is not null) foreach (var (k, v) in kwargs) args[k] = v;
        return ArgScopes.Push(list_ops_or_scope, args);
    }

    /// <summary>Enters an arg_scope giving <paramref name="kwargs"/> to each of <paramref name="ops"/>.</summary>
    public static ArgScopeContext Push(IEnumerable<Delegate> ops, IReadOnlyDictionary<string, object?> kwargs)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var current = Current.Scope.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var op in ops)
        {
            var key = NameOf(op);
            var args = current.TryGetValue(key, out var existing) ? new Dictionary<string, object?>(existing) : [];
            foreach (var (k, v) in kwargs) args[k] = v;
            current[key] = args;
        }
        var scope = new ArgScope(current);
        Stack.Add(scope);
        return new ArgScopeContext(scope);
    }

    /// <summary>Re-enters a captured scope (it replaces the current one, as in Python).</summary>
    public static ArgScopeContext Push(ArgScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var copy = new ArgScope(scope.Scope);
        Stack.Add(copy);
        return new ArgScopeContext(copy);
    }

    public static void Pop(ArgScope scope)
    {
        var stack = Stack;
        var i = stack.LastIndexOf(scope);
        if (i >= 0) stack.RemoveRange(i, stack.Count - i);
    }

    /// <summary>The arguments the current arg_scope gives <paramref name="function"/>, checked against its parameters.</summary>
    public static Args For(string function)
    {
        var given = Current.Scope.TryGetValue(function, out var a) ? a : null;
        if (given is not null)
        {
            HashSet<string> known;
            lock (Sync) known = Parameters[function];
            foreach (var k in given.Keys)
                if (!known.Contains(k)) throw new TypeError($"{function}() got an unexpected keyword argument '{k}'");
        }
        return new Args(given);
    }

    /// <summary>The arg_scope's arguments of one call.</summary>
    internal readonly struct Args(Dictionary<string, object?>? given)
    {
        /// <summary>The explicit value, else the arg_scope's, else <paramref name="fallback"/>; Python's None gives null.</summary>
        public T? Get<T>(object? explicitValue, string name, T? fallback)
        {
            var value = explicitValue ?? (given is not null && given.TryGetValue(name, out var v) ? v : null);
            if (value is null) return fallback;
            if (NoneType.Is(value)) return default;
            return Kwargs.ConvertTo<T>(value, name);
        }

        /// <summary>A value type argument: explicit, arg_scope, default.</summary>
        public T Value<T>(T? explicitValue, string name, T fallback) where T : struct
        {
            if (explicitValue is { } e) return e;
            if (given is not null && given.TryGetValue(name, out var v) && v is not null && !NoneType.Is(v)) return Kwargs.ConvertTo<T>(v, name);
            return fallback;
        }
    }
}

/// <summary>Python's keyword-argument calls of slim functions (normalizer_params, repeat and stack arguments).</summary>
internal static class Kwargs
{
    public static T ConvertTo<T>(object value, string name)
    {
        if (value is T t) return t;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert(value, target, name)!;
    }

    public static object? Convert(object? value, Type type, string name)
    {
        if (value is null) return null;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsInstanceOfType(value)) return value;
        if (value is NoneType none)
        {
            var op = typeof(NoneType).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .FirstOrDefault(m => m.Name == "op_Implicit" && target.IsAssignableFrom(m.ReturnType));
            if (op is not null) return op.Invoke(null, [none]);
        }
        if (value is IConvertible && target.IsPrimitive) return System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var holder in new[] { target, value.GetType() })
        {
            var op = holder.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .FirstOrDefault(m => m.Name == "op_Implicit" && m.ReturnType == target && m.GetParameters()[0].ParameterType.IsInstanceOfType(value));
            if (op is not null) return op.Invoke(null, [value]);
        }
        if (target == typeof(IEnumerable<string>) && value is string s) return new[] { s };
        throw new TypeError($"argument '{name}' must be {target.Name}, got {value.GetType().Name}: {value}");
    }

    /// <summary>Calls <paramref name="function"/> with positional arguments and keyword arguments, as Python does.</summary>
    public static object? Invoke(Delegate function, IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?>? kwargs, string functionName)
    {
        ArgumentNullException.ThrowIfNull(function);
        var parameters = function.GetType().GetMethod("Invoke")!.GetParameters();
        if (positional.Count > parameters.Length)
            throw new TypeError($"{functionName}() takes {parameters.Length} positional arguments but {positional.Count} were given");
        var args = new object?[parameters.Length];
        var set = new bool[parameters.Length];
        for (var i = 0; i < positional.Count; i++)
        {
            args[i] = Convert(positional[i], parameters[i].ParameterType, parameters[i].Name!);
            set[i] = true;
        }
        if (kwargs is not null)
        {
            foreach (var (k, v) in kwargs)
            {
                var i = Array.FindIndex(parameters, p => p.Name == k);
                if (i < 0) throw new TypeError($"{functionName}() got an unexpected keyword argument '{k}'");
                if (set[i]) throw new TypeError($"{functionName}() got multiple values for argument '{k}'");
                args[i] = Convert(v, parameters[i].ParameterType, k);
                set[i] = true;
            }
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            if (set[i]) continue;
            if (!parameters[i].HasDefaultValue)
                throw new TypeError($"{functionName}() missing required positional argument: '{parameters[i].Name}'");
            args[i] = parameters[i].DefaultValue is DBNull ? null : parameters[i].DefaultValue;
        }
        try
        {
            return function.DynamicInvoke(args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The variables_collections argument's collections for one variable (a list, or a dict by variable name).</summary>
    public static List<string> Collections(object? collections, string variable)
    {
        switch (collections)
        {
            case null: return [];
            case string s: return NoneType.Is(s) ? [] : [s];
            case IDictionary dict:
                return dict.Contains(variable) ? Collections(dict[variable], variable) : [];
            case IEnumerable<string> list: return [.. list];
            default: throw new TypeError($"variables_collections must be a list or a dict of lists, got {collections.GetType().Name}");
        }
    }
}
