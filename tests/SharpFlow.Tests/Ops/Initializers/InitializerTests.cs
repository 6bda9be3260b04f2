using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Initializers;

/// <summary>The §31 initializers: values, bounds and the statistics TensorFlow's formulas promise.</summary>
public class InitializerTests
{
    private static float[] Init(Initializer init, Shape shape, DType? dtype = null)
    {
        using var g = TestGraph.Enter();
        var v = tf.get_variable("v", shape, dtype: dtype, initializer: init);
        using var sess = tf.Session();
        sess.run(v.initializer);
        return sess.run(v).ToArray<float>();
    }

    private static (double Mean, double Std) Stats(float[] v)
    {
        var mean = v.Average(x => (double)x);
        return (mean, Math.Sqrt(v.Average(x => (x - mean) * (x - mean))));
    }

    [Fact]
    public void ConstantFillsAndRepeatsItsLastValue()
    {
        Assert.All(Init(tf.constant_initializer(2.5), new[] { 2, 3 }), x => Assert.Equal(2.5f, x));
        Assert.Equal(new[] { 0f, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7 }, Init(tf.constant_initializer(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }), new[] { 3, 4 }));
        Assert.Equal("Too many elements provided. Needed at most 2, but received 3",
            Assert.Throws<ValueError>(() => Init(tf.constant_initializer(new[] { 1, 2, 3 }), new[] { 2 })).Message);
    }

    [Fact]
    public void ZerosAndOnes()
    {
        Assert.All(Init(tf.zeros_initializer(), new[] { 4 }), x => Assert.Equal(0f, x));
        Assert.All(Init(tf.ones_initializer(), new[] { 4 }), x => Assert.Equal(1f, x));
    }

    [Fact]
    public void RandomInitializersHaveTheirDistributions()
    {
        var (m, s) = Stats(Init(tf.random_normal_initializer(1, 0.5, seed: 1), new[] { 200, 200 }));
        Assert.InRange(m, 0.99, 1.01);
        Assert.InRange(s, 0.49, 0.51);
        var t = Init(tf.truncated_normal_initializer(0, 0.1, seed: 1), new[] { 200, 200 });
        Assert.All(t, x => Assert.InRange(x, -0.2f, 0.2f));
        var u = Init(tf.random_uniform_initializer(-1, 3, seed: 1), new[] { 200, 200 });
        Assert.All(u, x => Assert.True(x >= -1 && x < 3));
        Assert.InRange(u.Average(x => (double)x), 0.97, 1.03);
        var d = Init(tf.random_uniform_initializer(), new[] { 1000 });
        Assert.All(d, x => Assert.True(x >= 0 && x < 1));
    }

    [Fact]
    public void UniformUnitScalingUsesTheInputSize()
    {
        var v = Init(tf.uniform_unit_scaling_initializer(factor: 2, seed: 3), new[] { 300, 40 });
        var limit = Math.Sqrt(3.0 / 300) * 2;
        Assert.All(v, x => Assert.InRange(x, -limit, limit));
        Assert.True(v.Max() > limit * 0.95);
    }

    [Fact]
    public void GlorotInitializersScaleWithFanInAndOut()
    {
        var u = Init(tf.glorot_uniform_initializer(seed: 1), new[] { 100, 300 });
        var limit = Math.Sqrt(6.0 / 400);
        Assert.All(u, x => Assert.InRange(x, -limit, limit));
        Assert.True(u.Max() > limit * 0.95);
        var (_, std) = Stats(Init(tf.glorot_normal_initializer(seed: 1), new[] { 200, 200 }));
        Assert.InRange(std, Math.Sqrt(2.0 / 400) * 0.97, Math.Sqrt(2.0 / 400) * 1.03);
        // Convolution kernels multiply the fans by the receptive field (5*5 here).
        var conv = Init(tf.glorot_uniform_initializer(seed: 2), new[] { 5, 5, 6, 16 });
        var convLimit = Math.Sqrt(6.0 / (25 * 6 + 25 * 16));
        Assert.All(conv, x => Assert.InRange(x, -convLimit, convLimit));
    }

    [Fact]
    public void VarianceScalingValidatesItsArguments()
    {
        Assert.Throws<ValueError>(() => tf.variance_scaling_initializer(scale: -1));
        Assert.Throws<ValueError>(() => tf.variance_scaling_initializer(mode: "fan_sum"));
        Assert.Throws<ValueError>(() => tf.variance_scaling_initializer(distribution: "cauchy"));
        var (_, std) = Stats(Init(tf.variance_scaling_initializer(2.0, "fan_in", "untruncated_normal", seed: 4), new[] { 200, 100 }));
        Assert.InRange(std, Math.Sqrt(2.0 / 200) * 0.97, Math.Sqrt(2.0 / 200) * 1.03);
    }

    [Fact]
    public void InitializerOpsLiveInTheVariablesInitializerScope()
    {
        using var g = TestGraph.Enter();
        tf.get_variable("w", new[] { 2 }, initializer: tf.truncated_normal_initializer(seed: 1));
        Assert.Equal("TruncatedNormal", g.Graph.get_operation_by_name("w/Initializer/truncated_normal/TruncatedNormal").type);
    }
}
