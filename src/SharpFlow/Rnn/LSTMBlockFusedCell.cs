using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.State;

namespace SharpFlow.Rnn;

/// <summary>
/// <c>tf.contrib.rnn.LSTMBlockFusedCell(num_units, forget_bias=1.0, cell_clip=None, use_peephole=False)</c>: an
/// LSTM over a whole time-major sequence in one op (<c>BlockLSTM</c>, gradient <c>BlockLSTMGrad</c>), TensorFlow's
/// fastest LSTM. Call it on <c>[time, batch, input]</c> inputs: <c>(outputs, final_state) = cell(inputs,
/// initial_state, dtype, sequence_length)</c>. Variables <c>lstm_fused_cell/kernel</c> [input + num_units,
/// 4·num_units] and <c>lstm_fused_cell/bias</c>, the layout of <see cref="BasicLSTMCell"/>'s. With
/// <c>sequence_length</c>, outputs past a sequence's end are zero and its final state is the one at its last step.
/// </summary>
public sealed class LSTMBlockFusedCell(int num_units, double forget_bias = 1.0, double? cell_clip = null, bool use_peephole = false, string? name = null)
{
    private readonly int _units = num_units;
    private VariableScope? _scope;

    /// <summary>The number of units.</summary>
    public int num_units => _units;

    /// <summary>The size of one output.</summary>
    public int output_size => _units;

    /// <summary>The sizes of the state (c, h).</summary>
    public int[] state_size => [_units, _units];

    /// <summary>
    /// Runs the LSTM over <paramref name="inputs"/> ([time, batch, input]); the outputs [time, batch, _units]
    /// and the final <see cref="LSTMStateTuple"/>. Without <paramref name="initial_state"/> the state starts at zero
    /// and <paramref name="dtype"/> is required, as in TensorFlow.
    /// </summary>
    public (Tensor outputs, LSTMStateTuple final_state) __call__(Tensor inputs, LSTMStateTuple? initial_state = null, DType? dtype = null,
        TensorLike? sequence_length = null, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var graph = inputs.graph;
        using var _ = graph.as_default();
        if (inputs.shape.IsKnownRank && inputs.shape.ndims != 3)
            throw new ValueError($"Shape {inputs.shape} must have rank 3 (LSTMBlockFusedCell's inputs are [time, batch, input])");
        using var s = _scope is null
            ? VariableScopes.Enter(scope ?? name, (scope ?? name) is null ? "lstm_fused_cell" : null, null, null, null)
            : VariableScopes.Enter(_scope, Reuse.True, null, null);
        _scope ??= s.scope;
        var shape = Shape_.Build(inputs);
        TensorLike batchSize = inputs.shape.IsKnownRank && inputs.shape[1] >= 0 ? inputs.shape[1] : Element(shape, 1);
        TensorLike timeLen = inputs.shape.IsKnownRank && inputs.shape[0] >= 0 ? inputs.shape[0] : Element(shape, 0);
        Tensor c0, h0;
        if (initial_state is null)
        {
            if (dtype is null) throw new ValueError("Either initial_state or dtype needs to be specified");
            var z = Fill.Build(Pack.Build([batchSize, _units]), Const.Create(graph, Literal.ToNDArray(0.0, dtype.Value), "Const"), "zeros");
            (c0, h0) = (z, z);
        }
        else (c0, h0) = (initial_state.c, initial_state.h);
        var depth = inputs.shape.IsKnownRank ? inputs.shape[2] : -1;
        if (depth < 0) throw new ValueError($"LSTMBlockFusedCell needs the inputs' last dimension known, got {inputs.shape}");
        var dt = inputs.dtype;
        var kernel = LayerWeight("kernel", new Shape(depth + _units, 4 * _units), dt, null);
        var bias = LayerWeight("bias", new Shape(4 * _units), dt, new ZerosInitializer());
        Tensor wci, wcf, wco;
        if (use_peephole)
            (wci, wcf, wco) = (LayerWeight("w_i_diag", new Shape(_units), dt, null), LayerWeight("w_f_diag", new Shape(_units), dt, null),
                LayerWeight("w_o_diag", new Shape(_units), dt, null));
        else wci = wcf = wco = Fill.Constant(new Shape(_units), dt, false, null);
        Tensor? seq = null;
        Tensor maxLen;
        if (sequence_length is { } sl)
        {
            seq = sl.Value is Tensor t ? t : Const.Create(graph, Literal.ToNDArray(sl.Value, DType.int32), "sequence_length");
            maxLen = Cast.Build(Max.Build(seq), DType.int64);
        }
        else maxLen = Cast.Build(timeLen.Value is Tensor tt ? tt : Const.Create(graph, Literal.ToNDArray(timeLen.Value, DType.int32), "Const"), DType.int64);
        var outs = Ops.Rnn.BlockLSTM.Build(maxLen, inputs, c0, h0, kernel, wci, wcf, wco, bias, forget_bias, cell_clip ?? -1, use_peephole);
        var (cs, h) = (outs[1], outs[6]);
        if (seq is null) return (h, new LSTMStateTuple(Last(cs), Last(h)));
        // Past a sequence's end: zero outputs; the final state is the one at step sequence_length - 1 (the initial
        // state for an empty sequence), gathered after prepending the initial state, as TensorFlow does.
        var mask = Transpose.Build(Functions.ArrayFunctions.SequenceMask(seq, timeLen, dt, null), new[] { 1, 0 });
        var outputs = Mul.Build(h, Tile.Build(ExpandDims.Build(mask, -1), Pack.Build([1, 1, _units])));
        var cells = ConcatV2.Build([ExpandDims.Build(c0, 0), cs], 0);
        var hs = ConcatV2.Build([ExpandDims.Build(h0, 0), outputs], 0);
        var indices = Pack.Build([Cast.Build(seq, DType.int32), Ops.ArrayOps.Range.Build(0, batchSize)], 1);
        return (outputs, new LSTMStateTuple(GatherNd.Build(cells, indices), GatherNd.Build(hs, indices)));
    }

    private static Tensor Last(Tensor t) => t[^1];

    private static Tensor Element(Tensor shape, int i) =>
        Reshape.Build(Slice.Build(shape, new[] { i }, new[] { 1 }), System.Array.Empty<int>());

    private static Variable LayerWeight(string name, Shape shape, DType dtype, Initializer? initializer) =>
        Layers.LayerScope.Weight(name, shape, dtype, initializer, null, trainable: true);
}
