using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Functions;

/// <summary>clip_by_norm, global_norm and clip_by_global_norm against TensorFlow's clip_ops_test.py values.</summary>
public class ClippingTests
{
    [Fact]
    public void ClipByNormScalesDownToTheNorm()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { -3.0, 0.0, 0.0 }, { 4.0, 0.0, 0.0 } }, tf.float64);
        AssertArray.Close(NDArray.FromArray(new[,] { { -2.4, 0.0, 0.0 }, { 3.2, 0.0, 0.0 } }), g.Eval(tf.clip_by_norm(x, 4.0)), 1e-12);
        // Not clipped: the norm 5 is under 6.
        AssertArray.Close(NDArray.FromArray(new[,] { { -3.0, 0.0, 0.0 }, { 4.0, 0.0, 0.0 } }), g.Eval(tf.clip_by_norm(x, 6.0)), 1e-12);
        // Per column (axes 0) and per row (axes 1).
        var y = tf.constant(new[,] { { -3.0, 0.0, 0.0 }, { 4.0, 0.0, 3.0 } }, tf.float64);
        AssertArray.Close(NDArray.FromArray(new[,] { { -2.4, 0.0, 0.0 }, { 3.2, 0.0, 3.0 } }), g.Eval(tf.clip_by_norm(y, 4.0, new[] { 0 })), 1e-12);
        AssertArray.Close(NDArray.FromArray(new[,] { { -3.0, 0.0, 0.0 }, { 3.2, 0.0, 2.4 } }), g.Eval(tf.clip_by_norm(y, 4.0, new[] { 1 })), 1e-12);
        // A zero tensor stays zero, with a finite gradient.
        var zero = tf.zeros(new Shape(3), tf.float64);
        AssertArray.Close(NDArray.FromFlat(new[] { 0.0, 0.0, 0.0 }, new Shape(3)), g.Eval(tf.clip_by_norm(zero, 1.0)), 0);
        var grad = tf.gradients(tf.reduce_sum(tf.clip_by_norm(zero, 1.0)), zero)[0]!;
        Assert.All(g.Eval(grad).ToArray<double>(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void GlobalNormAndClipByGlobalNorm()
    {
        using var g = TestGraph.Enter();
        var x0 = tf.constant(new[,] { { -2.0, 0.0, 0.0 }, { 4.0, 0.0, 0.0 } }, tf.float64);
        var x1 = tf.constant(new[] { 1.0, -2.0 }, tf.float64);
        Assert.Equal(5.0, g.Eval(tf.global_norm([x0, null, x1])).ToArray<double>()[0], 1e-12);
        var (clipped, norm) = tf.clip_by_global_norm([x0, x1, null], 4.0);
        Assert.Null(clipped[2]);
        Assert.Equal(5.0, g.Eval(norm).ToArray<double>()[0], 1e-12);
        AssertArray.Close(NDArray.FromArray(new[,] { { -1.6, 0.0, 0.0 }, { 3.2, 0.0, 0.0 } }), g.Eval(clipped[0]!), 1e-12);
        AssertArray.Close(NDArray.FromFlat(new[] { 0.8, -1.6 }, new Shape(2)), g.Eval(clipped[1]!), 1e-12);
        // An infinite norm makes every value NaN, as TensorFlow.
        var inf = tf.constant(new[] { double.PositiveInfinity, 1.0 }, tf.float64);
        var (bad, _) = tf.clip_by_global_norm([inf, x1], 1.0);
        Assert.All(g.Eval(bad[1]!).ToArray<double>(), v => Assert.True(double.IsNaN(v)));
        Assert.Throws<ValueError>(() => tf.global_norm([null]));
    }
}
