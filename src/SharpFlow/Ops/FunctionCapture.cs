using SharpFlow.Framework;

namespace SharpFlow.Ops;

/// <summary>
/// The function graph being traced on this thread (a <c>Dataset.map</c> function, as TensorFlow's FuncGraph):
/// while it is current and the default graph, <see cref="OpBuilder"/> puts every op into it and turns each
/// tensor of another graph that an op reads into a placeholder of the function (a captured input, fed with the
/// outer tensor's value when the function runs).
/// </summary>
internal sealed class FunctionCapture(Graph graph)
{
    [ThreadStatic] private static FunctionCapture? _current;

    private readonly Dictionary<Tensor, Tensor> _captured = [];

    /// <summary>The capture being traced on this thread, if any.</summary>
    public static FunctionCapture? Current => _current;

    /// <summary>The function graph.</summary>
    public Graph Graph { get; } = graph;

    /// <summary>The outer tensors read by the function, in the order they were first read.</summary>
    public List<Tensor> Outer { get; } = [];

    /// <summary>The placeholders standing for <see cref="Outer"/> inside the function.</summary>
    public List<Tensor> Inner { get; } = [];

    /// <summary>The placeholder standing for <paramref name="outer"/> (made on its first use).</summary>
    public Tensor Capture(Tensor outer)
    {
        if (_captured.TryGetValue(outer, out var inner)) return inner;
        using (Graph.as_default())
        using (Graph.control_dependencies(null))
            inner = ArrayOps.Placeholder.Build(outer.dtype, outer.shape, "captured_input");
        _captured.Add(outer, inner);
        Outer.Add(outer);
        Inner.Add(inner);
        return inner;
    }

    /// <summary>Makes this capture current until the returned scope is disposed.</summary>
    public IDisposable Enter()
    {
        var saved = _current;
        _current = this;
        return new Graph.Scope(() => _current = saved);
    }
}
