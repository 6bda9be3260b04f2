namespace SharpFlow.Tests.Train;

public class ExponentialMovingAverageTests
{
    [Fact]
    public void SeedSequence()
    {
        using var g = TestGraph.Enter();
        var v1 = tf.Variable(0.0f, name: "v1");
        var step = tf.Variable(0, trainable: false, name: "step");
        var ema = tf.train.ExponentialMovingAverage(0.99, step);
        var maintain = ema.apply([v1]);
        var shadow = ema.average(v1)!;
        Assert.Equal("v1/ExponentialMovingAverage:0", shadow.name);
        Assert.Equal("v1/ExponentialMovingAverage", ema.average_name(v1));
        Assert.False(shadow.trainable);
        Assert.Contains(v1, tf.get_collection<Variable>(tf.GraphKeys.MOVING_AVERAGE_VARIABLES));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(0f, (float)sess.run(shadow));
        // n = 0: decay = min(0.99, 1/10) = 0.1, so shadow -= 0.9 * (0 - 5).
        sess.run(v1.assign(5.0f));
        sess.run(maintain);
        Assert.Equal(4.5f, (float)sess.run(shadow), 1e-5);
        sess.run(step.assign(10000));
        sess.run(v1.assign(10.0f));
        sess.run(maintain);
        Assert.Equal(4.555f, (float)sess.run(shadow), 1e-5);
        sess.run(maintain);
        Assert.Equal(4.60945f, (float)sess.run(shadow), 1e-5);
    }

    [Fact]
    public void WithoutNumUpdatesTheDecayIsFixed()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(new[] { 1.0, 2.0 }, name: "v");
        var ema = tf.train.ExponentialMovingAverage(0.9);
        var maintain = ema.apply();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(new[] { 1.0, 2.0 }, sess.run(ema.average(v)!).ToArray<double>());
        sess.run(v.assign(new[] { 11.0, 2.0 }));
        sess.run(maintain);
        // The decay is a float32 constant (as in TensorFlow), so 1 - decay is 0.1 only to float32 precision.
        AssertArray.Close(NDArray.FromFlat(new[] { 2.0f, 2.0f }, new Shape(2)), sess.run(ema.average(v)!), 1e-6);
    }

    [Fact]
    public void VariablesToRestoreMapsShadowNames()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(1.0f, name: "w");
        var other = tf.Variable(2.0f, trainable: false, name: "other");
        var ema = tf.train.ExponentialMovingAverage(0.9);
        ema.apply([w]);
        var map = ema.variables_to_restore();
        Assert.Same(w, map["w/ExponentialMovingAverage"]);
        Assert.Same(other, map["other"]);
        Assert.False(map.ContainsKey("w"));
        Assert.Throws<ValueError>(() => ema.apply([w]));
        Assert.Throws<TypeError>(() => ema.apply([tf.Variable(1, name: "i")]));
    }

    [Fact]
    public void TwoAveragersOfOneVariableKeepTheirShadowsApart()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(1.0f, name: "w");
        var first = tf.train.ExponentialMovingAverage(0.9);
        var second = tf.train.ExponentialMovingAverage(0.5, zero_debias: true);
        first.apply([w]);
        second.apply([w]);
        Assert.Equal("w/ExponentialMovingAverage", first.average_name(w));
        Assert.Equal("w/ExponentialMovingAverage_1", second.average_name(w));
        Assert.Same(w, second.variables_to_restore()["w/ExponentialMovingAverage_1"]);
    }
}
