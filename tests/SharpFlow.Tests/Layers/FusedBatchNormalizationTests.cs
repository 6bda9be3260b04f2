using SharpFlow.Tests.Support;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Layers;

/// <summary>
/// tf.layers.batch_normalization and Keras' BatchNormalization with fused=True/None (FusedBatchNormV3, TensorFlow
/// 1.x's default for 4-D inputs) against fused=False (ordinary ops): the same training run, variables, collections
/// and updates.
/// </summary>
public sealed class FusedBatchNormalizationTests
{
    private sealed record Run(float[] Losses, float[] MovingMean, float[] MovingVariance, float[] Eval, string[] OpTypes, string[] Variables, int Updates);

    // A LeNet-style net: conv 3x3 (4 filters) -> batch norm -> relu -> 2x2 max pool -> dense 10, softmax cross
    // entropy, plain SGD with the UPDATE_OPS as control dependencies, 6 steps, then an evaluation (training=false).
    private static Run Train(bool? fused, bool trainingPlaceholder)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 8, 8, 1), name: "x");
        var labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        TensorLike training = trainingPlaceholder ? tf.placeholder_with_default(false, Shape.Scalar, name: "training") : true;
        var conv = tf.layers.conv2d(x, 4, 3, padding: "same", kernel_initializer: tf.glorot_uniform_initializer(seed: 3), name: "conv1");
        var bn = tf.layers.batch_normalization(conv, momentum: 0.9, training: training, name: "bn1", fused: fused);
        var pool = tf.layers.max_pooling2d(tf.nn.relu(bn), 2, 2);
        var logits = tf.layers.dense(tf.layers.flatten(pool), 10, kernel_initializer: tf.glorot_uniform_initializer(seed: 4), name: "logits");
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
        var updates = tf.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().ToArray();
        Operation trainOp;
        using (tf.control_dependencies(updates)) trainOp = tf.train.GradientDescentOptimizer(0.1).minimize(loss);
        var rng = new Random(11);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var losses = new List<float>();
        NDArray images = NDArray.Zeros(DType.float32, new Shape(1));
        for (var step = 0; step < 6; step++)
        {
            images = NDArray.FromFlat(Enumerable.Range(0, 6 * 64).Select(_ => (float)(rng.NextDouble() * 2 - 0.5)).ToArray(), new Shape(6, 8, 8, 1));
            var ys = NDArray.FromFlat(Enumerable.Range(0, 6).Select(_ => rng.Next(10)).ToArray(), new Shape(6));
            var feed = new FeedDict { [x] = images, [labels] = ys };
            if (training.AsTensor is { } t) feed[t] = true;
            var r = sess.run(new ITensorOrOperation[] { loss, trainOp }, feed);
            losses.Add(r[0]!.ToArray<float>()[0]);
        }
        var mean = sess.run(tf.global_variables().Single(v => v.name == "bn1/moving_mean:0")).ToArray<float>();
        var variance = sess.run(tf.global_variables().Single(v => v.name == "bn1/moving_variance:0")).ToArray<float>();
        var eval = trainingPlaceholder ? sess.run(bn, new FeedDict { [x] = images }).ToArray<float>() : [];
        return new Run([.. losses], mean, variance, eval, [.. g.Graph.get_operations().Select(o => o.type).Distinct()],
            [.. tf.global_variables().Select(v => v.name)], updates.Length);
    }

    private static void Close(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what} {i}: fused {actual[i]}, decomposed {expected[i]}");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(null, true)]
    [InlineData(true, false)]
    public void FusedTrainingEqualsTheDecomposedForm(bool? fused, bool trainingPlaceholder)
    {
        var plain = Train(false, trainingPlaceholder);
        var fast = Train(fused, trainingPlaceholder);
        Assert.Contains("FusedBatchNormV3", fast.OpTypes);
        Assert.Contains("FusedBatchNormGradV3", fast.OpTypes);
        Assert.DoesNotContain("FusedBatchNormV3", plain.OpTypes);
        Assert.Equal(trainingPlaceholder, fast.OpTypes.Contains("Merge"));
        Assert.Equal(plain.Variables, fast.Variables);
        Assert.Equal(2, fast.Updates);
        Close(plain.Losses, fast.Losses, 1e-5, "loss");
        Close(plain.MovingMean, fast.MovingMean, 1e-5, "moving_mean");
        Close(plain.MovingVariance, fast.MovingVariance, 1e-5, "moving_variance");
        Close(plain.Eval, fast.Eval, 1e-5, "inference output");
    }

    [Fact]
    public void AFixedFalseTrainingBuildsOnlyTheInferenceOpAndNoUpdates()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 3));
        var y = tf.layers.batch_normalization(x, training: false);
        Assert.Equal("FusedBatchNormV3", y.op.type);
        Assert.False((bool)y.op.attrs["is_training"]);
        Assert.Equal("batch_normalization/FusedBatchNormV3", y.op.name);
        Assert.Empty(tf.get_collection(GraphKeys.UPDATE_OPS));
        // 2-D inputs and fused=false keep the ordinary ops.
        var z = tf.layers.batch_normalization(tf.placeholder(tf.float32, new Shape(-1, 3)), training: true, fused: true);
        Assert.DoesNotContain(g.Graph.get_operations(), o => o.type == "FusedBatchNormV3" && o.name.StartsWith("batch_normalization_1", StringComparison.Ordinal));
        Assert.Equal(new Shape(-1, 3), z.shape);
    }

    [Fact]
    public void ANchwLayerNormalizesAxisOne()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(2, 3, 2, 2));
        var y = tf.layers.batch_normalization(x, axis: 1, epsilon: 1e-3, training: true);
        Assert.Equal("NCHW", y.op.attrs["data_format"]);
        Assert.Equal(new Shape(3), tf.global_variables().Single(v => v.name == "batch_normalization/gamma:0").shape);
        var input = NDArray.FromFlat(Enumerable.Range(0, 24).Select(i => (float)(i % 5 + i * 0.1)).ToArray(), new Shape(2, 3, 2, 2));
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var r = sess.run(y, new FeedDict { [x] = input }).ToArray<float>();
        var raw = input.ToArray<float>();
        for (var c = 0; c < 3; c++)
        {
            var idx = Enumerable.Range(0, 24).Where(i => i / 4 % 3 == c).ToArray();
            var m = idx.Average(i => (double)raw[i]);
            var v = idx.Average(i => (raw[i] - m) * (raw[i] - m));
            foreach (var i in idx) Assert.Equal((raw[i] - m) / Math.Sqrt(v + 1e-3), r[i], 1e-4);
        }
    }

    [Fact]
    public void KerasBatchNormalizationIsFusedForFourDimensionalInputs()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 3));
        var layer = tf.keras.layers.BatchNormalization();
        var y = layer.Apply(x);
        var types = g.Graph.get_operations().Select(o => o.type).ToList();
        Assert.Equal(2, types.Count(t => t == "FusedBatchNormV3"));
        Assert.Contains("Merge", types);
        Assert.Equal(2, layer.updates.Count);
        Assert.Equal(new Shape(-1, 4, 4, 3), y.shape);
        using var g2 = TestGraph.Enter();
        var x2 = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 3));
        tf.keras.layers.BatchNormalization(fused: false).Apply(x2);
        Assert.DoesNotContain(g2.Graph.get_operations(), o => o.type == "FusedBatchNormV3");
    }

    [Fact]
    public void SlimBatchNormIsFusedWithTheDefaultUpdatesAndEqualsTheDecomposedForm()
    {
        float[][] RunSlim(bool fused)
        {
            using var g = TestGraph.Enter();
            var x = tf.placeholder(tf.float32, new Shape(-1, 3, 3, 2));
            var training = tf.placeholder_with_default(true, Shape.Scalar);
            var y = tf.contrib.layers.batch_norm(x, decay: 0.5, scale: true, is_training: training, fused: fused);
            Assert.Equal(fused, g.Graph.get_operations().Any(o => o.type == "FusedBatchNormV3"));
            Assert.Equal(new[] { "BatchNorm/beta:0", "BatchNorm/gamma:0", "BatchNorm/moving_mean:0", "BatchNorm/moving_variance:0" },
                tf.global_variables().Select(v => v.name).Order(StringComparer.Ordinal));
            var updates = tf.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().ToArray();
            Assert.Equal(2, updates.Length);
            var input = NDArray.FromFlat(Enumerable.Range(0, 36).Select(i => (float)(i % 7 - i * 0.05)).ToArray(), new Shape(2, 3, 3, 2));
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            var train = sess.run(y, new FeedDict { [x] = input }).ToArray<float>();
            sess.run(updates, new FeedDict { [x] = input });
            var eval = sess.run(y, new FeedDict { [x] = input, [training] = false }).ToArray<float>();
            var mean = sess.run(tf.global_variables().Single(v => v.name == "BatchNorm/moving_mean:0")).ToArray<float>();
            var variance = sess.run(tf.global_variables().Single(v => v.name == "BatchNorm/moving_variance:0")).ToArray<float>();
            return [train, eval, mean, variance];
        }
        var plain = RunSlim(false);
        var fast = RunSlim(true);
        Close(plain[0], fast[0], 1e-5, "training output");
        Close(plain[2], fast[2], 1e-5, "moving_mean");
        // Non-fused slim moves the variance towards the biased batch variance, the fused op towards the unbiased one
        // (18 values per channel): v = 0.5·1 + 0.5·batch variance.
        Close([.. plain[3].Select(v => (float)(0.5 + (v - 0.5) * 18 / 17))], fast[3], 1e-5, "moving_variance");
    }
}
