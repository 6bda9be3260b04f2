namespace SharpFlow.Tests.Gradients;

public static partial class GradientCases
{
    /// <summary>sequence_loss, and dynamic_decode with TrainingHelper, plain and through Luong/Bahdanau attention.</summary>
    private static IEnumerable<GradientCase> Seq2SeqCases()
    {
        yield return C("seq2seq", "sequence_loss, logits and weights",
            v => tf.contrib.seq2seq.sequence_loss(v[0], tf.constant(new[,] { { 1, 0, 3 }, { 2, 2, 0 } }), v[1]), U(new Shape(2, 3, 4)), U(new Shape(2, 3), 0.2, 1));
        yield return C("seq2seq", "sequence_loss per batch",
            v => tf.contrib.seq2seq.sequence_loss(v[0], tf.constant(new[,] { { 1, 0, 3 }, { 2, 2, 0 } }), v[1], average_across_batch: false), U(new Shape(2, 3, 4)), U(new Shape(2, 3), 0.2, 1));
        yield return C("seq2seq", "dynamic_decode TrainingHelper with lengths", v =>
        {
            var cell = tf.nn.rnn_cell.BasicLSTMCell(3);
            var decoder = tf.contrib.seq2seq.BasicDecoder(cell, tf.contrib.seq2seq.TrainingHelper(v[0], new[] { 3, 2 }),
                cell.zero_state(2, tf.float64), tf.layers.Dense(2));
            return tf.contrib.seq2seq.dynamic_decode(decoder, impute_finished: true).final_outputs.rnn_output;
        }, U(new Shape(2, 3, 2)));
        yield return C("seq2seq", "dynamic_decode with Luong attention, memory and inputs", v =>
        {
            var mech = tf.contrib.seq2seq.LuongAttention(3, v[1], new[] { 4, 2 }, scale: true);
            var cell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.GRUCell(3), mech, attention_layer_size: 2);
            var decoder = tf.contrib.seq2seq.BasicDecoder(cell, tf.contrib.seq2seq.TrainingHelper(v[0], new[] { 3, 3 }), cell.zero_state(2, tf.float64));
            return tf.contrib.seq2seq.dynamic_decode(decoder).final_outputs.rnn_output;
        }, U(new Shape(2, 3, 2)), U(new Shape(2, 4, 3)));
        yield return C("seq2seq", "dynamic_decode with normalized Bahdanau attention, final cell state", v =>
        {
            var mech = tf.contrib.seq2seq.BahdanauAttention(3, v[1], new[] { 2, 4 }, normalize: true);
            var cell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(2), mech, output_attention: false);
            var decoder = tf.contrib.seq2seq.BasicDecoder(cell, tf.contrib.seq2seq.TrainingHelper(v[0], new[] { 2, 3 }), cell.zero_state(2, tf.float64));
            var state = (SharpFlow.Rnn.Seq2Seq.AttentionWrapperState)tf.contrib.seq2seq.dynamic_decode(decoder, impute_finished: true).final_state;
            return tf.concat([((SharpFlow.Rnn.LSTMStateTuple)state.cell_state).h, state.attention], 1);
        }, U(new Shape(2, 3, 2)), U(new Shape(2, 4, 2)));
    }
}
