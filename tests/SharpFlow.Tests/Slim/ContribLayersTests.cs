namespace SharpFlow.Tests.Slim;

/// <summary>tf.contrib.layers: contrib's variable names, defaults, collections and values (TF 1.15 layers.py).</summary>
public class ContribLayersTests
{
    private static NDArray Values(Shape shape, int seed)
    {
        var r = new System.Random(seed);
        return NDArray.FromFlat(Enumerable.Range(0, (int)shape.NumElements).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), shape);
    }

    private static string[] Names(IEnumerable<object> items) => [.. items.OfType<Variable>().Select(v => v.op.name)];

    [Fact]
    public void FullyConnectedHasContribNamesReluByDefaultAndModelVariables()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var y = tf.contrib.layers.fully_connected(x, 4);
        var z = tf.contrib.layers.fully_connected(y, 2, activation_fn: tf.contrib.layers.None, scope: "logits");
        Assert.Equal("fully_connected/Relu:0", y.name);
        Assert.Equal("logits/BiasAdd:0", z.name);
        Assert.Equal(["fully_connected/weights", "fully_connected/biases", "logits/weights", "logits/biases"], Names(g.Graph.get_collection(tf.GraphKeys.MODEL_VARIABLES)));
        Assert.Equal(Names(g.Graph.get_collection(tf.GraphKeys.MODEL_VARIABLES)), Names(g.Graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var w = sess.run(tf.trainable_variables()[0]).AsReadOnlySpan<float>().ToArray();
        var b = sess.run(tf.trainable_variables()[1]).AsReadOnlySpan<float>().ToArray();
        Assert.All(b, v => Assert.Equal(0f, v));
        // xavier_initializer: uniform within sqrt(6 / (3 + 4)).
        Assert.All(w, v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(6.0 / 7)));
        var input = Values(new Shape(5, 3), 1);
        var got = sess.run(y, new FeedDict { [x] = input }).AsReadOnlySpan<float>().ToArray();
        var xs = input.AsReadOnlySpan<float>().ToArray();
        for (var i = 0; i < 5; i++)
            for (var j = 0; j < 4; j++)
            {
                double s = b[j];
                for (var k = 0; k < 3; k++) s += (double)xs[i * 3 + k] * w[k * 4 + j];
                Assert.Equal(Math.Max(s, 0), got[i * 4 + j], 1e-5);
            }
    }

    [Fact]
    public void FullyConnectedWithANormalizerHasNoBiasesAndRegularizersJoinTheLosses()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3));
        tf.contrib.layers.fully_connected(x, 4, normalizer_fn: tf.contrib.layers.batch_norm,
            normalizer_params: new Dictionary<string, object?> { ["scale"] = true, ["decay"] = 0.9 },
            weights_initializer: tf.constant_initializer(0.5), weights_regularizer: tf.contrib.layers.l2_regularizer(0.1));
        Assert.Equal(["fully_connected/weights", "fully_connected/BatchNorm/beta", "fully_connected/BatchNorm/gamma",
            "fully_connected/BatchNorm/moving_mean", "fully_connected/BatchNorm/moving_variance"], Names(g.Graph.get_collection(tf.GraphKeys.MODEL_VARIABLES)));
        var losses = tf.losses.get_regularization_losses();
        Assert.Single(losses);
        Assert.StartsWith("fully_connected/kernel/Regularizer/", losses[0].name);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(0.1 * 12 * 0.25 / 2, (float)sess.run(losses[0]), 1e-6);
    }

    [Fact]
    public void Conv2dHasConvScopeSamePaddingStrideAndRate()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 9, 9, 3));
        var y = tf.contrib.layers.conv2d(x, 5, 3);
        var s = tf.contrib.layers.conv2d(x, 4, new[] { 3, 1 }, stride: 2, padding: "VALID", activation_fn: tf.contrib.layers.None);
        var d = tf.contrib.layers.conv2d(x, 4, 3, rate: 2, scope: "dilated");
        Assert.Equal(new Shape(2, 9, 9, 5), y.shape);
        Assert.Equal(new Shape(2, 4, 5, 4), s.shape);
        Assert.Equal(new Shape(2, 9, 9, 4), d.shape);
        Assert.Equal("Conv/Relu:0", y.name);
        Assert.Equal("Conv_1/BiasAdd:0", s.name);
        var vars = tf.global_variables();
        Assert.Equal(["Conv/weights", "Conv/biases", "Conv_1/weights", "Conv_1/biases", "dilated/weights", "dilated/biases"], vars.Select(v => v.op.name));
        Assert.Equal(new Shape(3, 1, 3, 4), vars[2].shape);
        Assert.Equal("Only one of rate or stride can be > 1",
            Assert.Throws<ValueError>(() => tf.contrib.layers.conv2d(x, 4, 3, stride: 2, rate: 2)).Message);
        Assert.Contains("rank 2", Assert.Throws<ValueError>(() => tf.contrib.layers.conv2d(tf.zeros(new Shape(2, 3)), 4, 3)).Message);

        // Values: a 1x1 convolution of ones is the channel sum (plus zero biases), through relu.
        using var sess = tf.Session();
        var ones = tf.contrib.layers.conv2d(x, 2, 1, weights_initializer: tf.ones_initializer(), scope: "ones");
        sess.run(tf.global_variables_initializer());
        var input = Values(new Shape(2, 9, 9, 3), 3);
        var got = sess.run(ones, new FeedDict { [x] = input }).AsReadOnlySpan<float>().ToArray();
        var xs = input.AsReadOnlySpan<float>().ToArray();
        for (var p = 0; p < 2 * 81; p++)
        {
            var sum = Math.Max(0.0, (double)xs[p * 3] + xs[p * 3 + 1] + xs[p * 3 + 2]);
            Assert.Equal(sum, got[p * 2], 1e-5);
            Assert.Equal(sum, got[p * 2 + 1], 1e-5);
        }
    }

    [Fact]
    public void BatchNormHasBetaAndMovingStatisticsNoGammaAndUpdatesInUpdateOps()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 3));
        var y = tf.contrib.layers.batch_norm(x, decay: 0.9);
        Assert.Equal(["BatchNorm/beta", "BatchNorm/moving_mean", "BatchNorm/moving_variance"], Names(g.Graph.get_collection(tf.GraphKeys.MODEL_VARIABLES)));
        Assert.Equal(["BatchNorm/beta"], tf.trainable_variables().Select(v => v.op.name));
        var updates = g.Graph.get_collection(tf.GraphKeys.UPDATE_OPS);
        Assert.Equal(2, updates.Count);
        var input = Values(new Shape(4, 3), 4);
        var xs = input.AsReadOnlySpan<float>().ToArray();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var got = sess.run(y, new FeedDict { [x] = input }).AsReadOnlySpan<float>().ToArray();
        foreach (var u in updates) sess.run((Tensor)u, new FeedDict { [x] = input });
        var mm = sess.run(tf.global_variables()[1]).AsReadOnlySpan<float>().ToArray();
        var mv = sess.run(tf.global_variables()[2]).AsReadOnlySpan<float>().ToArray();
        for (var c = 0; c < 3; c++)
        {
            var col = Enumerable.Range(0, 4).Select(i => (double)xs[i * 3 + c]).ToArray();
            var mean = col.Average();
            var variance = col.Select(v => (v - mean) * (v - mean)).Average();
            for (var i = 0; i < 4; i++) Assert.Equal((col[i] - mean) / Math.Sqrt(variance + 0.001), got[i * 3 + c], 1e-4);
            Assert.Equal(0.1 * mean, mm[c], 1e-5);
            // The fused kernel (rank 2 and 4) moves towards the unbiased variance n/(n-1).
            Assert.Equal(0.9 + 0.1 * variance * 4 / 3, mv[c], 1e-5);
        }
    }

    [Fact]
    public void BatchNormInferenceUsesMovingStatisticsAndNoneRunsUpdatesInPlace()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 2, 2, 2));
        var training = tf.placeholder(tf.@bool, new Shape());
        var y = tf.contrib.layers.batch_norm(x, scale: true, is_training: training, updates_collections: tf.contrib.layers.None,
            param_initializers: new Dictionary<string, Initializer> { ["gamma"] = tf.constant_initializer(2.0), ["moving_variance"] = tf.constant_initializer(4.0) });
        Assert.Empty(g.Graph.get_collection(tf.GraphKeys.UPDATE_OPS));
        var input = Values(new Shape(2, 2, 2, 2), 5);
        var xs = input.AsReadOnlySpan<float>().ToArray();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var eval = sess.run(y, new FeedDict { [x] = input, [training] = false }).AsReadOnlySpan<float>().ToArray();
        for (var i = 0; i < xs.Length; i++) Assert.Equal(2 * xs[i] / Math.Sqrt(4.001), eval[i], 1e-5);
        var movingMean = tf.global_variables().Single(v => v.op.name == "BatchNorm/moving_mean");
        Assert.All(sess.run(movingMean).AsReadOnlySpan<float>().ToArray(), v => Assert.Equal(0f, v));
        sess.run(y, new FeedDict { [x] = input, [training] = true });
        var moved = sess.run(movingMean).AsReadOnlySpan<float>().ToArray();
        var mean0 = Enumerable.Range(0, 8).Select(i => (double)xs[i * 2]).Average();
        Assert.Equal(0.001 * mean0, moved[0], 1e-6);
    }

    [Fact]
    public void FlattenPoolsAndDropoutNameTheirScopes()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 6, 2));
        var p = tf.contrib.layers.max_pool2d(x, 2);
        var a = tf.contrib.layers.avg_pool2d(x, 3, stride: 1, padding: "SAME");
        var f = tf.contrib.layers.flatten(p);
        var d = tf.contrib.layers.dropout(f, is_training: false);
        Assert.Equal("MaxPool2D/MaxPool:0", p.name);
        Assert.Equal(new Shape(-1, 3, 3, 2), p.shape);
        Assert.Equal(new Shape(-1, 6, 6, 2), a.shape);
        Assert.Equal(new Shape(-1, 18), f.shape);
        Assert.StartsWith("Flatten/", f.name);
        Assert.StartsWith("Dropout/", d.name);
        var input = Values(new Shape(1, 6, 6, 2), 6);
        using var sess = tf.Session();
        AssertArray.Close(sess.run(f, new FeedDict { [x] = input }), sess.run(d, new FeedDict { [x] = input }), 0);
        Assert.StartsWith("Inputs must have a least 2 dimensions.",
            Assert.Throws<ValueError>(() => tf.contrib.layers.flatten(tf.zeros(new Shape(3)))).Message);
        Assert.Contains("range [0, 1)", Assert.Throws<ValueError>(() => tf.contrib.layers.dropout(f, keep_prob: 0.0)).Message);
        // Dropout while training keeps about keep_prob of the values, scaled by 1/keep_prob.
        var big = tf.ones(new Shape(100, 100));
        var dropped = sess.run(tf.contrib.layers.dropout(big, keep_prob: 0.75, seed: 3)).AsReadOnlySpan<float>().ToArray();
        Assert.All(dropped, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75) < 1e-5));
        Assert.InRange(dropped.Count(v => v != 0) / 10000.0, 0.72, 0.78);
    }

    [Fact]
    public void EmbedSequenceLooksUpRowsOfEmbedSequenceEmbeddings()
    {
        using var g = TestGraph.Enter();
        var ids = tf.constant(new[,] { { 0, 2 }, { 1, 1 } });
        var e = tf.contrib.layers.embed_sequence(ids, vocab_size: 3, embed_dim: 2, initializer: tf.constant_initializer(new[] { 1f, 2, 3, 4, 5, 6 }));
        var u = tf.contrib.layers.embed_sequence(ids, unique: true, scope: "EmbedSequence", reuse: true);
        Assert.Equal(new Shape(2, 2, 2), e.shape);
        Assert.Equal(["EmbedSequence/embeddings"], Names(g.Graph.get_collection(tf.GraphKeys.MODEL_VARIABLES)));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        AssertArray.Equal(new[] { 1f, 2, 5, 6, 3, 4, 3, 4 }, sess.run(e));
        AssertArray.Equal(new[] { 1f, 2, 5, 6, 3, 4, 3, 4 }, sess.run(u));
        Assert.Equal("Must specify vocab size and embedding dimension when notreusing. Got vocab_size=3 and embed_dim=None",
            Assert.Throws<ValueError>(() => tf.contrib.layers.embed_sequence(ids, vocab_size: 3)).Message);
    }

    [Fact]
    public void ContribInitializersHaveContribsScales()
    {
        using var g = TestGraph.Enter();
        var he = tf.contrib.layers.variance_scaling_initializer(seed: 1).Call(new Shape(100, 200));
        var xavierNormal = tf.contrib.layers.xavier_initializer(uniform: false, seed: 2).Call(new Shape(3, 3, 40, 60));
        var heValues = g.Eval(he).AsReadOnlySpan<float>().ToArray();
        var stddev = Math.Sqrt(1.3 * 2 / 100);
        Assert.All(heValues, v => Assert.InRange(Math.Abs(v), 0, 2 * stddev + 1e-6));
        var sd = Math.Sqrt(heValues.Select(v => (double)v * v).Average());
        Assert.InRange(sd / (stddev * 0.8796), 0.97, 1.03);
        var xn = g.Eval(xavierNormal).AsReadOnlySpan<float>().ToArray();
        var xstd = Math.Sqrt(1.3 / ((9 * 40 + 9 * 60) / 2.0));
        Assert.All(xn, v => Assert.InRange(Math.Abs(v), 0, 2 * xstd + 1e-6));
        Assert.Equal("Unknown mode FAN [FAN_IN, FAN_OUT, FAN_AVG]",
            Assert.Throws<TypeError>(() => tf.contrib.layers.variance_scaling_initializer(mode: "FAN")).Message);
    }

    [Fact]
    public void OptimizeLossTakesAStepWithAFloatLearningRateVariable()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(tf.constant(new[] { 1f, 2f }), name: "w");
        var loss = tf.reduce_sum(w * w);
        var step = tf.train.get_or_create_global_step();
        var train = tf.contrib.layers.optimize_loss(loss, step, 0.1, "SGD");
        Assert.Contains(tf.global_variables(), v => v.op.name == "OptimizeLoss/learning_rate");
        Assert.Contains(g.Graph.get_collection(tf.GraphKeys.SUMMARIES).OfType<Tensor>(), t => t.op.name.Contains("loss"));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(5f, (float)sess.run(train));
        AssertArray.Close(NDArray.FromArray(new[] { 0.8f, 1.6f }), sess.run(w), 1e-6);
        Assert.Equal(1L, (long)sess.run(step));
        Assert.Equal("Optimizer name should be one of [Adagrad, Adam, Ftrl, Momentum, RMSProp, SGD], you provided Foo.",
            Assert.Throws<ValueError>(() => tf.contrib.layers.optimize_loss(loss, step, 0.1, "Foo")).Message);
        Assert.StartsWith("Learning rate should be 0d Tensor or float. Got 1",
            Assert.Throws<ValueError>(() => tf.contrib.layers.optimize_loss(loss, step, 1, "SGD")).Message);
        Assert.StartsWith("Expected scalar shape",
            Assert.Throws<ValueError>(() => tf.contrib.layers.optimize_loss(w * 1f, step, 0.1, "SGD")).Message);
    }

    [Fact]
    public void OptimizeLossTakesOptimizerObjectsFunctionsAndClipping()
    {
        using var g = TestGraph.Enter();
        var w = tf.Variable(tf.constant(new[] { 3f, 4f }), name: "w");
        var loss = tf.reduce_sum(w * w);
        var step = tf.train.get_or_create_global_step();
        // The gradient (6, 8) has norm 10: clipped to norm 1 it is (0.6, 0.8).
        var train = tf.contrib.layers.optimize_loss(loss, step, tf.constant(1f), (Func<Tensor, SharpFlow.Train.Optimizer>)(lr => tf.train.GradientDescentOptimizer(lr)),
            clip_gradients: 1.0, summaries: ["gradients", "gradient_norm"]);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(train);
        AssertArray.Close(NDArray.FromArray(new[] { 2.4f, 3.2f }), sess.run(w), 1e-5);
        Assert.Equal("Summaries should be one of [learning_rate, loss, gradients, gradient_norm, global_gradient_norm], you provided bad.",
            Assert.Throws<ValueError>(() => tf.contrib.layers.optimize_loss(loss, step, 0.1, "SGD", summaries: ["bad"])).Message);
    }
}
