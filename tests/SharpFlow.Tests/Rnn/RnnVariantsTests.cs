using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn;

/// <summary>static_rnn, bidirectional_dynamic_rnn, LSTMCell's options and DropoutWrapper.</summary>
public class RnnVariantsTests
{
    private static NDArray Inputs(int batch, int time, int depth, int seed)
    {
        var r = new Random(seed);
        return NDArray.FromFlat(Enumerable.Range(0, batch * time * depth).Select(_ => r.NextDouble() * 2 - 1).ToArray(), new Shape(batch, time, depth));
    }

    [Fact]
    public void StaticRnnEqualsDynamicRnnWithTheSameCell()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(Inputs(2, 4, 3, 1));
        var cell = tf.nn.rnn_cell.BasicLSTMCell(5);
        var (dynamicOut, _) = tf.nn.dynamic_rnn(cell, x, sequence_length: new[] { 4, 2 }, dtype: tf.float64);
        var steps = tf.unstack(x, axis: 1);
        var (staticOut, staticState) = tf.nn.static_rnn(cell, steps, dtype: tf.float64, sequence_length: new[] { 4, 2 });
        Assert.Equal(2, tf.trainable_variables().Count);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        AssertArray.Close(sess.run(dynamicOut), sess.run(tf.stack(staticOut, axis: 1)), 1e-12);
        // The second sequence stops after 2 steps: its final h is its output at step 1.
        var h = sess.run(((SharpFlow.Rnn.LSTMStateTuple)staticState).h);
        var out1 = sess.run(staticOut[1]);
        for (var u = 0; u < 5; u++) Assert.Equal(out1.GetValue<double>(1, u), h.GetValue<double>(1, u), 1e-12);
    }

    [Fact]
    public void BidirectionalRnnReadsEachSequenceBackwardsWithinItsLength()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(Inputs(2, 5, 3, 2));
        var lengths = new[] { 5, 3 };
        var ((fw, bw), (stateFw, stateBw)) = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4), x,
            sequence_length: lengths, dtype: tf.float64);
        Assert.Equal(["bidirectional_rnn/fw/gru_cell/gates/kernel:0", "bidirectional_rnn/fw/gru_cell/gates/bias:0",
            "bidirectional_rnn/fw/gru_cell/candidate/kernel:0", "bidirectional_rnn/fw/gru_cell/candidate/bias:0",
            "bidirectional_rnn/bw/gru_cell/gates/kernel:0", "bidirectional_rnn/bw/gru_cell/gates/bias:0",
            "bidirectional_rnn/bw/gru_cell/candidate/kernel:0", "bidirectional_rnn/bw/gru_cell/candidate/bias:0"],
            tf.trainable_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var (f, b, sf, sb) = (sess.run(fw), sess.run(bw), sess.run((Tensor)stateFw), sess.run((Tensor)stateBw));
        for (var i = 0; i < 2; i++)
            for (var u = 0; u < 4; u++)
            {
                // Forward: the final state is the output at the last step of the sequence; backward: at step 0.
                Assert.Equal(f.GetValue<double>(i, lengths[i] - 1, u), sf.GetValue<double>(i, u), 1e-12);
                Assert.Equal(b.GetValue<double>(i, 0, u), sb.GetValue<double>(i, u), 1e-12);
                for (var t = lengths[i]; t < 5; t++) Assert.Equal(0.0, b.GetValue<double>(i, t, u));
            }
    }

    [Fact]
    public void LstmCellOptionsNameTheirVariablesAsTensorFlow()
    {
        using var g = TestGraph.Enter();
        var cell = tf.nn.rnn_cell.LSTMCell(6, use_peepholes: true, cell_clip: 0.5, num_proj: 3, proj_clip: 0.2);
        var (outputs, state) = tf.nn.dynamic_rnn(cell, tf.constant(Inputs(2, 3, 4, 3)), dtype: tf.float64);
        Assert.Equal(["rnn/lstm_cell/kernel:0", "rnn/lstm_cell/bias:0", "rnn/lstm_cell/w_f_diag:0", "rnn/lstm_cell/w_i_diag:0",
            "rnn/lstm_cell/w_o_diag:0", "rnn/lstm_cell/projection/kernel:0"], tf.trainable_variables().Select(v => v.name));
        // [input_depth + num_proj, 4 * num_units], as TensorFlow sizes it.
        Assert.Equal(new Shape(7, 24), ((Variable)tf.trainable_variables()[0]).shape);
        Assert.Equal(new Shape(2, 3, 3), outputs.shape);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var lstm = (SharpFlow.Rnn.LSTMStateTuple)state;
        Assert.All(sess.run(lstm.c).ToArray<double>(), v => Assert.InRange(v, -0.5, 0.5));
        Assert.All(sess.run(outputs).ToArray<double>(), v => Assert.InRange(v, -0.2, 0.2));
        Assert.Equal(new Shape(2, 3), sess.run(lstm.h).shape);
    }

    [Fact]
    public void DropoutWrapperDropsOutputsAndKeepsTheCellsVariables()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(Inputs(4, 3, 2, 4));
        var cell = tf.nn.rnn_cell.BasicRNNCell(8);
        var (plain, _) = tf.nn.dynamic_rnn(cell, x, dtype: tf.float64);
        var (dropped, _) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob: 0.5, seed: 1), x, dtype: tf.float64);
        Assert.Equal(2, tf.trainable_variables().Count);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var (p, d) = (sess.run(plain).ToArray<double>(), sess.run(dropped).ToArray<double>());
        var zeros = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (d[i] == 0) zeros++;
            else Assert.Equal(2 * p[i], d[i], 1e-12);
        }
        Assert.InRange(zeros, p.Length / 4, 3 * p.Length / 4);
    }
}
