using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn;

/// <summary>
/// dynamic_rnn with TensorFlow 1.x's cells against the same recurrences computed step by step in plain C# from the
/// variables' values; variable names as TensorFlow's; sequence lengths; a small LSTM that learns.
/// </summary>
public class DynamicRnnTests
{
    private const int Batch = 3, Time = 4, Depth = 2, Units = 5;

    private static double[,,] Inputs()
    {
        var r = new Random(7);
        var x = new double[Batch, Time, Depth];
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < Time; t++)
                for (var d = 0; d < Depth; d++) x[b, t, d] = r.NextDouble() * 2 - 1;
        return x;
    }

    private static double Sig(double v) => 1 / (1 + Math.Exp(-v));

    // [x, h] · kernel + bias for one batch row.
    private static double[] Affine(double[] x, double[] h, double[,] kernel, double[] bias)
    {
        var n = bias.Length;
        var result = (double[])bias.Clone();
        var input = x.Concat(h).ToArray();
        for (var j = 0; j < n; j++)
            for (var i = 0; i < input.Length; i++) result[j] += input[i] * kernel[i, j];
        return result;
    }

    private static double[,] Matrix(NDArray a) => (double[,])a.ToMultiDimArray();

    private static double[] Row(double[,,] x, int b, int t) => Enumerable.Range(0, x.GetLength(2)).Select(d => x[b, t, d]).ToArray();

    [Fact]
    public void BasicLstmMatchesTheRecurrenceAndStopsAtEachSequencesLength()
    {
        using var g = TestGraph.Enter();
        var x = Inputs();
        var lengths = new[] { 4, 2, 3 };
        var cell = tf.nn.rnn_cell.BasicLSTMCell(Units);
        var (outputs, state) = tf.nn.dynamic_rnn(cell, tf.constant(NDArray.FromArray(x)), sequence_length: lengths, dtype: tf.float64);
        var final = (SharpFlow.Rnn.LSTMStateTuple)state;
        Assert.Equal(new Shape(Batch, Time, Units), outputs.shape);
        var names = tf.trainable_variables().Select(v => v.name).ToList();
        Assert.Equal(["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"], names);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        // A non-zero bias, so its use is checked too.
        sess.run(tf.assign((Variable)tf.trainable_variables()[1], tf.constant(Enumerable.Range(0, 4 * Units).Select(i => 0.05 * i - 0.4).ToArray(), tf.float64)));
        var kernel = Matrix(sess.run((Variable)tf.trainable_variables()[0]));
        var bias = sess.run((Variable)tf.trainable_variables()[1]).ToArray<double>();
        var (o, c, h) = (sess.run(outputs), sess.run(final.c), sess.run(final.h));
        for (var b = 0; b < Batch; b++)
        {
            var cs = new double[Units];
            var hs = new double[Units];
            for (var t = 0; t < Time; t++)
            {
                double[] expected;
                if (t < lengths[b])
                {
                    var z = Affine(Row(x, b, t), hs, kernel, bias);
                    for (var u = 0; u < Units; u++)
                    {
                        cs[u] = cs[u] * Sig(z[2 * Units + u] + 1.0) + Sig(z[u]) * Math.Tanh(z[Units + u]);
                        hs[u] = Math.Tanh(cs[u]) * Sig(z[3 * Units + u]);
                    }
                    expected = hs;
                }
                else expected = new double[Units];
                for (var u = 0; u < Units; u++) Assert.Equal(expected[u], o.GetValue<double>(b, t, u), 1e-12);
            }
            for (var u = 0; u < Units; u++)
            {
                Assert.Equal(cs[u], c.GetValue<double>(b, u), 1e-12);
                Assert.Equal(hs[u], h.GetValue<double>(b, u), 1e-12);
            }
        }
    }

    [Fact]
    public void GruAndBasicRnnMatchTheirRecurrences()
    {
        using var g = TestGraph.Enter();
        var x = Inputs();
        var (gruOut, gruState) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(Units), tf.constant(NDArray.FromArray(x)), dtype: tf.float64, scope: "gru");
        var (rnnOut, _) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(Units), tf.constant(NDArray.FromArray(x)), dtype: tf.float64, scope: "plain");
        var names = tf.trainable_variables().Select(v => v.name).ToList();
        Assert.Equal(["gru/gru_cell/gates/kernel:0", "gru/gru_cell/gates/bias:0", "gru/gru_cell/candidate/kernel:0", "gru/gru_cell/candidate/bias:0",
            "plain/basic_rnn_cell/kernel:0", "plain/basic_rnn_cell/bias:0"], names);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var v = tf.trainable_variables().Select(t => sess.run((Variable)t)).ToArray();
        var (gk, gb, ck, cb, rk, rb) = (Matrix(v[0]), v[1].ToArray<double>(), Matrix(v[2]), v[3].ToArray<double>(), Matrix(v[4]), v[5].ToArray<double>());
        Assert.All(gb, b => Assert.Equal(1.0, b));
        var (go, ro, gs) = (sess.run(gruOut), sess.run(rnnOut), sess.run((Tensor)gruState));
        for (var b = 0; b < Batch; b++)
        {
            var h = new double[Units];
            var s = new double[Units];
            for (var t = 0; t < Time; t++)
            {
                var ru = Affine(Row(x, b, t), h, gk, gb).Select(Sig).ToArray();
                var rh = Enumerable.Range(0, Units).Select(u => ru[u] * h[u]).ToArray();
                var cand = Affine(Row(x, b, t), rh, ck, cb).Select(Math.Tanh).ToArray();
                h = Enumerable.Range(0, Units).Select(u => ru[Units + u] * h[u] + (1 - ru[Units + u]) * cand[u]).ToArray();
                s = Affine(Row(x, b, t), s, rk, rb).Select(Math.Tanh).ToArray();
                for (var u = 0; u < Units; u++)
                {
                    Assert.Equal(h[u], go.GetValue<double>(b, t, u), 1e-12);
                    Assert.Equal(s[u], ro.GetValue<double>(b, t, u), 1e-12);
                }
            }
            for (var u = 0; u < Units; u++) Assert.Equal(h[u], gs.GetValue<double>(b, u), 1e-12);
        }
    }

    [Fact]
    public void MultiRnnCellStacksCellsInTheirOwnScopes()
    {
        using var g = TestGraph.Enter();
        var cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4), tf.nn.rnn_cell.BasicLSTMCell(3)]);
        var inputs = tf.placeholder(tf.float32, new Shape(-1, -1, 2));
        var (outputs, state) = tf.nn.dynamic_rnn(cell, inputs, dtype: tf.float32);
        Assert.Equal(["rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0", "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
            "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0", "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0"],
            tf.trainable_variables().Select(v => v.name));
        var states = (object[])state;
        var top = (SharpFlow.Rnn.LSTMStateTuple)states[1];
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var feed = new FeedDict { [inputs] = NDArray.FromArray(new float[2, 6, 2]) };
        Assert.Equal(new Shape(2, 6, 3), sess.run(outputs, feed).shape);
        Assert.Equal(new Shape(2, 3), sess.run(top.h, feed).shape);
    }

    [Fact]
    public void AnLstmLearnsToSumItsInputs()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        var r = new Random(3);
        var xs = new float[64, 6, 1];
        var ys = new float[64, 1];
        for (var i = 0; i < 64; i++)
            for (var t = 0; t < 6; t++)
            {
                xs[i, t, 0] = (float)(r.NextDouble() - 0.5);
                ys[i, 0] += xs[i, t, 0];
            }
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 1));
        var y = tf.placeholder(tf.float32, new Shape(-1, 1));
        var (_, state) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(16), x, dtype: tf.float32);
        var prediction = tf.layers.dense(((SharpFlow.Rnn.LSTMStateTuple)state).h, 1);
        var loss = tf.reduce_mean(tf.square(prediction - y));
        var train = tf.train.AdamOptimizer(0.01).minimize(loss);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var feed = new FeedDict { [x] = NDArray.FromArray(xs), [y] = NDArray.FromArray(ys) };
        var first = sess.run(loss, feed).ToArray<float>()[0];
        for (var step = 0; step < 300; step++) sess.run(train, feed);
        var last = sess.run(loss, feed).ToArray<float>()[0];
        Assert.True(last < first / 20, $"loss {first} -> {last}");
    }
}
