using SharpFlow.Layers;
using SharpFlow.Ops.Rnn;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>
/// TensorFlow's <c>BeamSearchDecoderState(cell_state, log_probs, finished, lengths)</c>: the cell's state with each
/// tensor split to [batch, beam_width, ...], each beam's total log probability, whether it has finished, and its
/// length (int64).
/// </summary>
public sealed record BeamSearchDecoderState(object cell_state, Tensor log_probs, Tensor finished, Tensor lengths);

/// <summary>
/// TensorFlow's <c>BeamSearchDecoderOutput(scores, predicted_ids, parent_ids)</c>: per step, each beam's score,
/// the id it chose and the beam it continues ([batch, beam_width] per step).
/// </summary>
public sealed record BeamSearchDecoderOutput(Tensor scores, Tensor predicted_ids, Tensor parent_ids);

/// <summary>
/// TensorFlow's <c>FinalBeamSearchDecoderOutput(predicted_ids, beam_search_decoder_output)</c>: the full beams
/// [batch, time, beam_width] (time-major with <c>output_time_major</c>), best first, from <c>gather_tree</c>, and
/// the per-step outputs they were gathered from.
/// </summary>
public sealed record FinalBeamSearchDecoderOutput(Tensor predicted_ids, BeamSearchDecoderOutput beam_search_decoder_output);

/// <summary>
/// <c>tf.contrib.seq2seq.BeamSearchDecoder(cell, embedding, start_tokens, end_token, initial_state, beam_width,
/// output_layer, length_penalty_weight)</c> as TensorFlow 1.15's beam_search_decoder.py (without the coverage
/// penalty): the initial state (batch·beam_width entries, from <c>tile_batch</c>) is split to
/// [batch, beam_width, ...]; each step runs the cell on every beam, takes the log-softmax of its logits (a
/// finished beam puts all its mass on <c>end_token</c>, so it emits <c>end_token</c> with its score unchanged),
/// adds each beam's log probability, divides by the length penalty <c>((5 + length) / 6)^α</c>, and keeps the top
/// beam_width of the beam_width·vocab continuations of each batch entry, gathering their cell states. At first
/// only beam 0 is alive (the others start finished with log probability −∞). <c>dynamic_decode</c> stops when
/// every beam has finished; <c>finalize</c> follows the parents back with <c>gather_tree</c>.
/// </summary>
public sealed class BeamSearchDecoder : Decoder
{
    private readonly Func<Tensor, Tensor> _embeddingFn;
    private readonly Tensor _startTokens;
    private readonly Tensor _startInputs;
    private readonly Tensor _finished;
    private readonly object _initialCellState;
    private readonly int _staticBatch;

    /// <summary>A beam-search decoder embedding ids with the matrix <paramref name="embedding"/>.</summary>
    public BeamSearchDecoder(RNNCell cell, Tensor embedding, TensorLike start_tokens, TensorLike end_token, object initial_state, int beam_width,
        DenseLayer? output_layer = null, double length_penalty_weight = 0.0)
        : this(cell, embedding is null ? null! : ids => Embedding.Lookup([embedding], ids, "mod", null, null), start_tokens, end_token, initial_state, beam_width,
            output_layer, length_penalty_weight) { }

    /// <summary>A beam-search decoder embedding ids with the function <paramref name="embedding"/>.</summary>
    public BeamSearchDecoder(RNNCell cell, Func<Tensor, Tensor> embedding, TensorLike start_tokens, TensorLike end_token, object initial_state,
        int beam_width, DenseLayer? output_layer = null, double length_penalty_weight = 0.0)
    {
        this.cell = cell ?? throw new TypeError("cell must be an RNNCell, received: null");
        _embeddingFn = embedding ?? throw new ArgumentNullException(nameof(embedding));
        ArgumentNullException.ThrowIfNull(initial_state);
        if (beam_width < 1) throw new ValueError($"beam_width must be positive, got {beam_width}");
        this.output_layer = output_layer;
        this.beam_width = beam_width;
        this.length_penalty_weight = length_penalty_weight;
        var start = ArrayFunctions.ConvertToTensor(start_tokens.Value, DType.int32, "start_tokens");
        if (start.shape.ndims != 1) throw new ValueError("start_tokens must be a vector");
        end_token_ = ArrayFunctions.ConvertToTensor(end_token.Value, DType.int32, "end_token");
        if (end_token_.shape.ndims != 0) throw new ValueError("end_token must be a scalar");
        batch_size = Size.Build(start);
        _staticBatch = start.shape[0];
        _initialCellState = Nest.Pack(initial_state, [.. Nest.Flatten(initial_state).Select(t => (object)MaybeSplitBatchBeams(t))])!;
        _startTokens = Tile.Build(ExpandDims.Build(start, 1), new[] { 1, beam_width });
        _startInputs = _embeddingFn(_startTokens);
        _finished = OneHot.Build(Fill.Dynamic(ExpandDims.Build(batch_size, 0), DType.int32, false, null), beam_width, false, true, -1, DType.@bool);
    }

