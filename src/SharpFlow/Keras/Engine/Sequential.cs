namespace SharpFlow.Keras.Engine;

/// <summary>
/// <c>tf.keras.Sequential</c>: a stack of layers, each taking the previous one's output. When the first layer has an
/// <c>input_shape</c>, the model is built as layers are added (its input is a placeholder named after the first
/// layer, <c>dense_input</c>); otherwise on its first call or <c>fit</c>.
/// </summary>
public class Sequential : Model
{
    private readonly List<Layer> _stack = [];

    /// <summary>A model of <paramref name="layers"/> in order.</summary>
    public Sequential(IEnumerable<Layer>? layers = null, string? name = null) : base(name)
    {
        if (layers is not null) foreach (var l in layers) add(l);
    }

    /// <summary>Its layers, without the input layer.</summary>
    public override List<Layer> layers => [.. _stack.Where(l => l is not InputLayer)];

    /// <inheritdoc />
    protected internal override IEnumerable<Layer> SubLayers => _stack;

    /// <summary>Adds a layer on top of the stack.</summary>
    public void add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (HasIO)
        {
            var y = layer.Apply(outputs.ToArray());
            if (y.Length != 1)
                throw new TypeError("All layers in a Sequential model should have a single output tensor. For multi-output layers, use the functional API.");
            _stack.Add(layer);
            InitGraphNetwork([.. inputs], y);
            return;
        }
        if (_stack.Count == 0)
        {
            if (layer is InputLayer input)
            {
                _stack.Add(layer);
                InitGraphNetwork([input.output], [input.output]);
                return;
            }
            if (layer.batch_input_shape is { } shape)
            {
                var x = new InputLayer(batch_input_shape: shape, dtype: layer.dtype, name: layer.name + "_input").output;
                var y = layer.Apply(x);
                _stack.Add(layer);
                InitGraphNetwork([x], [y]);
                return;
            }
        }
        _stack.Add(layer);
    }

    /// <summary>Removes the last layer.</summary>
    public void pop()
    {
        if (layers.Count == 0) throw new TypeError("There are no layers in the model.");
        _stack.RemoveAt(_stack.Count - 1);
        if (HasIO)
        {
            var last = _stack.Count == 0 ? null : _stack[^1];
            if (last is null) return;
            InitGraphNetwork([.. inputs], [last.inbound_nodes[^1].output_tensors[0]]);
        }
    }

    /// <summary>Builds the model for inputs of <paramref name="input_shape"/> (with the batch axis).</summary>
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        if (HasIO) { built = true; return; }
        var x = new InputLayer(batch_input_shape: input_shape.Dims, dtype: _stack.Count > 0 ? _stack[0].dtype : null,
            name: _stack.Count > 0 ? _stack[0].name + "_input" : null).output;
        var graph = x.graph;
        Tensor y = x;
        using (graph.name_scope(null))
            foreach (var l in _stack) y = l.Apply(y);
        InitGraphNetwork([x], [y]);
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        if (HasIO) return base.call(inputs);
        var y = inputs;
        foreach (var l in _stack) y = l.Apply(y);
        return y;
    }

    /// <inheritdoc />
    public override Tensor[] call(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return HasIO ? base.call(inputs) : [call(inputs.Length == 1 ? inputs[0] : throw new ValueError("A Sequential model takes one input."))];
    }
}
