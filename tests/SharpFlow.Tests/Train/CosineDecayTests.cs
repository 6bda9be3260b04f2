namespace SharpFlow.Tests.Train;

/// <summary>
/// The cosine schedules against TensorFlow's own tests (learning_rate_decay_test.py: the numpy formulas, steps 0 to
/// 1250 by 250 over 1000 decay steps) in float64, and the float64 schedules to 1e-12.
/// </summary>
public class CosineDecayTests
{
    private static readonly int[] Steps = [0, 250, 500, 750, 1000, 1250];

    private static double[] Run(Func<Tensor, Tensor> schedule, int[] steps)
    {
        using var g = TestGraph.Enter();
        var step = tf.placeholder(tf.int64, Shape.Scalar, name: "step");
        var lr = schedule(step);
        using var sess = tf.Session();
        return [.. steps.Select(s =>
        {
            var value = sess.run(lr, new FeedDict { [step] = (long)s });
            return value.dtype == DType.float64 ? value.item<double>() : value.item<float>();
        })];
    }

    private static double NpCosine(double step, double decaySteps, double alpha = 0)
    {
        step = Math.Min(step, decaySteps);
        var decay = 0.5 * (1 + Math.Cos(Math.PI * step / decaySteps));
        return (1 - alpha) * decay + alpha;
    }

    private static double NpRestarts(double step, double decaySteps, double tMul = 2, double mMul = 1, double alpha = 0)
    {
        var fac = 1.0;
        while (step >= decaySteps)
        {
            step -= decaySteps;
            decaySteps *= tMul;
            fac *= mMul;
        }
        var decay = fac * 0.5 * (1 + Math.Cos(Math.PI * step / decaySteps));
        return (1 - alpha) * decay + alpha;
    }

