using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn;

/// <summary>ResidualWrapper and DropoutWrapper's variational_recurrent mode and TensorFlow's per-tensor seeds.</summary>
public class RnnWrapperTests
{
    private static NDArray Inputs(int seed, int batch, int time, int depth)
    {
        var r = new Random(seed);
        return NDArray.FromFlat(Enumerable.Range(0, batch * time * depth).Select(_ => r.NextDouble() * 2 - 1).ToArray(), new Shape(batch, time, depth));
    }

    [Fact]
    public void SeedsAreTensorFlowsGenSeed()
    {
        using var g = TestGraph.Enter();
        var w = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(2), output_keep_prob: 0.5, seed: 1);
        // int(hashlib.md5(b"1input_0").hexdigest()[:8], 16) & 0x7FFFFFFF, and so on.
        Assert.Equal(831683206, w.GenSeed("input", 0));
        Assert.Equal(841632429, w.GenSeed("state", 1));
        Assert.Equal(1582839741, w.GenSeed("output", 0));
        Assert.Null(tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(2)).GenSeed("input", 0));
    }

    [Fact]
    public void VariationalDropoutUsesTheSameMaskAtEveryStepAndRow()
    {
        using var g = TestGraph.Enter();
        const int batch = 4, time = 6, depth = 3, units = 16;
        var x = tf.constant(Inputs(3, batch, time, depth));
        var cell = tf.nn.rnn_cell.BasicRNNCell(units);
        var (plain, _) = tf.nn.dynamic_rnn(cell, x, dtype: tf.float64);
        var wrapped = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob: 0.5, variational_recurrent: true, dtype: tf.float64, seed: 5);
        var (dropped, _) = tf.nn.dynamic_rnn(wrapped, x, dtype: tf.float64);
        Assert.Equal(2, tf.trainable_variables().Count);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var (p, d) = (sess.run(plain), sess.run(dropped));
        var kept = new bool[units];
        for (var u = 0; u < units; u++) kept[u] = d.GetValue<double>(0, 0, u) != 0;
        Assert.Contains(true, kept);
        Assert.Contains(false, kept);
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < time; t++)
                for (var u = 0; u < units; u++)
                    Assert.Equal(kept[u] ? 2 * p.GetValue<double>(b, t, u) : 0, d.GetValue<double>(b, t, u), 1e-12);
        // The mask is drawn once per run: a second run draws another.
        var again = sess.run(dropped);
        Assert.Equal(new Shape(batch, time, units), again.shape);
    }

    [Fact]
    public void VariationalStateAndInputDropoutKeepTheirMasksAcrossSteps()
    {
        using var g = TestGraph.Enter();
        const int batch = 2, time = 5, depth = 4, units = 6;
        var x = tf.constant(Inputs(4, batch, time, depth));
        var wrapped = tf.nn.rnn_cell.DropoutWrapper(tf.contrib.rnn.LSTMBlockCell(units), input_keep_prob: 0.6, state_keep_prob: 0.7,
            variational_recurrent: true, input_size: depth, dtype: tf.float64, seed: 2);
        var (outputs, state) = tf.nn.dynamic_rnn(wrapped, x, dtype: tf.float64);
        // The noise is made with the wrapper, outside the loop, as TensorFlow makes it: for the input, each state
        // tensor (c, h) and the output (the fifth RandomUniform is the kernel's initializer).
        var random = g.Graph.get_operations().Where(o => o.type == "RandomUniform").Select(o => o.name).ToList();
        Assert.Equal(5, random.Count);
        Assert.DoesNotContain(random, n => n.Contains("while/"));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var run = sess.run([outputs, ((SharpFlow.Rnn.LSTMStateTuple)state).h]);
        Assert.Equal(new Shape(batch, time, units), run[0].shape);
        // The final state h is dropped with the state mask: its zero columns are the same in every row.
        var h = run[1];
        for (var u = 0; u < units; u++) Assert.Equal(h.GetValue<double>(0, u) == 0, h.GetValue<double>(1, u) == 0);
    }

    [Fact]
    public void VariationalDropoutNeedsDtypeAndInputSize()
    {
        using var g = TestGraph.Enter();
        var cell = tf.nn.rnn_cell.BasicRNNCell(2);
        var e = Assert.Throws<ValueError>(() => tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob: 0.5, variational_recurrent: true));
        Assert.Equal("When variational_recurrent=True, dtype must be provided", e.Message);
        var e2 = Assert.Throws<ValueError>(() => tf.nn.rnn_cell.DropoutWrapper(cell, input_keep_prob: 0.5, variational_recurrent: true, dtype: tf.float32));
        Assert.Contains("input_size must be provided", e2.Message);
        var e3 = Assert.Throws<ValueError>(() => tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob: 1.5));
        Assert.Equal("Parameter output_keep_prob must be between 0 and 1: 1.5", e3.Message);
    }

    [Fact]
    public void NonVariationalDropoutDrawsAFreshMaskEachStep()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(Inputs(5, 1, 8, 2));
        var (dropped, _) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(16), output_keep_prob: 0.5, seed: 3), x, dtype: tf.float64);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var d = sess.run(dropped);
        var masks = Enumerable.Range(0, 8).Select(t => string.Concat(Enumerable.Range(0, 16).Select(u => d.GetValue<double>(0, t, u) == 0 ? '0' : '1'))).Distinct();
        Assert.True(masks.Count() > 1);
    }

    [Fact]
    public void ResidualWrapperAddsTheInputsAndKeepsTheCellsScope()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(Inputs(6, 2, 3, 4));
        var cell = tf.nn.rnn_cell.BasicLSTMCell(4);
        var (plain, _) = tf.nn.dynamic_rnn(cell, x, dtype: tf.float64, scope: "plain");
        var (residual, _) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.ResidualWrapper(cell), x, dtype: tf.float64, scope: "plain");
        Assert.Equal(["plain/basic_lstm_cell/kernel:0", "plain/basic_lstm_cell/bias:0"], tf.trainable_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        AssertArray.Close(sess.run(tf.add(plain, x)), sess.run(residual), 1e-12);
        var (custom, _) = tf.nn.dynamic_rnn(tf.contrib.rnn.ResidualWrapper(cell, (i, o) => o - i), x, dtype: tf.float64, scope: "plain");
        AssertArray.Close(sess.run(tf.subtract(plain, x)), sess.run(custom), 1e-12);
        var e = Assert.Throws<ValueError>(() => tf.nn.dynamic_rnn(tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicLSTMCell(3)), x, dtype: tf.float64, scope: "bad"));
        Assert.Contains("are incompatible", e.Message);
    }
}
