using SharpFlow.Ops.MathOps;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>AddV2, SelectV2 (tf.where_v2), DivNoNan, and Select of strings: forward against plain loops and TensorFlow's test values.</summary>
public class TensorFlow2MathOpsTests
{
    [Fact]
    public void AddV2AddsWithBroadcastingAndRefusesStrings()
    {
        using var g = TestGraph.Enter();
        Assert.Equal([11, 22, 13, 24], g.Eval(AddV2.Build(tf.constant(new[,] { { 1, 2 }, { 3, 4 } }), tf.constant(new[] { 10, 20 }))).ToArray<int>());
        Assert.Equal([1.5f, 3.5f], g.Eval(AddV2.Build(tf.constant(new[] { 1f, 3f }), tf.constant(0.5f))).ToArray<float>());
        Assert.Throws<TypeError>(() => AddV2.Build(tf.constant("a"), tf.constant("b")));
    }

    [Fact]
    public void DivNoNanGivesZeroWhereTheDivisorIsZero()
    {
        // TensorFlow's math_ops_test.DivNoNanTest: x / y, and 0 where y == 0 (even for inf or nan x).
        using var g = TestGraph.Enter();
        var x = new[] { 1.0, double.PositiveInfinity, double.NaN, -6.0, 0.0 };
        var y = new[] { 0.0, 0.0, 0.0, 3.0, 2.0 };
        Assert.Equal([0.0, 0.0, 0.0, -2.0, 0.0], g.Eval(tf.div_no_nan(x, y)).ToArray<double>());
        Assert.Equal([0.5f, 0f], g.Eval(tf.math.divide_no_nan(tf.constant(new[] { 1f, 2f }), tf.constant(new[] { 2f, 0f }))).ToArray<float>());
        Assert.Equal("DivNoNan", tf.div_no_nan(1.0, 2.0).op.type);
        Assert.Throws<TypeError>(() => tf.div_no_nan(tf.constant(1), tf.constant(2)));
    }

    [Fact]
    public void WhereV2BroadcastsTheConditionAndBothBranches()
    {
        using var g = TestGraph.Enter();
        var random = new Random(3);
        var c = Enumerable.Range(0, 4).Select(_ => random.Next(2) == 1).ToArray();       // [4, 1]
        var x = Enumerable.Range(0, 3).Select(i => (double)i + 1).ToArray();              // [3]
        var y = Enumerable.Range(0, 12).Select(i => -(double)i).ToArray();                // [4, 3]
        var result = g.Eval(tf.where_v2(tf.reshape(c, new[] { 4, 1 }), x, tf.reshape(y, new[] { 4, 3 })));
        Assert.Equal(new Shape(4, 3), result.shape);
        var expected = new double[12];
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 3; j++)
                expected[i * 3 + j] = c[i] ? x[j] : y[i * 3 + j];
        Assert.Equal(expected, result.ToArray<double>());
        // Strings too, and a scalar condition.
        Assert.Equal("b", System.Text.Encoding.UTF8.GetString(g.Eval(tf.where_v2(false, "a", "b")).StringBytes()));
        var words = g.Eval(tf.where_v2(tf.constant(new[] { true, false }), tf.constant(NDArray.FromStrings(["x", "y"])), tf.constant("z")));
        Assert.Equal(["x", "z"], Enumerable.Range(0, 2).Select(i => System.Text.Encoding.UTF8.GetString(words.StringBytes(i))).ToArray());
    }

    [Fact]
    public void WhereV2RefusesShapesThatDoNotBroadcast()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.where_v2(tf.constant(new[] { true, false, true }), tf.constant(new[] { 1, 2 }), tf.constant(0), name: "pick"));
        Assert.Contains("pick", e.Message);
        var p = tf.placeholder(tf.@bool);
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.where_v2(p, tf.constant(new[] { 1, 2 }), tf.constant(0)), new FeedDict { [p] = new[] { true, false, true } }));
        Assert.Contains("must be broadcastable", run.Message);
    }

    [Fact]
    public void SelectPicksStrings()
    {
        // TensorFlow 2's Saver: where(regex_full_match(prefix, "^s3://.*"), ".part", "_temp_<uuid>/part").
        using var g = TestGraph.Enter();
        Assert.Equal(".part", System.Text.Encoding.UTF8.GetString(g.Eval(tf.where(true, ".part", "_temp/part")).StringBytes()));
        var rows = g.Eval(tf.where(tf.constant(new[] { false, true }), tf.constant(NDArray.FromStrings(["a", "b", "c", "d"], new Shape(2, 2))), tf.constant(NDArray.FromStrings(["e", "f", "g", "h"], new Shape(2, 2)))));
        Assert.Equal(["e", "f", "c", "d"], Enumerable.Range(0, 4).Select(i => System.Text.Encoding.UTF8.GetString(rows.StringBytes(i))).ToArray());
    }

    [Fact]
    public void BatchMatMulOfOlderGraphsMultipliesWithoutBroadcasting()
    {
        using var g = TestGraph.Enter();
        var random = new Random(5);
        var a = new double[2 * 2 * 3];
        var b = new double[2 * 3 * 2];
        for (var i = 0; i < a.Length; i++) a[i] = random.NextDouble();
        for (var i = 0; i < b.Length; i++) b[i] = random.NextDouble();
        var product = g.Eval(BatchMatMul.Build(tf.reshape(tf.constant(a, tf.float64), new[] { 2, 2, 3 }), tf.reshape(tf.constant(b, tf.float64), new[] { 2, 3, 2 })));
        Assert.Equal(new Shape(2, 2, 2), product.shape);
        var values = product.ToArray<double>();
        for (var n = 0; n < 2; n++)
            for (var i = 0; i < 2; i++)
                for (var j = 0; j < 2; j++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < 3; k++) sum += a[n * 6 + i * 3 + k] * b[n * 6 + k * 2 + j];
                    Assert.Equal(sum, values[n * 4 + i * 2 + j], 1e-12);
                }
        // No broadcasting of the batch dimensions, at build time and at run time.
        Assert.Contains("Dimensions must be equal", Assert.Throws<ValueError>(() => BatchMatMul.Build(tf.zeros(new Shape(2, 2, 3)), tf.zeros(new Shape(1, 3, 2)), name: "bmm")).Message);
        Assert.Contains("rank", Assert.Throws<ValueError>(() => BatchMatMul.Build(tf.zeros(new Shape(2, 2, 3)), tf.zeros(new Shape(3, 2)))).Message);
        var p = tf.placeholder(tf.float32, new Shape(-1, 2, 3));
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(BatchMatMul.Build(p, tf.zeros(new Shape(2, 3, 2))), new FeedDict { [p] = new float[1, 2, 3] }));
        Assert.Contains("must be the same", e.Message);
    }
}
