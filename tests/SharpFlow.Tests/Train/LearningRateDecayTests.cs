namespace SharpFlow.Tests.Train;

/// <summary>The learning-rate schedules against their formulas, step by step.</summary>
public class LearningRateDecayTests
{
    private static double[] Run(Func<Tensor, Tensor> schedule, int[] steps)
    {
        using var g = TestGraph.Enter();
        var step = tf.placeholder(tf.int64, Shape.Scalar, name: "step");
        var lr = schedule(step);
        using var sess = tf.Session();
        return [.. steps.Select(s => (double)(float)sess.run(lr, new FeedDict { [step] = (long)s }))];
    }

    private static readonly int[] Steps = [0, 1, 5, 10, 15, 20, 33, 100];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exponential(bool staircase)
    {
        var actual = Run(s => tf.train.exponential_decay(0.1, s, 10, 0.96, staircase), Steps);
        for (var i = 0; i < Steps.Length; i++)
        {
            var p = Steps[i] / 10.0;
            if (staircase) p = Math.Floor(p);
            Assert.Equal(0.1 * Math.Pow(0.96, p), actual[i], 1e-6);
        }
    }

    [Fact]
    public void ExponentialNeedsTheGlobalStep()
    {
        using var g = TestGraph.Enter();
        Assert.Equal("global_step is required for exponential_decay.", Assert.Throws<ValueError>(() => tf.train.exponential_decay(0.1, null, 10, 0.9)).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Polynomial(bool cycle)
    {
        var actual = Run(s => tf.train.polynomial_decay(0.1, s, 10, end_learning_rate: 0.01, power: 0.5, cycle: cycle), Steps);
        for (var i = 0; i < Steps.Length; i++)
        {
            double step = Steps[i], decaySteps = 10;
            if (cycle) decaySteps *= step == 0 ? 1 : Math.Ceiling(step / 10);
            else step = Math.Min(step, 10);
            Assert.Equal((0.1 - 0.01) * Math.Pow(1 - step / decaySteps, 0.5) + 0.01, actual[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NaturalExpAndInverseTime(bool staircase)
    {
        var natural = Run(s => tf.train.natural_exp_decay(0.1, s, 10, 0.5, staircase), Steps);
        var inverse = Run(s => tf.train.inverse_time_decay(0.1, s, 10, 0.5, staircase), Steps);
        for (var i = 0; i < Steps.Length; i++)
        {
            var p = Steps[i] / 10.0;
            if (staircase) p = Math.Floor(p);
            Assert.Equal(0.1 * Math.Exp(-0.5 * p), natural[i], 1e-6);
            Assert.Equal(0.1 / (1 + 0.5 * p), inverse[i], 1e-6);
        }
    }

    [Fact]
    public void PiecewiseConstant()
    {
        var actual = Run(s => tf.train.piecewise_constant(s, [5, 15], [1.0, 0.5, 0.1]), [0, 5, 6, 15, 16, 100]);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.1, 0.1], actual.Select(v => Math.Round(v, 6)));
        using var g = TestGraph.Enter();
        Assert.Throws<ValueError>(() => tf.train.piecewise_constant(tf.constant(1L), [5], [1.0]));
    }

    [Fact]
    public void DecayedRateDrivesTheOptimizer()
    {
        using var g = TestGraph.Enter();
        var step = tf.train.get_or_create_global_step();
        var lr = tf.train.exponential_decay(0.5, step, 1, 0.5, staircase: true);
        var w = tf.Variable(1.0f, name: "w");
        var train = tf.train.GradientDescentOptimizer(lr).minimize(w * 1.0f, global_step: step);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        for (var i = 0; i < 3; i++) sess.run(train);
        // The rate read by each update is the one before the step advances: 0.5, 0.25, 0.125.
        Assert.Equal(1 - 0.875f, (float)sess.run(w), 1e-6);
    }
}
