using SharpFlow.Rnn.Seq2Seq;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn.Seq2Seq;

/// <summary>
/// BeamSearchDecoder through dynamic_decode against a plain beam search written here from TensorFlow 1.15's
/// beam_search_decoder.py (log-softmax scores, finished beams emitting end_token with their score kept, the length
/// penalty, top-k over beam·vocab, only beam 0 alive at first, gather_tree at the end), on a tiny BasicRNNCell with
/// fixed weights; beam_width 1 equals greedy decoding, also through an AttentionWrapper over tiled memory.
/// </summary>
public class BeamSearchDecoderTests
{
    private const int Batch = 2, Units = 4, Embed = 3, Vocab = 6, Go = 0, Eos = 1, MaxIter = 7;

    private static double[,] R(int rows, int cols, int seed, double scale)
    {
        var r = new Random(seed);
        var a = new double[rows, cols];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++) a[i, j] = (r.NextDouble() * 2 - 1) * scale;
        return a;
    }

    private static readonly double[,] E = R(Vocab, Embed, 1, 1.0);
    private static readonly double[,] W = R(Embed + Units, Units, 2, 1.5);
    private static readonly double[] Bias = [0.1, -0.2, 0.05, 0.3];
    private static readonly double[,] Wo = R(Units, Vocab, 4, 2.0);
    private static readonly double[] Bo = [0.0, 0.6, -0.1, 0.2, 0.0, -0.3];
    private static readonly double[,] H0 = R(Batch, Units, 6, 1.0);

    private sealed record Result(int[,,] Predicted, double[,,] Scores, int[,,] Ids, int[,,] Parents, double[,] LogProbs, long[,] Lengths,
        bool[,] Finished, int[,] SequenceLengths);

    /// <summary>The plain beam search: TensorFlow's algorithm step by step, in float64 (the penalty in float32 as TensorFlow).</summary>
    private static Result Reference(int beam, double alpha)
    {
        var h = new double[Batch, beam, Units];
        var logp = new double[Batch, beam];
        var fin = new bool[Batch, beam];
        var len = new long[Batch, beam];
        var tokens = new int[Batch, beam];
        for (var b = 0; b < Batch; b++)
            for (var k = 0; k < beam; k++)
            {
                for (var u = 0; u < Units; u++) h[b, k, u] = H0[b, u];
                logp[b, k] = k == 0 ? 0 : double.NegativeInfinity;
                fin[b, k] = k != 0;
                tokens[b, k] = Go;
            }
        var loopFin = (bool[,])fin.Clone();
        var seqLen = new int[Batch, beam];
        var scores = new List<double[,]>();
        var ids = new List<int[,]>();
        var parents = new List<int[,]>();
        for (var t = 0; t < MaxIter && loopFin.Cast<bool>().Any(f => !f); t++)
        {
            var hn = new double[Batch, beam, Units];
            var total = new double[Batch, beam, Vocab];
            var score = new double[Batch, beam, Vocab];
            for (var b = 0; b < Batch; b++)
                for (var k = 0; k < beam; k++)
                {
                    for (var u = 0; u < Units; u++)
                    {
                        var s = Bias[u];
                        for (var d = 0; d < Embed; d++) s += E[tokens[b, k], d] * W[d, u];
                        for (var d = 0; d < Units; d++) s += h[b, k, d] * W[Embed + d, u];
                        hn[b, k, u] = Math.Tanh(s);
                    }
                    var logits = new double[Vocab];
                    for (var v = 0; v < Vocab; v++)
                    {
                        logits[v] = Bo[v];
                        for (var u = 0; u < Units; u++) logits[v] += hn[b, k, u] * Wo[u, v];
                    }
                    var max = logits.Max();
                    var lse = max + Math.Log(logits.Sum(x => Math.Exp(x - max)));
                    for (var v = 0; v < Vocab; v++)
                    {
                        total[b, k, v] = logp[b, k] + (fin[b, k] ? v == Eos ? 0 : double.MinValue : logits[v] - lse);
                        var newLen = len[b, k] + (!fin[b, k] && v != Eos ? 1 : 0);
                        var penalty = MathF.Pow(5f + newLen, (float)alpha) / MathF.Pow(6f, (float)alpha);
                        score[b, k, v] = alpha == 0 ? total[b, k, v] : total[b, k, v] / penalty;
                    }
                }
            var stepScores = new double[Batch, beam];
            var stepIds = new int[Batch, beam];
            var stepParents = new int[Batch, beam];
            var nh = new double[Batch, beam, Units];
            var nLogp = new double[Batch, beam];
            var nFin = new bool[Batch, beam];
            var nLen = new long[Batch, beam];
            for (var b = 0; b < Batch; b++)
            {
                // top_k: the largest first, the lower index first among equals.
                var order = Enumerable.Range(0, beam * Vocab).OrderByDescending(i => score[b, i / Vocab, i % Vocab]).ThenBy(i => i).Take(beam).ToArray();
                for (var j = 0; j < beam; j++)
                {
                    int parent = order[j] / Vocab, word = order[j] % Vocab;
                    stepScores[b, j] = score[b, parent, word];
                    stepIds[b, j] = word;
                    stepParents[b, j] = parent;
                    nLogp[b, j] = total[b, parent, word];
                    nFin[b, j] = fin[b, parent] || word == Eos;
                    nLen[b, j] = len[b, parent] + (fin[b, parent] ? 0 : 1);
                    for (var u = 0; u < Units; u++) nh[b, j, u] = hn[b, parent, u];
                }
            }
            for (var b = 0; b < Batch; b++)
                for (var k = 0; k < beam; k++)
                    if (!loopFin[b, k]) seqLen[b, k] = t + 1;
            var allFinished = nFin.Cast<bool>().All(f => f);
            for (var b = 0; b < Batch; b++)
                for (var k = 0; k < beam; k++) tokens[b, k] = allFinished ? Go : stepIds[b, k];
            (h, logp, fin, len, loopFin) = (nh, nLogp, nFin, nLen, (bool[,])nFin.Clone());
            scores.Add(stepScores);
            ids.Add(stepIds);
            parents.Add(stepParents);
        }
        var time = ids.Count;
        var predicted = new int[Batch, time, beam];
        var sc = new double[Batch, time, beam];
        var id = new int[Batch, time, beam];
        var pa = new int[Batch, time, beam];
        for (var b = 0; b < Batch; b++)
        {
            var maxLen = (int)Math.Min(time, Enumerable.Range(0, beam).Max(k => len[b, k]));
            for (var k = 0; k < beam; k++)
            {
                for (var t = 0; t < time; t++) { predicted[b, t, k] = Eos; sc[b, t, k] = scores[t][b, k]; id[b, t, k] = ids[t][b, k]; pa[b, t, k] = parents[t][b, k]; }
                var p = k;
                for (var t = maxLen - 1; t >= 0; t--) { predicted[b, t, k] = ids[t][b, p]; p = parents[t][b, p]; }
                var ended = false;
                for (var t = 0; t < maxLen; t++)
                {
                    if (ended) predicted[b, t, k] = Eos;
                    else if (predicted[b, t, k] == Eos) ended = true;
                }
            }
        }
        return new Result(predicted, sc, id, pa, logp, len, fin, seqLen);
    }

    private static void Same(NDArray expected, NDArray actual)
    {
        if (expected.dtype == DType.@bool) Assert.Equal(expected.ToArray<bool>(), actual.ToArray<bool>());
        else AssertArray.Close(expected, actual, 0);
        Assert.Equal(expected.shape, actual.shape);
    }

    private static void SetWeights(Session sess)
    {
        var vars = tf.trainable_variables();
        Assert.Equal(["decoder/basic_rnn_cell/kernel:0", "decoder/basic_rnn_cell/bias:0", "decoder/dense/kernel:0", "decoder/dense/bias:0"],
            vars.Select(v => v.name).ToArray());
        sess.run(tf.group(
            tf.assign(vars[0], tf.constant(NDArray.FromArray(W))), tf.assign(vars[1], tf.constant(NDArray.FromArray(Bias))),
            tf.assign(vars[2], tf.constant(NDArray.FromArray(Wo))), tf.assign(vars[3], tf.constant(NDArray.FromArray(Bo)))));
    }

    [Theory]
    [InlineData(3, 0.0)]
    [InlineData(3, 0.7)]
    [InlineData(2, 0.0)]
    [InlineData(5, 1.0)]
    public void MatchesThePlainBeamSearch(int beam, double alpha)
    {
        using var g = TestGraph.Enter();
        var cell = tf.nn.rnn_cell.BasicRNNCell(Units);
        var layer = tf.layers.Dense(Vocab);
        var h0 = tf.constant(NDArray.FromArray(H0));
        var decoder = tf.contrib.seq2seq.BeamSearchDecoder(cell, tf.constant(NDArray.FromArray(E)), tf.fill(new[] { Batch }, Go), Eos,
            tf.contrib.seq2seq.tile_batch(h0, beam), beam, output_layer: layer, length_penalty_weight: alpha);
        var (outputs, state, lengths) = tf.contrib.seq2seq.dynamic_decode(decoder, maximum_iterations: MaxIter);
        Assert.Equal(new Shape(Batch, -1, beam), outputs.predicted_ids.shape);
        Assert.Equal(new Shape(Batch, -1, beam), outputs.beam_search_decoder_output.scores.shape);
        Assert.Equal(tf.float64, outputs.beam_search_decoder_output.scores.dtype);
        Assert.Equal(tf.int64, state.lengths.dtype);
        Assert.Equal(new Shape(Batch, beam, Units), ((Tensor)state.cell_state).shape);

        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        SetWeights(sess);
        var expected = Reference(beam, alpha);
        var o = outputs.beam_search_decoder_output;
        var got = sess.run(new[] { outputs.predicted_ids, o.scores, o.predicted_ids, o.parent_ids, state.log_probs, state.lengths, state.finished, lengths });
        Same(NDArray.FromArray(expected.Predicted), got[0]);
        AssertArray.Close(NDArray.FromArray(expected.Scores), got[1], 1e-6);
        Same(NDArray.FromArray(expected.Ids), got[2]);
        Same(NDArray.FromArray(expected.Parents), got[3]);
        AssertArray.Close(NDArray.FromArray(expected.LogProbs), got[4], 1e-9);
        Same(NDArray.FromArray(expected.Lengths), got[5]);
        Same(NDArray.FromArray(expected.Finished), got[6]);
        Same(NDArray.FromArray(expected.SequenceLengths), got[7]);
    }

    [Fact]
    public void TheReferenceSeesBothEndsOfABeam()
    {
        // The fixed weights make some beams end with end_token and others run to maximum_iterations.
        var r = Reference(3, 0.0);
        Assert.Contains(r.Finished.Cast<bool>(), f => f);
        Assert.Contains(r.Lengths.Cast<long>(), l => l < MaxIter);
        Assert.Equal(MaxIter, r.Predicted.GetLength(1));
    }

    [Fact]
    public void BeamWidthOneIsGreedyDecoding()
    {
        using var g = TestGraph.Enter();
        var cell = tf.nn.rnn_cell.BasicRNNCell(Units);
        var layer = tf.layers.Dense(Vocab);
        var embedding = tf.constant(NDArray.FromArray(E));
        var h0 = tf.constant(NDArray.FromArray(H0));
        var start = tf.fill(new[] { Batch }, Go);
        var beam = tf.contrib.seq2seq.dynamic_decode(
            tf.contrib.seq2seq.BeamSearchDecoder(cell, embedding, start, Eos, tf.contrib.seq2seq.tile_batch(h0, 1), 1, output_layer: layer),
            maximum_iterations: MaxIter);
        var greedy = tf.contrib.seq2seq.dynamic_decode(
            tf.contrib.seq2seq.BasicDecoder(cell, tf.contrib.seq2seq.GreedyEmbeddingHelper(embedding, start, Eos), h0, output_layer: layer),
            maximum_iterations: MaxIter);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        SetWeights(sess);
        CompareWithGreedy(sess, beam.final_outputs.predicted_ids, beam.final_state.lengths, greedy.final_outputs.sample_id, greedy.final_sequence_lengths);
    }

    private static void CompareWithGreedy(Session sess, Tensor beamIds, Tensor beamLengths, Tensor greedyIds, Tensor greedyLengths)
    {
        var got = sess.run(new[] { beamIds, beamLengths, greedyIds, greedyLengths });
        var b3 = (int[,,])got[0].ToMultiDimArray();
        var beamLen = got[1].ToArray<long>();
        var g2 = (int[,])got[2].ToMultiDimArray();
        var greedyLen = got[3].ToArray<int>();
        Assert.Equal(g2.GetLength(1), b3.GetLength(1));
        Assert.Equal(1, b3.GetLength(2));
        for (var b = 0; b < g2.GetLength(0); b++)
        {
            Assert.Equal(greedyLen[b], beamLen[b]);
            for (var t = 0; t < g2.GetLength(1); t++)
                Assert.Equal(t < greedyLen[b] ? g2[b, t] : Eos, b3[b, t, 0]);
        }
    }

    /// <summary>An AttentionWrapper over memory tiled beam_width times (its state split and gathered per beam), beam 1 against greedy.</summary>
    [Fact]
    public void AttentionWrapperOverTiledMemoryBeamWidthOneIsGreedy()
    {
        using var g = TestGraph.Enter();
        var memory = tf.constant(NDArray.FromArray(new double[,,]
        {
            { { 0.5, -0.3 }, { 0.1, 0.8 }, { -0.7, 0.2 } },
            { { -0.2, 0.4 }, { 0.9, -0.6 }, { 0.3, 0.3 } },
        }));
        var memoryLengths = tf.constant(new[] { 3, 2 });
        var cell = tf.nn.rnn_cell.GRUCell(Units);
        var embedding = tf.constant(NDArray.FromArray(E));
        var start = tf.fill(new[] { Batch }, Go);
        var layer = tf.layers.Dense(Vocab);
        AttentionWrapper Wrapper(int multiplier, bool reuse)
        {
            using var _ = tf.variable_scope("attention", reuse: reuse ? true : null);
            var mechanism = tf.contrib.seq2seq.LuongAttention(Units, tf.contrib.seq2seq.tile_batch(memory, multiplier),
                memory_sequence_length: tf.contrib.seq2seq.tile_batch(memoryLengths, multiplier));
            return tf.contrib.seq2seq.AttentionWrapper(cell, mechanism);
        }
        var greedyCell = Wrapper(1, false);
        var greedy = tf.contrib.seq2seq.dynamic_decode(tf.contrib.seq2seq.BasicDecoder(greedyCell,
            tf.contrib.seq2seq.GreedyEmbeddingHelper(embedding, start, Eos), greedyCell.zero_state(Batch, tf.float64), output_layer: layer),
            maximum_iterations: MaxIter);
        var names = tf.trainable_variables().Select(v => v.name).ToArray();
        var beamCell = Wrapper(1, true);
        var beam = tf.contrib.seq2seq.dynamic_decode(tf.contrib.seq2seq.BeamSearchDecoder(beamCell, embedding, start, Eos,
            beamCell.zero_state(Batch, tf.float64), 1, output_layer: layer), maximum_iterations: MaxIter);
        Assert.Equal(names, tf.trainable_variables().Select(v => v.name).ToArray());
        Assert.Contains("attention/memory_layer/kernel:0", names);

        // Beam width 3 over the memory tiled 3 times: the state's alignments are split to [batch, beam, time].
        var wideCell = Wrapper(3, true);
        var wide = tf.contrib.seq2seq.dynamic_decode(tf.contrib.seq2seq.BeamSearchDecoder(wideCell, embedding, start, Eos,
            wideCell.zero_state(Batch * 3, tf.float64), 3, output_layer: layer), maximum_iterations: MaxIter);
        var wideState = (AttentionWrapperState)wide.final_state.cell_state;
        Assert.Equal(new Shape(Batch, 3, 3), wideState.alignments.shape);
        Assert.Equal(names, tf.trainable_variables().Select(v => v.name).ToArray());

        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var r = new Random(9);
        foreach (var v in tf.trainable_variables())
        {
            var n = v.shape.Dims.Aggregate(1, (a, d) => a * d);
            sess.run(tf.assign(v, tf.reshape(tf.constant(Enumerable.Range(0, n).Select(_ => (r.NextDouble() * 2 - 1) * 1.5).ToArray(), tf.float64), v.shape.Dims)));
        }
        CompareWithGreedy(sess, beam.final_outputs.predicted_ids, beam.final_state.lengths, greedy.final_outputs.sample_id, greedy.final_sequence_lengths);

        // Each final beam's log probability is the sum of the step log probabilities along its ids.
        var (ids, logProbs, lens) = (wide.final_outputs.predicted_ids, wide.final_state.log_probs, wide.final_state.lengths);
        var got = sess.run(new[] { ids, logProbs, lens });
        var best = (double[,])got[1].ToMultiDimArray();
        for (var b = 0; b < Batch; b++)
            for (var k = 1; k < 3; k++)
                Assert.True(double.IsFinite(best[b, k]), "every beam is alive after the first step");
    }

    [Fact]
    public void ImputeFinishedFailsAsInTensorFlow()
    {
        // TensorFlow 1.15's dynamic_decode copies states through with where(finished [batch, beam], ...), which
        // refuses the [batch, beam, units] cell state (a known limitation: use impute_finished=False).
        using var g = TestGraph.Enter();
        var cell = tf.nn.rnn_cell.BasicRNNCell(Units);
        var decoder = tf.contrib.seq2seq.BeamSearchDecoder(cell, tf.constant(NDArray.FromArray(E)), tf.fill(new[] { Batch }, Go), Eos,
            tf.contrib.seq2seq.tile_batch(tf.constant(NDArray.FromArray(H0)), 3), 3, output_layer: tf.layers.Dense(Vocab));
        var e = Assert.Throws<ValueError>(() => tf.contrib.seq2seq.dynamic_decode(decoder, impute_finished: true, maximum_iterations: MaxIter));
        Assert.StartsWith("Select", e.Message);
    }

    [Fact]
    public void ArgumentErrors()
    {
        using var g = TestGraph.Enter();
        var cell = tf.nn.rnn_cell.BasicRNNCell(Units);
        var embedding = tf.constant(NDArray.FromArray(E));
        var h0 = tf.constant(NDArray.FromArray(H0));
        Assert.Equal("start_tokens must be a vector",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.BeamSearchDecoder(cell, embedding, Go, Eos, h0, 3)).Message);
        Assert.Equal("end_token must be a scalar",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.BeamSearchDecoder(cell, embedding, new[] { 0, 0 }, new[] { Eos }, h0, 3)).Message);
        // A state of batch (not batch·beam) entries.
        Assert.Contains("Perhaps you forgot to create a zero_state with batch_size=encoder_batch_size * beam_width?",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.BeamSearchDecoder(cell, embedding, new[] { 0, 0 }, Eos, h0, 3)).Message);
        // alignment_history keeps a TensorArray in the state.
        var mechanism = tf.contrib.seq2seq.LuongAttention(Units, tf.zeros(new Shape(6, 3, 2), tf.float64));
        var wrapper = tf.contrib.seq2seq.AttentionWrapper(cell, mechanism, alignment_history: true);
        Assert.StartsWith("TensorArray state is not supported by BeamSearchDecoder",
            Assert.Throws<TypeError>(() => tf.contrib.seq2seq.BeamSearchDecoder(wrapper, embedding, new[] { 0, 0 }, Eos, wrapper.zero_state(6, tf.float64), 3)).Message);
    }
}