    /// <summary>The cell.</summary>
    public RNNCell cell { get; }

    /// <summary>The output layer, or null.</summary>
    public DenseLayer? output_layer { get; }

    /// <summary>The number of beams.</summary>
    public int beam_width { get; }

    /// <summary>The length penalty's exponent α (0 disables it).</summary>
    public double length_penalty_weight { get; }

    private readonly Tensor end_token_;

    /// <summary>The end token.</summary>
    public Tensor end_token => end_token_;

    /// <inheritdoc/>
    public override Tensor batch_size { get; }

    /// <summary>The beam search shuffles its beams and their finished flags, so <c>dynamic_decode</c> takes its own.</summary>
    public override bool tracks_own_finished => true;

    /// <inheritdoc/>
    public override Shape[] FlatOutputShapes => [new Shape(beam_width), new Shape(beam_width), new Shape(beam_width)];

    private DType StateDType => ((Tensor)Nest.Flatten(_initialCellState)[0]).dtype;

    /// <inheritdoc/>
    public override DType[] FlatOutputDTypes => [StateDType, DType.int32, DType.int32];

    /// <inheritdoc/>
    public override object PackOutputs(Tensor[] flat) => new BeamSearchDecoderOutput(flat[0], flat[1], flat[2]);

    /// <inheritdoc/>
    public override (Tensor finished, Tensor inputs, object state) initialize(string? name = null)
    {
        var dtype = StateDType;
        var logProbs = OneHot.Build(Fill.Dynamic(ExpandDims.Build(batch_size, 0), DType.int32, false, null), beam_width, Const.Build(0.0, dtype), Const.Build(double.NegativeInfinity, dtype), -1, dtype);
        var lengths = Fill.Dynamic(Pack.Build(new TensorLike[] { batch_size, beam_width }), DType.int64, false, null);
        lengths.SetShape(new Shape(_staticBatch, beam_width));
        return (_finished, _startInputs, new BeamSearchDecoderState(_initialCellState, logProbs, _finished, lengths));
    }

    /// <summary>
    /// The full beams from <c>gather_tree</c> over the stacked ids and parents, to each batch entry's longest beam
    /// (<c>final_state.lengths</c>; <paramref name="sequence_lengths"/> is ignored, as in TensorFlow).
    /// </summary>
    public override (object outputs, object final_state)? finalize(object outputs, object final_state, Tensor sequence_lengths)
    {
        var o = (BeamSearchDecoderOutput)outputs;
        var state = (BeamSearchDecoderState)final_state;
        var maxLengths = Cast.Build(Max.Build(state.lengths, 1), DType.int32);
        var predicted = GatherTree.Build(o.predicted_ids, o.parent_ids, maxLengths, end_token_);
        return (new FinalBeamSearchDecoderOutput(predicted, o), state);
    }

    /// <inheritdoc/>
    public override (object outputs, object next_state, Tensor next_inputs, Tensor finished) step(Tensor time, Tensor inputs, object state, string? name = null)
    {
        using var _ = Graph.get_default().name_scope(name ?? "BeamSearchDecoderStep");
        var beamState = (BeamSearchDecoderState)state;
        var merged = MergeBatchBeams(inputs);
        var cellState = Nest.Pack(beamState.cell_state, [.. Nest.Flatten(beamState.cell_state).Select(t => (object)MaybeMergeBatchBeams(t))])!;
        var (cellOutputs, nextCellState) = cell.__call__(merged, cellState);
        cellOutputs = SplitBatchBeams(cellOutputs);
        nextCellState = Nest.Pack(nextCellState, [.. Nest.Flatten(nextCellState).Select(t => (object)MaybeSplitBatchBeams(t))])!;
        if (output_layer is not null) cellOutputs = output_layer.__call__(cellOutputs);
        var (output, nextState) = BeamSearchStep(cellOutputs, nextCellState, beamState);
        var finished = nextState.finished;
        var sampleIds = output.predicted_ids;
        var nextInputs = Ops.Control.ControlFlowOps.Cond(All.Build(finished), () => [_startInputs], () => [_embeddingFn(sampleIds)], null)[0];
        nextInputs.SetShape(_startInputs.shape);
        return (output, nextState, nextInputs, finished);
    }

