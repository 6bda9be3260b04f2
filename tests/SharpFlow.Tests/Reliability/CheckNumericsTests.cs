using FsCheck;
using FsCheck.Fluent;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Tests.Reliability;

/// <summary><c>tf.check_numerics</c>, its gradient and <c>tf.add_check_numerics_ops</c>, with TensorFlow's messages.</summary>
public class CheckNumericsTests
{
    [Theory]
    [InlineData(new[] { 1.0, -2.5, 0.0 }, null)]
    [InlineData(new[] { 1.0, double.NaN, 3.0 }, "NaN")]
    [InlineData(new[] { double.NegativeInfinity, 2.0 }, "Inf")]
    [InlineData(new[] { double.PositiveInfinity, double.NaN }, "Inf and NaN")]
    public void PassesFiniteTensorsAndNamesWhatItFound(double[] values, string? found)
    {
        foreach (var dtype in new[] { DType.float32, DType.float64 })
        {
            using var g = TestGraph.Enter();
            var x = tf.placeholder(dtype, name: "x");
            var y = tf.check_numerics(x, "activations of layer 2", name: "check");
            var feed = new FeedDict { [x] = NDArray.FromArray(values).Cast(dtype) };
            if (found is null)
            {
                Assert.Equal(values, g.Eval(y, feed).Cast(DType.float64).ToArray<double>());
                continue;
            }
            var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(y, feed));
            Assert.Equal($"activations of layer 2 : Tensor had {found} values", e.RawMessage);
            Assert.Equal("check", e.NodeName);
        }
    }

    [Fact]
    public void TheVectorScanAgreesWithAnElementByElementOneAnywhereInTheTensor()
    {
        var cases =
            from length in Gen.Choose(0, 70)
            from nanAt in Gen.Choose(-1, 69)
            from infAt in Gen.Choose(-1, 69)
            select (length, nanAt, infAt);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var values = Enumerable.Range(0, c.length).Select(i => (float)Math.Sin(i) * 1e30f).ToArray();
            if (c.nanAt >= 0 && c.nanAt < c.length) values[c.nanAt] = float.NaN;
            if (c.infAt >= 0 && c.infAt < c.length) values[c.infAt] = float.NegativeInfinity;
            Assert.Equal((values.Any(float.IsNaN), values.Any(float.IsInfinity)), CheckNumerics.Scan<float>(values));
            var doubles = values.Select(v => (double)v).ToArray();
            Assert.Equal((doubles.Any(double.IsNaN), doubles.Any(double.IsInfinity)), CheckNumerics.Scan<double>(doubles));
        }));
    }

    [Fact]
    public void TheGradientIsCheckedWithTensorFlowsPrefix()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2), name: "x");
        var y = tf.check_numerics(x, "input x");
        var grad = tf.gradients(tf.reduce_sum(tf.log(y)), x)[0]!;
        Assert.Equal(new[] { 0.5f, 0.25f }, g.Eval(grad, new FeedDict { [x] = new[] { 2f, 4f } }).ToArray<float>());
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(grad, new FeedDict { [x] = new[] { 0f, 4f } })); // d log(x)/dx = 1/0
        Assert.Equal("Not a number (NaN) or infinity (Inf) values detected in gradient. input x : Tensor had Inf values", e.RawMessage);
        Assert.Contains("float32 or float64", Assert.Throws<TypeError>(() => tf.check_numerics(new[] { 1, 2 }, "ints")).Message);
    }

    [Fact]
    public void AddCheckNumericsOpsNamesTheEarliestNonFiniteValue()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var doubled = tf.multiply(x, 2f, name: "doubled");
        var logs = tf.log(doubled, name: "logs");       // NaN for x < 0, -Inf for x = 0
        var scaled = tf.multiply(logs, 3f, name: "scaled");
        var total = tf.reduce_sum(scaled, name: "total");
        var check = tf.add_check_numerics_ops();
        using var sess = tf.Session();
        Assert.Equal(3 * MathF.Log(2) * 3, sess.run(total, new FeedDict { [x] = new[] { 1f, 1f, 1f } }).item<float>(), 1e-4);
        sess.run(check, new FeedDict { [x] = new[] { 1f, 1f, 1f } });
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(new ITensorOrOperation[] { total, check }, new FeedDict { [x] = new[] { 1f, -1f, 0f } }));
        Assert.Equal("logs:0 : Tensor had Inf and NaN values", e.RawMessage); // not scaled:0 or total:0, which follow it
    }

    [Fact]
    public void AddCheckNumericsOpsSkipsVariablesAndUpdatesSoTrainingRunsWithIt()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(3f, name: "w");
        var x = tf.placeholder(tf.float32, name: "x");
        var loss = tf.square(w * x - 1f);
        var train = tf.train.GradientDescentOptimizer(0.1).minimize(loss);
        var init = tf.global_variables_initializer();
        var check = tf.add_check_numerics_ops();
        using var sess = tf.Session();
        sess.run(init);
        var before = sess.run(w.value()).item<float>();
        for (var i = 0; i < 3; i++) sess.run(new ITensorOrOperation[] { train, check }, new FeedDict { [x] = 1f });
        var after = sess.run(w.value()).item<float>();
        Assert.True(after < before, "the updates applied and the initializer did not run again");
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(new ITensorOrOperation[] { train, check }, new FeedDict { [x] = float.NaN }));
        Assert.EndsWith(": Tensor had NaN values", e.RawMessage);
    }
}
