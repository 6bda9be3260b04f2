namespace SharpFlow.Tests.Functions;

/// <summary>
/// The candidate samplers (TensorFlow's range_sampler.cc rules) and the sampled losses against a plain reference of
/// TensorFlow's <c>_compute_sampled_logits</c> with fixed sampled values, as <c>nn_test.py</c> checks them.
/// </summary>
public class SampledLossTests
{
    [Fact]
    public void LogUniformSamplesFollowTheirProbabilitiesAndExpectedCounts()
    {
        using var g = TestGraph.Enter();
        const int range = 10, samples = 20000;
        var (candidates, trueExpected, sampledExpected) = tf.nn.log_uniform_candidate_sampler(tf.constant(new long[,] { { 0 }, { 9 } }), 1, samples, unique: false, range, seed: 3);
        using var sess = tf.Session();
        var r = sess.run([candidates, trueExpected, sampledExpected]);
        var drawn = r[0].ToArray<long>();
        double P(long k) => Math.Log((k + 2.0) / (k + 1.0)) / Math.Log(range + 1.0);
        Assert.Equal(1.0, Enumerable.Range(0, range).Sum(k => P(k)), 1e-12);
        for (var k = 0; k < range; k++)
        {
            var frequency = drawn.Count(v => v == k) / (double)samples;
            Assert.True(Math.Abs(frequency - P(k)) < 0.012, $"class {k}: frequency {frequency:F4}, probability {P(k):F4}");
        }
        // Without unique, the expected count is p * num_sampled.
        Assert.Equal((float)P(0) * samples, r[1].ToArray<float>()[0], 1e-3);
        Assert.Equal((float)P(9) * samples, r[1].ToArray<float>()[1], 1e-3);
        var counts = r[2].ToArray<float>();
        for (var i = 0; i < 50; i++) Assert.Equal((float)P(drawn[i]) * samples, counts[i], 1e-3);
    }

    [Fact]
    public void UniqueSamplesAreDistinctAndTheirCountsShareOneNumberOfTries()
    {
        using var g = TestGraph.Enter();
        var (candidates, trueExpected, sampledExpected) = tf.nn.log_uniform_candidate_sampler(tf.constant(new long[,] { { 1, 2 } }), 2, 40, unique: true, 50, seed: 5);
        using var sess = tf.Session();
        var r = sess.run([candidates, trueExpected, sampledExpected]);
        var drawn = r[0].ToArray<long>();
        Assert.Equal(40, drawn.Distinct().Count());
        Assert.All(drawn, v => Assert.InRange(v, 0, 49));
        double P(long k) => Math.Log((k + 2.0) / (k + 1.0)) / Math.Log(51.0);
        // 1 - (1 - p)^tries with one tries for every class of the run.
        var rarest = Enumerable.Range(0, 40).MaxBy(i => drawn[i]);
        var tries = Math.Log(1 - r[2].ToArray<float>()[rarest]) / Math.Log(1 - P(drawn[rarest]));
        Assert.True(tries >= 39.5, $"tries {tries}");
        var rounded = Math.Round(tries);
        for (var i = 0; i < 40; i++) Assert.Equal(1 - Math.Pow(1 - P(drawn[i]), rounded), r[2].ToArray<float>()[i], 1e-4);
        Assert.Equal(1 - Math.Pow(1 - P(2), rounded), r[1].ToArray<float>()[1], 1e-4);
    }

