using SharpFlow.Tests.Support;
using FusedOps = SharpFlow.Ops.Rnn;

namespace SharpFlow.Tests.Rnn;

/// <summary>
/// tf.contrib.rnn's fused LSTM: the ops LSTMBlockCell and BlockLSTM against a plain reference of TensorFlow's kernel
/// (peepholes, forget_bias, cell_clip, seq_len_max), the cells LSTMBlockCell and LSTMBlockFusedCell against
/// BasicLSTMCell with the same weights, their TensorFlow variable names, and the ops' error messages.
/// </summary>
public class FusedLstmTests
{
    private const int Batch = 3, Input = 2, Cell = 4, Time = 5;

    private static NDArray Rand(int seed, params int[] dims)
    {
        var r = new Random(seed);
        var shape = new Shape(dims);
        return NDArray.FromFlat(Enumerable.Range(0, (int)shape.NumElements).Select(_ => r.NextDouble() * 2 - 1).ToArray(), shape);
    }

    private static double Sig(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>TensorFlow's LSTMBlockCellFprop, in float64 loops: i, cs, f, o, ci, co, h.</summary>
    private static double[][] Step(double[] x, double[] csPrev, double[] hPrev, double[] w, double[] wci, double[] wcf, double[] wco, double[] b,
        double forgetBias, double clip, bool peephole, int batch, int input, int cell)
    {
        // The op's forget_bias and cell_clip are float attributes, as in TensorFlow.
        (forgetBias, clip) = ((float)forgetBias, (float)clip);
        var outs = Enumerable.Range(0, 7).Select(_ => new double[batch * cell]).ToArray();
        for (var r = 0; r < batch; r++)
        {
            var xh = x.Skip(r * input).Take(input).Concat(hPrev.Skip(r * cell).Take(cell)).ToArray();
            var z = new double[4 * cell];
            for (var j = 0; j < 4 * cell; j++)
            {
                z[j] = b[j];
                for (var k = 0; k < xh.Length; k++) z[j] += xh[k] * w[k * 4 * cell + j];
            }
            for (var u = 0; u < cell; u++)
            {
                var e = r * cell + u;
                var cp = csPrev[e];
                var i = Sig(z[u] + (peephole ? cp * wci[u] : 0));
                var ci = Math.Tanh(z[cell + u]);
                var f = Sig(z[2 * cell + u] + forgetBias + (peephole ? cp * wcf[u] : 0));
                var cs = i * ci + f * cp;
                if (clip > 0) cs = Math.Clamp(cs, -clip, clip);
                var co = Math.Tanh(cs);
                var o = Sig(z[3 * cell + u] + (peephole ? cs * wco[u] : 0));
                (outs[0][e], outs[1][e], outs[2][e], outs[3][e], outs[4][e], outs[5][e], outs[6][e]) = (i, cs, f, o, ci, co, o * co);
            }
        }
        return outs;
    }

    private static double[] D(NDArray a) => a.ToArray<double>();

    [Theory]
    [InlineData(false, -1.0)]
    [InlineData(true, 0.5)]
    public void LSTMBlockCellMatchesTheKernelsFormulas(bool peephole, double clip)
    {
        using var g = TestGraph.Enter();
        var (x, c, h, w) = (Rand(1, Batch, Input), Rand(2, Batch, Cell), Rand(3, Batch, Cell), Rand(4, Input + Cell, 4 * Cell));
        var (wci, wcf, wco, b) = (Rand(5, Cell), Rand(6, Cell), Rand(7, Cell), Rand(8, 4 * Cell));
        var outs = FusedOps.LSTMBlockCell.Build(x, c, h, w, wci, wcf, wco, b, forgetBias: 0.7, cellClip: clip, usePeephole: peephole);
        Assert.Equal("LSTMBlockCell", outs[0].op.type);
        Assert.All(outs, o => Assert.Equal(new Shape(Batch, Cell), o.shape));
        var expected = Step(D(x), D(c), D(h), D(w), D(wci), D(wcf), D(wco), D(b), 0.7, clip, peephole, Batch, Input, Cell);
        using var sess = new Session(g.Graph);
        var got = sess.run(outs);
        for (var k = 0; k < 7; k++) AssertArray.Close(NDArray.FromFlat(expected[k], new Shape(Batch, Cell)), got[k], 1e-12);
        if (clip > 0) Assert.Contains(D(got[1]), v => Math.Abs(v) == (float)clip);
    }

    [Theory]
    [InlineData(false, -1.0, 5)]
    [InlineData(true, 0.8, 3)]
    [InlineData(false, 3.0, 0)]
    public void BlockLSTMRunsTheCellOverTimeAndZeroesPastSeqLenMax(bool peephole, double clip, long seqLenMax)
    {
        using var g = TestGraph.Enter();
        var (x, c, h, w) = (Rand(11, Time, Batch, Input), Rand(12, Batch, Cell), Rand(13, Batch, Cell), Rand(14, Input + Cell, 4 * Cell));
        var (wci, wcf, wco, b) = (Rand(15, Cell), Rand(16, Cell), Rand(17, Cell), Rand(18, 4 * Cell));
        var outs = FusedOps.BlockLSTM.Build(seqLenMax, x, c, h, w, wci, wcf, wco, b, forgetBias: 1.0, cellClip: clip, usePeephole: peephole);
        Assert.All(outs, o => Assert.Equal(new Shape(Time, Batch, Cell), o.shape));
        using var sess = new Session(g.Graph);
        var got = sess.run(outs);
        var (cs, hs) = (D(c), D(h));
        var xs = D(x);
        var n = Batch * Cell;
        for (var t = 0; t < Time; t++)
        {
            double[][] step;
            if (t < seqLenMax)
            {
                step = Step(xs.Skip(t * Batch * Input).Take(Batch * Input).ToArray(), cs, hs, D(w), D(wci), D(wcf), D(wco), D(b), 1.0, clip, peephole, Batch, Input, Cell);
                (cs, hs) = (step[1], step[6]);
            }
            else step = Enumerable.Range(0, 7).Select(_ => new double[n]).ToArray();
            for (var k = 0; k < 7; k++)
            {
                var actual = D(got[k]).Skip(t * n).Take(n).ToArray();
                for (var e = 0; e < n; e++) Assert.Equal(step[k][e], actual[e], 1e-12);
            }
        }
    }

    [Fact]
    public void BlockLSTMInFloat32AgreesWithFloat64()
    {
        using var g = TestGraph.Enter();
        var (x, c, h, w) = (Rand(21, Time, Batch, Input), Rand(22, Batch, Cell), Rand(23, Batch, Cell), Rand(24, Input + Cell, 4 * Cell));
        var (wci, b) = (Rand(25, Cell), Rand(26, 4 * Cell));
        var f64 = FusedOps.BlockLSTM.Build(4L, x, c, h, w, wci, wci, wci, b, usePeephole: true)[6];
        var f32 = FusedOps.BlockLSTM.Build(4L, x.Cast(DType.float32), c.Cast(DType.float32), h.Cast(DType.float32), w.Cast(DType.float32),
            wci.Cast(DType.float32), wci.Cast(DType.float32), wci.Cast(DType.float32), b.Cast(DType.float32), usePeephole: true)[6];
        Assert.Equal(tf.float32, f32.dtype);
        AssertArray.Close(g.Eval(f64), g.Eval(f32).Cast(DType.float64), 1e-5);
    }

    /// <summary>Copies the BasicLSTMCell's variables into the fused cell's, then compares outputs and final states.</summary>
    private static void CopyWeights(Session sess, string from, string to)
    {
        foreach (var suffix in new[] { "kernel", "bias" })
        {
            var src = tf.global_variables().Single(v => v.name == $"{from}/{suffix}:0");
            var dst = tf.global_variables().Single(v => v.name == $"{to}/{suffix}:0");
            sess.run(tf.assign(dst, sess.run(src)));
        }
    }

    [Fact]
    public void LSTMBlockCellInDynamicRnnMatchesBasicLSTMCellWithTheSameWeights()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(Rand(31, Batch, Time, Input));
        var lengths = new[] { 5, 2, 4 };
        var (basicOut, basicState) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(Cell, forget_bias: 0.5), x, sequence_length: lengths, dtype: tf.float64, scope: "basic");
        var (fusedOut, fusedState) = tf.nn.dynamic_rnn(tf.contrib.rnn.LSTMBlockCell(Cell, forget_bias: 0.5), x, sequence_length: lengths, dtype: tf.float64, scope: "fused");
        Assert.Equal(["basic/basic_lstm_cell/kernel:0", "basic/basic_lstm_cell/bias:0", "fused/lstm_cell/kernel:0", "fused/lstm_cell/bias:0"],
            tf.trainable_variables().Select(v => v.name));
        Assert.Contains(g.Graph.get_operations(), op => op.type == "LSTMBlockCell");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var bias = tf.global_variables().Single(v => v.name == "basic/basic_lstm_cell/bias:0");
        sess.run(tf.assign(bias, tf.constant(Enumerable.Range(0, 4 * Cell).Select(i => 0.05 * i - 0.4).ToArray(), tf.float64)));
        CopyWeights(sess, "basic/basic_lstm_cell", "fused/lstm_cell");
        AssertArray.Close(sess.run(basicOut), sess.run(fusedOut), 1e-12);
        var (bs, fs) = ((SharpFlow.Rnn.LSTMStateTuple)basicState, (SharpFlow.Rnn.LSTMStateTuple)fusedState);
        AssertArray.Close(sess.run(bs.c), sess.run(fs.c), 1e-12);
        AssertArray.Close(sess.run(bs.h), sess.run(fs.h), 1e-12);
    }

    [Fact]
    public void LSTMBlockFusedCellMatchesBasicLSTMCellWithTheSameWeights()
    {
        using var g = TestGraph.Enter();
        var xBatchMajor = Rand(41, Batch, Time, Input);
        var x = tf.constant(xBatchMajor);
        var lengths = new[] { 5, 0, 3 };
        var (basicOut, basicState) = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(Cell), x, sequence_length: lengths, dtype: tf.float64);
        var fused = tf.contrib.rnn.LSTMBlockFusedCell(Cell);
        var (fusedOut, fusedState) = fused.__call__(tf.transpose(x, new[] { 1, 0, 2 }), dtype: tf.float64, sequence_length: lengths);
        Assert.Equal(new Shape(Time, Batch, Cell), fusedOut.shape);
        Assert.Contains("lstm_fused_cell/kernel:0", tf.trainable_variables().Select(v => v.name));
        Assert.Contains("lstm_fused_cell/bias:0", tf.trainable_variables().Select(v => v.name));
        Assert.Contains(g.Graph.get_operations(), op => op.type == "BlockLSTM");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        CopyWeights(sess, "rnn/basic_lstm_cell", "lstm_fused_cell");
        AssertArray.Close(sess.run(basicOut), sess.run(tf.transpose(fusedOut, new[] { 1, 0, 2 })), 1e-12);
        var bs = (SharpFlow.Rnn.LSTMStateTuple)basicState;
        AssertArray.Close(sess.run(bs.c), sess.run(fusedState.c), 1e-12);
        AssertArray.Close(sess.run(bs.h), sess.run(fusedState.h), 1e-12);
    }

    [Fact]
    public void LSTMBlockFusedCellWithoutLengthsEndsAtTheLastStepAndReusesItsVariables()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(Rand(51, Time, Batch, Input));
        var fused = tf.contrib.rnn.LSTMBlockFusedCell(Cell, use_peephole: true);
        var (outputs, state) = fused.__call__(x, dtype: tf.float64);
        var (outputs2, _) = fused.__call__(x, initial_state: state);
        Assert.Equal(["lstm_fused_cell/kernel:0", "lstm_fused_cell/bias:0", "lstm_fused_cell/w_i_diag:0", "lstm_fused_cell/w_f_diag:0", "lstm_fused_cell/w_o_diag:0"],
            tf.trainable_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var (o, h) = (sess.run(outputs), sess.run(state.h));
        AssertArray.Close(NDArray.FromFlat(D(o).Skip((Time - 1) * Batch * Cell).ToArray(), new Shape(Batch, Cell)), h, 0);
        Assert.Equal(new Shape(Time, Batch, Cell), sess.run(outputs2).shape);
        Assert.Throws<ValueError>(() => fused.__call__(x));
    }

    [Fact]
    public void BuildTimeShapeErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => FusedOps.LSTMBlockCell.Build(Rand(1, Time, Batch, Input), Rand(2, Batch, Cell), Rand(3, Batch, Cell),
            Rand(4, Input + Cell, 4 * Cell), Rand(5, Cell), Rand(5, Cell), Rand(5, Cell), Rand(6, 4 * Cell), name: "cell"));
        Assert.StartsWith("LSTMBlockCell \"cell\"", e.Message);
        Assert.Contains("Shape must be rank 2 but is rank 3", e.Message);
        var e2 = Assert.Throws<ValueError>(() => FusedOps.BlockLSTM.Build(3L, Rand(1, Batch, Input), Rand(2, Batch, Cell), Rand(3, Batch, Cell),
            Rand(4, Input + Cell, 4 * Cell), Rand(5, Cell), Rand(5, Cell), Rand(5, Cell), Rand(6, 4 * Cell), name: "seq"));
        Assert.StartsWith("BlockLSTM \"seq\"", e2.Message);
        var e3 = Assert.Throws<ValueError>(() => FusedOps.BlockLSTM.Build(3L, Rand(1, Time, Batch, Input), Rand(2, Batch, Cell), Rand(3, Batch, Cell),
            Rand(4, Input + Cell, 4 * Cell), Rand(5, Cell), Rand(5, Cell), Rand(5, Cell), Rand(6, 4 * Cell + 1), name: "odd"));
        Assert.Contains("evenly divisible by 4", e3.Message);
        var e4 = Assert.Throws<TypeError>(() => FusedOps.LSTMBlockCell.Build(Rand(1, Batch, Input).Cast(DType.int32), Rand(2, Batch, Cell).Cast(DType.int32),
            Rand(3, Batch, Cell).Cast(DType.int32), Rand(4, Input + Cell, 4 * Cell).Cast(DType.int32), Rand(5, Cell).Cast(DType.int32),
            Rand(5, Cell).Cast(DType.int32), Rand(5, Cell).Cast(DType.int32), Rand(6, 4 * Cell).Cast(DType.int32), name: "ints"));
        Assert.StartsWith("LSTMBlockCell \"ints\"", e4.Message);
    }

    public static TheoryData<string, int, int[], string> RunCases() => new()
    {
        { "LSTMBlockCell", 3, [Input + Cell + 1, 4 * Cell], "w.dim_size(0) != input_size + cell_size: 7 vs. 6" },
        { "LSTMBlockCell", 3, [Input + Cell, 4 * Cell + 4], "w.dim_size(1) != cell_size * 4: 20 vs. 16" },
        { "LSTMBlockCell", 7, [4 * Cell + 1], "b.dim_size(0) != cell_size * 4: 17 vs. 16" },
        { "LSTMBlockCell", 2, [Batch + 1, Cell], "h_prev.dims(0) != batch_size: 4 vs. 3" },
        { "LSTMBlockCell", 1, [Batch + 1, Cell], "cs_prev.dims(0) != batch_size: 4 vs. 3" },
        { "LSTMBlockCell", 4, [Cell + 1], "wci.dim_size(0) != cell_size: 5 vs. 4" },
        { "BlockLSTM", 3, [Input + Cell + 1, 4 * Cell], "w.dim_size(0) != input_size + cell_size: 7 vs. 6" },
        { "BlockLSTM", 6, [Cell, 1], "wco must be 1D" },
        { "BlockLSTM", -1, [], "seq_len_max must be in [0, timelen = 5], got 6" },
    };

    [Theory, MemberData(nameof(RunCases))]
    public void RunTimeErrorsNameTheOp(string opType, int badInput, int[] badShape, string message)
    {
        using var g = TestGraph.Enter();
        NDArray[] values = [Rand(2, Batch, Cell), Rand(3, Batch, Cell), Rand(4, Input + Cell, 4 * Cell), Rand(5, Cell), Rand(5, Cell), Rand(5, Cell), Rand(6, 4 * Cell)];
        var x = opType == "LSTMBlockCell" ? Rand(1, Batch, Input) : Rand(1, Time, Batch, Input);
        var all = new[] { x }.Concat(values).ToArray();
        if (badInput >= 0) all[badInput] = Rand(9, badShape);
        // Placeholders of unknown shape: the checks happen when the op runs.
        var ps = all.Select((_, k) => tf.placeholder(tf.float64, name: $"p{k}")).ToArray();
        var seq = tf.placeholder(tf.int64, name: "seq_len_max");
        var y = opType == "LSTMBlockCell"
            ? FusedOps.LSTMBlockCell.Build(ps[0], ps[1], ps[2], ps[3], ps[4], ps[5], ps[6], ps[7], name: "lstm")[6]
            : FusedOps.BlockLSTM.Build(seq, ps[0], ps[1], ps[2], ps[3], ps[4], ps[5], ps[6], ps[7], name: "lstm")[6];
        var feed = new FeedDict { [seq] = NDArray.Scalar(badInput < 0 ? 6L : 3L) };
        for (var k = 0; k < ps.Length; k++) feed[ps[k]] = all[k];
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, feed));
        Assert.Contains(message, e.Message);
        Assert.Equal("lstm", e.NodeName);
    }
}
