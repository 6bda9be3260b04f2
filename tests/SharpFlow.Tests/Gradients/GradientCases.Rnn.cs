namespace SharpFlow.Tests.Gradients;

public static partial class GradientCases
{
    /// <summary>
    /// dynamic_rnn with each cell, with respect to its inputs and initial state, with sequence lengths. The cells'
    /// weights come from their default initializers, so each graph gets a fixed seed: unseeded, an unlucky draw put
    /// BasicRNNCell's truncation error of the central differences at 1.6e-6, over the 1e-6 tolerance.
    /// </summary>
    private static IEnumerable<GradientCase> RnnCases() => UnseededRnnCases().Select(c => c with
    {
        F = v =>
        {
            tf.set_random_seed(17);
            return c.F(v);
        },
    });

    private static IEnumerable<GradientCase> UnseededRnnCases()
    {
        var x = new Shape(2, 3, 2);
        yield return C("rnn", "dynamic_rnn BasicRNNCell", v => tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(3), v[0], dtype: tf.float64).outputs, U(x));
        yield return C("rnn", "dynamic_rnn BasicLSTMCell, final h", v => ((SharpFlow.Rnn.LSTMStateTuple)tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), v[0], dtype: tf.float64).state).h, U(x));
        yield return C("rnn", "dynamic_rnn GRUCell, initial state", v => tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(3), v[0], initial_state: v[1]).outputs, U(x), U(new Shape(2, 3)));
        yield return C("rnn", "dynamic_rnn BasicLSTMCell, sequence lengths", v => tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(3), v[0], sequence_length: new[] { 3, 1 }, dtype: tf.float64).outputs, U(x));
        yield return C("rnn", "dynamic_rnn MultiRNNCell",
            v => tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicRNNCell(2)]), v[0], dtype: tf.float64).outputs, U(x));
        yield return C("rnn", "dynamic_rnn LSTMCell with peepholes and a projection",
            v => tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(3, use_peepholes: true, num_proj: 2), v[0], dtype: tf.float64).outputs, U(x));
        yield return C("rnn", "static_rnn BasicLSTMCell", v => tf.stack(tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(2), tf.unstack(v[0], axis: 1), dtype: tf.float64).outputs), U(x));
        yield return C("rnn", "bidirectional_dynamic_rnn with lengths",
            v => tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicRNNCell(2), v[0], sequence_length: new[] { 2, 3 }, dtype: tf.float64).outputs.bw, U(x));
    }
}