    private (BeamSearchDecoderOutput, BeamSearchDecoderState) BeamSearchStep(Tensor logits, object nextCellState, BeamSearchDecoderState beamState)
    {
        var predictionLengths = beamState.lengths;
        var previouslyFinished = beamState.finished;
        var notFinished = LogicalNot.Build(previouslyFinished);
        var stepLogProbs = Activations.Softmax(logits, -1, log: true, null);
        stepLogProbs = MaskProbs(stepLogProbs, end_token_, previouslyFinished);
        var totalProbs = ExpandDims.Build(beamState.log_probs, 2) + stepLogProbs;

        var staticVocab = logits.shape.IsKnownRank ? logits.shape[logits.shape.ndims - 1] : -1;
        TensorLike vocabSize = staticVocab >= 0 ? staticVocab : Shape_.Build(logits)[-1];
        var lengthsToAdd = OneHot.Build(Fill.Build(Pack.Build(new TensorLike[] { batch_size, beam_width }), end_token_), vocabSize, Const.Build(0L), Const.Build(1L), -1, DType.int64);
        lengthsToAdd *= ExpandDims.Build(Cast.Build(notFinished, DType.int64), 2);
        var newPredictionLengths = lengthsToAdd + ExpandDims.Build(predictionLengths, 2);

        var scores = GetScores(totalProbs, newPredictionLengths);
        var scoresFlat = Reshape.Build(scores, Pack.Build(new TensorLike[] { batch_size, -1 }));
        var nextBeamSize = ArrayFunctions.ConvertToTensor(beam_width, DType.int32, "beam_width");
        var (nextBeamScores, wordIndices) = Ops.NN.TopKV2.Build(scoresFlat, nextBeamSize);
        nextBeamScores.SetShape(new Shape(_staticBatch, beam_width));
        wordIndices.SetShape(new Shape(_staticBatch, beam_width));

        var rangeSize = staticVocab >= 0 ? (TensorLike)(beam_width * staticVocab) : ArrayFunctions.ConvertToTensor(vocabSize.Value, null, null) * beam_width;
        var nextBeamProbs = TensorGatherHelper(wordIndices, totalProbs, rangeSize, 1, "next_beam_probs");
        var rawNextWordIds = FloorMod.Build(wordIndices, vocabSize, "next_beam_word_ids");
        var nextWordIds = Cast.Build(rawNextWordIds, DType.int32);
        var nextBeamIds = Cast.Build(RealDiv.TrueDiv(wordIndices, vocabSize), DType.int32, "next_beam_parent_ids");

        previouslyFinished = TensorGatherHelper(nextBeamIds, previouslyFinished, beam_width, 1);
        var nextFinished = LogicalOr.Build(previouslyFinished, Equal.Build(nextWordIds, end_token_), "next_beam_finished");

        // Finished beams keep their length; beams that go on, or end now, grow by one.
        var lengthsAdded = Cast.Build(LogicalNot.Build(previouslyFinished), DType.int64);
        var nextPredictionLen = TensorGatherHelper(nextBeamIds, beamState.lengths, beam_width, 1);
        nextPredictionLen += lengthsAdded;

        // Each cell-state tensor [batch, beam, ...] (of rank 2 or more) follows its beam's parent.
        var gatheredState = Nest.Pack(nextCellState, [.. Nest.Flatten(nextCellState).Select(t =>
        {
            var x = CheckMaybe(t);
            return (object)(x.shape.ndims >= 2 ? TensorGatherHelper(nextBeamIds, x, beam_width, 2) : x);
        })])!;

        var nextState = new BeamSearchDecoderState(gatheredState, nextBeamProbs, nextFinished, nextPredictionLen);
        return (new BeamSearchDecoderOutput(nextBeamScores, nextWordIds, nextBeamIds), nextState);
    }

    /// <summary>TensorFlow's <c>_get_scores</c>: the log probabilities over the length penalty.</summary>
    private Tensor GetScores(Tensor logProbs, Tensor sequenceLengths)
    {
        if (length_penalty_weight == 0) return logProbs;
        var penalty = LengthPenalty(sequenceLengths, length_penalty_weight);
        return logProbs / Cast.Build(penalty, logProbs.dtype);
    }

    /// <summary>TensorFlow's <c>_length_penalty</c>: <c>((5 + lengths) / 6)^α</c> in float32 (GNMT, arXiv:1609.08144).</summary>
    internal static Tensor LengthPenalty(Tensor sequenceLengths, double penaltyFactor)
    {
        var factor = Const.Build((float)penaltyFactor);
        return RealDiv.Div(Pow.Build(5f + Cast.Build(sequenceLengths, DType.float32), factor), Pow.Build(Const.Build(6f), factor));
    }

