using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Control;

/// <summary>tf.cond and tf.while_loop: forward values, dead branches, graphs as TensorFlow builds them.</summary>
public class ControlFlowTests
{
    [Fact]
    public void CondTakesTheRightBranch()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.@bool, Shape.Scalar);
        var x = tf.constant(3.0);
        var y = tf.cond(p, () => x * 2.0, () => x + 10.0);
        using var sess = tf.Session();
        Assert.Equal(6.0, sess.run(y, new FeedDict { [p] = NDArray.Scalar(true) }).ToArray<double>()[0]);
        Assert.Equal(13.0, sess.run(y, new FeedDict { [p] = NDArray.Scalar(false) }).ToArray<double>()[0]);
        Assert.Equal("cond/Merge", y.op.name);
        Assert.Equal("Merge", y.op.type);
    }

    [Fact]
    public void WhileLoopCountsToTen()
    {
        using var g = TestGraph.Enter();
        var i = tf.constant(0);
        var r = tf.while_loop(c => tf.less(c, 10), c => c + 1, i);
        Assert.Equal(10, g.Eval(r).ToArray<int>()[0]);
        Assert.Equal("while/Exit", r.op.name);
    }

    [Fact]
    public void WhileLoopFibonacci()
    {
        using var g = TestGraph.Enter();
        var (a, b) = tf.while_loop((n, _) => tf.less(n, 10), (n, v) => (n + 1, v), (tf.constant(0), tf.constant(1.0)));
        // TensorFlow's docs: the first Fibonacci number of at least 1000, and the next one.
        var (fib, next) = tf.while_loop((x, y) => tf.less(x, 1000.0), (x, y) => (y, x + y), (tf.constant(0.0), tf.constant(1.0)));
        Assert.Equal(10, g.Eval(a).ToArray<int>()[0]);
        Assert.Equal(1.0, g.Eval(b).ToArray<double>()[0]);
        Assert.Equal(1597.0, g.Eval(fib).ToArray<double>()[0]);
        Assert.Equal(2584.0, g.Eval(next).ToArray<double>()[0]);
    }

    [Fact]
    public void GradientThroughCond()
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.@bool, Shape.Scalar);
        var x = tf.constant(3.0);
        var y = tf.cond(p, () => x * x, () => x * 5.0);
        var dx = tf.gradients(y, x)[0]!;
        using var sess = tf.Session();
        Assert.Equal(6.0, sess.run(dx, new FeedDict { [p] = NDArray.Scalar(true) }).ToArray<double>()[0]);
        Assert.Equal(5.0, sess.run(dx, new FeedDict { [p] = NDArray.Scalar(false) }).ToArray<double>()[0]);
    }

    [Fact]
    public void GradientThroughWhileLoop()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(2.0);
        // y = x^(2^3): squaring three times.
        var (_, y) = tf.while_loop((i, v) => tf.less(i, 3), (i, v) => (i + 1, v * v), (tf.constant(0), x));
        var dx = tf.gradients(y, x)[0]!;
        Assert.Equal(256.0, g.Eval(y).ToArray<double>()[0]);
        Assert.Equal(8 * Math.Pow(2, 7), g.Eval(dx).ToArray<double>()[0]);
    }
}
