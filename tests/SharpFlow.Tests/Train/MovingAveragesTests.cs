namespace SharpFlow.Tests.Train;

/// <summary>
/// assign_moving_average, weighted_moving_average and ExponentialMovingAverage of plain tensors against TensorFlow's
/// moving_averages_test.py and the formulas over several steps (in double).
/// </summary>
public class MovingAveragesTests
{
    [Fact]
    public void AssignMovingAverageWithoutZeroDebias()
    {
        // moving_averages_test.testAssignMovingAverage.
        using var g = TestGraph.Enter();
        var var_ = tf.Variable(new[] { 10.0f, 11.0f }, name: "var");
        var val = tf.constant(new[] { 1.0f, 2.0f });
        var assign = tf.train.assign_moving_average(var_, val, 0.25, zero_debias: false);
        Assert.StartsWith("AssignMovingAvg", assign.op.name);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(assign);
        AssertArray.Close(NDArray.FromFlat(new[] { 10f * 0.25f + 1f * 0.75f, 11f * 0.25f + 2f * 0.75f }, new Shape(2)), sess.run(var_.value()), 1e-6);
    }

    [Fact]
    public void AssignMovingAverageWithZeroDebiasOverSeveralSteps()
    {
        // moving_averages_test.testAssignMovingAverageWithZeroDebias for the first step, then the formula.
        using var g = TestGraph.Enter();
        var var_ = tf.Variable(new[] { 0.0f, 0.0f }, name: "var");
        var val = tf.placeholder(tf.float32, new Shape(2), name: "val");
        const double decay = 0.25;
        var assign = tf.train.assign_moving_average(var_, val, decay);
        var names = tf.global_variables().Select(v => v.op.name).ToList();
        Assert.Contains("var/biased", names);
        Assert.Contains("var/local_step", names);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new[] { 0f, 0f }, sess.run(var_.value()).ToArray<float>());
        double[][] values = [[1, 2], [3, -1], [0.5, 4], [10, 10]];
        var biased = new double[2];
        for (var t = 1; t <= values.Length; t++)
        {
            var x = values[t - 1];
            var result = sess.run(assign, new FeedDict { [val] = x.Select(v => (float)v).ToArray() }).ToArray<float>();
            for (var i = 0; i < 2; i++)
            {
                biased[i] = biased[i] * decay + (1 - decay) * x[i];
                var expected = biased[i] / (1 - Math.Pow(decay, t));
                Assert.Equal(expected, result[i], 1e-5);
            }
            if (t == 1) Assert.Equal(new[] { 1f, 2f }, result); // the debiased first average is the first value
        }
    }

    [Fact]
    public void ATensorDecayIsUsedAsOneMinusItInTheVariablesDtype()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(tf.constant(new[] { 4.0, 8.0 }, dtype: tf.float64), name: "v");
        var decay = tf.placeholder(tf.float32, Shape.Scalar, name: "decay");
        var assign = tf.train.assign_moving_average(v, tf.constant(new[] { 0.0, 0.0 }, dtype: tf.float64), decay, zero_debias: false);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(assign, new FeedDict { [decay] = 0.5f });
        Assert.Equal(new[] { 2.0, 4.0 }, sess.run(v.value()).ToArray<double>());
    }

    [Fact]
    public void WeightedMovingAverage()
    {
        // moving_averages_test.testWeightedMovingAverage, then a third step.
        using var g = TestGraph.Enter();
        const double decay = 0.5;
        var weight = tf.placeholder(tf.float32, Shape.Scalar, name: "weight");
        var val = tf.placeholder(tf.float32, Shape.Scalar, name: "val");
        var wma = tf.train.weighted_moving_average(val, decay, weight);
        var names = tf.global_variables().Select(v => v.op.name).ToList();
        Assert.Equal(["WeightedMovingAvg/value_x_weight", "WeightedMovingAvg/weight"], names);
        Assert.Empty(tf.trainable_variables());
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        double numerator = 0, denominator = 0;
        foreach (var (x, w) in new[] { (3.0, 4.0), (11.0, 22.0), (-2.0, 1.5) })
        {
            var actual = (float)sess.run(wma, new FeedDict { [val] = (float)x, [weight] = (float)w });
            numerator = numerator * decay + x * w * (1 - decay);
            denominator = denominator * decay + w * (1 - decay);
            Assert.Equal(numerator / denominator, actual, 1e-5);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExponentialMovingAverageOfATensorStartsAtZero(bool zeroDebias)
    {
        using var g = TestGraph.Enter();
        var var0 = tf.Variable(new[] { 10.0f, 10.0f }, name: "var0");
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var tensor = tf.identity(x, name: "loss");
        var ema = tf.train.ExponentialMovingAverage(0.75, zero_debias: zeroDebias);
        var update = ema.apply([var0, tensor]);
        var avg = ema.average(tensor)!;
        Assert.Equal("loss/ExponentialMovingAverage:0", avg.name);
        Assert.Equal("loss/ExponentialMovingAverage", ema.average_name(tensor));
        Assert.False(avg.trainable);
        Assert.DoesNotContain(tensor, tf.get_collection<Tensor>(tf.GraphKeys.MOVING_AVERAGE_VARIABLES));
        var names = tf.global_variables().Select(v => v.op.name).ToList();
        Assert.Equal(zeroDebias, names.Contains("loss/ExponentialMovingAverage/biased"));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new[] { 0f, 0f }, sess.run(avg.value()).ToArray<float>());
        Assert.Equal(new[] { 10f, 10f }, sess.run(ema.average(var0)!.value()).ToArray<float>()); // a variable's shadow starts at its value
        const double decay = 0.75;
        var oneMinus = (double)(1 - 0.75f);
        double[][] feeds = [[1, 2], [5, -3], [2, 2], [0, 8]];
        double[] shadow = [0, 0], biased = [0, 0];
        for (var t = 1; t <= feeds.Length; t++)
        {
            sess.run(update, new FeedDict { [x] = feeds[t - 1].Select(v => (float)v).ToArray() });
            var actual = sess.run(avg.value()).ToArray<float>();
            for (var i = 0; i < 2; i++)
            {
                shadow[i] -= (shadow[i] - feeds[t - 1][i]) * oneMinus;
                biased[i] = biased[i] * decay + (1 - decay) * feeds[t - 1][i];
                var expected = zeroDebias ? biased[i] / (1 - Math.Pow(decay, t)) : shadow[i];
                Assert.Equal(expected, actual[i], 1e-5);
            }
        }
        // The variable's shadow is never debiased: 10 all along.
        AssertArray.Close(NDArray.FromFlat(new[] { 10f, 10f }, new Shape(2)), sess.run(ema.average(var0)!.value()), 1e-5);
    }
}
