#pragma warning disable CS8981 // slim is the alias Python programs use
using slim = SharpFlow.Binding.tf.contrib.slim;

namespace SharpFlow.Tests.Slim;

/// <summary>slim's VGG-16 and Inception-v3: the variable names and shapes of slim's published checkpoints, and the book's transfer-learning program.</summary>
public class SlimNetsTests
{
    private static long Count(IEnumerable<Variable> vars) => vars.Sum(v => v.shape.NumElements);

    [Fact]
    public void Vgg16HasSlimsNamesShapesAndEndPoints()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(2, 224, 224, 3));
        Tensor logits;
        Dictionary<string, Tensor> endPoints;
        using (slim.arg_scope(slim.nets.vgg.vgg_arg_scope()))
            (logits, endPoints) = slim.nets.vgg.vgg_16(images, num_classes: 1000, is_training: false);
        Assert.Equal(new Shape(2, 1000), logits.shape);
        Assert.Equal("vgg_16/fc8/squeezed:0", logits.name);
        var expected = new List<(string, Shape)>();
        var channels = 3;
        foreach (var (block, repeats, filters) in new[] { (1, 2, 64), (2, 2, 128), (3, 3, 256), (4, 3, 512), (5, 3, 512) })
            for (var i = 1; i <= repeats; i++)
            {
                expected.Add(($"vgg_16/conv{block}/conv{block}_{i}/weights", new Shape(3, 3, channels, filters)));
                expected.Add(($"vgg_16/conv{block}/conv{block}_{i}/biases", new Shape(filters)));
                channels = filters;
            }
        expected.AddRange([("vgg_16/fc6/weights", new Shape(7, 7, 512, 4096)), ("vgg_16/fc6/biases", new Shape(4096)),
            ("vgg_16/fc7/weights", new Shape(1, 1, 4096, 4096)), ("vgg_16/fc7/biases", new Shape(4096)),
            ("vgg_16/fc8/weights", new Shape(1, 1, 4096, 1000)), ("vgg_16/fc8/biases", new Shape(1000))]);
        Assert.Equal(expected, slim.get_model_variables().Select(v => (v.op.name, v.shape)));
        Assert.Equal(138_357_544, Count(tf.trainable_variables()));
        Assert.Equal(16, tf.losses.get_regularization_losses().Count);
        Assert.Equal(["vgg_16/conv1/conv1_1", "vgg_16/conv1/conv1_2", "vgg_16/pool1", "vgg_16/conv2/conv2_1", "vgg_16/conv2/conv2_2", "vgg_16/pool2",
            "vgg_16/conv3/conv3_1", "vgg_16/conv3/conv3_2", "vgg_16/conv3/conv3_3", "vgg_16/pool3", "vgg_16/conv4/conv4_1", "vgg_16/conv4/conv4_2",
            "vgg_16/conv4/conv4_3", "vgg_16/pool4", "vgg_16/conv5/conv5_1", "vgg_16/conv5/conv5_2", "vgg_16/conv5/conv5_3", "vgg_16/pool5",
            "vgg_16/fc6", "vgg_16/fc7", "vgg_16/fc8"], endPoints.Keys);
        Assert.Equal(new Shape(2, 7, 7, 512), endPoints["vgg_16/pool5"].shape);
        Assert.Equal(new Shape(2, 1, 1, 4096), endPoints["vgg_16/fc7"].shape);
    }

    /// <summary>The convolutions of slim's inception_v3_base, in creation order: name, kernel, input and output channels.</summary>
    private static List<(string Name, int Kh, int Kw, int In, int Out)> InceptionConvs()
    {
        var convs = new List<(string, int, int, int, int)>
        {
            ("Conv2d_1a_3x3", 3, 3, 3, 32), ("Conv2d_2a_3x3", 3, 3, 32, 32), ("Conv2d_2b_3x3", 3, 3, 32, 64), ("Conv2d_3b_1x1", 1, 1, 64, 80),
            ("Conv2d_4a_3x3", 3, 3, 80, 192),
        };
        foreach (var (m, x, pool, b1a, b1b) in new[] { ("Mixed_5b", 192, 32, "Conv2d_0a_1x1", "Conv2d_0b_5x5"), ("Mixed_5c", 256, 64, "Conv2d_0b_1x1", "Conv_1_0c_5x5"),
            ("Mixed_5d", 288, 64, "Conv2d_0a_1x1", "Conv2d_0b_5x5") })
            convs.AddRange([($"{m}/Branch_0/Conv2d_0a_1x1", 1, 1, x, 64), ($"{m}/Branch_1/{b1a}", 1, 1, x, 48), ($"{m}/Branch_1/{b1b}", 5, 5, 48, 64),
                ($"{m}/Branch_2/Conv2d_0a_1x1", 1, 1, x, 64), ($"{m}/Branch_2/Conv2d_0b_3x3", 3, 3, 64, 96), ($"{m}/Branch_2/Conv2d_0c_3x3", 3, 3, 96, 96),
                ($"{m}/Branch_3/Conv2d_0b_1x1", 1, 1, x, pool)]);
        convs.AddRange([("Mixed_6a/Branch_0/Conv2d_1a_1x1", 3, 3, 288, 384), ("Mixed_6a/Branch_1/Conv2d_0a_1x1", 1, 1, 288, 64),
            ("Mixed_6a/Branch_1/Conv2d_0b_3x3", 3, 3, 64, 96), ("Mixed_6a/Branch_1/Conv2d_1a_1x1", 3, 3, 96, 96)]);
        foreach (var (m, c) in new[] { ("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192) })
            convs.AddRange([($"{m}/Branch_0/Conv2d_0a_1x1", 1, 1, 768, 192), ($"{m}/Branch_1/Conv2d_0a_1x1", 1, 1, 768, c), ($"{m}/Branch_1/Conv2d_0b_1x7", 1, 7, c, c),
                ($"{m}/Branch_1/Conv2d_0c_7x1", 7, 1, c, 192), ($"{m}/Branch_2/Conv2d_0a_1x1", 1, 1, 768, c), ($"{m}/Branch_2/Conv2d_0b_7x1", 7, 1, c, c),
                ($"{m}/Branch_2/Conv2d_0c_1x7", 1, 7, c, c), ($"{m}/Branch_2/Conv2d_0d_7x1", 7, 1, c, c), ($"{m}/Branch_2/Conv2d_0e_1x7", 1, 7, c, 192),
                ($"{m}/Branch_3/Conv2d_0b_1x1", 1, 1, 768, 192)]);
        convs.AddRange([("Mixed_7a/Branch_0/Conv2d_0a_1x1", 1, 1, 768, 192), ("Mixed_7a/Branch_0/Conv2d_1a_3x3", 3, 3, 192, 320),
            ("Mixed_7a/Branch_1/Conv2d_0a_1x1", 1, 1, 768, 192), ("Mixed_7a/Branch_1/Conv2d_0b_1x7", 1, 7, 192, 192), ("Mixed_7a/Branch_1/Conv2d_0c_7x1", 7, 1, 192, 192),
            ("Mixed_7a/Branch_1/Conv2d_1a_3x3", 3, 3, 192, 192)]);
        foreach (var (m, x, second) in new[] { ("Mixed_7b", 1280, "Conv2d_0b_3x1"), ("Mixed_7c", 2048, "Conv2d_0c_3x1") })
            convs.AddRange([($"{m}/Branch_0/Conv2d_0a_1x1", 1, 1, x, 320), ($"{m}/Branch_1/Conv2d_0a_1x1", 1, 1, x, 384), ($"{m}/Branch_1/Conv2d_0b_1x3", 1, 3, 384, 384),
                ($"{m}/Branch_1/{second}", 3, 1, 384, 384), ($"{m}/Branch_2/Conv2d_0a_1x1", 1, 1, x, 448), ($"{m}/Branch_2/Conv2d_0b_3x3", 3, 3, 448, 384),
                ($"{m}/Branch_2/Conv2d_0c_1x3", 1, 3, 384, 384), ($"{m}/Branch_2/Conv2d_0d_3x1", 3, 1, 384, 384), ($"{m}/Branch_3/Conv2d_0b_1x1", 1, 1, x, 192)]);
        return convs;
    }

    [Fact]
    public void InceptionV3HasTheNamesAndShapesOfSlimsPublishedCheckpoint()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, 299, 299, 3));
        Tensor logits;
        Dictionary<string, Tensor> endPoints;
        using (slim.arg_scope(slim.nets.inception.inception_v3_arg_scope()))
            (logits, endPoints) = slim.nets.inception.inception_v3(images, num_classes: 1001, is_training: false);
        Assert.Equal(new Shape(-1, 1001), logits.shape);

        // The names of the published inception_v3.ckpt (2016-08-28), with the shapes the architecture gives them.
        var expected = new List<(string, Shape)>();
        void Conv(string name, int kh, int kw, int inC, int outC)
        {
            expected.Add(($"InceptionV3/{name}/weights", new Shape(kh, kw, inC, outC)));
            foreach (var s in new[] { "beta", "moving_mean", "moving_variance" }) expected.Add(($"InceptionV3/{name}/BatchNorm/{s}", new Shape(outC)));
        }
        foreach (var (name, kh, kw, inC, outC) in InceptionConvs()) Conv(name, kh, kw, inC, outC);
        Conv("AuxLogits/Conv2d_1b_1x1", 1, 1, 768, 128);
        Conv("AuxLogits/Conv2d_2a_5x5", 5, 5, 128, 768);
        expected.AddRange([("InceptionV3/AuxLogits/Conv2d_2b_1x1/weights", new Shape(1, 1, 768, 1001)), ("InceptionV3/AuxLogits/Conv2d_2b_1x1/biases", new Shape(1001)),
            ("InceptionV3/Logits/Conv2d_1c_1x1/weights", new Shape(1, 1, 2048, 1001)), ("InceptionV3/Logits/Conv2d_1c_1x1/biases", new Shape(1001))]);

        var actual = slim.get_model_variables().Select(v => (v.op.name, v.shape)).ToList();
        Assert.Equal(388, actual.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(actual, tf.global_variables().Select(v => (v.op.name, v.shape)));
        Assert.Equal(94 + 4, tf.losses.get_regularization_losses().Count);
        Assert.Equal(new Shape(-1, 17, 17, 768), endPoints["Mixed_6e"].shape);
        Assert.Equal(new Shape(-1, 8, 8, 2048), endPoints["Mixed_7c"].shape);
        Assert.Equal(new Shape(-1, 1001), endPoints["AuxLogits"].shape);
        Assert.Equal(new Shape(-1, 1, 1, 2048), endPoints["PreLogits"].shape);
        Assert.StartsWith("InceptionV3/Predictions/", endPoints["Predictions"].name);
    }

    [Fact]
    public void InceptionV3WithoutAuxLogitsHasKerasParameterCount()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(1, 299, 299, 3));
        using (slim.arg_scope(slim.nets.inception.inception_v3_arg_scope()))
            slim.nets.inception.inception_v3(images, num_classes: 1000, create_aux_logits: false);
        // The same network as Keras's InceptionV3 (and SharpFlow.Models): 23,851,784 values, moving statistics included.
        Assert.Equal(23_851_784, Count(tf.global_variables()));
        Assert.Equal(2 * 94, g.Graph.get_collection(tf.GraphKeys.UPDATE_OPS).Count);
        Assert.Equal("depth_multiplier is not greater than zero.",
            Assert.Throws<ValueError>(() => slim.nets.inception.inception_v3(images, depth_multiplier: 0, scope: "other")).Message);
        Assert.Equal("Unknown final endpoint Mixed_9z",
            Assert.Throws<ValueError>(() => slim.nets.inception.inception_v3_base(images, final_endpoint: "Mixed_9z", scope: "base")).Message);
    }

    // The book's chapter 6 transfer-learning program (slim inception_v3 on 5 flower classes), model-building and restore part.
    private const string CHECKPOINT_EXCLUDE_SCOPES = "InceptionV3/Logits,InceptionV3/AuxLogits";
    private const string TRAINABLE_SCOPES = "InceptionV3/Logits,InceptionV3/AuxLogits";
    private const int N_CLASSES = 5;

    private static List<Variable> get_tuned_variables()
    {
        var exclusions = CHECKPOINT_EXCLUDE_SCOPES.Split(',').Select(scope => scope.Trim()).ToList();
        var variables_to_restore = new List<Variable>();
        foreach (var var in slim.get_model_variables())
        {
            var excluded = false;
            foreach (var exclusion in exclusions)
                if (var.op.name.StartsWith(exclusion, StringComparison.Ordinal))
                {
                    excluded = true;
                    break;
                }
            if (!excluded) variables_to_restore.Add(var);
        }
        return variables_to_restore;
    }

    private static List<Variable> get_trainable_variables()
    {
        var scopes = TRAINABLE_SCOPES.Split(',').Select(scope => scope.Trim()).ToList();
        var variables_to_train = new List<Variable>();
        foreach (var scope in scopes)
            variables_to_train.AddRange(tf.get_collection<Variable>(tf.GraphKeys.TRAINABLE_VARIABLES, scope));
        return variables_to_train;
    }

    [Fact]
    public void TheBooksTransferLearningProgramRestoresAllButTheLogitsByName()
    {
        var dir = Directory.CreateTempSubdirectory("slim-inception");
        try
        {
            // Stands in for slim's published inception_v3.ckpt (1001 classes): saved from SharpFlow.
            var CKPT_FILE = Path.Combine(dir.FullName, "inception_v3.ckpt");
            NDArray published;
            using (var g = TestGraph.Enter())
            {
                var x = tf.placeholder(tf.float32, new Shape(-1, 299, 299, 3));
                using (slim.arg_scope(slim.nets.inception.inception_v3_arg_scope()))
                    slim.nets.inception.inception_v3(x, num_classes: 1001);
                using var s = tf.Session();
                s.run(tf.global_variables_initializer());
                published = s.run(tf.global_variables().Single(v => v.op.name == "InceptionV3/Mixed_7c/Branch_2/Conv2d_0d_3x1/weights"));
                tf.train.Saver().save(s, CKPT_FILE);
            }

            using (var g = TestGraph.Enter())
            {
                var images = tf.placeholder(tf.float32, new Shape(-1, 299, 299, 3), name: "input_images");
                var labels = tf.placeholder(tf.int64, new Shape(-1), name: "labels");
                Tensor logits;
                using (slim.arg_scope(slim.nets.inception.inception_v3_arg_scope()))
                    (logits, _) = slim.nets.inception.inception_v3(images, num_classes: N_CLASSES, is_training: true);
                var trainable_variables = get_trainable_variables();
                tf.losses.softmax_cross_entropy(tf.one_hot(labels, N_CLASSES), logits, weights: 1.0);
                var total_loss = tf.losses.get_total_loss();
                var train_step = tf.train.RMSPropOptimizer(0.0001).minimize(total_loss);
                Tensor evaluation_step;
                using (tf.name_scope("evaluation"))
                {
                    var correct_prediction = tf.equal(tf.argmax(logits, 1), labels);
                    evaluation_step = tf.reduce_mean(tf.cast(correct_prediction, tf.float32));
                }
                var load_fn = slim.assign_from_checkpoint_fn(CKPT_FILE, get_tuned_variables(), ignore_missing_vars: true)!;
                Assert.Equal(2 + 6, trainable_variables.Count);
                Assert.Equal(388 - 12, get_tuned_variables().Count);
                Assert.Equal(new Shape(-1, N_CLASSES), logits.shape);
                using var sess = tf.Session();
                sess.run(tf.global_variables_initializer());
                load_fn(sess);
                var restored = tf.global_variables().Single(v => v.op.name == "InceptionV3/Mixed_7c/Branch_2/Conv2d_0d_3x1/weights");
                AssertArray.Close(published, sess.run(restored), 0);
                var newLogits = tf.global_variables().Single(v => v.op.name == "InceptionV3/Logits/Conv2d_1c_1x1/weights");
                Assert.Equal(new Shape(1, 1, 2048, N_CLASSES), newLogits.shape);
                Assert.NotNull(train_step);
                Assert.NotNull(evaluation_step);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
