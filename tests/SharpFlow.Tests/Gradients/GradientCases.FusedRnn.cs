using FusedOps = SharpFlow.Ops.Rnn;

namespace SharpFlow.Tests.Gradients;

public static partial class GradientCases
{
    /// <summary>
    /// The fused LSTM ops (LSTMBlockCell, BlockLSTM) with respect to every input, with and without peepholes and
    /// with seq_len_max short of the time length; the cells through dynamic_rnn and with sequence lengths. The
    /// clip is off (TensorFlow's backward step ignores it). Draws from its own seed so other areas keep theirs.
    /// </summary>
    private static IEnumerable<GradientCase> FusedRnnCases()
    {
        var saved = _seed;
        _seed = 1801;
        var (b, i, c, t) = (2, 3, 2, 3);
        foreach (var peephole in new[] { false, true })
        {
            yield return C("fused rnn", $"LSTMBlockCell cs and h{(peephole ? ", peepholes" : "")}",
                v =>
                {
                    var o = FusedOps.LSTMBlockCell.Build(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], forgetBias: 0.5, cellClip: -1, usePeephole: peephole);
                    return tf.concat([o[1], o[6]], 1);
                },
                U(new Shape(b, i)), U(new Shape(b, c)), U(new Shape(b, c)), U(new Shape(i + c, 4 * c)), U(new Shape(c)), U(new Shape(c)), U(new Shape(c)), U(new Shape(4 * c)));
            yield return C("fused rnn", $"BlockLSTM cs and h, seq_len_max 2 of 3{(peephole ? ", peepholes" : "")}",
                v =>
                {
                    var o = FusedOps.BlockLSTM.Build(2L, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], cellClip: -1, usePeephole: peephole);
                    return tf.concat([o[1], o[6]], 2);
                },
                U(new Shape(t, b, i)), U(new Shape(b, c)), U(new Shape(b, c)), U(new Shape(i + c, 4 * c)), U(new Shape(c)), U(new Shape(c)), U(new Shape(c)), U(new Shape(4 * c)));
        }
        yield return C("fused rnn", "BlockLSTM h only, all steps", v => FusedOps.BlockLSTM.Build(3L, v[0], v[1], v[2], v[3], v[4], v[4], v[4], v[5], cellClip: -1)[6],
            U(new Shape(t, b, i)), U(new Shape(b, c)), U(new Shape(b, c)), U(new Shape(i + c, 4 * c)), U(new Shape(c)), U(new Shape(4 * c)));
        yield return C("fused rnn", "dynamic_rnn LSTMBlockCell, sequence lengths",
            v => tf.nn.dynamic_rnn(tf.contrib.rnn.LSTMBlockCell(3, use_peephole: true), v[0], sequence_length: new[] { 3, 1 }, dtype: tf.float64).outputs,
            U(new Shape(2, 3, 2)));
        yield return C("fused rnn", "LSTMBlockFusedCell, sequence lengths, final state",
            v =>
            {
                var (outputs, state) = tf.contrib.rnn.LSTMBlockFusedCell(2).__call__(v[0], initial_state: new SharpFlow.Rnn.LSTMStateTuple(v[1], v[2]), sequence_length: new[] { 1, 3 });
                return tf.concat([tf.reshape(outputs, new[] { -1, 2 }), state.c, state.h], 0);
            },
            U(new Shape(3, 2, 2)), U(new Shape(2, 2)), U(new Shape(2, 2)));
        yield return C("fused rnn", "LSTMBlockCell run-time shapes",
            v => FusedOps.LSTMBlockCell.Build(v[0], v[1], v[2], v[3], v[4], v[4], v[4], v[5], cellClip: -1)[6],
            U(new Shape(b, i)), U(new Shape(b, c)), U(new Shape(b, c)), U(new Shape(i + c, 4 * c)), U(new Shape(c)), U(new Shape(4 * c))) with { Dynamic = true };
        yield return C("fused rnn", "dynamic_rnn ResidualWrapper(LSTMBlockCell)",
            v => tf.nn.dynamic_rnn(tf.nn.rnn_cell.ResidualWrapper(tf.contrib.rnn.LSTMBlockCell(2)), v[0], dtype: tf.float64).outputs, U(new Shape(2, 3, 2)));
        _seed = saved;
    }
}
