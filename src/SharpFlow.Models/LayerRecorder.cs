namespace SharpFlow.Models;

/// <summary>
/// Builds a model's layer table while the model is built: each <see cref="Add"/> records a layer's output shape and
/// the variables created since the previous record.
/// </summary>
public sealed class LayerRecorder
{
    private readonly Graph _graph;
    private readonly List<LayerSummary> _layers = [];
    private int _seen;

    /// <summary>Starts recording in <paramref name="graph"/>.</summary>
    public LayerRecorder(Graph graph)
    {
        _graph = graph ?? throw new ArgumentNullException(nameof(graph));
        _seen = Variables().Count;
    }

    /// <summary>The rows so far.</summary>
    public IReadOnlyList<LayerSummary> Layers => _layers;

    /// <summary>Records a layer whose output is <paramref name="output"/>; returns the output.</summary>
    public Tensor Add(string name, string kind, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var variables = Variables();
        long parameters = 0;
        for (var i = _seen; i < variables.Count; i++) parameters += variables[i].shape.NumElements;
        _seen = variables.Count;
        _layers.Add(new LayerSummary(name, kind, output.shape, parameters));
        return output;
    }

    private List<Variable> Variables() => _graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().ToList();
}
