namespace SharpFlow.Functions;

/// <summary>
/// TensorFlow's module-level graph functions of <c>framework/ops.py</c> that act on the default graph or on the
/// graph of their inputs: <c>control_dependencies</c> and the typed <c>get_collection</c>.
/// </summary>
internal static class GraphFunctions
{
    /// <summary>
    /// <c>tf.control_dependencies(control_inputs)</c>: the ops built while the context is open run after
    /// <paramref name="controlInputs"/>, in the graph of the first of them (the default graph when none).
    /// </summary>
    public static IDisposable ControlDependencies(IEnumerable<ITensorOrOperation>? controlInputs) =>
        (controlInputs?.FirstOrDefault()?.graph ?? Graph.get_default()).control_dependencies(controlInputs);

    /// <summary>The items of the default graph's collection <paramref name="key"/> that are of type <typeparamref name="T"/>, filtered by <paramref name="scope"/>.</summary>
    public static List<T> GetCollection<T>(string key, string? scope = null) =>
        Graph.get_default().get_collection(key, scope).OfType<T>().ToList();
}
