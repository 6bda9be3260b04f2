using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.RandomOps;

public class RandomOpTests
{
    private static double[] Values(Tensor t)
    {
        using var sess = new Session(t.graph);
        return sess.run(t).ToArray<double>();
    }

    private static (double Mean, double Std) Stats(double[] v)
    {
        var mean = v.Average();
        return (mean, Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average()));
    }

    [Fact]
    public void SeededNormalGivesTensorFlowsNumbers()
    {
        // TensorFlow: tf.random_normal([2, 2], seed=1) evaluates to these values (graph seed 87654321, op seed 1).
        using var g = TestGraph.Enter();
        var r = tf.random_normal((2, 2), seed: 1);
        Assert.Equal(new[] { -0.8113182f, 1.4845988f, 0.06532937f, -2.4427042f }, g.Eval(r).ToArray<float>());
        Assert.Equal((long)87654321, r.graph.get_operation_by_name("random_normal/RandomStandardNormal").get_attr("seed"));
        Assert.Equal(1L, r.graph.get_operation_by_name("random_normal/RandomStandardNormal").get_attr("seed2"));
    }

    [Fact]
    public void SeededUniformGivesTensorFlowsNumbers()
    {
        using var g = TestGraph.Enter();
        var u = tf.random_uniform(new[] { 4 }, seed: 1);
        Assert.Equal(new[] { 0.2390374f, 0.92039955f, 0.050512433f, 0.49574447f }, g.Eval(u).ToArray<float>());
    }

    [Fact]
    public void GraphSeedDerivesOpSeedsFromTheLastOpId()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(42);
        var a = tf.random_normal(new[] { 3 });
        var b = tf.random_normal(new[] { 3 });
        var sa = a.graph.get_operation_by_name("random_normal/RandomStandardNormal");
        var sb = b.graph.get_operation_by_name("random_normal_1/RandomStandardNormal");
        Assert.Equal(42L, sa.get_attr("seed"));
        Assert.Equal(3L, sa.get_attr("seed2")); // the shape, mean and stddev constants came first
        Assert.Equal(9L, sb.get_attr("seed2"));
        Assert.NotEqual(Values(a), Values(b));
    }

    [Fact]
    public void SameSeedsGiveTheSameNumbersInEveryGraphAndSession()
    {
        double[] Build()
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(7);
            return g.Eval(tf.truncated_normal((3, 3))).ToArray<double>();
        }
        Assert.Equal(Build(), Build());
    }

    [Fact]
    public void StatefulOpsDrawNewNumbersOnEachRun()
    {
        using var g = TestGraph.Enter();
        var r = tf.random_uniform(new[] { 5 }, seed: 3);
        using var sess = new Session(g.Graph);
        var first = sess.run(r).ToArray<float>();
        var second = sess.run(r).ToArray<float>();
        Assert.NotEqual(first, second);
        using var other = new Session(g.Graph);
        Assert.Equal(first, other.run(r).ToArray<float>()); // each session has its own generator
    }

    [Fact]
    public void UnseededOpsAreNondeterministic()
    {
        using var g = TestGraph.Enter();
        var r = tf.random_normal(new[] { 8 });
        Assert.Equal(0L, r.graph.get_operation_by_name("random_normal/RandomStandardNormal").get_attr("seed"));
        Assert.NotEqual(Values(r), Values(r));
    }

    [Fact]
    public void NormalHasTheRequestedMeanAndStddev()
    {
        using var g = TestGraph.Enter();
        var (mean, std) = Stats(Values(tf.random_normal(new[] { 200_000 }, mean: 3, stddev: 2, seed: 5)));
        Assert.InRange(mean, 2.98, 3.02);
        Assert.InRange(std, 1.98, 2.02);
        var (m64, s64) = Stats(Values(tf.random_normal(new[] { 100_000 }, dtype: tf.float64, seed: 5)));
        Assert.InRange(m64, -0.02, 0.02);
        Assert.InRange(s64, 0.98, 1.02);
    }

    [Fact]
    public void TruncatedNormalRespectsTheTwoStddevBound()
    {
        using var g = TestGraph.Enter();
        foreach (var dtype in new[] { tf.float32, tf.float64 })
        {
            var v = Values(tf.truncated_normal(new[] { 100_000 }, mean: 1, stddev: 3, dtype: dtype, seed: 9));
            Assert.All(v, x => Assert.InRange(x, 1 - 6, 1 + 6));
            var (mean, std) = Stats(v);
            Assert.InRange(mean, 0.97, 1.03);
            // The standard deviation of N(0,1) truncated to ±2 is 0.87962566.
            Assert.InRange(std, 3 * 0.8796 - 0.03, 3 * 0.8796 + 0.03);
        }
    }

    [Fact]
    public void UniformStaysInItsHalfOpenInterval()
    {
        using var g = TestGraph.Enter();
        var v = Values(tf.random_uniform(new[] { 100_000 }, minval: -2, maxval: 4, seed: 11));
        Assert.All(v, x => Assert.True(x >= -2 && x < 4));
        Assert.InRange(v.Average(), 0.97, 1.03);
        var ints = Values(tf.random_uniform(new[] { 60_000 }, minval: 1, maxval: 7, dtype: tf.int32, seed: 11));
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, ints.Distinct().Order());
        Assert.All(ints.GroupBy(x => x), grp => Assert.InRange(grp.Count(), 9_500, 10_500));
        var longs = Values(tf.random_uniform(new[] { 1000 }, minval: -5L, maxval: 5L, dtype: tf.int64, seed: 2));
        Assert.All(longs, x => Assert.InRange(x, -5, 4));
    }

    [Fact]
    public void IntegerUniformNeedsMaxval()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.random_uniform(new[] { 2 }, dtype: tf.int32));
        Assert.Equal("Must specify maxval for integer dtype <dtype: 'int32'>", e.Message);
    }

    [Fact]
    public void GammaHasMeanAlphaOverBetaAndBroadcastsItsParameters()
    {
        using var g = TestGraph.Enter();
        var t = tf.random_gamma(new[] { 50_000 }, alpha: new[] { 0.5, 2.0, 9.0 }, beta: 2.0, seed: 13);
        Assert.Equal(new Shape(50_000, 3), t.shape);
        var v = Values(t);
        for (var k = 0; k < 3; k++)
        {
            var alpha = new[] { 0.5, 2.0, 9.0 }[k];
            var column = Enumerable.Range(0, 50_000).Select(i => v[i * 3 + k]).ToArray();
            var (mean, std) = Stats(column);
            Assert.InRange(mean, alpha / 2 * 0.97, alpha / 2 * 1.03);
            Assert.InRange(std, Math.Sqrt(alpha) / 2 * 0.96, Math.Sqrt(alpha) / 2 * 1.04);
            Assert.All(column, x => Assert.True(x > 0));
        }
        var exponential = Values(tf.random_gamma(new[] { 50_000 }, alpha: 1.0, seed: 1));
        Assert.InRange(exponential.Average(), 0.97, 1.03);
    }

    [Fact]
    public void ShufflePermutesRowsOnly()
    {
        using var g = TestGraph.Enter();
        var rows = tf.reshape(tf.range(12), new[] { 6, 2 });
        var shuffled = g.Eval(tf.random_shuffle(rows, seed: 4)).ToArray<int>();
        var pairs = Enumerable.Range(0, 6).Select(i => (shuffled[2 * i], shuffled[2 * i + 1])).ToList();
        Assert.All(pairs, p => Assert.Equal(p.Item1 + 1, p.Item2));
        Assert.Equal(new[] { 0, 2, 4, 6, 8, 10 }, pairs.Select(p => p.Item1).Order());
        Assert.NotEqual(new[] { 0, 2, 4, 6, 8, 10 }, pairs.Select(p => p.Item1));
    }

    [Fact]
    public void ShapesCanBeComputedAtRunTime()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new[] { -1, 3 });
        var noise = tf.random_uniform(tf.shape(x), seed: 1);
        Assert.Equal(new Shape(-1, 3), noise.shape); // as TensorFlow: the static part of tf.shape(x) is kept
        var value = g.Eval(x + noise, new FeedDict { [x] = new float[5, 3] });
        Assert.Equal(new Shape(5, 3), value.shape);
        // The same seed gives the same numbers whether the shape is static or computed.
        Assert.Equal(g.Eval(tf.random_uniform((5, 3), seed: 1)).ToArray<float>(), value.ToArray<float>());
        Assert.Throws<TypeError>(() => tf.random_normal(tf.constant(new[] { 2.0 })));
    }
}
