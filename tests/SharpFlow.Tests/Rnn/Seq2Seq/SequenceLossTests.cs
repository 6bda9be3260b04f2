using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn.Seq2Seq;

/// <summary>
/// tf.contrib.seq2seq.sequence_loss against TensorFlow's loss_test.py values and a plain reference of loss.py's
/// formulas (weighted cross entropy, divided by the weights' sum or the count of non-zero weights).
/// </summary>
public class SequenceLossTests
{
    private const int Batch = 2, Time = 3, Classes = 5;

    // loss_test.py: logits i + 0.5 at every class of step i, targets i, unit weights: every entry is log(5).
    private static (Tensor logits, Tensor targets, Tensor weights) TfTestInputs()
    {
        var logits = tf.stack(Enumerable.Range(0, Time).Select(i => tf.constant(i + 0.5, tf.float32, new Shape(Batch, Classes))), axis: 1);
        var targets = tf.stack(Enumerable.Range(0, Time).Select(i => tf.constant(i, tf.int32, new Shape(Batch))), axis: 1);
        return (logits, targets, tf.ones(new Shape(Batch, Time), tf.float32));
    }

    [Fact]
    public void MatchesTensorFlowsLossTest()
    {
        using var g = TestGraph.Enter();
        var (logits, targets, weights) = TfTestInputs();
        var both = tf.contrib.seq2seq.sequence_loss(logits, targets, weights);
        var perBatch = tf.contrib.seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps: true, average_across_batch: false);
        var perTime = tf.contrib.seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps: false, average_across_batch: true);
        var none = tf.contrib.seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps: false, average_across_batch: false);
        var zero = tf.contrib.seq2seq.sequence_loss(logits, targets, tf.zeros(new Shape(Batch, Time)));
        using var sess = tf.Session();
        Assert.Equal(1.60944f, sess.run(both).ToArray<float>()[0], 1e-4);
        Assert.All(sess.run(perBatch).ToArray<float>(), v => Assert.Equal(1.60944f, v, 1e-4));
        Assert.Equal(new Shape(Batch), sess.run(perBatch).shape);
        Assert.Equal(new Shape(Time), sess.run(perTime).shape);
        Assert.Equal(new Shape(Batch, Time), sess.run(none).shape);
        Assert.All(sess.run(none).ToArray<float>(), v => Assert.Equal(1.60944f, v, 1e-4));
        Assert.Equal(0f, sess.run(zero).ToArray<float>()[0]);
    }

    [Fact]
    public void MatchesThePlainReferenceInEveryReductionMode()
    {
        using var g = TestGraph.Enter();
        var r = new Random(3);
        var logits = new double[Batch, Time, Classes];
        var targets = new int[Batch, Time];
        var weights = new double[Batch, Time];
        var ce = new double[Batch, Time];
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < Time; t++)
            {
                for (var c = 0; c < Classes; c++) logits[b, t, c] = r.NextDouble() * 4 - 2;
                targets[b, t] = r.Next(Classes);
                weights[b, t] = (b, t) == (1, 2) ? 0 : r.NextDouble() + 0.2;
                var max = Enumerable.Range(0, Classes).Max(c => logits[b, t, c]);
                var lse = max + Math.Log(Enumerable.Range(0, Classes).Sum(c => Math.Exp(logits[b, t, c] - max)));
                ce[b, t] = (lse - logits[b, t, targets[b, t]]) * weights[b, t];
            }
        var (L, T, W) = (tf.constant(NDArray.FromArray(logits)), tf.constant(targets), tf.constant(NDArray.FromArray(weights)));
        using var sess = tf.Session();
        double[] Run(Tensor x) => sess.run(x).ToArray<double>();
        double Sum(Func<int, int, double> f, IEnumerable<int> bs, IEnumerable<int> ts) => bs.SelectMany(b => ts.Select(t => f(b, t))).Sum();
        var allB = Enumerable.Range(0, Batch).ToArray();
        var allT = Enumerable.Range(0, Time).ToArray();

        Assert.Equal(Sum((b, t) => ce[b, t], allB, allT) / Sum((b, t) => weights[b, t], allB, allT),
            Run(tf.contrib.seq2seq.sequence_loss(L, T, W))[0], 1e-10);
        var perBatch = Run(tf.contrib.seq2seq.sequence_loss(L, T, W, average_across_batch: false));
        for (var b = 0; b < Batch; b++)
            Assert.Equal(Sum((_, t) => ce[b, t], [b], allT) / Sum((_, t) => weights[b, t], [b], allT), perBatch[b], 1e-10);
        var perTime = Run(tf.contrib.seq2seq.sequence_loss(L, T, W, average_across_timesteps: false));
        for (var t = 0; t < Time; t++)
            Assert.Equal(Sum((b, _) => ce[b, t], allB, [t]) / Sum((b, _) => weights[b, t], allB, [t]), perTime[t], 1e-10);
        var none = Run(tf.contrib.seq2seq.sequence_loss(L, T, W, average_across_timesteps: false, average_across_batch: false));
        for (var b = 0; b < Batch; b++)
            for (var t = 0; t < Time; t++) Assert.Equal(ce[b, t], none[b * Time + t], 1e-10);
        var nonZero = Sum((b, t) => weights[b, t] != 0 ? 1 : 0, allB, allT);
        Assert.Equal(Sum((b, t) => ce[b, t], allB, allT) / nonZero, Run(tf.contrib.seq2seq.sequence_loss(L, T, W,
            average_across_timesteps: false, average_across_batch: false, sum_over_timesteps: true, sum_over_batch: true))[0], 1e-10);
        var sumTime = Run(tf.contrib.seq2seq.sequence_loss(L, T, W, average_across_timesteps: false, average_across_batch: false, sum_over_timesteps: true));
        for (var b = 0; b < Batch; b++)
            Assert.Equal(Sum((_, t) => ce[b, t], [b], allT) / Sum((_, t) => weights[b, t] != 0 ? 1 : 0, [b], allT), sumTime[b], 1e-10);
        // A custom loss function gets the flat labels and logits.
        var custom = tf.contrib.seq2seq.sequence_loss(L, T, W, average_across_timesteps: false, average_across_batch: false,
            softmax_loss_function: (labels, lg) => tf.cast(labels, tf.float64) + tf.reduce_sum(lg, new[] { 1 }) * 0);
        var cu = Run(custom);
        Assert.Equal(targets[1, 1] * weights[1, 1], cu[Time + 1], 1e-10);
    }

    [Fact]
    public void RefusesBadRanksAndConflictingFlags()
    {
        using var g = TestGraph.Enter();
        var l = tf.zeros(new Shape(2, 3, 4));
        var t = tf.zeros(new Shape(2, 3), tf.int32);
        var w = tf.ones(new Shape(2, 3));
        Assert.Contains("Logits must be a [batch_size x sequence_length x logits] tensor",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.sequence_loss(tf.zeros(new Shape(6, 4)), t, w)).Message);
        Assert.Contains("Targets must be a [batch_size x sequence_length] tensor",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.sequence_loss(l, tf.zeros(new Shape(6), tf.int32), w)).Message);
        Assert.Contains("Weights must be a [batch_size x sequence_length] tensor",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.sequence_loss(l, t, tf.ones(new Shape(6)))).Message);
        Assert.Contains("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.sequence_loss(l, t, w, sum_over_timesteps: true)).Message);
        Assert.Contains("average_across_batch and sum_over_batch cannot be set to True at same time.",
            Assert.Throws<ValueError>(() => tf.contrib.seq2seq.sequence_loss(l, t, w, average_across_timesteps: false, sum_over_batch: true)).Message);
    }
}
