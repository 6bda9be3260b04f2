using SharpFlow.Keras;
using SharpFlow.Keras.Engine;
using KL = SharpFlow.Keras.Layers;

namespace SharpFlow.Tests.Keras;

/// <summary>
/// tf.keras's recurrent layers against plain loops over the layers' own weights: SimpleRNN, LSTM (gates i, f, c, o),
/// GRU (z, r, h, both reset conventions), go_backwards, masks, Bidirectional, TimeDistributed, and training through
/// the while loop.
/// </summary>
public class KerasRecurrentTests
{
    private const int B = 3, T = 5, D = 4, U = 6;

    private static double[,,] Inputs(int seed = 1, int b = B, int t = T, int d = D)
    {
        var r = new Random(seed);
        var x = new double[b, t, d];
        for (var i = 0; i < b; i++) for (var j = 0; j < t; j++) for (var k = 0; k < d; k++) x[i, j, k] = r.NextDouble() * 2 - 1;
        return x;
    }

    private static NDArray F(double[,,] a) => NDArray.FromFlat(a.Cast<double>().Select(v => (float)v).ToArray(), new Shape(a.GetLength(0), a.GetLength(1), a.GetLength(2)));

    private static double[,] M(NDArray a)
    {
        var v = a.Cast(DType.float64).ToArray<double>();
        var (r, c) = (a.shape[0], a.shape[1]);
        var m = new double[r, c];
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) m[i, j] = v[i * c + j];
        return m;
    }

    private static double[] V(NDArray a) => a.Cast(DType.float64).ToArray<double>();

    private static double HardSigmoid(double x) => Math.Clamp(0.2 * x + 0.5, 0, 1);

    /// <summary>x·W[:, gate·U..] + h·R[:, gate·U..] + b[gate·U..] for one sample.</summary>
    private static double Pre(double[] x, double[] h, double[,] w, double[,] r, double[]? b, int gate, int j, bool recurrent = true)
    {
        var col = gate * U + j;
        var s = b?[col] ?? 0;
        for (var k = 0; k < x.Length; k++) s += x[k] * w[k, col];
        if (recurrent) for (var k = 0; k < h.Length; k++) s += h[k] * r[k, col];
        return s;
    }

    private static double[] Step(double[,,] x, int i, int t) => Enumerable.Range(0, x.GetLength(2)).Select(k => x[i, t, k]).ToArray();

    /// <summary>One step of a cell in plain arithmetic: (output, states).</summary>
    private delegate (double[] Output, double[][] States) RefCell(double[] x, double[][] states);

    /// <summary>Keras's K.rnn: outputs[b][t], final states; a masked step keeps the previous output and states.</summary>
    private static (double[][][] Outputs, double[][][] States) RefRnn(double[,,] x, RefCell cell, int stateCount, bool backwards = false, bool[,]? mask = null)
    {
        var n = x.GetLength(0);
        var steps = x.GetLength(1);
        var outputs = new double[n][][];
        var finals = new double[n][][];
        for (var i = 0; i < n; i++)
        {
            var states = Enumerable.Range(0, stateCount).Select(_ => new double[U]).ToArray();
            outputs[i] = new double[steps][];
            for (var s = 0; s < steps; s++)
            {
                var t = backwards ? steps - 1 - s : s;
                var (o, next) = cell(Step(x, i, t), states);
                if (mask is not null && !mask[i, t]) { o = states[0]; next = states; }
                outputs[i][s] = o;
                states = next;
            }
            finals[i] = states;
        }
        return (outputs, finals);
    }

    private static RefCell SimpleRef(double[,] w, double[,] r, double[] b) => (x, s) =>
    {
        var h = Enumerable.Range(0, U).Select(j => Math.Tanh(Pre(x, s[0], w, r, b, 0, j))).ToArray();
        return (h, [h]);
    };

    private static RefCell LstmRef(double[,] w, double[,] r, double[] b) => (x, s) =>
    {
        var (h, c) = (s[0], s[1]);
        var cNew = new double[U];
        var hNew = new double[U];
        for (var j = 0; j < U; j++)
        {
            var ig = HardSigmoid(Pre(x, h, w, r, b, 0, j));
            var fg = HardSigmoid(Pre(x, h, w, r, b, 1, j));
            cNew[j] = fg * c[j] + ig * Math.Tanh(Pre(x, h, w, r, b, 2, j));
            var og = HardSigmoid(Pre(x, h, w, r, b, 3, j));
            hNew[j] = og * Math.Tanh(cNew[j]);
        }
        return (hNew, [hNew, cNew]);
    };

    private static RefCell GruRef(double[,] w, double[,] r, double[] b) => (x, s) =>
    {
        var h = s[0];
        var z = new double[U];
        var rg = new double[U];
        for (var j = 0; j < U; j++) { z[j] = HardSigmoid(Pre(x, h, w, r, b, 0, j)); rg[j] = HardSigmoid(Pre(x, h, w, r, b, 1, j)); }
        var rh = h.Select((v, j) => v * rg[j]).ToArray();
        var hNew = new double[U];
        for (var j = 0; j < U; j++)
        {
            var hh = Math.Tanh(Pre(x, rh, w, r, b, 2, j));
            hNew[j] = z[j] * h[j] + (1 - z[j]) * hh;
        }
        return (hNew, [hNew]);
    };

    private static RefCell GruResetAfterRef(double[,] w, double[,] r, double[,] b2) => (x, s) =>
    {
        var h = s[0];
        var bi = Enumerable.Range(0, 3 * U).Select(k => b2[0, k]).ToArray();
        var br = Enumerable.Range(0, 3 * U).Select(k => b2[1, k]).ToArray();
        var hNew = new double[U];
        for (var j = 0; j < U; j++)
        {
            double Inner(int gate) => Pre([], h, w, r, br, gate, j);
            var z = HardSigmoid(Pre(x, h, w, r, bi, 0, j, recurrent: false) + Inner(0));
            var rg = HardSigmoid(Pre(x, h, w, r, bi, 1, j, recurrent: false) + Inner(1));
            var hh = Math.Tanh(Pre(x, h, w, r, bi, 2, j, recurrent: false) + rg * Inner(2));
            hNew[j] = z * h[j] + (1 - z) * hh;
        }
        return (hNew, [hNew]);
    };

    private static void Close(double[][][] expected, NDArray actual, double tol = 1e-5)
    {
        var v = V(actual);
        var idx = 0;
        foreach (var a in expected) foreach (var b in a) foreach (var e in b) Assert.Equal(e, v[idx++], tol);
        Assert.Equal(idx, v.Length);
    }

    private static void Close(double[][] expected, NDArray actual, double tol = 1e-5)
    {
        var v = V(actual);
        var idx = 0;
        foreach (var a in expected) foreach (var e in a) Assert.Equal(e, v[idx++], tol);
        Assert.Equal(idx, v.Length);
    }

    private static double[][] Last(double[][][] outputs) => outputs.Select(o => o[^1]).ToArray();

    private static double[][] State(double[][][] finals, int k) => finals.Select(s => s[k]).ToArray();

    /// <summary>Random weights (the initializers give small ones; these exercise every gate's range).</summary>
    private static void Randomize(Layer layer, int seed)
    {
        var r = new Random(seed);
        layer.set_weights(layer.get_weights().Select(w =>
            NDArray.FromFlat(Enumerable.Range(0, (int)w.shape.NumElements).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray(), w.shape)).ToList());
    }

    [Fact]
    public void SimpleRnnMatchesTheReferenceLoopAndNamesItsWeightsAsKeras()
    {
        using var g = TestGraph.Enter();
        var x = Inputs();
        var input = tf.keras.Input(shape: [T, D]);
        var layer = tf.keras.layers.SimpleRNN(U, return_sequences: true);
        var y = layer.Apply(input);
        Assert.Equal(new[] { "simple_rnn/kernel:0", "simple_rnn/recurrent_kernel:0", "simple_rnn/bias:0" }, layer.weights.Select(w => w.name));
        Assert.Equal(new Shape(-1, T, U), y.shape);
        Randomize(layer, 3);
        var w = layer.get_weights();
        var expected = RefRnn(x, SimpleRef(M(w[0]), M(w[1]), V(w[2])), 1);
        var model = tf.keras.Model(input, y);
        Close(expected.Outputs, model.predict(F(x)));
    }

    [Fact]
    public void LstmMatchesTheReferenceLoopWithGatesIfcoAndReturnsItsStates()
    {
        using var g = TestGraph.Enter();
        var x = Inputs(2);
        var input = tf.keras.Input(shape: [T, D]);
        var layer = tf.keras.layers.LSTM(U, return_state: true);
        var outs = layer.Apply([input]);
        Assert.Equal(3, outs.Length);
        Assert.Equal(new[] { "lstm/kernel:0", "lstm/recurrent_kernel:0", "lstm/bias:0" }, layer.weights.Select(w => w.name));
        Assert.Equal(new[] { new Shape(D, 4 * U), new Shape(U, 4 * U), new Shape(4 * U) }, layer.weights.Select(w => w.shape));
        // unit_forget_bias: zeros, ones at the forget gate, zeros.
        var bias0 = V(layer.get_weights()[2]);
        Assert.Equal(Enumerable.Repeat(0.0, U).Concat(Enumerable.Repeat(1.0, U)).Concat(Enumerable.Repeat(0.0, 2 * U)), bias0);
        // The recurrent kernel starts orthogonal: RᵀR = I.
        var r0 = M(layer.get_weights()[1]);
        for (var a = 0; a < U; a++)
            for (var b = 0; b < U; b++)
            {
                double dot = 0;
                for (var k = 0; k < 4 * U; k++) dot += r0[a, k] * r0[b, k];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-5);
            }
        Randomize(layer, 4);
        var w = layer.get_weights();
        var expected = RefRnn(x, LstmRef(M(w[0]), M(w[1]), V(w[2])), 2);
        var model = tf.keras.Model([input], outs);
        var got = model.predict([F(x)]);
        Close(Last(expected.Outputs), got[0]);
        Close(State(expected.States, 0), got[1]);
        Close(State(expected.States, 1), got[2]);
    }

    [Fact]
    public void GruMatchesTheReferenceLoopForBothResetConventions()
    {
        using var g = TestGraph.Enter();
        var x = Inputs(5);
        var input = tf.keras.Input(shape: [T, D]);
        var before = tf.keras.layers.GRU(U, return_sequences: true);
        var after = tf.keras.layers.GRU(U, reset_after: true, name: "gru_after");
        var y1 = before.Apply(input);
        var y2 = after.Apply(input);
        Assert.Equal(new[] { "gru/kernel:0", "gru/recurrent_kernel:0", "gru/bias:0" }, before.weights.Select(w => w.name));
        Assert.Equal(new Shape(3 * U), before.weights[2].shape);
        Assert.Equal(new Shape(2, 3 * U), after.weights[2].shape);
        Randomize(before, 6);
        Randomize(after, 7);
        var w1 = before.get_weights();
        var w2 = after.get_weights();
        var model = tf.keras.Model([input], [y1, y2]);
        var got = model.predict([F(x)]);
        Close(RefRnn(x, GruRef(M(w1[0]), M(w1[1]), V(w1[2])), 1).Outputs, got[0]);
        Close(Last(RefRnn(x, GruResetAfterRef(M(w2[0]), M(w2[1]), M(w2[2])), 1).Outputs), got[1]);
    }

    [Fact]
    public void GoBackwardsReadsFromTheEndAndUnrollGivesTheSameNumbers()
    {
        using var g = TestGraph.Enter();
        var x = Inputs(8);
        var input = tf.keras.Input(shape: [T, D]);
        var back = tf.keras.layers.LSTM(U, go_backwards: true, return_sequences: true);
        var y = back.Apply(input);
        Randomize(back, 9);
        var w = back.get_weights();
        var unrolled = tf.keras.layers.LSTM(U, go_backwards: true, return_sequences: true, unroll: true);
        var y2 = unrolled.Apply(input);
        unrolled.set_weights(w);
        var expected = RefRnn(x, LstmRef(M(w[0]), M(w[1]), V(w[2])), 2, backwards: true);
        var got = tf.keras.Model([input], [y, y2]).predict([F(x)]);
        Close(expected.Outputs, got[0]);
        Close(expected.Outputs, got[1]);
    }

    [Fact]
    public void EmbeddingMaskZeroMakesTheLstmSkipPaddingSteps()
    {
        using var g = TestGraph.Enter();
        // Pre-padded (pad_sequences' default) and post-padded ids; 0 is padding.
        var ids = new[,] { { 0, 0, 3, 1, 2 }, { 4, 2, 0, 0, 0 }, { 1, 2, 3, 4, 1 } };
        var model = tf.keras.Sequential([
            tf.keras.layers.Embedding(5, D, mask_zero: true, input_length: T),
            tf.keras.layers.LSTM(U, return_sequences: true),
        ]);
        var emb = (KL.Embedding)model.layers[0];
        Randomize(model.layers[1], 10);
        var table = M(emb.get_weights()[0]);
        var x = new double[3, T, D];
        var mask = new bool[3, T];
        for (var i = 0; i < 3; i++)
            for (var t = 0; t < T; t++)
            {
                mask[i, t] = ids[i, t] != 0;
                for (var k = 0; k < D; k++) x[i, t, k] = table[ids[i, t], k];
            }
        var w = model.layers[1].get_weights();
        var expected = RefRnn(x, LstmRef(M(w[0]), M(w[1]), V(w[2])), 2, mask: mask);
        var idArray = NDArray.FromFlat(ids.Cast<int>().ToArray(), new Shape(3, T));
        Close(expected.Outputs, model.predict(idArray));
        // The first sample's padding keeps the zero state; its last output is the LSTM on [3, 1, 2] alone.
        var got = V(model.predict(idArray));
        Assert.All(got.Take(2 * U), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void MaskingLayerMasksAllZeroSteps()
    {
        using var g = TestGraph.Enter();
        var x = Inputs(11);
        for (var k = 0; k < D; k++) { x[0, 4, k] = 0; x[1, 0, k] = 0; x[1, 1, k] = 0; }
        var model = tf.keras.Sequential([tf.keras.layers.Masking(0.0, input_shape: [T, D]), tf.keras.layers.SimpleRNN(U)]);
        Randomize(model.layers[1], 12);
        var w = model.layers[1].get_weights();
        var mask = new bool[B, T];
        for (var i = 0; i < B; i++) for (var t = 0; t < T; t++) mask[i, t] = Enumerable.Range(0, D).Any(k => x[i, t, k] != 0);
        Close(Last(RefRnn(x, SimpleRef(M(w[0]), M(w[1]), V(w[2])), 1, mask: mask).Outputs), model.predict(F(x)));
    }

    [Fact]
    public void BidirectionalConcatenatesTheForwardAndTheReversedBackwardOutputs()
    {
        using var g = TestGraph.Enter();
        var x = Inputs(13);
        var input = tf.keras.Input(shape: [T, D]);
        var bi = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(U, return_sequences: true));
        var y = bi.Apply(input);
        Assert.Equal("bidirectional", bi.name);
        Assert.Equal(new[]
        {
            "bidirectional/forward_lstm/kernel:0", "bidirectional/forward_lstm/recurrent_kernel:0", "bidirectional/forward_lstm/bias:0",
            "bidirectional/backward_lstm/kernel:0", "bidirectional/backward_lstm/recurrent_kernel:0", "bidirectional/backward_lstm/bias:0",
        }, bi.weights.Select(w => w.name));
        Assert.Equal(new Shape(-1, T, 2 * U), y.shape);
        Randomize(bi, 14);
        var w = bi.get_weights();
        var fw = RefRnn(x, LstmRef(M(w[0]), M(w[1]), V(w[2])), 2).Outputs;
        var bw = RefRnn(x, LstmRef(M(w[3]), M(w[4]), V(w[5])), 2, backwards: true).Outputs;
        var expected = fw.Select((o, i) => o.Select((step, t) => step.Concat(bw[i][T - 1 - t]).ToArray()).ToArray()).ToArray();
        var sum = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(U), merge_mode: "sum");
        var ys = sum.Apply(input);
        Randomize(sum, 15);
        var ws = sum.get_weights();
        var gf = Last(RefRnn(x, GruRef(M(ws[0]), M(ws[1]), V(ws[2])), 1).Outputs);
        var gb = Last(RefRnn(x, GruRef(M(ws[3]), M(ws[4]), V(ws[5])), 1, backwards: true).Outputs);
        var got = tf.keras.Model([input], [y, ys]).predict([F(x)]);
        Close(expected, got[0]);
        Close(gf.Select((a, i) => a.Select((v, j) => v + gb[i][j]).ToArray()).ToArray(), got[1]);
    }

    [Fact]
    public void TimeDistributedAppliesItsLayerToEveryStep()
    {
        using var g = TestGraph.Enter();
        var x = Inputs(16);
        var model = tf.keras.Sequential([tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2), input_shape: [T, D])]);
        Assert.Equal(new[] { "time_distributed/kernel:0", "time_distributed/bias:0" }, model.weights.Select(w => w.name));
        Assert.Equal(new Shape(-1, T, 2), model.output_shape);
        Randomize(model, 17);
        var w = model.get_weights();
        var k = M(w[0]);
        var b = V(w[1]);
        var got = V(model.predict(F(x)));
        var idx = 0;
        for (var i = 0; i < B; i++)
            for (var t = 0; t < T; t++)
                for (var j = 0; j < 2; j++)
                {
                    var e = b[j];
                    for (var q = 0; q < D; q++) e += x[i, t, q] * k[q, j];
                    Assert.Equal(e, got[idx++], 1e-5);
                }
    }

    [Fact]
    public void AnLstmClassifierLearnsWhichHalfOfTheSequenceHoldsTheSignal()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        // Label 1 when the larger values sit in the second half of the sequence: the order matters.
        var r = new Random(4);
        const int n = 256, steps = 8;
        var xs = new float[n * steps];
        var ys = new float[n];
        for (var i = 0; i < n; i++)
        {
            var late = r.Next(2);
            ys[i] = late;
            for (var t = 0; t < steps; t++) xs[i * steps + t] = (float)(r.NextDouble() * 0.5 + ((t >= steps / 2) == (late == 1) ? 0.5 : 0));
        }
        var xa = NDArray.FromFlat(xs, new Shape(n, steps, 1));
        var ya = NDArray.FromFlat(ys, new Shape(n, 1));
        var model = tf.keras.Sequential([tf.keras.layers.LSTM(8, input_shape: [steps, 1], recurrent_dropout: 0.1), tf.keras.layers.Dense(1, activation: "sigmoid")]);
        model.compile(tf.keras.optimizers.Adam(lr: 0.02), "binary_crossentropy", metrics: ["accuracy"]);
        var history = model.fit(xa, ya, batch_size: 32, epochs: 8, verbose: 0);
        var losses = history.history["loss"];
        Assert.True(losses[^1] < losses[0] * 0.5, string.Join(", ", losses));
        Assert.True(model.evaluate(xa, ya, verbose: 0)[1] > 0.9);
        // Without training, recurrent dropout is off: predict is deterministic.
        AssertArray.Close(model.predict(xa), model.predict(xa), 0);
    }

    [Fact]
    public void BadConfigurationsAndInputsAreRefusedNamingTheLayer()
    {
        using var g = TestGraph.Enter();
        var ex = Assert.Throws<ValueError>(() => tf.keras.layers.LSTM(4, stateful: true));
        Assert.Contains("stateful=True is not supported", ex.Message);
        var flat = tf.keras.Input(shape: [D]);
        ex = Assert.Throws<ValueError>(() => tf.keras.layers.GRU(4).Apply(flat));
        Assert.Contains("Input 0 of layer gru is incompatible with the layer: expected ndim=3, found ndim=2", ex.Message);
        ex = Assert.Throws<ValueError>(() => tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(4), merge_mode: "max"));
        Assert.Contains("Invalid merge mode", ex.Message);
        var seq = tf.keras.Input(shape: [T, D]);
        var init = tf.keras.Input(shape: [U]);
        ex = Assert.Throws<ValueError>(() => tf.keras.layers.LSTM(U).Apply([seq, init]));
        Assert.Contains("`initial_state` was passed that is not compatible", ex.Message);
        ex = Assert.Throws<ValueError>(() => tf.keras.layers.SimpleRNN(U, unroll: true).Apply(tf.keras.Input(shape: [-1, D])));
        Assert.Contains("Cannot unroll a RNN if the time dimension is undefined", ex.Message);
    }

    [Fact]
    public void InitialStatesPassedAfterTheInputsStartTheLoop()
    {
        using var g = TestGraph.Enter();
        var x = Inputs(18);
        var seq = tf.keras.Input(shape: [T, D]);
        var h0 = tf.keras.Input(shape: [U]);
        var c0 = tf.keras.Input(shape: [U]);
        var layer = tf.keras.layers.LSTM(U);
        var y = layer.Apply([seq, h0, c0]);
        Randomize(layer, 19);
        var w = layer.get_weights();
        var hs = new double[B][];
        var cs = new double[B][];
        var r = new Random(20);
        for (var i = 0; i < B; i++) { hs[i] = Enumerable.Range(0, U).Select(_ => r.NextDouble() - 0.5).ToArray(); cs[i] = Enumerable.Range(0, U).Select(_ => r.NextDouble() - 0.5).ToArray(); }
        var cell = LstmRef(M(w[0]), M(w[1]), V(w[2]));
        var expected = new double[B][];
        for (var i = 0; i < B; i++)
        {
            double[][] s = [hs[i], cs[i]];
            double[] o = [];
            for (var t = 0; t < T; t++) (o, s) = cell(Step(x, i, t), s);
            expected[i] = o;
        }
        NDArray A(double[][] a) => NDArray.FromFlat(a.SelectMany(v => v).Select(v => (float)v).ToArray(), new Shape(B, U));
        var got = tf.keras.Model(new[] { seq, h0, c0 }, y).predict([F(x), A(hs), A(cs)]);
        Close(expected, got[0]);
    }
}
