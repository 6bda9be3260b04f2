using SharpFlow.Layers;
using SharpFlow.Ops.State;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Rnn.Seq2Seq;

/// <summary>
/// TensorFlow's <c>AttentionWrapperState(cell_state, attention, time, alignments, alignment_history,
/// attention_state)</c>; <c>alignment_history</c> is a TensorArray when kept, else null.
/// </summary>
public sealed record AttentionWrapperState(object cell_state, Tensor attention, Tensor time, Tensor alignments,
    TensorArray? alignment_history, object attention_state)
{
    /// <summary>TensorFlow's <c>clone(**kwargs)</c>: this state with some fields replaced.</summary>
    public AttentionWrapperState clone(object? cell_state = null, Tensor? attention = null, Tensor? time = null, Tensor? alignments = null,
        TensorArray? alignment_history = null, object? attention_state = null) =>
        new(cell_state ?? this.cell_state, attention ?? this.attention, time ?? this.time, alignments ?? this.alignments,
            alignment_history ?? this.alignment_history, attention_state ?? this.attention_state);
}

/// <summary>
/// <c>tf.contrib.seq2seq.AttentionWrapper(cell, attention_mechanism, attention_layer_size, alignment_history,
/// output_attention)</c> as TensorFlow 1.15: each step feeds <c>concat([inputs, previous attention])</c> to the
/// cell, scores the cell's output against the memory, takes the alignment-weighted sum of the memory values (the
/// context) and, with an attention layer, <c>attention = attention_layer(concat([cell_output, context]))</c> (no
/// bias, <c>attention_wrapper/attention_layer/kernel</c>); it outputs the attention (or the cell's output).
/// </summary>
public sealed class AttentionWrapper : RNNCell
{
    private VariableScope? _scope;
    private readonly DenseLayer? _attentionLayer;
    private readonly Func<Tensor, Tensor, Tensor> _cellInputFn;
    private readonly object? _initialCellState;

    /// <summary>Wraps <paramref name="cell"/> with <paramref name="attention_mechanism"/>.</summary>
    public AttentionWrapper(RNNCell cell, AttentionMechanism attention_mechanism, int? attention_layer_size = null, bool alignment_history = false,
        Func<Tensor, Tensor, Tensor>? cell_input_fn = null, bool output_attention = true, object? initial_cell_state = null, string? name = null)
        : base(name)
    {
        this.cell = cell ?? throw new TypeError("cell must be an RNNCell, saw type: null");
        this.attention_mechanism = attention_mechanism ?? throw new TypeError("attention_mechanism must be an AttentionMechanism, saw type: null");
        _cellInputFn = cell_input_fn ?? ((inputs, attention) => ConcatV2.Build([inputs, attention], -1));
        if (attention_layer_size is { } size)
        {
            _attentionLayer = new DenseLayer(size, use_bias: false, name: "attention_layer");
            attention_layer_size_ = size;
        }
        else
        {
            var depth = attention_mechanism.values.shape[attention_mechanism.values.shape.ndims - 1];
            attention_layer_size_ = depth;
        }
        this.alignment_history = alignment_history;
        this.output_attention = output_attention;
        _initialCellState = initial_cell_state;
    }

    /// <summary>The wrapped cell.</summary>
    public RNNCell cell { get; }

    /// <summary>The attention mechanism.</summary>
    public AttentionMechanism attention_mechanism { get; }

    /// <summary>Whether the state keeps each step's alignments in a TensorArray.</summary>
    public bool alignment_history { get; }

    /// <summary>Whether the output is the attention (true) or the cell's output.</summary>
    public bool output_attention { get; }

    private readonly int attention_layer_size_;

    /// <inheritdoc/>
    protected override string DefaultName => "attention_wrapper";

    /// <inheritdoc/>
    public override int output_size => output_attention ? attention_layer_size_ : cell.output_size;

    /// <summary>The sizes of the cell state's tensors, then the attention's.</summary>
    public override int[] FlatStateSizes => [.. cell.FlatStateSizes, attention_layer_size_];

    /// <inheritdoc/>
    public override object state_size => new object[] { cell.state_size, attention_layer_size_ };

    /// <inheritdoc/>
    public override Tensor[] FlattenState(object state) => [.. Nest.Flatten(state).Select(e => e as Tensor
        ?? throw new TypeError("An AttentionWrapper state with alignment_history holds a TensorArray: use it with dynamic_decode."))];

