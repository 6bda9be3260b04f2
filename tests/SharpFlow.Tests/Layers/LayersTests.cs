namespace SharpFlow.Tests.Layers;

/// <summary>tf.layers: variable names and reuse through get_variable, shapes, values, and the training flag.</summary>
public class LayersTests
{
    private static NDArray Values(Shape shape, int seed)
    {
        var r = new System.Random(seed);
        return NDArray.FromFlat(Enumerable.Range(0, (int)shape.NumElements).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), shape);
    }

    [Fact]
    public void DenseNamesItsVariablesAndOpsByLayerAndComputesXWPlusB()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var y = tf.layers.dense(x, 4, activation: tf.nn.relu);
        var y2 = tf.layers.dense(y, 2);
        Assert.Equal(new[] { "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0" }, tf.trainable_variables().Select(v => v.name));
        Assert.Equal("dense/Relu:0", y.name);
        Assert.Equal(new Shape(-1, 2), y2.shape);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var input = Values(new Shape(5, 3), 1);
        var kernel = sess.run(tf.trainable_variables()[0]);
        var bias = sess.run(tf.trainable_variables()[1]);
        Assert.All(bias.AsReadOnlySpan<float>().ToArray(), b => Assert.Equal(0f, b));
        var expected = g.Eval(tf.nn.relu(tf.matmul(tf.constant(input), tf.constant(kernel)) + tf.constant(bias)));
        AssertArray.Close(expected, sess.run(y, new FeedDict { [x] = input }), 1e-6);
    }

    [Fact]
    public void ReuseSharesTheVariablesAndMissingReuseIsAnError()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3));
        tf.layers.dense(x, 4, name: "shared");
        tf.layers.dense(x, 4, name: "shared", reuse: Reuse.True);
        Assert.Equal(2, tf.trainable_variables().Count);
        var e = Assert.Throws<ValueError>(() => tf.layers.dense(x, 4, name: "shared"));
        Assert.Contains("shared/kernel already exists", e.Message);
        using (tf.variable_scope("tower"))
            tf.layers.conv2d(tf.zeros(new Shape(1, 8, 8, 3)), 5, 3);
        Assert.Contains(tf.trainable_variables(), v => v.name == "tower/conv2d/kernel:0" && v.shape == new Shape(3, 3, 3, 5));
    }

    [Fact]
    public void DenseOnRank3InputsMultipliesTheLastAxis()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 3));
        var y = tf.layers.dense(x, 2, use_bias: false, kernel_initializer: tf.ones_initializer());
        Assert.Equal(new Shape(-1, 4, 2), y.shape);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var input = Values(new Shape(2, 4, 3), 2);
        var result = sess.run(y, new FeedDict { [x] = input });
        var expected = g.Eval(tf.broadcast_to(tf.reduce_sum(tf.constant(input), 2, keepdims: true), new[] { 2, 4, 2 }));
        AssertArray.Close(expected, result, 1e-6);
        Assert.Contains("last dimension", Assert.Throws<ValueError>(() => tf.layers.dense(tf.placeholder(tf.float32, new Shape(2, -1)), 3)).Message);
    }

    [Fact]
    public void Conv2DPoolingAndFlattenShapesAndNames()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1));
        var c = tf.layers.conv2d(x, 32, 5, padding: "same", activation: tf.nn.relu);
        var p = tf.layers.max_pooling2d(c, 2, 2);
        var c2 = tf.layers.conv2d(p, 8, new[] { 3, 1 }, strides: (2, 1), padding: "valid");
        var a = tf.layers.average_pooling2d(c2, 2, 1, padding: "same");
        var f = tf.layers.flatten(a);
        Assert.Equal(new Shape(-1, 28, 28, 32), c.shape);
        Assert.Equal(new Shape(-1, 14, 14, 32), p.shape);
        Assert.Equal(new Shape(-1, 6, 14, 8), c2.shape);
        Assert.Equal(new Shape(-1, 6 * 14 * 8), f.shape);
        Assert.Equal("max_pooling2d/MaxPool:0", p.name);
        Assert.Equal(new Shape(3, 1, 32, 8), tf.trainable_variables().Single(v => v.name == "conv2d_1/kernel:0").shape);
        Assert.Contains("\"valid\", \"same\"", Assert.Throws<ValueError>(() => tf.layers.conv2d(x, 2, 3, padding: "full")).Message);
    }

    [Fact]
    public void DropoutFollowsTheTrainingFlag()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        var x = tf.ones(new Shape(100, 100));
        var training = tf.placeholder_with_default(false, Shape.Scalar);
        var flagged = tf.layers.dropout(x, 0.4, training: training);
        var off = tf.layers.dropout(x, 0.4);
        var on = tf.layers.dropout(x, 0.4, training: true);
        using var sess = tf.Session();
        Assert.All(sess.run(flagged).AsReadOnlySpan<float>().ToArray(), v => Assert.Equal(1f, v));
        Assert.All(sess.run(off).AsReadOnlySpan<float>().ToArray(), v => Assert.Equal(1f, v));
        foreach (var result in new[] { sess.run(flagged, new FeedDict { [training] = true }), sess.run(on) })
        {
            var values = result.AsReadOnlySpan<float>().ToArray();
            Assert.All(values, v => Assert.True(v == 0f || Math.Abs(v - 1 / 0.6f) < 1e-6, $"value {v}"));
            var dropped = values.Count(v => v == 0) / (double)values.Length;
            Assert.InRange(dropped, 0.37, 0.43);
        }
    }

    [Fact]
    public void BatchNormalizationNormalizesWhileTrainingAndMovesItsStatistics()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 2, 2, 3));
        var training = tf.placeholder_with_default(false, Shape.Scalar);
        var y = tf.layers.batch_normalization(x, momentum: 0.9, epsilon: 1e-3, training: training);
        Assert.Equal(new[] { "batch_normalization/gamma:0", "batch_normalization/beta:0" }, tf.trainable_variables().Select(v => v.name));
        Assert.Equal(4, tf.global_variables().Count);
        var updates = tf.get_collection(GraphKeys.UPDATE_OPS).OfType<Tensor>().ToArray();
        Assert.Equal(2, updates.Length);
        var input = NDArray.FromFlat(Enumerable.Range(0, 4 * 12).Select(i => (float)(i % 7 + i % 3 * 0.5)).ToArray(), new Shape(4, 2, 2, 3));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());

        // Training: per channel, mean 0 and variance v/(v+eps) over the 16 values.
        var normalized = sess.run(y, new FeedDict { [x] = input, [training] = true }).AsReadOnlySpan<float>().ToArray();
        var raw = input.AsReadOnlySpan<float>().ToArray();
        for (var c = 0; c < 3; c++)
        {
            var channel = Enumerable.Range(0, 16).Select(i => (double)normalized[i * 3 + c]).ToArray();
            var rawChannel = Enumerable.Range(0, 16).Select(i => (double)raw[i * 3 + c]).ToArray();
            var variance = rawChannel.Select(v => (v - rawChannel.Average()) * (v - rawChannel.Average())).Average();
            Assert.Equal(0, channel.Average(), 1e-5);
            Assert.Equal(variance / (variance + 1e-3), channel.Select(v => v * v).Average(), 1e-4);
        }

        // The updates move the moving statistics 10% of the way (the variance unbiased, as the fused kernel).
        sess.run(updates, new FeedDict { [x] = input, [training] = true });
        var movingMean = sess.run(tf.global_variables().Single(v => v.name == "batch_normalization/moving_mean:0")).AsReadOnlySpan<float>().ToArray();
        var movingVariance = sess.run(tf.global_variables().Single(v => v.name == "batch_normalization/moving_variance:0")).AsReadOnlySpan<float>().ToArray();
        for (var c = 0; c < 3; c++)
        {
            var rawChannel = Enumerable.Range(0, 16).Select(i => (double)raw[i * 3 + c]).ToArray();
            var mean = rawChannel.Average();
            var unbiased = rawChannel.Select(v => (v - mean) * (v - mean)).Sum() / 15;
            Assert.Equal(0.1 * mean, movingMean[c], 1e-5);
            Assert.Equal(0.9 + 0.1 * unbiased, movingVariance[c], 1e-4);
        }

        // Inference uses the moving statistics; without the training flag the updates change nothing.
        var inference = sess.run(y, new FeedDict { [x] = input }).AsReadOnlySpan<float>().ToArray();
        for (var i = 0; i < raw.Length; i++)
            Assert.Equal((raw[i] - movingMean[i % 3]) / Math.Sqrt(movingVariance[i % 3] + 1e-3), inference[i], 1e-4);
        sess.run(updates, new FeedDict { [x] = input });
        AssertArray.Close(NDArray.FromFlat(movingMean, new Shape(3)), sess.run(tf.global_variables().Single(v => v.name == "batch_normalization/moving_mean:0")), 0);
    }

    [Fact]
    public void GradientsFlowThroughEveryLayer()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(1);
        var x = tf.placeholder(tf.float32, new Shape(-1, 8, 8, 2));
        var h = tf.layers.conv2d(x, 4, 3, padding: "same", activation: tf.nn.relu);
        h = tf.layers.batch_normalization(h, training: true);
        h = tf.layers.max_pooling2d(h, 2, 2);
        h = tf.layers.dropout(tf.layers.flatten(h), 0.5, training: true);
        var loss = tf.reduce_sum(tf.square(tf.layers.dense(h, 3)));
        var grads = tf.gradients(loss, tf.trainable_variables().Cast<Tensor>().ToArray());
        Assert.All(grads, gr => Assert.NotNull(gr));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var values = sess.run(grads.Select(gr => gr!).ToArray(), new FeedDict { [x] = Values(new Shape(2, 8, 8, 2), 5) });
        Assert.All(values, v => Assert.Contains(v.AsReadOnlySpan<float>().ToArray(), e => e != 0));
    }
}
