using SharpFlow.Layers;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>TensorFlow's <c>BasicDecoderOutput(rnn_output, sample_id)</c>.</summary>
public sealed record BasicDecoderOutput(Tensor rnn_output, Tensor sample_id);

/// <summary>
/// TensorFlow 1.x's <c>tf.contrib.seq2seq.Decoder</c>: what <c>dynamic_decode</c> runs, one <see cref="step"/>
/// per loop iteration.
/// </summary>
public abstract class Decoder
{
    /// <summary>The batch size (a scalar int32 tensor).</summary>
    public abstract Tensor batch_size { get; }

    /// <summary>The shape of each output (without the batch axis), in the output structure's flat order.</summary>
    public abstract Shape[] FlatOutputShapes { get; }

    /// <summary>The dtype of each output, in the output structure's flat order.</summary>
    public abstract DType[] FlatOutputDTypes { get; }

    /// <summary>The outputs' structure from its flat tensors.</summary>
    public abstract object PackOutputs(Tensor[] flat);

    /// <summary>Whether the decoder says itself which sequences finished (dynamic_decode then doesn't or them).</summary>
    public virtual bool tracks_own_finished => false;

    /// <summary>(finished, first inputs, initial state).</summary>
    public abstract (Tensor finished, Tensor inputs, object state) initialize(string? name = null);

    /// <summary>(outputs, next state, next inputs, finished) of the step at <paramref name="time"/>.</summary>
    public abstract (object outputs, object next_state, Tensor next_inputs, Tensor finished) step(Tensor time, Tensor inputs, object state, string? name = null);

    /// <summary>
    /// TensorFlow's <c>finalize(outputs, final_state, sequence_lengths)</c>: what <c>dynamic_decode</c> returns
    /// from the stacked (time-major) outputs and the final state, or null where the decoder has none (TensorFlow's
    /// <c>NotImplementedError</c>: the outputs and state are returned as they are).
    /// </summary>
    public virtual (object outputs, object final_state)? finalize(object outputs, object final_state, Tensor sequence_lengths) => null;
}

/// <summary>
/// <c>tf.contrib.seq2seq.BasicDecoder(cell, helper, initial_state, output_layer)</c>: each step runs the cell,
/// the optional output layer (a <see cref="DenseLayer"/>), then asks the helper for the sample ids and the next
/// inputs. Its outputs are <see cref="BasicDecoderOutput"/>s.
/// </summary>
public sealed class BasicDecoder : Decoder
{
    private readonly Helper _helper;
    private readonly object _initialState;

    /// <summary>A decoder for <paramref name="cell"/> driven by <paramref name="helper"/>.</summary>
    public BasicDecoder(RNNCell cell, Helper helper, object initial_state, DenseLayer? output_layer = null)
    {
        this.cell = cell ?? throw new TypeError("cell must be an RNNCell, received: null");
        _helper = helper ?? throw new TypeError("helper must be a Helper, received: null");
        _initialState = initial_state ?? throw new ArgumentNullException(nameof(initial_state));
        this.output_layer = output_layer;
    }

    /// <summary>The cell.</summary>
    public RNNCell cell { get; }

    /// <summary>The output layer, or null.</summary>
    public DenseLayer? output_layer { get; }

    /// <inheritdoc/>
    public override Tensor batch_size => _helper.batch_size;

    private int RnnOutputSize => output_layer?.units ?? cell.output_size;

    /// <inheritdoc/>
    public override Shape[] FlatOutputShapes => [new Shape(RnnOutputSize), _helper.sample_ids_shape];

    /// <inheritdoc/>
    public override DType[] FlatOutputDTypes => [((Tensor)Nest.Flatten(_initialState)[0]).dtype, _helper.sample_ids_dtype];

    /// <inheritdoc/>
    public override object PackOutputs(Tensor[] flat) => new BasicDecoderOutput(flat[0], flat[1]);

    /// <inheritdoc/>
    public override (Tensor finished, Tensor inputs, object state) initialize(string? name = null)
    {
        var (finished, inputs) = _helper.initialize();
        return (finished, inputs, _initialState);
    }

    /// <inheritdoc/>
    public override (object outputs, object next_state, Tensor next_inputs, Tensor finished) step(Tensor time, Tensor inputs, object state, string? name = null)
    {
        using var _ = Graph.get_default().name_scope(name ?? "BasicDecoderStep");
        var (cellOutputs, cellState) = cell.__call__(inputs, state);
        if (output_layer is not null) cellOutputs = output_layer.__call__(cellOutputs);
        var sampleIds = _helper.sample(time, cellOutputs, cellState);
        var (finished, nextInputs, nextState) = _helper.next_inputs(time, cellOutputs, cellState, sampleIds);
        return (new BasicDecoderOutput(cellOutputs, sampleIds), nextState, nextInputs, finished);
    }
}
