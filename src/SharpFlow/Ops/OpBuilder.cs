using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops;

/// <summary>
/// Builds one op the way TensorFlow's Python wrappers do (<c>with ops.name_scope(name, "Add", [x, y]) as name</c>):
/// it finds the graph of the inputs (refusing inputs of two graphs), opens a unique name scope for the op, converts
/// numbers and arrays to constants inside that scope (<c>add/y</c>), and finally creates the op with the scope's
/// name (<c>add</c>). Composite functions use the same scope for their inner ops (<c>random_normal/mul</c>).
/// </summary>
public sealed class OpBuilder : IDisposable
{
    private readonly IDisposable _graphScope;
    private readonly IDisposable _nameScope;

    private OpBuilder(Graph graph, string? name, string defaultName)
    {
        Graph = graph;
        _graphScope = graph.as_default();
        try
        {
            _nameScope = graph.name_scope(string.IsNullOrEmpty(name) ? defaultName : name, out var scope);
            Scope = scope;
        }
        catch
        {
            _graphScope.Dispose();
            throw;
        }
    }

    /// <summary>The graph the op goes into.</summary>
    public Graph Graph { get; }

    /// <summary>The op's scope with a trailing slash (<c>add/</c>); passing it as a name creates exactly that op name.</summary>
    public string Scope { get; }

    /// <summary>The op's name (<c>add</c>).</summary>
    public string Name => Scope.TrimEnd('/');

    /// <summary>Starts building an op whose inputs are <paramref name="inputs"/>.</summary>
    public static OpBuilder Begin(string? name, string defaultName, params ReadOnlySpan<TensorLike> inputs) =>
        new(GraphOf(inputs), name, defaultName);

    /// <summary>Starts building an op in a known graph.</summary>
    public static OpBuilder Begin(Graph graph, string? name, string defaultName) => new(graph, name, defaultName);

    /// <summary>The graph shared by the tensors among <paramref name="inputs"/>, or the default graph.</summary>
    public static Graph GraphOf(ReadOnlySpan<TensorLike> inputs)
    {
        // While a dataset function is traced, its graph takes every op, capturing the outer tensors it reads.
        if (FunctionCapture.Current is { } capture && ReferenceEquals(Graph.get_default(), capture.Graph)) return capture.Graph;
        Tensor? first = null;
        foreach (var input in inputs)
        {
            if (input.Value is not Tensor t) continue;
            if (first is null) first = t;
            else if (!ReferenceEquals(first.graph, t.graph))
                throw new ValueError($"{t} must be from the same graph as {first}.");
        }
        return first?.graph ?? Graph.get_default();
    }

    /// <summary>
    /// Converts one input: a tensor is checked (graph, dtype) and a variable stands for its value; anything else
    /// becomes a constant named <paramref name="argName"/> inside the op's scope.
    /// </summary>
    public Tensor Convert(TensorLike value, string argName, DType? dtype = null)
    {
        if (value.IsEmpty) throw new ArgumentNullException(argName, $"Input '{argName}' of '{Name}' is missing.");
        if (value.Value is Tensor t)
        {
            var input = t.AsInput();
            if (!ReferenceEquals(t.graph, Graph))
            {
                if (FunctionCapture.Current is { } capture && ReferenceEquals(capture.Graph, Graph)) input = capture.Capture(input);
                else throw new ValueError($"{t} must be from the same graph as the other inputs of '{Name}'.");
            }
            if (dtype is { } d && input.dtype != d)
                throw new ValueError($"Tensor conversion requested dtype {d.name} for Tensor with dtype {input.dtype.name}: {input}");
            return input;
        }
        return Const.Create(Graph, Literal.ToNDArray(value.Value, dtype), argName);
    }

    /// <summary>
    /// Converts inputs that share one type attribute (<c>T</c>): the first tensor's dtype wins (or
    /// <paramref name="preferred"/>, or the first value's default), every other input must have or take it.
    /// </summary>
    public Tensor[] SameType(string opType, ReadOnlySpan<TensorLike> values, ReadOnlySpan<string> argNames, DType? preferred = null)
    {
        DType? dtype = null;
        string? dtypeSource = null;
        for (var i = 0; i < values.Length; i++)
            if (values[i].Value is Tensor t)
            {
                dtype = t.AsInput().dtype;
                dtypeSource = argNames[i];
                break;
            }
        dtype ??= preferred;
        var result = new Tensor[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].Value is Tensor t && dtype is { } d && t.AsInput().dtype != d)
                throw new TypeError($"Input '{argNames[i]}' of '{opType}' Op has type {t.AsInput().dtype.name} that does not match type {d.name} of argument '{dtypeSource}'.");
            result[i] = Convert(values[i], argNames[i], dtype);
            dtype ??= result[i].dtype;
            dtypeSource ??= argNames[i];
        }
        return result;
    }

    /// <summary>Creates the op with this builder's name.</summary>
    public Operation Create(OpDef def, Tensor[] inputs, Dictionary<string, object>? attrs = null, IEnumerable<Operation>? controlInputs = null) =>
        Graph.CreateOp(def, Scope, inputs, attrs, controlInputs);

    /// <summary>Closes the name scope and restores the previous default graph.</summary>
    public void Dispose()
    {
        _nameScope.Dispose();
        _graphScope.Dispose();
    }
}