    private static double NpLinearCosine(double step, double decaySteps, double alpha = 0, double beta = 0.001, double numPeriods = 0.5)
    {
        step = Math.Min(step, decaySteps);
        var linear = (decaySteps - step) / decaySteps;
        var fraction = 2 * numPeriods * step / decaySteps;
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * fraction));
        return (alpha + linear) * cosine + beta;
    }

    private static void Close(Func<int, double> expected, double[] actual, double tolerance)
    {
        for (var i = 0; i < Steps.Length; i++)
            Assert.True(Math.Abs(expected(Steps[i]) - actual[i]) <= tolerance, $"step {Steps[i]}: expected {expected(Steps[i])}, got {actual[i]}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void CosineDecay(double alpha)
    {
        Close(s => NpCosine(s, 1000, alpha), Run(s => tf.train.cosine_decay(1.0, s, 1000, alpha: alpha), Steps), 1e-6);
        Close(s => NpCosine(s, 1000, alpha), Run(s => tf.train.cosine_decay(tf.constant(1.0, tf.float64), s, 1000, alpha: alpha), Steps), 1e-12);
    }

    [Theory]
    [InlineData(2.0, 1.0, 0.0)] // testDecay
    [InlineData(2.0, 1.0, 0.1)] // testAlpha
    [InlineData(2.0, 0.9, 0.0)] // testMMul
    [InlineData(1.0, 1.0, 0.0)] // testTMul
    [InlineData(1.0, 0.5, 0.2)]
    [InlineData(3.0, 0.7, 0.05)]
    public void CosineDecayRestarts(double tMul, double mMul, double alpha)
    {
        var steps = Steps.Concat([1500, 2999, 3000, 7001, 10000]).ToArray();
        var f32 = Run(s => tf.train.cosine_decay_restarts(1.0, s, 1000, t_mul: tMul, m_mul: mMul, alpha: alpha), steps);
        var f64 = Run(s => tf.train.cosine_decay_restarts(tf.constant(1.0, tf.float64), s, 1000, t_mul: tMul, m_mul: mMul, alpha: alpha), steps);
        for (var i = 0; i < steps.Length; i++)
        {
            var expected = NpRestarts(steps[i], 1000, tMul, mMul, alpha);
            Assert.True(Math.Abs(expected - f32[i]) <= 1e-5, $"float32 step {steps[i]}: {expected} vs {f32[i]}");
            Assert.True(Math.Abs(expected - f64[i]) <= 1e-9, $"float64 step {steps[i]}: {expected} vs {f64[i]}");
        }
    }

    [Fact]
    public void LinearCosineDecay()
    {
        Close(s => NpLinearCosine(s, 1000), Run(s => tf.train.linear_cosine_decay(1.0, s, 1000), Steps), 1e-6); // testDefaultDecay
        Close(s => NpLinearCosine(s, 1000, alpha: 0.1, beta: 1e-4, numPeriods: 5), // testNonDefaultDecay
            Run(s => tf.train.linear_cosine_decay(1.0, s, 1000, num_periods: 5, alpha: 0.1, beta: 1e-4), Steps), 1e-6);
        Close(s => 0.5 * NpLinearCosine(s, 1000, alpha: 0.1, beta: 1e-4, numPeriods: 5),
            Run(s => tf.train.linear_cosine_decay(tf.constant(0.5, tf.float64), s, 1000, num_periods: 5, alpha: 0.1, beta: 1e-4), Steps), 1e-12);
    }

    [Fact]
    public void NoisyLinearCosineDecayIsSeededAndAddsNoiseOfTheScheduledVariance()
    {
        double[] Draw(int seed, double initialVariance, int step, int draws)
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(seed);
            var lr = tf.train.noisy_linear_cosine_decay(1.0, tf.constant((long)step), 1000, initial_variance: initialVariance, variance_decay: 0.1,
                num_periods: 5, alpha: 0.1, beta: 1e-4);
            using var sess = tf.Session();
            return [.. Enumerable.Range(0, draws).Select(_ => (double)(float)sess.run(lr))];
        }
        // Without variance it is the linear cosine decay.
        Assert.Equal(NpLinearCosine(250, 1000, 0.1, 1e-4, 5), Draw(1, 0, 250, 1)[0], 1e-6);
        // The same graph seed gives the same stream; another seed another one.
        Assert.Equal(Draw(7, 0.5, 250, 5), Draw(7, 0.5, 250, 5));
        Assert.NotEqual(Draw(7, 0.5, 250, 5), Draw(8, 0.5, 250, 5));
        // lr = (alpha + linear + eps) * cosine + beta with eps ~ N(0, 0.5 / (1 + 250)^0.1): recover eps, check its spread.
        var step = 250.0;
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * 2 * 5 * step / 1000));
        var linear = (1000 - step) / 1000;
        var eps = Draw(3, 0.5, 250, 4000).Select(v => (v - 1e-4) / cosine - 0.1 - linear).ToArray();
        var mean = eps.Average();
        var std = Math.Sqrt(eps.Select(e => (e - mean) * (e - mean)).Average());
        var expectedStd = Math.Sqrt(0.5 / Math.Pow(1 + step, 0.1));
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(std, expectedStd * 0.95, expectedStd * 1.05);
    }

    [Fact]
    public void EachNeedsTheGlobalStep()
    {
        using var g = TestGraph.Enter();
        Assert.Equal("cosine decay requires global_step", Assert.Throws<ValueError>(() => tf.train.cosine_decay(0.1, null, 10)).Message);
        Assert.Equal("cosine decay restarts requires global_step", Assert.Throws<ValueError>(() => tf.train.cosine_decay_restarts(0.1, null, 10)).Message);
        Assert.Equal("linear cosine decay requires global_step", Assert.Throws<ValueError>(() => tf.train.linear_cosine_decay(0.1, null, 10)).Message);
        Assert.Equal("noisy linear cosine decay requires global_step", Assert.Throws<ValueError>(() => tf.train.noisy_linear_cosine_decay(0.1, null, 10)).Message);
    }

    [Fact]
    public void ACosineScheduleDrivesTheOptimizerWithTheIntegerGlobalStep()
    {
        using var g = TestGraph.Enter();
        var global_step = tf.Variable(0, name: "global_step"); // the book's int32 step, trainable
        var lr = tf.train.cosine_decay(0.5, global_step, 4);
        var w = tf.Variable(1.0f, name: "w");
        var train = tf.train.GradientDescentOptimizer(lr).minimize(w * 1.0f, global_step: global_step);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var expected = 1.0;
        for (var i = 0; i < 5; i++)
        {
            expected -= 0.5 * NpCosine(i, 4);
            sess.run(train);
        }
        Assert.Equal(expected, (float)sess.run(w.value()), 1e-5);
    }
}
