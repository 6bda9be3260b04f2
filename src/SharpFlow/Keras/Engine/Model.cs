namespace SharpFlow.Keras.Engine;

/// <summary>
/// <c>tf.keras.Model</c>: either a functional model <c>Model(inputs, outputs)</c>, a graph of layers found from its
/// outputs back to its <c>Input</c>s (several inputs and outputs, shared layers, models nested as layers), or a
/// subclass that overrides <see cref="Layer.call(Tensor)"/>. <see cref="compile"/>, <c>fit</c>,
/// <c>evaluate</c> and <c>predict</c> train and run it in Keras's session.
/// </summary>
public partial class Model : Layer
{
    private List<Tensor>? _inputs;
    private List<Tensor>? _outputs;
    private List<Node> _nodesInRunOrder = [];
    private List<Layer> _graphLayers = [];
    private Dictionary<Node, int> _nodeDepths = [];

    /// <summary>A functional model from one input to one output.</summary>
    public Model(Tensor inputs, Tensor outputs, string? name = null) : this([inputs], [outputs], name) { }

    /// <summary>A functional model from its inputs to its outputs.</summary>
    public Model(Tensor[] inputs, Tensor[] outputs, string? name = null) : base(name)
    {
        InitGraphNetwork(inputs, outputs);
    }

    /// <summary>A subclassed model (override <see cref="Layer.call(Tensor)"/>), or an empty Sequential.</summary>
    protected Model(string? name = null) : base(name) { }

    /// <summary>Whether the model is a graph of layers (functional or Sequential) rather than a subclass's call.</summary>
    public bool is_graph_network => _outputs is not null && _isGraph;
    private bool _isGraph;

    /// <summary>The model's input tensors (placeholders).</summary>
    public List<Tensor> inputs => _inputs ?? throw new AttributeError($"Model {name} has no inputs yet: call it on data or build it first.");

    /// <summary>The model's output tensors.</summary>
    public List<Tensor> outputs => _outputs ?? throw new AttributeError($"Model {name} has no outputs yet: call it on data or build it first.");

    /// <summary>Its layers, inputs first, in Keras's depth order.</summary>
    public virtual List<Layer> layers => is_graph_network ? [.. _graphLayers] : [.. SubLayers];

    /// <summary>The layer named <paramref name="name"/> (or at <paramref name="index"/>).</summary>
    public Layer get_layer(string? name = null, int? index = null)
    {
        if (index is { } i)
        {
            var all = layers;
            if (i >= all.Count) throw new ValueError($"Was asked to retrieve layer at index {i} but model only has {all.Count} layers.");
            return all[i];
        }
        return layers.FirstOrDefault(l => l.name == name) ?? throw new ValueError($"No such layer: {name}");
    }

    /// <inheritdoc />
    protected internal override IEnumerable<Layer> SubLayers => is_graph_network ? _graphLayers : base.SubLayers;

    internal IReadOnlyList<Node> NodesInRunOrder => _nodesInRunOrder;
    internal IReadOnlyDictionary<Node, int> NodeDepths => _nodeDepths;

    /// <inheritdoc />
    public override bool uses_learning_phase => SubLayers.Any(l => l.uses_learning_phase);

