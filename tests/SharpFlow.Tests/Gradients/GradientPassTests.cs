namespace SharpFlow.Tests.Gradients;

/// <summary>The behaviour of tf.gradients itself: fan-out, unconnected inputs, stops, seeds, names and errors.</summary>
public class GradientPassTests
{
    [Fact]
    public void FanOutIsSummed()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(3.0f);
        var y = x * x + x; // dy/dx = 2x + 1
        Assert.Equal(7f, (float)g.Eval(tf.gradients(y, x)[0]!));
    }

    [Fact]
    public void UnconnectedInputsGetNull()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(1.0f);
        var b = tf.constant(2.0f);
        var grads = tf.gradients(a * 3.0f, new[] { a, b });
        Assert.NotNull(grads[0]);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void StopGradientAndStopGradientsBlockTheFlow()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(2.0f);
        var y = tf.stop_gradient(x * x) + x;
        Assert.Equal(1f, (float)g.Eval(tf.gradients(y, x)[0]!));
        var h = x * x;
        var z = h * x;
        // With h held constant, dz/dx = h = 4 instead of 3x² = 12.
        Assert.Equal(4f, (float)g.Eval(tf.gradients(z, x, stop_gradients: [h])[0]!));
        Assert.Equal(12f, (float)g.Eval(tf.gradients(z, x)[0]!));
    }

    [Fact]
    public void GradYsSeedTheBackwardPass()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1.0f, 2.0f });
        var y = x * 3.0f;
        var grad = tf.gradients(y, x, grad_ys: tf.constant(new[] { 10.0f, -1.0f }))[0]!;
        AssertArray.Equal(new[] { 30f, -3f }, g.Eval(grad));
        Assert.Throws<TypeError>(() => tf.gradients(y, x, grad_ys: tf.constant(new[] { 1, 2 })));
    }

    [Fact]
    public void SeveralYsAreSummed()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(2.0f);
        var grads = tf.gradients(new[] { x * x, x * 5.0f }, new[] { x });
        Assert.Equal(9f, (float)g.Eval(grads[0]!));
    }

    [Fact]
    public void GradientOpsLiveUnderTheGradientsScope()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var w = tf.Variable(tf.ones((3, 2)), name: "w");
        var y = tf.reduce_sum(tf.matmul(x, w, name: "mm"));
        var dw = tf.gradients(y, w)[0]!;
        Assert.StartsWith("gradients/mm_grad/", dw.op.name, StringComparison.Ordinal);
        Assert.Equal(new Shape(3, 2), dw.shape);
        var dw2 = tf.gradients(y, w)[0]!;
        Assert.StartsWith("gradients_1/", dw2.op.name, StringComparison.Ordinal);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var value = sess.run(dw, new FeedDict { [x] = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } } });
        AssertArray.Equal(new float[] { 5, 5, 7, 7, 9, 9 }, value);
    }

    [Fact]
    public void IntegerPathsCarryNoGradient()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[] { 1.5f, -2.5f, 3.7f });
        // argmax and casts to int cut the float path.
        var y = tf.cast(tf.cast(x, tf.int32), tf.float32) + tf.cast(tf.argmax(x, 0), tf.float32);
        Assert.Null(tf.gradients(y, x)[0]);
        Assert.Throws<TypeError>(() => tf.gradients(tf.constant(1) * 2, tf.constant(3)));
    }

    [Fact]
    public void OpsOfTwoGraphsAreRefused()
    {
        var g1 = new Graph();
        var g2 = new Graph();
        Tensor a, b;
        using (g1.as_default()) a = tf.constant(1.0f);
        using (g2.as_default()) b = tf.constant(1.0f);
        Assert.Throws<ValueError>(() => tf.gradients(a, b));
    }

    [Fact]
    public void ClipByValuePassesTheGradientOnlyInsideTheBounds()
    {
        using var g = TestGraph.Enter();
        var t = tf.constant(new[] { -2.0f, -1.0f, 0.0f, 1.0f, 2.0f });
        var clipped = tf.clip_by_value(t, -1.0, 1.0);
        AssertArray.Equal(new[] { -1f, -1f, 0f, 1f, 1f }, g.Eval(clipped));
        // Bounds are inclusive: the gradient passes at t = min and t = max.
        AssertArray.Equal(new[] { 0f, 1f, 1f, 1f, 0f }, g.Eval(tf.gradients(clipped, t)[0]!));
        Assert.Throws<ValueError>(() => tf.clip_by_value(tf.constant(new[] { 1.0f }), tf.constant(new[,] { { 0.0f }, { 0.0f } }), 1.0));
    }

    [Fact]
    public void SparseSoftmaxCrossEntropyHasNoSecondDerivative()
    {
        using var g = TestGraph.Enter();
        var logits = tf.constant(new[,] { { 1.0f, 2.0f } });
        var loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.constant(new[] { 1 }), logits: logits);
        var grad = tf.gradients(loss, logits)[0]!;
        var e = Assert.Throws<LookupError>(() => tf.gradients(tf.reduce_sum(grad), logits));
        Assert.Contains("second derivative of sparse_softmax_cross_entropy_with_logits", e.Message);
        Assert.Contains("Gradient explicitly disabled. Reason:", e.Message);
    }

    [Fact]
    public void SparseSoftmaxCrossEntropyDifferentiatesInAGraphWithALoop()
    {
        // With a while loop in the graph, the pass gives every output without a gradient zeros (as TensorFlow does),
        // also the cross entropy's backprop output: its rule ignores that gradient.
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 1.0f, 2.0f, 0.5f } });
        var logits = tf.while_loop(v => tf.less(tf.reduce_sum(v), 100f), v => v * 2f, x);
        var loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.constant(new[] { 1 }), logits: logits);
        var grad = tf.gradients(loss, x)[0]!;
        var logitsValue = g.Eval(logits).ToArray<float>();
        var softmax = logitsValue.Select(v => Math.Exp(v - logitsValue.Max())).ToArray();
        var total = softmax.Sum();
        var expected = softmax.Select((p, i) => (float)(32 * (p / total - (i == 1 ? 1 : 0)))).ToArray();
        AssertArray.Close(NDArray.FromFlat(expected, new Shape(1, 3)), g.Eval(grad), 1e-4);
    }

    [Fact]
    public void ProdGradientOverAnEmptyAxis()
    {
        using var g = TestGraph.Enter();
        var x = tf.zeros((0, 3));
        var grad = tf.gradients(tf.reduce_sum(tf.reduce_prod(x, 0)), x)[0]!;
        Assert.Equal(new Shape(0, 3), g.Eval(grad).shape);
    }
}
