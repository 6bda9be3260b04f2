using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Control;

/// <summary>
/// Cases of TensorFlow 1.x's own kernel_tests/control_flow_ops_py_test.py, transcribed with their expected values.
/// </summary>
public class TensorFlowControlFlowTests
{
    private static double D(NDArray a) => a.ToArray<double>()[0];

    /// <summary>testWhile_1 (parallel_iterations=20): counts to 10,000.</summary>
    [Fact]
    public void While1()
    {
        using var g = TestGraph.Enter();
        var r = tf.while_loop(x => tf.less(x, 10000), x => tf.add(x, 1), tf.constant(0), parallel_iterations: 20);
        Assert.Equal(10000, g.Eval(r).ToArray<int>()[0]);
    }

    /// <summary>testWhileCondGradMultiDevice's body: a cond inside the loop, gradient with respect to a fed value.</summary>
    [Fact]
    public void WhileWithCondGrad()
    {
        using var g = TestGraph.Enter();
        var v = tf.placeholder(tf.float32);
        var n = tf.convert_to_tensor(100.0f, name: "n");
        var one = tf.convert_to_tensor(1.0f, name: "one");
        var r = tf.while_loop(x => tf.less(x, n), x => tf.cond(tf.constant(true), () => tf.square(x), () => tf.subtract(x, one)), v);
        var grad = tf.gradients(r, v)[0]!;
        using var sess = tf.Session();
        Assert.Equal(1024.0f, sess.run(grad, new FeedDict { [v] = NDArray.Scalar(2.0f) }).ToArray<float>()[0], 1e-3);
    }

    /// <summary>testNestedWhileCondWhileGrad: a while loop inside a cond inside a while loop.</summary>
    [Fact]
    public void NestedWhileCondWhileGrad()
    {
        using var g = TestGraph.Enter();
        var v = tf.constant(1.0f);
        Tensor InnerLoop(Tensor s)
        {
            var z = tf.constant(0);
            return tf.while_loop((i, x) => tf.less(i, 4), (i, x) => (tf.add(i, 1), tf.multiply(x, 2.0f)), (z, s)).Item2;
        }
        var r = tf.while_loop(x => tf.less(x, 128.0f),
            x => tf.cond(tf.constant(true), () => tf.square(InnerLoop(x)), () => tf.multiply(x, 2.0f)), v);
        var grad = tf.gradients(r, v)[0]!;
        Assert.Equal(512.0f, g.Eval(grad).ToArray<float>()[0], 1e-3);
    }

    /// <summary>testWhileGrad_StopGrad: gradients of two loop outputs, each alone, summed, and behind stop_gradient.</summary>
    [Fact]
    public void WhileGradStopGrad()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(3.0f, name: "x");
        var y = tf.constant(2.0f, name: "y");
        var (rx, ry) = tf.while_loop((a, _) => tf.less(a, 100.0f), (a, b) =>
        {
            var y1 = tf.square(b);
            return (tf.add(tf.square(a), y1), y1);
        }, (x, y));
        float Grad(Tensor of, Tensor wrt) => g.Eval(tf.gradients(of, wrt)[0]!).ToArray<float>()[0];
        Assert.Equal(136.0f, Grad(rx, y));
        Assert.Equal(32.0f, Grad(ry, y));
        Assert.Null(tf.gradients(tf.stop_gradient(rx), y)[0]);
        Assert.Null(tf.gradients(tf.stop_gradient(ry), y)[0]);
        Assert.Null(tf.gradients(tf.stop_gradient(tf.square(rx)), y)[0]);
        Assert.Null(tf.gradients(tf.stop_gradient(tf.add(rx, ry)), x)[0]);
        Assert.Null(tf.gradients(tf.stop_gradient(tf.add(rx, ry)), y)[0]);
        Assert.Equal(168.0f, Grad(tf.add(rx, ry), y));
        Assert.Equal(136.0f, Grad(tf.add(rx, tf.stop_gradient(ry)), y));
        Assert.Equal(32.0f, Grad(tf.add(tf.stop_gradient(rx), ry), y));
    }

    /// <summary>testCondGrad_1 and testCondGrad_2: the gradient of the branch taken.</summary>
    [Fact]
    public void CondGrad()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(10.0f);
        var r1 = tf.cond(tf.less(1, 2), () => tf.identity(x), () => tf.identity(x));
        Assert.Equal(1.0f, g.Eval(tf.gradients(r1, x)[0]!).ToArray<float>()[0]);
        var c = tf.placeholder(tf.int32, Shape.Scalar);
        var r2 = tf.cond(tf.less(c, 2), () => tf.multiply(x, 42.0f), () => tf.multiply(x, 3.0f));
        var grad = tf.gradients(r2, x)[0]!;
        using var sess = tf.Session();
        Assert.Equal(42.0f, sess.run(grad, new FeedDict { [c] = NDArray.Scalar(1) }).ToArray<float>()[0]);
        Assert.Equal(3.0f, sess.run(grad, new FeedDict { [c] = NDArray.Scalar(3) }).ToArray<float>()[0]);
    }
}