    /// <summary>Sets the model's graph from <paramref name="inputs"/> to <paramref name="outputs"/>.</summary>
    protected void InitGraphNetwork(Tensor[] inputs, Tensor[] outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        foreach (var x in inputs)
        {
            var h = Node.History(x);
            if (h is null || h.Node.outbound_layer is not InputLayer)
                throw new ValueError($"Input tensors to a Model must come from `tf.keras.Input`. Received: {x} (missing previous layer metadata).");
        }
        var finished = new HashSet<Node>();
        var inProgress = new HashSet<Node>();
        var decreasing = new List<Node>();
        var layerIndices = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        void BuildMap(Tensor t)
        {
            var h = Node.History(t) ?? throw new ValueError($"Output tensors to a Model must be the output of a Keras `Layer` (thus holding past layer metadata). Found: {t}");
            var node = h.Node;
            if (inProgress.Contains(node)) throw new ValueError($"The tensor {t} at layer \"{node.outbound_layer.name}\" is part of a cycle.");
            if (finished.Contains(node)) return;
            layerIndices.TryAdd(node.outbound_layer, layerIndices.Count);
            inProgress.Add(node);
            if (!inputs.Any(i => ReferenceEquals(i, t)))
                foreach (var x in node.input_tensors) BuildMap(x);
            finished.Add(node);
            inProgress.Remove(node);
            decreasing.Add(node);
        }
        foreach (var o in outputs) BuildMap(o);

        var nodeDepths = new Dictionary<Node, int>();
        var layerDepths = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        for (var i = decreasing.Count - 1; i >= 0; i--)
        {
            var node = decreasing[i];
            var depth = nodeDepths.GetValueOrDefault(node);
            depth = Math.Max(depth, layerDepths.GetValueOrDefault(node.outbound_layer));
            layerDepths[node.outbound_layer] = depth;
            nodeDepths[node] = depth;
            foreach (var h in node.inbound)
                if (h is not null) nodeDepths[h.Node] = Math.Max(depth + 1, nodeDepths.GetValueOrDefault(h.Node));
        }
        foreach (var x in inputs)
        {
            var h = Node.History(x)!;
            if (!layerIndices.ContainsKey(h.Node.outbound_layer))
            {
                layerIndices[h.Node.outbound_layer] = layerIndices.Count;
                layerDepths[h.Node.outbound_layer] = layerDepths.Count == 0 ? 0 : layerDepths.Values.Max() + 1;
                nodeDepths[h.Node] = layerDepths[h.Node.outbound_layer];
            }
        }
        foreach (var o in outputs)
        {
            var h = Node.History(o)!;
            _ = h;
        }
        _graphLayers = layerDepths.Keys.OrderByDescending(l => layerDepths[l]).ThenBy(l => layerIndices[l]).ToList();
        _nodesInRunOrder = nodeDepths.Keys.OrderByDescending(n => nodeDepths[n]).ThenBy(n => decreasing.IndexOf(n)).ToList();
        _nodeDepths = nodeDepths;
        var names = _graphLayers.GroupBy(l => l.name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null)
            throw new ValueError($"The name \"{names.Key}\" is used {names.Count()} times in the model. All layer names should be unique.");
        _inputs = [.. inputs];
        _outputs = [.. outputs];
        _isGraph = true;
        built = true;
    }

    /// <summary>Sets inputs and outputs of a subclassed model once it was called on placeholders.</summary>
    internal void SetSubclassIO(Tensor[] inputs, Tensor[] outputs)
    {
        _inputs = [.. inputs];
        _outputs = [.. outputs];
        _isGraph = false;
    }

    internal bool HasIO => _outputs is not null;

    /// <inheritdoc />
    public override Tensor[] call(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!is_graph_network) return base.call(inputs);
        return RunInternalGraph(inputs);
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs) => is_graph_network ? Single(RunInternalGraph([inputs])) : base.call(inputs);

    /// <summary>Runs the model's layers on new input tensors (the weights are shared).</summary>
    protected Tensor[] RunInternalGraph(Tensor[] inputs)
    {
        var ins = this.inputs;
        if (inputs.Length != ins.Count)
            throw new ValueError($"Layer {name} expects {ins.Count} inputs, but it received {inputs.Length} input tensors.");
        var map = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < inputs.Length; i++) map[ins[i]] = inputs[i];
        foreach (var node in _nodesInRunOrder)
        {
            if (node.outbound_layer is InputLayer) continue;
            if (!node.input_tensors.All(map.ContainsKey)) continue;
            var xs = node.input_tensors.Select(t => map[t]).ToArray();
            var ys = node.outbound_layer.Apply(xs);
            for (var i = 0; i < ys.Length; i++) map[node.output_tensors[i]] = ys[i];
        }
        return outputs.Select(o => map.TryGetValue(o, out var y) ? y
            : throw new ValueError($"Graph disconnected: cannot obtain value for tensor {o}")).ToArray();
    }

    /// <summary>The shape of its (only) output; for a graph network the shape of its output tensor.</summary>
    public override Shape output_shape => HasIO && outputs.Count == 1 ? outputs[0].shape : base.output_shape;

    /// <summary>The shape of its (only) input; for a graph network the shape of its input placeholder.</summary>
    public override Shape input_shape => HasIO && inputs.Count == 1 ? inputs[0].shape : base.input_shape;

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape) =>
        is_graph_network && outputs.Count == 1 ? outputs[0].shape : base.compute_output_shape(input_shape);
}
