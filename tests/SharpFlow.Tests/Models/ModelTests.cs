using SharpFlow.Models;

namespace SharpFlow.Tests.Models;

/// <summary>
/// Each model's parameter count (per layer where the seed gives it) and one forward pass (VGG and Inception at a
/// small batch and a reduced input size the architecture allows).
/// </summary>
public class ModelTests
{
    private static ModelOutput Build(Model model, int height, int width, int channels, int batch = -1)
    {
        var images = tf.placeholder(tf.float32, new Shape(batch, height, width, channels), name: "images");
        return model.Build(images);
    }

    [Fact]
    public void TheRowLstmReadsRowsAsStepsWithTensorFlowsVariableNames()
    {
        using var g = TestGraph.Enter();
        var output = Build(new RowLstm(), 28, 28, 1);
        var layers = output.Layers.ToDictionary(l => l.Name);
        Assert.Equal(new Shape(-1, 28, 28), layers["rows"].OutputShape);
        Assert.Equal(4 * 128 * (28 + 128 + 1), layers["rnn"].Parameters);
        Assert.Equal(new Shape(-1, 128), layers["rnn"].OutputShape);
        Assert.Equal(1290, layers["logits"].Parameters);
        Assert.Equal(new[] { "lstm_fused_cell/kernel:0", "lstm_fused_cell/bias:0", "logits/kernel:0", "logits/bias:0" },
            tf.global_variables().Select(v => v.name).ToArray());
        Assert.Contains(g.Graph.get_operations(), o => o.type == "BlockLSTM");
    }

    [Fact]
    public void LeNet5CountsItsParametersAsSeed37()
    {
        using var g = TestGraph.Enter();
        var output = Build(new LeNet5(), 28, 28, 1);
        var layers = output.Layers.ToDictionary(l => l.Name);
        Assert.Equal(156, layers["conv1"].Parameters);
        Assert.Equal(2416, layers["conv2"].Parameters);
        Assert.Equal(48120, layers["fc1"].Parameters);
        Assert.Equal(10164, layers["fc2"].Parameters);
        Assert.Equal(850, layers["logits"].Parameters);
        Assert.Equal(61706, output.Parameters);
        Assert.Equal(new Shape(-1, 32, 32, 1), layers["pad"].OutputShape);
        Assert.Equal(new Shape(-1, 28, 28, 6), layers["conv1"].OutputShape);
        Assert.Equal(new Shape(-1, 14, 14, 6), layers["pool1"].OutputShape);
        Assert.Equal(new Shape(-1, 10, 10, 16), layers["conv2"].OutputShape);
        Assert.Equal(new Shape(-1, 5, 5, 16), layers["pool2"].OutputShape);
        Assert.Equal(new Shape(-1, 10), output.Logits.shape);
        // Variables are named by layer scope, as tf.layers names them.
        Assert.Contains(tf.trainable_variables(), v => v.name == "conv1/kernel:0");
        Assert.Contains(tf.trainable_variables(), v => v.name == "fc2/bias:0");
    }

    [Fact]
    public void StridedLeNet5ReplacesPoolingWithStrideTwo()
    {
        using var g = TestGraph.Enter();
        var output = Build(new LeNet5Strided(), 32, 32, 1);
        var layers = output.Layers.ToDictionary(l => l.Name);
        Assert.DoesNotContain("pool1", layers.Keys);
        Assert.Equal(new Shape(-1, 14, 14, 6), layers["conv1"].OutputShape);
        Assert.Equal(new Shape(-1, 5, 5, 16), layers["conv2"].OutputShape);
        Assert.Equal(61706, output.Parameters);
        Assert.DoesNotContain(g.Graph.get_operations(), op => op.type == "MaxPool");
    }

    [Fact]
    public void TutorialConvNetHas3274634Parameters()
    {
        using var g = TestGraph.Enter();
        var output = Build(new TutorialConvNet(), 28, 28, 1);
        Assert.Equal(3_274_634, output.Parameters);
        Assert.Equal(new Shape(-1, 7, 7, 64), output.Layers.Single(l => l.Name == "pool2").OutputShape);
    }

    [Fact]
    public void Vgg16Has138357544Parameters()
    {
        using var g = TestGraph.Enter();
        var output = Build(new Vgg16(), 224, 224, 3);
        Assert.Equal(138_357_544, output.Parameters);
        Assert.Equal(13, output.Layers.Count(l => l.Name.StartsWith("conv", StringComparison.Ordinal)));
        Assert.Equal(new Shape(-1, 7, 7, 512), output.Layers.Single(l => l.Name == "pool5").OutputShape);
    }

    [Fact]
    public void InceptionV3Has23851784Parameters()
    {
        using var g = TestGraph.Enter();
        var output = Build(new InceptionV3(), 299, 299, 3);
        Assert.Equal(23_851_784, output.Parameters);
        var layers = output.Layers.ToDictionary(l => l.Name);
        Assert.Equal(new Shape(-1, 35, 35, 256), layers["mixed_0"].OutputShape);
        Assert.Equal(new Shape(-1, 17, 17, 768), layers["mixed_3"].OutputShape);
        Assert.Equal(new Shape(-1, 8, 8, 1280), layers["mixed_8"].OutputShape);
        Assert.Equal(new Shape(-1, 8, 8, 2048), layers["mixed_10"].OutputShape);
        Assert.Equal(new Shape(-1, 2048), layers["avg_pool"].OutputShape);
    }

    public static TheoryData<string, int, int, int, int> ForwardCases() => new()
    {
        { "lenet5", 28, 28, 1, 10 }, { "lenet5_strided", 32, 32, 1, 10 }, { "convnet", 28, 28, 1, 10 }, { "mlp", 28, 28, 1, 10 }, { "lstm", 28, 28, 1, 10 },
        { "vgg16", 32, 32, 3, 10 }, { "inception_v3", 75, 75, 3, 10 },
    };

    [Theory, MemberData(nameof(ForwardCases))]
    public void OneForwardPassGivesFiniteLogitsOfTheRightShape(string name, int height, int width, int channels, int classes)
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(1);
        var training = tf.placeholder_with_default(false, Shape.Scalar, name: "training");
        var images = tf.placeholder(tf.float32, new Shape(-1, height, width, channels), name: "images");
        var model = ModelZoo.Create(name, classes);
        var logits = model.Build(images, training).Logits;
        var update = tf.get_collection(GraphKeys.UPDATE_OPS).OfType<Tensor>().ToArray();
        var batch = NDArray.FromFlat(Enumerable.Range(0, 2 * height * width * channels).Select(i => (float)Math.Sin(i * 0.01)).ToArray(),
            new Shape(2, height, width, channels));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var inference = sess.run(logits, new FeedDict { [images] = batch });
        Assert.Equal(new Shape(2, classes), inference.shape);
        Assert.All(inference.AsReadOnlySpan<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
        // Inference is deterministic (dropout off, moving statistics used).
        AssertArray.Close(inference, sess.run(logits, new FeedDict { [images] = batch }), 0);
        // A training-mode pass runs too, with the batch-normalization updates.
        var trainingPass = sess.run(logits, new FeedDict { [images] = batch, [training] = true });
        Assert.Equal(new Shape(2, classes), trainingPass.shape);
        if (update.Length > 0) sess.run(update, new FeedDict { [images] = batch, [training] = true });
    }
}
