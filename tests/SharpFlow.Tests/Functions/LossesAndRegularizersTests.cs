namespace SharpFlow.Tests.Functions;

public class LossesAndRegularizersTests
{
    [Fact]
    public void MeanSquaredErrorJoinsTheLossesCollection()
    {
        using var g = TestGraph.Enter();
        var loss = tf.losses.mean_squared_error(tf.constant(new[] { 1.0f, 2.0f, 3.0f }), tf.constant(new[] { 1.0f, 4.0f, 6.0f }));
        Assert.Equal(13f / 3, (float)g.Eval(loss), 1e-6);
        Assert.Contains(loss, tf.losses.get_losses());
        var weighted = tf.losses.mean_squared_error(tf.constant(new[] { 1.0f, 2.0f, 3.0f }), tf.constant(new[] { 1.0f, 4.0f, 6.0f }), weights: tf.constant(new[] { 0.0f, 1.0f, 2.0f }));
        // Sum of weighted losses over the number of non-zero weights: (4 + 18) / 2.
        Assert.Equal(11f, (float)g.Eval(weighted), 1e-6);
        var sum = tf.losses.mean_squared_error(tf.constant(new[] { 1.0f, 2.0f }), tf.constant(new[] { 2.0f, 4.0f }), reduction: tf.losses.Reduction.SUM);
        Assert.Equal(5f, (float)g.Eval(sum));
        Assert.Equal(13f / 3 + 11f + 5f, (float)g.Eval(tf.losses.get_total_loss()), 1e-5);
    }

    [Fact]
    public void OtherLosses()
    {
        using var g = TestGraph.Enter();
        var logits = tf.constant(new[,] { { 1.0f, 2.0f, 3.0f }, { 1.0f, 1.0f, 1.0f } });
        var onehot = tf.constant(new[,] { { 0.0f, 0.0f, 1.0f }, { 1.0f, 0.0f, 0.0f } });
        var dense = tf.losses.softmax_cross_entropy(onehot, logits);
        var sparse = tf.losses.sparse_softmax_cross_entropy(tf.constant(new[] { 2, 0 }), logits);
        var lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        var expected = (float)(((lse - 3) + Math.Log(3)) / 2);
        Assert.Equal(expected, (float)g.Eval(dense), 1e-5);
        Assert.Equal(expected, (float)g.Eval(sparse), 1e-5);
        var sig = tf.losses.sigmoid_cross_entropy(tf.constant(new[] { 1.0f, 0.0f }), tf.constant(new[] { 0.0f, 0.0f }));
        Assert.Equal((float)Math.Log(2), (float)g.Eval(sig), 1e-6);
        Assert.Equal(1.5f, (float)g.Eval(tf.losses.absolute_difference(tf.constant(new[] { 0.0f, 0.0f }), tf.constant(new[] { 1.0f, -2.0f }))));
        Assert.Equal(4, tf.losses.get_losses().Count);
    }

    [Fact]
    public void RegularizersFollowTheSeedFormulas()
    {
        using var g = TestGraph.Enter();
        var w = tf.constant(new[,] { { 1.0f, -2.0f }, { -3.0f, 4.0f } });
        // The seed's §27 example: l1 = 0.5 * 10 = 5.0, l2 = 0.5 * 30 / 2 = 7.5.
        Assert.Equal(5.0f, (float)g.Eval(tf.contrib.layers.l1_regularizer(0.5)(w)!));
        Assert.Equal(7.5f, (float)g.Eval(tf.contrib.layers.l2_regularizer(0.5)(w)!));
        Assert.Equal(12.5f, (float)g.Eval(tf.contrib.layers.sum_regularizer([tf.contrib.layers.l1_regularizer(0.5), tf.contrib.layers.l2_regularizer(0.5), null])!(w)!));
        Assert.Null(tf.contrib.layers.l2_regularizer(0.0)(w));
        Assert.Null(tf.contrib.layers.sum_regularizer([null]));
        Assert.Equal("Setting a scale less than 0 on a regularizer: -0.1", Assert.Throws<ValueError>(() => tf.contrib.layers.l2_regularizer(-0.1)).Message);
        Assert.Equal("scale cannot be an integer: 1", Assert.Throws<ValueError>(() => tf.contrib.layers.l2_regularizer(1)).Message);
    }

    [Fact]
    public void GetVariableRegularizerAndApplyRegularizationFillTheCollection()
    {
        using var g = TestGraph.Enter();
        var w = tf.get_variable("w", new Shape(2), initializer: tf.constant_initializer(2.0), regularizer: tf.contrib.layers.l2_regularizer(0.1));
        var losses = tf.get_collection<Tensor>(tf.GraphKeys.REGULARIZATION_LOSSES);
        Assert.Single(losses);
        Assert.StartsWith("w/Regularizer/l2_regularizer", losses[0].op.name, StringComparison.Ordinal);
        var v = tf.Variable(new[] { 1.0f, -1.0f }, name: "v");
        var penalty = tf.contrib.layers.apply_regularization(tf.contrib.layers.l1_regularizer(1.0), [v]);
        Assert.Equal(2, tf.losses.get_regularization_losses().Count);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        Assert.Equal(0.4f, (float)sess.run(losses[0]), 1e-6);
        Assert.Equal(2.0f, (float)sess.run(penalty));
        Assert.Equal(2.4f, (float)sess.run(tf.losses.get_regularization_loss()), 1e-6);
        Assert.Throws<ValueError>(() => tf.contrib.layers.apply_regularization(tf.contrib.layers.l1_regularizer(1.0)));
    }

    [Fact]
    public void LossesFollowTensorFlowsShapeRules()
    {
        using var g = TestGraph.Enter();
        var labels = tf.constant(new[,] { { 1.0f }, { 2.0f }, { 3.0f } });
        var predictions = tf.constant(new[,] { { 1.0f }, { 3.0f }, { 5.0f } });
        // [3] weights against [3,1] losses would broadcast to [3,3]: TensorFlow refuses them.
        Assert.Contains("weights can not be broadcast to values", Assert.Throws<ValueError>(() => tf.losses.mean_squared_error(labels, predictions, weights: tf.constant(new[] { 1.0f, 1.0f, 1.0f }))).Message);
        var loss = tf.losses.mean_squared_error(labels, predictions, weights: tf.constant(new[,] { { 1.0f }, { 0.0f }, { 1.0f } }));
        Assert.Equal(2.0f, (float)g.Eval(loss));
        Assert.Equal("mean_squared_error_1/value:0", loss.name);
        // [N, 1] labels for [N, C] logits are squeezed, as TensorFlow's _remove_squeezable_dimensions does.
        var sparse = tf.losses.sparse_softmax_cross_entropy(tf.constant(new[,] { { 0 }, { 1 } }), tf.constant(new[,] { { 0.0f, 0.0f }, { 0.0f, 0.0f } }));
        Assert.Equal((float)Math.Log(2), (float)g.Eval(sparse), 1e-6);
    }
}
