using SharpFlow.Rnn;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn.Seq2Seq;

/// <summary>
/// dynamic_decode with BasicDecoder and the helpers against the same cell and output layer unrolled by hand in the
/// graph (the cell and layer objects reuse their variables); lengths, impute_finished, maximum_iterations, greedy
/// decoding and TensorFlow's variable names.
/// </summary>
public class DecoderTests
{
    private const int Batch = 3, Time = 4, Depth = 2, Units = 5, Vocab = 6;

    private static double[,,] Inputs()
    {
        var r = new Random(11);
        var x = new double[Batch, Time, Depth];
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < Time; t++)
                for (var d = 0; d < Depth; d++) x[b, t, d] = r.NextDouble() * 2 - 1;
        return x;
    }

    [Fact]
    public void TrainingHelperDecodingMatchesTheUnrolledCell()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromArray(Inputs()));
        var lengths = new[] { 3, 1, 2 };
        var cell = tf.nn.rnn_cell.BasicLSTMCell(Units);
        var layer = tf.layers.Dense(Vocab);
        var helper = tf.contrib.seq2seq.TrainingHelper(x, lengths);
        var decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, cell.zero_state(Batch, tf.float64), output_layer: layer);
        var (outputs, state, seqLengths) = tf.contrib.seq2seq.dynamic_decode(decoder);
        var (imputed, imputedState, _) = tf.contrib.seq2seq.dynamic_decode(
            tf.contrib.seq2seq.BasicDecoder(cell, tf.contrib.seq2seq.TrainingHelper(x, lengths), cell.zero_state(Batch, tf.float64), output_layer: layer),
            impute_finished: true);
        Assert.Equal(["decoder/basic_lstm_cell/kernel:0", "decoder/basic_lstm_cell/bias:0", "decoder/dense/kernel:0", "decoder/dense/bias:0"],
            tf.trainable_variables().Select(v => v.name).ToArray());

        // The same cell and layer by hand, three steps (the longest sequence).
        object s = cell.zero_state(Batch, tf.float64);
        var logits = new List<Tensor>();
        var states = new List<LSTMStateTuple>();
        for (var t = 0; t < 3; t++)
        {
            var (o, ns) = cell.__call__(x[.., t, ..], s);
            logits.Add(layer.__call__(o));
            states.Add((LSTMStateTuple)ns);
            s = ns;
        }
        Assert.Equal(4, tf.trainable_variables().Count);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(tf.assign(layer.bias!, tf.constant(new[] { 0.1, -0.2, 0.3, 0.05, -0.4, 0.2 }, tf.float64)));
        var expected = sess.run(tf.stack(logits, axis: 1));
        var got = sess.run(outputs.rnn_output);
        Assert.Equal(new Shape(Batch, 3, Vocab), got.shape);
        AssertArray.Close(expected, got, 1e-12);
        AssertArray.Close(sess.run(tf.cast(tf.argmax(tf.stack(logits, axis: 1), axis: -1), tf.int32)), sess.run(outputs.sample_id), 0);
        Assert.Equal(lengths, sess.run(seqLengths).ToArray<int>());
        AssertArray.Close(sess.run(states[2].h), sess.run(((LSTMStateTuple)state).h), 1e-12);

        // impute_finished: zeros past each length, and each sequence's state at its own end.
        var imp = sess.run(imputed.rnn_output).ToArray<double>();
        var exp = expected.ToArray<double>();
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < 3; t++)
                for (var v = 0; v < Vocab; v++)
                {
                    var k = (b * 3 + t) * Vocab + v;
                    Assert.Equal(t < lengths[b] ? exp[k] : 0.0, imp[k], 1e-12);
                }
        var finalC = sess.run(((LSTMStateTuple)imputedState).c).ToArray<double>();
        for (var b = 0; b < Batch; b++)
        {
            var at = sess.run(states[lengths[b] - 1].c).ToArray<double>();
            for (var u = 0; u < Units; u++) Assert.Equal(at[b * Units + u], finalC[b * Units + u], 1e-12);
        }
    }

    [Fact]
    public void TimeMajorOutputsAndMaximumIterations()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromArray(Inputs()));
        var cell = tf.nn.rnn_cell.GRUCell(Units);
        var helper = tf.contrib.seq2seq.TrainingHelper(tf.transpose(x, new[] { 1, 0, 2 }), new[] { 4, 4, 4 }, time_major: true);
        var decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, cell.zero_state(Batch, tf.float64));
        var (outputs, _, lengths) = tf.contrib.seq2seq.dynamic_decode(decoder, output_time_major: true, maximum_iterations: 2, scope: "dec");
        Assert.Equal("dec/gru_cell/gates/kernel:0", tf.trainable_variables()[0].name);
        var (full, _) = tf.nn.dynamic_rnn(cell, x, dtype: tf.float64);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var got = sess.run(outputs.rnn_output);
        Assert.Equal(new Shape(2, Batch, Units), got.shape);
        AssertArray.Close(sess.run(tf.transpose(full, new[] { 1, 0, 2 })[..2]), got, 1e-12);
        Assert.Equal([2, 2, 2], sess.run(lengths).ToArray<int>());
    }

    [Fact]
    public void GreedyEmbeddingHelperFeedsBackTheArgmaxAndStopsAtTheEndToken()
    {
        using var g = TestGraph.Enter();
        var r = new Random(5);
        var embedding = tf.constant(Enumerable.Range(0, Vocab * Depth).Select(_ => r.NextDouble() * 2 - 1).ToArray(), tf.float64, new Shape(Vocab, Depth));
        var start = new[] { 0, 1, 2 };
        var cell = tf.nn.rnn_cell.BasicRNNCell(Units);
        var layer = tf.layers.Dense(Vocab, name: "output_projection");
        var helper = tf.contrib.seq2seq.GreedyEmbeddingHelper(embedding, start, 3);
        var decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, cell.zero_state(Batch, tf.float64), layer);
        var (outputs, _, lengths) = tf.contrib.seq2seq.dynamic_decode(decoder, maximum_iterations: 6);
        Assert.Contains("decoder/output_projection/kernel:0", tf.trainable_variables().Select(v => v.name));
        // By hand: 6 greedy steps.
        object s = cell.zero_state(Batch, tf.float64);
        var inputs = tf.nn.embedding_lookup(embedding, start);
        var ids = new List<Tensor>();
        for (var t = 0; t < 6; t++)
        {
            var (o, ns) = cell.__call__(inputs, s);
            var id = tf.argmax(layer.__call__(o), axis: -1, output_type: tf.int32);
            ids.Add(id);
            inputs = tf.nn.embedding_lookup(embedding, id);
            s = ns;
        }
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        // A bias that makes the end token likely to appear at some step.
        sess.run(tf.assign(layer.bias!, tf.constant(new[] { 0.0, 0.0, 0.0, 0.6, 0.0, 0.0 }, tf.float64)));
        var hand = (int[,])sess.run(tf.stack(ids, axis: 1)).ToMultiDimArray();
        var expectedLengths = Enumerable.Range(0, Batch).Select(b =>
        {
            for (var t = 0; t < 6; t++) if (hand[b, t] == 3) return t + 1;
            return 6;
        }).ToArray();
        Assert.Equal(expectedLengths, sess.run(lengths).ToArray<int>());
        var got = (int[,])sess.run(outputs.sample_id).ToMultiDimArray();
        Assert.Equal(expectedLengths.Max(), got.GetLength(1));
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < expectedLengths[b]; t++) Assert.Equal(hand[b, t], got[b, t]);
    }

    [Fact]
    public void HelpersRefuseBadShapes()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("Expected sequence_length to be a vector",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.TrainingHelper(tf.zeros(new Shape(2, 3, 1)), 3)).Message);
        var e = tf.zeros(new Shape(4, 2));
        Assert.Contains("start_tokens must be a vector",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.GreedyEmbeddingHelper(e, 1, 2)).Message);
        Assert.Contains("end_token must be a scalar",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.GreedyEmbeddingHelper(e, new[] { 1 }, new[] { 2 })).Message);
        var cell = tf.nn.rnn_cell.BasicRNNCell(2);
        var helper = tf.contrib.seq2seq.TrainingHelper(tf.zeros(new Shape(2, 3, 1)), new[] { 3, 3 });
        Assert.Contains("maximum_iterations must be a scalar", Assert.Throws<ValueError>(() =>
            tf.contrib.seq2seq.dynamic_decode(tf.contrib.seq2seq.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32)), maximum_iterations: new[] { 1, 2 })).Message);
    }
}
