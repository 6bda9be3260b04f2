#pragma warning disable CS8981 // slim is the alias Python programs use
using slim = SharpFlow.Binding.tf.contrib.slim;

namespace SharpFlow.Tests.Slim;

/// <summary>slim.arg_scope, repeat, stack, the variable helpers, slim.losses and learning.create_train_op.</summary>
public class ArgScopeTests
{
    private static string[] Names(IEnumerable<Variable> vars) => [.. vars.Select(v => v.op.name)];

    [Fact]
    public void ArgScopeGivesLeftOutArgumentsAndExplicitOnesWin()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 4, 4, 1));
        Tensor a, b, c, d;
        using (slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn: tf.nn.sigmoid, weights_initializer: tf.ones_initializer()))
        {
            a = slim.conv2d(x, 2, 1);
            b = slim.conv2d(x, 2, 1, activation_fn: tf.nn.tanh);
            using (slim.arg_scope([slim.conv2d], activation_fn: slim.None, padding: "VALID"))
                c = slim.conv2d(x, 2, 3);
            d = slim.fully_connected(tf.reshape(x, new[] { 1, 16 }), 3);
        }
        var e = slim.conv2d(x, 2, 1);
        Assert.Equal("Conv/Sigmoid:0", a.name);
        Assert.Equal("Conv_1/Tanh:0", b.name);
        Assert.Equal("Conv_2/BiasAdd:0", c.name);
        Assert.Equal(new Shape(1, 2, 2, 2), c.shape);
        Assert.Equal("fully_connected/Sigmoid:0", d.name);
        Assert.Equal("Conv_3/Relu:0", e.name);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var input = NDArray.FromFlat(Enumerable.Range(0, 16).Select(i => i / 16f).ToArray(), new Shape(1, 4, 4, 1));
        var got = sess.run(a, new FeedDict { [x] = input }).AsReadOnlySpan<float>().ToArray();
        Assert.Equal(1 / (1 + Math.Exp(-5 / 16.0)), got[10], 1e-6);
    }

    [Fact]
    public void ACapturedScopeReentersAndReplacesTheCurrentOne()
    {
        using var g = TestGraph.Enter();
        SharpFlow.Slim.ArgScope captured;
        using (slim.arg_scope([slim.conv2d], padding: "VALID"))
        using (var sc = slim.arg_scope([slim.conv2d, slim.max_pool2d], stride: 2))
            captured = sc;
        Assert.Equal(["convolution2d", "max_pool2d"], captured.Functions.OrderBy(n => n));
        Assert.Equal("VALID", captured["convolution2d"]["padding"]);
        var x = tf.placeholder(tf.float32, new Shape(1, 9, 9, 1));
        using (slim.arg_scope([slim.conv2d], activation_fn: tf.nn.tanh))
        using (slim.arg_scope(captured))
        {
            var y = slim.conv2d(x, 1, 3);
            Assert.Equal(new Shape(1, 4, 4, 1), y.shape);
            Assert.EndsWith("/Relu:0", y.name);
        }
        Assert.Empty(slim.current_arg_scope().Functions);
    }

    [Fact]
    public void ArgScopeErrorsAreTheCallsErrors()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 4, 4, 1));
        using (slim.arg_scope([slim.max_pool2d], activation_fn: tf.nn.relu))
            Assert.Equal("max_pool2d() got an unexpected keyword argument 'activation_fn'",
                Assert.Throws<TypeError>(() => slim.max_pool2d(x, 2)).Message);
        Func<Tensor, Tensor> plain = t => t;
        Assert.EndsWith("is not decorated with @add_arg_scope", Assert.Throws<ValueError>(() => slim.arg_scope([plain], padding: "SAME")).Message);
        Assert.True(slim.has_arg_scope(slim.batch_norm));
        Assert.False(slim.has_arg_scope(plain));
    }

    [Fact]
    public void RepeatAndStackNameTheirLayersLikeSlim()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 8, 8, 3));
        var r = slim.repeat(x, 2, slim.conv2d, [4, new[] { 3, 3 }], scope: "conv1");
        var s = slim.stack(r, slim.conv2d, [(8, new[] { 3, 3 }), (6, new[] { 1, 1 })], scope: "core");
        var f = slim.stack(slim.flatten(s), slim.fully_connected, [5, 3]);
        var u = slim.repeat(x, 1, slim.conv2d, [2, 1]);
        Assert.Equal(new Shape(1, 8, 8, 6), s.shape);
        Assert.Equal(new Shape(1, 3), f.shape);
        Assert.Equal(["conv1/conv1_1/weights", "conv1/conv1_1/biases", "conv1/conv1_2/weights", "conv1/conv1_2/biases",
            "core/core_1/weights", "core/core_1/biases", "core/core_2/weights", "core/core_2/biases",
            "Stack/fully_connected_1/weights", "Stack/fully_connected_1/biases", "Stack/fully_connected_2/weights", "Stack/fully_connected_2/biases",
            "Repeat/convolution2d_1/weights", "Repeat/convolution2d_1/biases"], Names(slim.get_model_variables()));
        Assert.Equal(new Shape(1, 1, 8, 6), slim.get_variables("core/core_2", suffix: "weights").Single().shape);
        Assert.Equal("convolution2d() missing required positional argument: 'kernel_size'",
            Assert.Throws<TypeError>(() => slim.repeat(x, 1, slim.conv2d, [4])).Message);
    }

    [Fact]
    public void VariablesToRestoreExcludeScopesAndTheCheckpointFunctionRestoresByName()
    {
        var dir = Directory.CreateTempSubdirectory("slim-restore");
        try
        {
            string path;
            NDArray saved;
            using (var g = TestGraph.Enter())
            {
                var x = tf.placeholder(tf.float32, new Shape(-1, 4));
                using (tf.variable_scope("net"))
                {
                    slim.fully_connected(slim.fully_connected(x, 3, scope: "hidden"), 10, scope: "logits");
                }
                using var sess = tf.Session();
                sess.run(tf.global_variables_initializer());
                saved = sess.run(tf.global_variables()[0]);
                path = tf.train.Saver().save(sess, Path.Combine(dir.FullName, "model.ckpt"));
            }
            using (var g = TestGraph.Enter())
            {
                var x = tf.placeholder(tf.float32, new Shape(-1, 4));
                using (tf.variable_scope("net"))
                {
                    slim.fully_connected(slim.fully_connected(x, 3, scope: "hidden"), 2, scope: "logits");
                }
                var extra = tf.get_variable("extra", new Shape(1));
                var restore = slim.get_variables_to_restore(exclude: ["net/logits"]);
                Assert.Equal(["net/hidden/weights", "net/hidden/biases", "extra"], Names(restore));
                Assert.Equal(["net/logits/weights", "net/logits/biases"], Names(slim.get_variables_to_restore(include: ["net/logits"])));
                var fn = slim.assign_from_checkpoint_fn(path, restore, ignore_missing_vars: true)!;
                using var sess = tf.Session();
                sess.run(tf.global_variables_initializer());
                fn(sess);
                AssertArray.Close(saved, sess.run(tf.global_variables()[0]), 0);
                Assert.Null(slim.assign_from_checkpoint_fn(path, [extra], ignore_missing_vars: true));
                Assert.Throws<NotFoundError>(() => slim.assign_from_checkpoint_fn(path, restore)!(sess));
                Assert.Equal("var_list cannot be empty", Assert.Throws<ValueError>(() => slim.assign_from_checkpoint_fn(path, Array.Empty<Variable>())).Message);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void CreateTrainOpRunsTheUpdatesStepsAndReturnsTheLoss()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { 1f, 2f }, { 3f, 4f } });
        var labels = tf.constant(new[,] { { 1f, 0f }, { 0f, 1f } });
        var h = slim.fully_connected(x, 2, normalizer_fn: slim.batch_norm, weights_initializer: tf.constant_initializer(0.1));
        var logits = slim.fully_connected(h, 2, activation_fn: slim.None, weights_initializer: tf.constant_initializer(0.2),
            weights_regularizer: slim.l2_regularizer(0.5), scope: "logits");
        slim.losses.softmax_cross_entropy(logits, labels);
        var total = slim.losses.get_total_loss();
        Assert.Equal(2, slim.losses.get_losses().Count + slim.losses.get_regularization_losses().Count);
        var train = slim.learning.create_train_op(total, tf.train.GradientDescentOptimizer(0.1));
        Assert.Contains(train, g.Graph.get_collection(tf.GraphKeys.TRAIN_OP).OfType<Tensor>());
        var step = tf.train.get_global_step()!;
        var movingMean = slim.get_model_variables(suffix: "moving_mean").Single();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var before = (float)sess.run(total);
        Assert.Equal(before, (float)sess.run(train), 1e-6);
        Assert.Equal(1L, (long)sess.run(step));
        Assert.NotEqual(0f, sess.run(movingMean).AsReadOnlySpan<float>()[0]);
        for (var i = 0; i < 5; i++) sess.run(train);
        Assert.True((float)sess.run(total) < before);
    }
}