    [Fact]
    public void ASeededSamplerRepeatsAcrossSessionsAndMovesOnBetweenRuns()
    {
        long[] Draw(out long[] second)
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(7);
            var (candidates, _, _) = tf.nn.uniform_candidate_sampler(tf.constant(new long[,] { { 0 } }), 1, 6, unique: true, 100);
            using var sess = tf.Session();
            var first = sess.run(candidates).ToArray<long>();
            second = sess.run(candidates).ToArray<long>();
            return first;
        }
        var a = Draw(out var a2);
        var b = Draw(out var b2);
        Assert.Equal(a, b);
        Assert.Equal(a2, b2);
        Assert.NotEqual(a, a2);
        Assert.Equal(6, a.Distinct().Count());
    }

    [Fact]
    public void UniqueSamplingNeedsAWideEnoughRange()
    {
        using var g = TestGraph.Enter();
        var (candidates, _, _) = tf.nn.uniform_candidate_sampler(tf.constant(new long[,] { { 0 } }), 1, 6, unique: true, 4, name: "sampler");
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(candidates));
        Assert.Contains("Sampler's range is too small.", e.Message);
        Assert.Contains("sampler", e.Message);
    }

    [Fact]
    public void AccidentalHitsNameRowAndSamplePosition()
    {
        using var g = TestGraph.Enter();
        var (indices, ids, weights) = tf.nn.compute_accidental_hits(tf.constant(new long[,] { { 1, 2 }, { 3, 4 }, { 7, 1 } }), tf.constant(new long[] { 4, 1, 7 }), 2);
        using var sess = tf.Session();
        Assert.Equal([0, 1, 2, 2], sess.run(indices).ToArray<int>());
        Assert.Equal([1L, 0L, 2L, 1L], sess.run(ids).ToArray<long>());
        Assert.All(sess.run(weights).ToArray<float>(), w => Assert.Equal(-float.MaxValue, w));
    }

    // A small problem: 6 classes of dimension 3, a batch of 2 with 2 true classes each, 3 sampled classes.
    private static readonly double[,] W = { { 0.1, -0.2, 0.3 }, { 0.5, 0.4, -0.1 }, { -0.3, 0.2, 0.2 }, { 0.0, -0.5, 0.1 }, { 0.25, 0.1, -0.4 }, { -0.1, 0.3, 0.05 } };
    private static readonly double[] B = [0.01, -0.02, 0.03, 0.0, 0.05, -0.04];
    private static readonly double[,] X = { { 1.0, 0.5, -0.5 }, { -1.0, 2.0, 0.25 } };
    private static readonly long[,] Labels = { { 1, 4 }, { 0, 5 } };
    private static readonly long[] Sampled = [2, 5, 3];
    private static readonly double[] TrueExpected = [0.4, 0.3, 0.5, 0.2];
    private static readonly double[] SampledExpected = [0.6, 0.2, 0.35];

    private static (Tensor, Tensor, Tensor) SampledValues() =>
        (tf.constant(Sampled), tf.constant(NDArray.FromFlat(TrueExpected.Select(v => (float)v).ToArray(), new Shape(2, 2))), tf.constant(SampledExpected.Select(v => (float)v).ToArray()));

    /// <summary>TensorFlow's logits and targets, computed row by row.</summary>
    private static (double[,] Logits, double[,] Targets) Reference(bool removeAccidentalHits)
    {
        var logits = new double[2, 5];
        var targets = new double[2, 5];
        double Dot(int row, long cls) => Enumerable.Range(0, 3).Sum(k => X[row, k] * W[cls, k]) + B[cls];
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 2; j++)
            {
                logits[i, j] = Dot(i, Labels[i, j]) - Math.Log((float)TrueExpected[i * 2 + j]);
                targets[i, j] = 0.5;
            }
            for (var s = 0; s < 3; s++)
            {
                logits[i, 2 + s] = Dot(i, Sampled[s]) - Math.Log((float)SampledExpected[s]);
                if (removeAccidentalHits && (Labels[i, 0] == Sampled[s] || Labels[i, 1] == Sampled[s])) logits[i, 2 + s] += -float.MaxValue;
            }
        }
        return (logits, targets);
    }

    [Fact]
    public void NceLossIsTheSigmoidCrossEntropyOfTrueAndSampledLogits()
    {
        using var g = TestGraph.Enter();
        var loss = tf.nn.nce_loss(tf.constant(W, tf.float64), tf.constant(B, tf.float64), tf.constant(Labels), tf.constant(X, tf.float64), 3, 6, num_true: 2, sampled_values: SampledValues());
        var (logits, targets) = Reference(removeAccidentalHits: false);
        using var sess = tf.Session();
        var actual = sess.run(loss).ToArray<double>();
        for (var i = 0; i < 2; i++)
        {
            var expected = Enumerable.Range(0, 5).Sum(c => Math.Max(logits[i, c], 0) - logits[i, c] * targets[i, c] + Math.Log(1 + Math.Exp(-Math.Abs(logits[i, c]))));
            Assert.Equal(expected, actual[i], 1e-6);
        }
    }

    [Fact]
    public void SampledSoftmaxLossMasksAccidentalHits()
    {
        using var g = TestGraph.Enter();
        var loss = tf.nn.sampled_softmax_loss(tf.constant(W, tf.float64), tf.constant(B, tf.float64), tf.constant(Labels), tf.constant(X, tf.float64), 3, 6, num_true: 2, sampled_values: SampledValues());
        var (logits, targets) = Reference(removeAccidentalHits: true);
        using var sess = tf.Session();
        var actual = sess.run(loss).ToArray<double>();
        for (var i = 0; i < 2; i++)
        {
            var max = Enumerable.Range(0, 5).Max(c => logits[i, c]);
            var logSum = max + Math.Log(Enumerable.Range(0, 5).Sum(c => Math.Exp(logits[i, c] - max)));
            var expected = -Enumerable.Range(0, 5).Sum(c => targets[i, c] * (logits[i, c] - logSum));
            Assert.Equal(expected, actual[i], 1e-6);
        }
        // Row 1's true class 5 is also sampled: masked, so the loss ignores that sample.
        Assert.True(actual.All(double.IsFinite));
    }

    [Fact]
    public void TheClassWeightsGetSparseGradientsOfTheLookedUpRows()
    {
        using var g = TestGraph.Enter();
        var weights = tf.Variable(tf.constant(W), name: "weights");
        var loss = tf.reduce_sum(tf.nn.nce_loss(weights, tf.constant(B), tf.constant(Labels), tf.constant(X), 3, 6, num_true: 2, sampled_values: SampledValues()));
        var grad = Assert.IsType<IndexedSlices>(tf.gradients(loss, weights)[0]);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal([1L, 4L, 0L, 5L, 2L, 5L, 3L], sess.run(grad.indices).ToArray<long>());
    }
}