    /// <summary>TensorFlow's <c>_mask_probs</c>: a finished beam's row puts 0 on end_token and the dtype's minimum elsewhere.</summary>
    private static Tensor MaskProbs(Tensor probs, Tensor eosToken, Tensor finished)
    {
        var vocabSize = Shape_.Build(probs)[2];
        var min = probs.dtype == DType.float64 ? double.MinValue : float.MinValue;
        var finishedRow = OneHot.Build(eosToken, vocabSize, Const.Build(0.0, probs.dtype), Const.Build(min, probs.dtype), -1, probs.dtype);
        var finishedProbs = Tile.Build(Reshape.Build(finishedRow, new[] { 1, 1, -1 }), ConcatV2.Build([Shape_.Build(finished), Const.Build(new[] { 1 })], 0));
        var finishedMask = Tile.Build(ExpandDims.Build(finished, 2), Pack.Build(new TensorLike[] { 1, 1, vocabSize }));
        return Select.Build(finishedMask, finishedProbs, probs);
    }

    /// <summary>
    /// TensorFlow's <c>_tensor_gather_helper</c>: <paramref name="from"/> [batch, range, ...] reshaped to [-1]
    /// (<paramref name="gatherRank"/> 1) or [batch·beam, -1] (2), gathered at each batch entry's indices offset by
    /// <c>batch·range_size</c>, and reshaped back to the first 1 + gatherRank dimensions.
    /// </summary>
    private Tensor TensorGatherHelper(Tensor indices, Tensor from, TensorLike rangeSize, int gatherRank, string? name = null)
    {
        using var _ = Graph.get_default().name_scope(name ?? "tensor_gather_helper");
        var range = ExpandDims.Build(Ops.ArrayOps.Range.Build(batch_size) * rangeSize, 1);
        var flatIndices = Reshape.Build(indices + range, new[] { -1 });
        var gatherShape = gatherRank == 1 ? (TensorLike)new[] { -1 } : Pack.Build(new TensorLike[] { batch_size * beam_width, -1 });
        var output = GatherV2.Build(Reshape.Build(from, gatherShape), flatIndices);
        var finalShape = Shape_.Build(from)[..(1 + gatherRank)];
        output = Reshape.Build(output, finalShape, "output");
        output.SetShape(new Shape([_staticBatch, .. from.shape.Dims.Skip(1).Take(gatherRank)]));
        return output;
    }

    private static Tensor CheckMaybe(object t)
    {
        if (t is TensorArray ta) throw new TypeError($"TensorArray state is not supported by BeamSearchDecoder: {ta.handle.name}");
        var x = (Tensor)t;
        if (!x.shape.IsKnownRank) throw new ValueError($"Expected tensor ({x}) to have known rank, but ndims == None.");
        return x;
    }

    /// <summary>[batch, beam, ...] to [batch·beam, ...].</summary>
    private Tensor MergeBatchBeams(Tensor t)
    {
        var reshaped = Reshape.Build(t, ConcatV2.Build([ExpandDims.Build(batch_size * beam_width, 0), Shape_.Build(t)[2..]], 0));
        reshaped.SetShape(new Shape([_staticBatch >= 0 ? _staticBatch * beam_width : -1, .. t.shape.Dims.Skip(2)]));
        return reshaped;
    }

    /// <summary>[batch·beam, ...] to [batch, beam, ...], with TensorFlow's error for a state not tiled to batch·beam.</summary>
    private Tensor SplitBatchBeams(Tensor t)
    {
        var reshaped = Reshape.Build(t, ConcatV2.Build([Pack.Build(new TensorLike[] { batch_size, beam_width }), Shape_.Build(t)[1..]], 0));
        var expected = new Shape([_staticBatch, beam_width, .. t.shape.Dims.Skip(1)]);
        var first = t.shape[0];
        if (_staticBatch >= 0 && first >= 0 && first != _staticBatch * beam_width)
            throw new ValueError("Unexpected behavior when reshaping between beam width and batch size.  The reshaped tensor has shape: " +
                $"{new Shape([first / beam_width, first % beam_width == 0 ? beam_width : -1, .. t.shape.Dims.Skip(1)])}.  We expected it to have shape " +
                $"(batch_size, beam_width, depth) == {expected}.  Perhaps you forgot to create a zero_state with batch_size=encoder_batch_size * beam_width?");
        reshaped.SetShape(expected);
        return reshaped;
    }

    private Tensor MaybeSplitBatchBeams(object t)
    {
        var x = CheckMaybe(t);
        return x.shape.ndims >= 1 ? SplitBatchBeams(x) : x;
    }

    private Tensor MaybeMergeBatchBeams(object t)
    {
        var x = CheckMaybe(t);
        return x.shape.ndims >= 2 ? MergeBatchBeams(x) : x;
    }
}
