using SharpFlow.Keras.Engine;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Layers;

/// <summary>
/// <c>Bidirectional(layer, merge_mode)</c>: a copy of the recurrent layer reading forward (<c>forward_lstm</c>) and
/// one reading backward (<c>backward_lstm</c>), their weights <c>bidirectional/forward_lstm/kernel:0</c> and so on;
/// the backward outputs are put back in time order and merged by <c>merge_mode</c>: "concat" (default), "sum",
/// "mul", "ave", or null for both outputs. With <c>return_state</c> the forward states follow, then the backward ones.
/// </summary>
public class Bidirectional : Layer
{
    private readonly RNN _forward;
    private readonly RNN _backward;

    /// <summary>Wraps <paramref name="layer"/> (which itself is not used: Keras copies its configuration).</summary>
    public Bidirectional(RNN layer, string? merge_mode = "concat", RNN? backward_layer = null, int[]? input_shape = null, string? name = null)
        : base(name, layer?.trainable ?? true, input_shape)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (merge_mode is not (null or "concat" or "sum" or "mul" or "ave"))
            throw new ValueError($"Invalid merge mode. Merge mode should be one of {{\"sum\", \"mul\", \"ave\", \"concat\", None}}");
        this.merge_mode = merge_mode;
        if (input_shape is null && layer.batch_input_shape is not null) batch_input_shape = layer.batch_input_shape;
        _forward = layer.CloneAs("forward_" + layer.name, layer.go_backwards);
        _backward = backward_layer ?? layer.CloneAs("backward_" + layer.name, !layer.go_backwards);
        if (_backward.return_sequences != _forward.return_sequences || _backward.return_state != _forward.return_state)
            throw new ValueError("Forward layer and backward layer should have the same `return_sequences` and `return_state`.");
    }

    /// <summary>How the two directions' outputs are combined.</summary>
    public string? merge_mode { get; }

    /// <summary>The layer reading forward.</summary>
    public RNN forward_layer => _forward;

    /// <summary>The layer reading backward.</summary>
    public RNN backward_layer => _backward;

    /// <inheritdoc />
    public override bool uses_learning_phase => _forward.uses_learning_phase || _backward.uses_learning_phase;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        var graph = Graph.get_default();
        using (graph.name_scope(_forward.name)) _forward.build(input_shape);
        using (graph.name_scope(_backward.name)) _backward.build(input_shape);
        built = true;
    }

    /// <inheritdoc />
    public override void build(Shape[] input_shapes)
    {
        ArgumentNullException.ThrowIfNull(input_shapes);
        build(input_shapes[0]);
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs) => Single(call([inputs]));

    /// <inheritdoc />
    public override Tensor[] call(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var x = inputs[0];
        Tensor[] fwIn = [x], bwIn = [x];
        if (inputs.Length > 1)
        {
            var states = inputs[1..];
            if (states.Length % 2 != 0)
                throw new ValueError($"When passing `initial_state` to a Bidirectional RNN, the state should be a list containing the states of the underlying RNNs. Found: {states.Length} tensors");
            fwIn = [x, .. states[..(states.Length / 2)]];
            bwIn = [x, .. states[(states.Length / 2)..]];
        }
        var y = _forward.call(fwIn);
        var yRev = _backward.call(bwIn);
        var fwOut = y[0];
        var bwOut = _forward.return_sequences ? ReverseV2.Build(yRev[0], new[] { 1 }) : yRev[0];
        Tensor[] output = merge_mode switch
        {
            "concat" => [ConcatV2.Build([fwOut, bwOut], fwOut.shape.ndims - 1)],
            "sum" => [fwOut + bwOut],
            "ave" => [(fwOut + bwOut) / Const.Build(2.0, fwOut.dtype)],
            "mul" => [fwOut * bwOut],
            _ => [fwOut, bwOut],
        };
        if (_forward.return_sequences)
            foreach (var o in output) KerasMasks.Set(o, KerasMasks.Get(x));
        return _forward.return_state ? [.. output, .. y[1..], .. yRev[1..]] : output;
    }
}

/// <summary>
/// <c>TimeDistributed(layer)</c>: applies <paramref name="layer"/> to every time step of <c>[batch, time, ...]</c>
/// inputs (the steps folded into the batch axis); the wrapped layer is built in this layer's scope, so a wrapped
/// Dense's kernel is <c>time_distributed/kernel:0</c>, as TensorFlow 1.x's Keras names it.
/// </summary>
public class TimeDistributed(Layer layer, int[]? input_shape = null, string? name = null) : Layer(name, layer?.trainable ?? true, input_shape)
{
    private readonly Layer _layer = layer ?? throw new ArgumentNullException(nameof(layer));

    /// <summary>The wrapped layer.</summary>
    public Layer layer => _layer;

    /// <inheritdoc />
    public override bool uses_learning_phase => _layer.uses_learning_phase;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        if (!input_shape.IsKnownRank || input_shape.ndims < 3)
            throw new ValueError($"`TimeDistributed` Layer should be passed an `input_shape ` with at least 3 dimensions, received: {ShapeText(input_shape)}");
        if (!_layer.built) _layer.build(new Shape([input_shape[0], .. input_shape.Dims[2..]]));
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var inner = inputs.shape.Dims[2..];
        var dyn = Shape_.Build(inputs);
        Tensor innerShape = inner.All(d => d >= 0)
            ? Const.Build(new[] { -1 }.Concat(inner).ToArray())
            : ConcatV2.Build([Const.Build(new[] { -1 }), dyn[2..]], 0);
        var folded = SharpFlow.Ops.ArrayOps.Reshape.Build(inputs, innerShape);
        folded.SetShape(new Shape([-1, .. inner]));
        var y = _layer.call(folded);
        var outInner = y.shape.Dims[1..];
        Tensor outShape = outInner.All(d => d >= 0)
            ? ConcatV2.Build([dyn[..2], Const.Build(outInner)], 0)
            : ConcatV2.Build([dyn[..2], Shape_.Build(y)[1..]], 0);
        var result = SharpFlow.Ops.ArrayOps.Reshape.Build(y, outShape);
        result.SetShape(new Shape([inputs.shape[0], inputs.shape[1], .. outInner]));
        KerasMasks.Set(result, KerasMasks.Get(inputs));
        return result;
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        var child = _layer.compute_output_shape(new Shape([input_shape[0], .. input_shape.Dims[2..]]));
        return new Shape([input_shape[0], input_shape[1], .. child.Dims[1..]]);
    }
}

/// <summary>
/// <c>Masking(mask_value)</c>: masks the time steps whose features all equal <c>mask_value</c> (their values set to
/// zero); the recurrent layers after it skip them.
/// </summary>
public class Masking(double mask_value = 0.0, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <summary>The value that marks a padded step.</summary>
    public double mask_value { get; } = mask_value;

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var keep = Any.Build(NotEqual.Build(inputs, Const.Build(mask_value, inputs.dtype)), -1, true);
        var y = inputs * Cast.Build(keep, inputs.dtype);
        KerasMasks.Set(y, Any.Build(NotEqual.Build(inputs, Const.Build(mask_value, inputs.dtype)), -1));
        return y;
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape) => input_shape;
}
