using Microsoft.ML.OnnxRuntime;
using SharpFlow.Onnx;
using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// FusedBatchNorm/V3 in inference (what tf.layers.batch_normalization and Keras build by default) exported as ONNX
/// BatchNormalization: ONNX Runtime gives SharpFlow's outputs, for NHWC after a convolution and for NCHW. Training
/// mode (the batch's statistics) is exported too: every output against SharpFlow's run and a plain float64 reference,
/// NHWC and NCHW, at opsets 13, 17 and 18, with and without exponential_avg_factor.
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
    public void AnNchwFusedBatchNormRunsInOnnxRuntime()
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

    }

    /// <summary>ONNX Runtime's values of every named output for one float input.</summary>
    private static float[][] RunAll(byte[] model, string input, float[] data, long[] shape, string[] outputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var run = new RunOptions();
        using var results = session.Run(run, [input], [value], outputs);
        return [.. results.Select(r => r.GetTensorDataAsSpan<float>().ToArray())];
    }

    /// <summary>
    /// Plain float64 training statistics: per channel the mean and biased variance over every other axis, y from
    /// them, and the Bessel-corrected variance n / (n - 1).
    /// </summary>
    private static (double[] Y, double[] Mean, double[] Biased, double[] Unbiased) Reference(float[] x, int[] dims, bool nchw, float[] scale, float[] offset, double epsilon)
    {
        var c = nchw ? dims[1] : dims[^1];
        var inner = nchw ? dims[2] * dims[3] : 1;
        int Channel(int i) => nchw ? i / inner % c : i % c;
        var n = x.Length / c;
        var mean = new double[c];
        var biased = new double[c];
        for (var i = 0; i < x.Length; i++) mean[Channel(i)] += x[i];
        for (var k = 0; k < c; k++) mean[k] /= n;
        for (var i = 0; i < x.Length; i++) biased[Channel(i)] += (x[i] - mean[Channel(i)]) * (x[i] - mean[Channel(i)]);
        for (var k = 0; k < c; k++) biased[k] /= n;
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var k = Channel(i);
            y[i] = (x[i] - mean[k]) / System.Math.Sqrt(biased[k] + epsilon) * scale[k] + offset[k];
        }
        return (y, mean, biased, [.. biased.Select(v => v * n / (n - 1))]);
    }

    private static void Near(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => System.Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"{what}: max |difference| {worst:G3}");
    }

    [Theory]
    [InlineData("NHWC", 13)]
    [InlineData("NHWC", 17)]
    [InlineData("NCHW", 13)]
    [InlineData("NCHW", 17)]
    [InlineData("NCHW", 18)]
    public void TrainingModeExportsEveryOutputFromTheBatchStatistics(string format, int opset)
    {
        var nchw = format == "NCHW";
        int[] dims = nchw ? [2, 3, 4, 5] : [2, 4, 5, 3];
        using var g = TestGraph.Enter();
        // The batch unknown in the graph: the count of each channel's elements is read at run time.
        var x = tf.placeholder(tf.float32, nchw ? new Shape(-1, 3, 4, 5) : new Shape(-1, 4, 5, 3), name: "x");
        var (scale, offset) = (Random(3, 1, 0.5f, 2f), Random(3, 2));
        var empty = tf.constant(Array.Empty<float>());
        var outs = FusedBatchNormV3.Build(x, tf.constant(scale), tf.constant(offset), empty, empty, 0.01, format, isTraining: true, name: "bn");
        var input = Random(120, 3, -2f, 3f);
        using var sess = tf.Session();
        var ours = sess.run(outs, new FeedDict { [x] = NDArray.FromFlat(input, new Shape(dims)) }).Select(v => v.ToArray<float>()).ToArray();
        string[] names = ["y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2", "reserve_space_3"];
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x },
            names.Select((n, i) => (n, outs[i])).ToDictionary(p => p.n, p => p.Item2), opset).ToByteArray();
        var theirs = RunAll(model, "x", input, [.. dims.Select(d => (long)d)], names);
        for (var i = 0; i < names.Length; i++) Close(ours[i], theirs[i]);
        var (y, mean, biased, unbiased) = Reference(input, dims, nchw, scale, offset, 0.01);
        Near(y, theirs[0], 1e-4, "y");
        Near(mean, theirs[1], 1e-5, "batch_mean");
        Near(unbiased, theirs[2], 1e-5, "batch_variance (Bessel-corrected)");
        Near(mean, theirs[3], 1e-5, "reserve_space_1");
        Near(biased, theirs[4], 1e-5, "reserve_space_2 (biased)");
        Assert.Equal([0f], theirs[5]);
    }

    [Fact]
    public void TrainingWithAnExponentialAverageAndInferenceReturnTheKernelsStatistics()
    {
        int[] dims = [3, 2, 2, 4];
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 2, 2, 4), name: "x");
        var (scale, offset, given, givenVariance) = (Random(4, 1, 0.5f, 2f), Random(4, 2), Random(4, 3), Random(4, 4, 0.5f, 2f));
        var averaged = FusedBatchNormV3.Build(x, tf.constant(scale), tf.constant(offset), tf.constant(given), tf.constant(givenVariance), 0.001, "NHWC",
            isTraining: true, exponentialAvgFactor: 0.25, name: "averaged");
        var inference = FusedBatchNormV3.Build(x, tf.constant(scale), tf.constant(offset), tf.constant(given), tf.constant(givenVariance), 0.001, "NHWC",
            isTraining: false, name: "inference");
        Tensor[] all = [.. averaged, .. inference];
        var names = all.Select((_, i) => $"out{i}").ToArray();
        var input = Random(48, 5, -1f, 2f);
        using var sess = tf.Session();
        var ours = sess.run(all, new FeedDict { [x] = NDArray.FromFlat(input, new Shape(dims)) }).Select(v => v.ToArray<float>()).ToArray();
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, names.Select((n, i) => (n, all[i])).ToDictionary(p => p.n, p => p.Item2)).ToByteArray();
        var theirs = RunAll(model, "x", input, [3, 2, 2, 4], names);
        for (var i = 0; i < names.Length; i++) Close(ours[i], theirs[i]);
        // The moving statistics: (1 - f)·given + f·batch (the variance Bessel-corrected); y from the batch's own.
        var (y, mean, biased, unbiased) = Reference(input, dims, false, scale, offset, 0.001);
        Near(y, theirs[0], 1e-4, "y");
        Near([.. mean.Select((m, k) => 0.75 * given[k] + 0.25 * m)], theirs[1], 1e-5, "batch_mean");
        Near([.. unbiased.Select((v, k) => 0.75 * givenVariance[k] + 0.25 * v)], theirs[2], 1e-5, "batch_variance");
        Near(biased, theirs[4], 1e-5, "reserve_space_2");
        // Inference returns the given statistics.
        foreach (var k in new[] { 7, 9 }) Assert.Equal(given, theirs[k]);
        foreach (var k in new[] { 8, 10 }) Assert.Equal(givenVariance, theirs[k]);
    }
}
