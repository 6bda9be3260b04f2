using SharpFlow.Rnn.Seq2Seq;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn.Seq2Seq;

/// <summary>
/// Bahdanau and Luong attention and the AttentionWrapper against plain references of TensorFlow 1.15's formulas
/// (attention_wrapper.py), computed from the variables' values; TensorFlow's variable names; tile_batch.
/// </summary>
public class AttentionTests
{
    private const int Batch = 3, MemTime = 4, MemDepth = 3, Units = 4, QueryDepth = 4;
    private static readonly int[] Lengths = [4, 2, 3];

    private static double[,,] Memory()
    {
        var r = new Random(21);
        var m = new double[Batch, MemTime, MemDepth];
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < MemTime; t++)
                for (var d = 0; d < MemDepth; d++) m[b, t, d] = r.NextDouble() * 2 - 1;
        return m;
    }

    private static double[,] Random2(int rows, int cols, int seed)
    {
        var r = new Random(seed);
        var a = new double[rows, cols];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++) a[i, j] = r.NextDouble() * 2 - 1;
        return a;
    }

    private static double[,] M(NDArray a) => (double[,])a.ToMultiDimArray();

    // keys[b, t] = (memory masked past the length)[b, t] · W
    private static double[,,] Keys(double[,,] memory, double[,] w)
    {
        var k = new double[Batch, MemTime, w.GetLength(1)];
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < MemTime; t++)
                for (var j = 0; j < w.GetLength(1); j++)
                    for (var d = 0; d < MemDepth; d++) k[b, t, j] += (t < Lengths[b] ? memory[b, t, d] : 0) * w[d, j];
        return k;
    }

    private static double[] MaskedSoftmax(double[] score, int length)
    {
        var max = score.Take(length).Max();
        var e = score.Select((s, t) => t < length ? Math.Exp(s - max) : 0).ToArray();
        var sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BahdanauScoresAsTheFormula(bool normalize)
    {
        using var g = TestGraph.Enter();
        var memory = Memory();
        var query = Random2(Batch, QueryDepth, 4);
        var mech = tf.contrib.seq2seq.BahdanauAttention(Units, tf.constant(NDArray.FromArray(memory)), Lengths, normalize: normalize);
        var (alignments, next) = mech.__call__(tf.constant(NDArray.FromArray(query)), mech.initial_state(Batch, tf.float64));
        Assert.Same(alignments, next);
        var names = tf.trainable_variables().Select(v => v.name).ToArray();
        Assert.Equal(normalize
            ? ["memory_layer/kernel:0", "bahdanau_attention/query_layer/kernel:0", "bahdanau_attention/attention_v:0", "bahdanau_attention/attention_g:0", "bahdanau_attention/attention_b:0"]
            : ["memory_layer/kernel:0", "bahdanau_attention/query_layer/kernel:0", "bahdanau_attention/attention_v:0"], names);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var vars = tf.trainable_variables().Cast<Variable>().ToArray();
        if (normalize) sess.run(tf.assign(vars[4], tf.constant(new[] { 0.1, -0.2, 0.3, 0.05 }, tf.float64)));
        var wm = M(sess.run(vars[0]));
        var wq = M(sess.run(vars[1]));
        var v = sess.run(vars[2]).ToArray<double>();
        if (normalize)
        {
            var gain = sess.run(vars[3]).ToArray<double>()[0];
            Assert.Equal(Math.Sqrt(1.0 / Units), gain, 1e-12);
            var norm = Math.Sqrt(v.Sum(x => x * x));
            v = [.. v.Select(x => gain * x / norm)];
        }
        var bias = normalize ? sess.run(vars[4]).ToArray<double>() : new double[Units];
        var keys = Keys(memory, wm);
        var got = M(sess.run(alignments));
        for (var b = 0; b < Batch; b++)
        {
            var pq = Enumerable.Range(0, Units).Select(j => Enumerable.Range(0, QueryDepth).Sum(i => query[b, i] * wq[i, j])).ToArray();
            var score = Enumerable.Range(0, MemTime).Select(t => Enumerable.Range(0, Units).Sum(j => v[j] * Math.Tanh(keys[b, t, j] + pq[j] + bias[j]))).ToArray();
            var expected = MaskedSoftmax(score, Lengths[b]);
            for (var t = 0; t < MemTime; t++) Assert.Equal(expected[t], got[b, t], 1e-12);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LuongScoresAsTheFormula(bool scale)
    {
        using var g = TestGraph.Enter();
        var memory = Memory();
        var query = Random2(Batch, Units, 6);
        var mech = tf.contrib.seq2seq.LuongAttention(Units, tf.constant(NDArray.FromArray(memory)), Lengths, scale: scale);
        var (alignments, _) = mech.__call__(tf.constant(NDArray.FromArray(query)), mech.initial_state(Batch, tf.float64));
        Assert.Equal(scale ? ["memory_layer/kernel:0", "luong_attention/attention_g:0"] : ["memory_layer/kernel:0"],
            tf.trainable_variables().Select(v => v.name).ToArray());
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var vars = tf.trainable_variables().Cast<Variable>().ToArray();
        var gain = 1.0;
        if (scale)
        {
            Assert.Equal(1.0, sess.run(vars[1]).ToArray<double>()[0]);
            sess.run(tf.assign(vars[1], tf.constant(1.7, tf.float64)));
            gain = 1.7;
        }
        var keys = Keys(memory, M(sess.run(vars[0])));
        var got = M(sess.run(alignments));
        for (var b = 0; b < Batch; b++)
        {
            var score = Enumerable.Range(0, MemTime).Select(t => gain * Enumerable.Range(0, Units).Sum(j => query[b, j] * keys[b, t, j])).ToArray();
            var expected = MaskedSoftmax(score, Lengths[b]);
            for (var t = 0; t < MemTime; t++) Assert.Equal(expected[t], got[b, t], 1e-12);
        }
    }

    [Fact]
    public void LuongRefusesAQueryOfAnotherDepth()
    {
        using var g = TestGraph.Enter();
        var mech = tf.contrib.seq2seq.LuongAttention(Units, tf.constant(NDArray.FromArray(Memory())));
        var e = Assert.Throws<ValueError>(() => mech.__call__(tf.zeros(new Shape(Batch, 7), tf.float64), mech.initial_state(Batch, tf.float64)));
        Assert.Contains("Incompatible or unknown inner dimensions between query and keys.", e.Message);
        Assert.Contains("Perhaps you need to set num_units to the keys' dimension (4)?", e.Message);
    }

    [Fact]
    public void AttentionWrapperStepsAsTheFormula()
    {
        using var g = TestGraph.Enter();
        var memory = Memory();
        const int In = 2, AttnSize = 3, Steps = 2;
        var x = Enumerable.Range(0, Steps).Select(s => Random2(Batch, In, 30 + s)).ToArray();
        var mech = tf.contrib.seq2seq.LuongAttention(Units, tf.constant(NDArray.FromArray(memory)), Lengths);
        var cell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(Units), mech, attention_layer_size: AttnSize, alignment_history: true);
        Assert.Equal(AttnSize, cell.output_size);
        var state = (AttentionWrapperState)cell.zero_state(Batch, tf.float64);
        var outs = new List<Tensor>();
        for (var s = 0; s < Steps; s++)
        {
            var (o, ns) = cell.__call__(tf.constant(NDArray.FromArray(x[s])), state);
            outs.Add(o);
            state = (AttentionWrapperState)ns;
        }
        Assert.Equal(["memory_layer/kernel:0", "attention_wrapper/basic_rnn_cell/kernel:0", "attention_wrapper/basic_rnn_cell/bias:0",
            "attention_wrapper/attention_layer/kernel:0"], tf.trainable_variables().Select(v => v.name).ToArray());
        var history = state.alignment_history!.stack();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var vars = tf.trainable_variables().Cast<Variable>().ToArray();
        sess.run(tf.assign(vars[2], tf.constant(new[] { 0.1, -0.3, 0.2, 0.4 }, tf.float64)));
        var keys = Keys(memory, M(sess.run(vars[0])));
        var (k, bias, wa) = (M(sess.run(vars[1])), sess.run(vars[2]).ToArray<double>(), M(sess.run(vars[3])));
        var attention = new double[Batch, AttnSize];
        var hPrev = new double[Batch, Units];
        var hist = sess.run(history).ToArray<double>();
        Assert.Equal(2, sess.run(state.time).ToArray<int>()[0]);
        for (var s = 0; s < Steps; s++)
        {
            var got = M(sess.run(outs[s]));
            var next = new double[Batch, AttnSize];
            for (var b = 0; b < Batch; b++)
            {
                // The cell sees [x, previous attention]; the query is its output h.
                var input = Enumerable.Range(0, In).Select(i => x[s][b, i]).Concat(Enumerable.Range(0, AttnSize).Select(a => attention[b, a]))
                    .Concat(Enumerable.Range(0, Units).Select(j => hPrev[b, j])).ToArray();
                var h = Enumerable.Range(0, Units).Select(j => Math.Tanh(bias[j] + input.Select((v, i) => v * k[i, j]).Sum())).ToArray();
                for (var j = 0; j < Units; j++) hPrev[b, j] = h[j];
                var score = Enumerable.Range(0, MemTime).Select(t => Enumerable.Range(0, Units).Sum(j => h[j] * keys[b, t, j])).ToArray();
                var align = MaskedSoftmax(score, Lengths[b]);
                for (var t = 0; t < MemTime; t++) Assert.Equal(align[t], hist[(s * Batch + b) * MemTime + t], 1e-12);
                var context = Enumerable.Range(0, MemDepth).Select(d => Enumerable.Range(0, MemTime).Sum(t => align[t] * (t < Lengths[b] ? memory[b, t, d] : 0))).ToArray();
                var cat = h.Concat(context).ToArray();
                for (var a = 0; a < AttnSize; a++)
                {
                    next[b, a] = cat.Select((v, i) => v * wa[i, a]).Sum();
                    Assert.Equal(next[b, a], got[b, a], 1e-12);
                }
            }
            attention = next;
        }
    }

    [Fact]
    public void AttentionDecoderRunsInDynamicDecodeWithTensorFlowsNames()
    {
        using var g = TestGraph.Enter();
        var memory = tf.constant(NDArray.FromArray(Memory()));
        var mech = tf.contrib.seq2seq.BahdanauAttention(Units, memory, Lengths);
        var cell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(Units), mech, attention_layer_size: 3, alignment_history: true);
        var inputs = tf.constant(Random2(Batch, 5 * 2, 8).Cast<double>().ToArray(), tf.float64, new Shape(Batch, 5, 2));
        var helper = tf.contrib.seq2seq.TrainingHelper(inputs, new[] { 5, 3, 4 });
        var init = ((AttentionWrapperState)cell.zero_state(Batch, tf.float64)).clone();
        var decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, init, tf.layers.Dense(7, name: "output_projection"));
        var (outputs, state, lengths) = tf.contrib.seq2seq.dynamic_decode(decoder, impute_finished: true);
        Assert.Equal(["memory_layer/kernel:0", "decoder/attention_wrapper/basic_lstm_cell/kernel:0", "decoder/attention_wrapper/basic_lstm_cell/bias:0",
            "decoder/attention_wrapper/bahdanau_attention/query_layer/kernel:0", "decoder/attention_wrapper/bahdanau_attention/attention_v:0",
            "decoder/attention_wrapper/attention_layer/kernel:0", "decoder/output_projection/kernel:0", "decoder/output_projection/bias:0"],
            tf.trainable_variables().Select(v => v.name).ToArray());
        var final = (AttentionWrapperState)state;
        var history = final.alignment_history!.stack();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new Shape(Batch, 5, 7), sess.run(outputs.rnn_output).shape);
        Assert.Equal([5, 3, 4], sess.run(lengths).ToArray<int>());
        Assert.Equal(new Shape(5, Batch, MemTime), sess.run(history).shape);
        Assert.Equal(5, sess.run(final.time).ToArray<int>()[0]);
        // Each alignment row sums to 1 over the memory's valid steps.
        var h = sess.run(history).ToArray<double>();
        for (var r = 0; r < 5 * Batch; r++) Assert.Equal(1.0, h.Skip(r * MemTime).Take(MemTime).Sum(), 1e-12);
    }

    [Fact]
    public void TileBatchRepeatsEachEntryInPlace()
    {
        using var g = TestGraph.Enter();
        var t = tf.constant(new[,] { { 1, 2 }, { 3, 4 } });
        var tiled = tf.contrib.seq2seq.tile_batch(t, 3);
        Assert.Equal(new Shape(6, 2), tiled.shape);
        using var sess = tf.Session();
        Assert.Equal([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4], sess.run(tiled).ToArray<int>());
        Assert.Contains("t must have statically known rank",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.tile_batch(tf.constant(1), 2)).Message);
    }
}
