using SharpFlow.Models;

namespace SharpFlow.Tests.Models;

/// <summary>
/// ResNet18 as torchvision builds it: its layer shapes and parameter count at 224×224×3, and a training step at a
/// small input size that lowers the loss of its batch.
/// </summary>
public class ResNet18Tests
{
    [Fact]
    public void ResNet18HasTorchvisionsParameterCountAndShapes()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, 224, 224, 3), name: "images");
        var output = new ResNet18().Build(images, tf.placeholder_with_default(false, Shape.Scalar, name: "training"));
        var layers = output.Layers.ToDictionary(l => l.Name);
        // torchvision's resnet18().parameters(): convolutions without bias, batch-norm gamma and beta, the classifier.
        Assert.Equal(11_689_512, tf.trainable_variables().Sum(v => v.shape.NumElements));
        // The layer table also counts the moving mean and variance of the 4,800 normalized channels.
        Assert.Equal(11_689_512 + 2 * 4_800, output.Parameters);
        Assert.Equal(new Shape(-1, 112, 112, 64), layers["conv1"].OutputShape);
        Assert.Equal(new Shape(-1, 56, 56, 64), layers["pool1"].OutputShape);
        Assert.Equal(new Shape(-1, 56, 56, 64), layers["stage1_block2"].OutputShape);
        Assert.Equal(new Shape(-1, 28, 28, 128), layers["stage2_block1"].OutputShape);
        Assert.Equal(new Shape(-1, 14, 14, 256), layers["stage3_block2"].OutputShape);
        Assert.Equal(new Shape(-1, 7, 7, 512), layers["stage4_block2"].OutputShape);
        Assert.Equal(new Shape(-1, 512), layers["avg_pool"].OutputShape);
        Assert.Equal(new Shape(-1, 1000), output.Logits.shape);
        // 20 convolutions: the stem, 16 in the blocks and three 1×1 projection shortcuts (none in stage 1).
        Assert.Equal(20, g.Graph.get_operations().Count(o => o.type == "Conv2D"));
        Assert.Equal(3, tf.trainable_variables().Count(v => v.name.Contains("shortcut/conv/kernel", StringComparison.Ordinal)));
        Assert.Equal(new Shape(1, 1, 64, 128), tf.trainable_variables().Single(v => v.name == "stage2_block1/shortcut/conv/kernel:0").shape);
        Assert.Contains(tf.trainable_variables(), v => v.name == "stage4_block2/conv2/bn/gamma:0");
        Assert.Equal(8, g.Graph.get_operations().Count(o => o.type == "Add" && o.name.EndsWith("/add", StringComparison.Ordinal)));
    }

    [Fact]
    public void OneTrainingStepLowersTheLossOfATinyBatch()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(7);
        var images = tf.placeholder(tf.float32, new Shape(-1, 32, 32, 3), name: "images");
        var labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        var training = tf.placeholder_with_default(false, Shape.Scalar, name: "training");
        var logits = new ResNet18(10).Build(images, training).Logits;
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
        var updates = tf.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().ToList();
        Assert.Equal(2 * 20, updates.Count);
        Operation train;
        using (g.Graph.control_dependencies(updates)) train = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss);
        var random = new Random(3);
        var batch = NDArray.FromFlat(Enumerable.Range(0, 4 * 32 * 32 * 3).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(4, 32, 32, 3));
        var feed = new FeedDict { [images] = batch, [labels] = NDArray.FromFlat(new[] { 1, 7, 3, 1 }, new Shape(4)), [training] = true };
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var movingMean = tf.global_variables().Single(v => v.name == "conv1/bn/moving_mean:0");
        var before = (float)sess.run(loss, feed);
        sess.run(train, feed);
        var after = (float)sess.run(loss, feed);
        Assert.True(float.IsFinite(before) && float.IsFinite(after), $"{before} {after}");
        Assert.True(after < before, $"the loss went from {before} to {after}");
        // The step also moved the moving statistics (training mode), which inference then uses.
        Assert.Contains(sess.run(movingMean).AsReadOnlySpan<float>().ToArray(), m => m != 0);
        var inference = sess.run(logits, new FeedDict { [images] = batch });
        Assert.Equal(new Shape(4, 10), inference.shape);
        Assert.All(inference.AsReadOnlySpan<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