    /// <inheritdoc/>
    public override object PackState(Tensor[] flat) => throw new NotSupportedException("AttentionWrapper states are packed by dynamic_decode.");

    /// <summary>The initial state: the cell's zero state (or initial_cell_state), zero attention and alignments, time 0.</summary>
    public override object zero_state(TensorLike batch_size, DType dtype)
    {
        using var _ = Graph.get_default().name_scope("AttentionWrapperZeroState");
        var cellState = _initialCellState ?? cell.zero_state(batch_size, dtype);
        var attention = Fill.Dynamic(Pack.Build([batch_size, (TensorLike)attention_layer_size_]), dtype, false, null);
        attention.SetShape(new Shape(batch_size.Value is int b ? b : -1, attention_layer_size_));
        var alignments = attention_mechanism.initial_alignments(batch_size, dtype);
        var history = alignment_history
            ? new TensorArray(dtype, 0, dynamic_size: true, element_shape: alignments.shape)
            : null;
        return new AttentionWrapperState(cellState, attention, Fill.Constant(Shape.Scalar, DType.int32, false, null), alignments, history,
            attention_mechanism.initial_state(batch_size, dtype));
    }

    /// <inheritdoc/>
    public override (Tensor output, object state) __call__(Tensor inputs, object state, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (state is not AttentionWrapperState s)
            throw new TypeError($"Expected state to be instance of AttentionWrapperState. Received type {state?.GetType().Name ?? "null"} instead.");
        using var vs = _scope is null
            ? VariableScopes.Enter(scope ?? Name, (scope ?? Name) is null ? DefaultName : null, null, null, null)
            : VariableScopes.Enter(_scope, Reuse.True, null, null);
        _scope ??= vs.scope;
        var cellInputs = _cellInputFn(inputs, s.attention);
        var (cellOutput, nextCellState) = cell.__call__(cellInputs, s.cell_state);
        var qb = cellOutput.shape[0];
        var mb = attention_mechanism.keys.shape[0];
        if (qb >= 0 && mb >= 0 && qb != mb)
            throw new InvalidArgumentError($"When applying AttentionWrapper {vs.name}: Non-matching batch sizes between the memory (encoder output) and the query (decoder output).  Are you using the BeamSearchDecoder?  You may need to tile your memory input via the tf.contrib.seq2seq.tile_batch function with argument multiple=beam_width.");
        var (alignments, nextAttentionState) = attention_mechanism.__call__(cellOutput, (Tensor)s.attention_state);
        var context = Squeeze.Build(BatchMatMulV2.MatMulOrBatch(ExpandDims.Build(alignments, 1), attention_mechanism.values, false, false, false, false, null), new[] { 1 });
        var attention = _attentionLayer is null ? context : _attentionLayer.__call__(ConcatV2.Build([cellOutput, context], 1));
        var history = alignment_history ? s.alignment_history!.write(s.time, alignments) : null;
        var next = new AttentionWrapperState(nextCellState, attention, s.time + 1, alignments, history, nextAttentionState);
        return (output_attention ? attention : cellOutput, next);
    }

    /// <inheritdoc/>
    protected override (Tensor Output, Tensor[] State) Call(Tensor inputs, Tensor[] state) =>
        throw new NotSupportedException("AttentionWrapper is called through __call__.");
}

/// <summary><c>tf.contrib.seq2seq.tile_batch(t, multiplier)</c>: each batch entry repeated <c>multiplier</c> times in place.</summary>
internal static class TileBatch
{
    public static Tensor Build(Tensor t, int multiplier)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var _ = Graph.get_default().name_scope("tile_batch");
        if (!t.shape.IsKnownRank || t.shape.ndims < 1) throw new ValueError("t must have statically known rank");
        var shapeT = Shape_.Build(t);
        var tiling = Enumerable.Repeat(1, t.shape.ndims + 1).ToArray();
        tiling[1] = multiplier;
        var tiled = Tile.Build(ExpandDims.Build(t, 1), tiling);
        tiled = Reshape.Build(tiled, ConcatV2.Build([ExpandDims.Build(shapeT[0] * multiplier, 0), shapeT[1..]], 0));
        tiled.SetShape(new Shape([t.shape[0] >= 0 ? t.shape[0] * multiplier : -1, .. t.shape.Dims.Skip(1)]));
        return tiled;
    }

    public static object? Map(object? structure, int multiplier) =>
        Nest.Pack(structure, [.. Nest.Flatten(structure).Select(e => (object)Build((Tensor)e, multiplier))]);
}
