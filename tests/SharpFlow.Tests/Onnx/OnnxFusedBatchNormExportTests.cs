using SharpFlow.Onnx;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// FusedBatchNorm/V3 in inference (what tf.layers.batch_normalization and Keras build by default) exported as ONNX
/// BatchNormalization: ONNX Runtime gives SharpFlow's outputs, for NHWC after a convolution and for NCHW; training
/// mode is refused naming the op.
/// </summary>
public sealed class OnnxFusedBatchNormExportTests
{
    private static float[] Random(int n, int seed, float low = -1, float high = 1)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => low + (high - low) * (float)r.NextDouble()).ToArray();
    }

    private static void Close(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => System.Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"max |difference| {worst:G3}");
    }

    [Fact]
    public void TheLayersFusedBatchNormAfterAConvolutionRunsInOnnxRuntime()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6, 6, 3), name: "x");
        var conv = tf.layers.conv2d(x, 4, 3, padding: "same", name: "conv");
        var y = tf.layers.batch_normalization(conv, training: false, fused: true, name: "bn");
        Assert.Contains(g.Graph.get_operations(), o => o.type == "FusedBatchNormV3");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        // Statistics and scale away from the initial 0/1, so the normalisation shows.
        foreach (var (name, low, high) in new[] { ("bn/gamma", 0.5f, 2f), ("bn/beta", -1f, 1f), ("bn/moving_mean", -0.5f, 0.5f), ("bn/moving_variance", 0.5f, 2f) })
        {
            var v = tf.global_variables().Single(v => v.op.name == name);
            sess.run(v.assign(tf.constant(Random(4, name.Length, low, high))));
        }
        var input = Random(2 * 6 * 6 * 3, 7);
        var ours = sess.run(y, new FeedDict { [x] = NDArray.FromFlat(input, new Shape(2, 6, 6, 3)) }).ToArray<float>();
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }).ToByteArray();
        var (theirs, shape) = OnnxRuntimeRunner.Run(model, "x", "y", input, [2, 6, 6, 3]);
        Assert.Equal(new long[] { 2, 6, 6, 4 }, shape);
        Close(ours, theirs);
    }

    [Fact]
    public void AnNchwFusedBatchNormRunsInOnnxRuntimeAndTrainingModeIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 4, 4), name: "x");
        var (y, _, _) = tf.nn.fused_batch_norm(x, Random(3, 1, 0.5f, 2f), Random(3, 2), mean: Random(3, 3), variance: Random(3, 4, 0.5f, 2f),
            epsilon: 0.01, data_format: "NCHW", is_training: false);
        using var sess = tf.Session();
        var input = Random(2 * 3 * 4 * 4, 5);
        var ours = sess.run(y, new FeedDict { [x] = NDArray.FromFlat(input, new Shape(2, 3, 4, 4)) }).ToArray<float>();
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }).ToByteArray();
        Close(ours, OnnxRuntimeRunner.Run(model, "x", "y", input, [2, 3, 4, 4]).Values);

        var (trained, _, _) = tf.nn.fused_batch_norm(x, Random(3, 1), Random(3, 2), data_format: "NCHW", name: "train_bn");
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = trained }));
        Assert.Contains("train_bn", e.Message);
        Assert.Contains("is_training=True", e.Message);
    }
}
