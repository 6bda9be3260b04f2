using SharpFlow.Models;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution.Optimizer;

/// <summary>
/// Representative programs run twice on one graph, in a session with the graph optimizer and one without:
/// LeNet-5 and the tutorial convnet training (fused convolutions and matrix products in the forward pass, the
/// gradients reading the fused ops' outputs), a while loop, a cond and a queue. Every rewrite these graphs take
/// keeps the order of float operations, so losses, weights and outputs must be bitwise equal.
/// </summary>
public class OptimizerOnOffModelTests
{
    private static NDArray Images(int batch, int h, int w, int c, int seed) =>
        NDArray.FromFlat(Enumerable.Range(0, batch * h * w * c).Select(i => (float)System.Math.Sin(i * 0.37 + seed)).ToArray(), new Shape(batch, h, w, c));

    private static void Bitwise(NDArray on, NDArray off, string what)
    {
        Assert.Equal(off.shape, on.shape);
        Assert.True(off.ValueEquals(on), $"{what} differs with the optimizer on");
    }

    [Theory]
    [InlineData("lenet5", 28, 28, 1)]
    [InlineData("convnet", 28, 28, 1)]
    public void TrainingStepsAreBitwiseEqual(string name, int height, int width, int channels)
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(7);
        var images = tf.placeholder(tf.float32, new Shape(-1, height, width, channels), name: "images");
        var labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        var logits = ModelZoo.Create(name, 10).Build(images).Logits;
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
        var train = tf.train.AdamOptimizer(1e-3).minimize(loss);
        var init = tf.global_variables_initializer();
        var variables = tf.trainable_variables().Select(v => v.value()).ToArray();

        using var on = tf.Session(GraphOptimizerTests.Config(true));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        on.run(init);
        off.run(init);
        for (var step = 0; step < 3; step++)
        {
            var feed = new FeedDict { [images] = Images(6, height, width, channels, step), [labels] = NDArray.FromFlat(new[] { 1, 2, 3, 4, 5, step }, new Shape(6)) };
            var (_, lossOn) = on.run((train, loss), feed);
            var (_, lossOff) = off.run((train, loss), feed);
            Bitwise(lossOn, lossOff, $"loss of step {step}");
        }
        var after = (On: on.run(variables), Off: off.run(variables));
        for (var i = 0; i < variables.Length; i++) Bitwise(after.On[i], after.Off[i], variables[i].name);
        var inferenceFeed = new FeedDict { [images] = Images(3, height, width, channels, 9) };
        Bitwise(on.run(logits, inferenceFeed), off.run(logits, inferenceFeed), "logits");

        // The training plan fused the forward convolutions and products.
        var trainPlan = on.OptimizedGraphOf([loss], [train], [images, labels])!;
        Assert.Contains("_FusedConv2D", trainPlan.Types);
        var inferencePlan = on.OptimizedGraphOf([logits], feeds: [images])!;
        Assert.Contains("_FusedMatMul", inferencePlan.Types);
        Assert.True(inferencePlan.Nodes.Count < inferencePlan.NodeCountBefore, inferencePlan.Describe());
    }

    [Fact]
    public void AWhileLoopAndACondGiveTheSameValues()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(4, 6), name: "x");
        var w = tf.constant(Images(1, 1, 6, 6, 1).Reshape(new Shape(6, 6)));
        var b = tf.constant(Images(1, 1, 1, 6, 2).Reshape(new Shape(6)));
        Tensor Layer(Tensor h) => tf.nn.relu(tf.nn.bias_add(tf.matmul(tf.identity(h), w), b)) * 0.5f;
        var (_, looped) = tf.while_loop((i, h) => tf.less(i, 5), (i, h) => (i + 1, Layer(h)), (tf.constant(0), Layer(x)));
        var branch = tf.cond(tf.reduce_sum(x) > 0f, () => Layer(looped), () => tf.identity(looped * 1f));
        var y = Layer(branch) + tf.cast(tf.reduce_sum(tf.shape(x)), tf.float32);
        using var on = tf.Session(GraphOptimizerTests.Config(true));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        foreach (var seed in new[] { 1, 4 })
        {
            var feed = new FeedDict { [x] = Images(1, 1, 4, 6, seed).Reshape(new Shape(4, 6)) };
            Bitwise(on.run(y, feed), off.run(y, feed), "the loop's result");
        }
        var plan = on.OptimizedGraphOf([y], feeds: [x])!;
        // Outside the loop and the cond the layers fuse; inside they stay as they are.
        Assert.Contains("_FusedMatMul", plan.Types);
        Assert.Contains("MatMul", plan.Types);
        Assert.Contains("Enter", plan.Types);
    }

    [Fact]
    public void AQueueFedGraphDequeuesEachElementOnce()
    {
        using var g = TestGraph.Enter();
        var queue = tf.FIFOQueue(10, tf.float32);
        var enqueue = queue.enqueue_many(tf.constant(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
        var item = queue.dequeue();
        var w = tf.constant(new[,] { { 0.5f, -1f, 2f } });
        var y = tf.nn.relu(tf.nn.bias_add(tf.matmul(tf.reshape(item, new[] { 1, 1 }), w), tf.constant(new[] { 0.25f, 1f, -3f })));
        using var on = tf.Session(GraphOptimizerTests.Config(true));
        using var off = tf.Session(GraphOptimizerTests.Config(false));
        on.run(enqueue);
        off.run(enqueue);
        for (var i = 0; i < 6; i++) Bitwise(on.run(y), off.run(y), $"element {i}");
        Assert.Contains("QueueDequeueV2", on.OptimizedGraphOf([y])!.Types);
    }

    [Fact]
    public void TheUsersGraphIsNeverChanged()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1), name: "images");
        var logits = ModelZoo.Create("lenet5", 10).Build(x).Logits;
        var init = tf.global_variables_initializer();
        var before = g.Graph.get_operations().Select(op => op.ToString()).ToList();
        using var sess = tf.Session(GraphOptimizerTests.Config(true));
        sess.run(init);
        sess.run(logits, new FeedDict { [x] = Images(2, 28, 28, 1, 0) });
        Assert.Contains("_FusedConv2D", sess.OptimizedGraphOf([logits], feeds: [x])!.Types);
        Assert.Equal(before, g.Graph.get_operations().Select(op => op.ToString()).ToList());
        Assert.DoesNotContain(g.Graph.get_operations(), op => op.type.StartsWith('_'));
    }
}
