using SharpFlow.Models;
using SharpFlow.Onnx;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The model zoo round trip: models SharpFlow builds (seeded weights, small inputs) exported to ONNX at opsets 13
/// and 17, run in ONNX Runtime, imported back and run in SharpFlow, all within 1e-4 of SharpFlow's own logits.
/// </summary>
public sealed class OnnxModelZooTests
{
    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => System.Math.Abs(e - a) / System.Math.Max(1, System.Math.Abs(e))).Max();
        Assert.True(worst <= 1e-4, $"{what}: max difference {worst:G3}");
    }

    [Theory]
    [InlineData("lenet5", 28, 1, 13)]
    [InlineData("lenet5_strided", 28, 1, 17)]
    [InlineData("convnet", 28, 1, 17)]
    [InlineData("lstm", 28, 1, 13)]
    [InlineData("lstm", 28, 1, 17)]
    [InlineData("vgg16", 32, 3, 13)]
    [InlineData("inception_v3", 75, 3, 17)]
    public void ExportedRunsInOnnxRuntimeAndImportsBack(string name, int size, int channels, int opset)
    {
        const int Batch = 2;
        using var g = TestGraph.Enter();
        tf.set_random_seed(7);
        var images = tf.placeholder(tf.float32, new Shape(-1, size, size, channels), name: "images");
        var logits = ModelZoo.Create(name, 10).Build(images, false).Logits;
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var data = OnnxCheck.Uniform(11, 0, 1, Batch, size, size, channels);
        var ours = sess.run(logits, new FeedDict { [images] = data }).ToArray<float>();

        var exported = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["images"] = images }, new Dictionary<string, Tensor> { ["logits"] = logits }, opset);
        Assert.Equal(opset, exported.Opset);
        var bytes = exported.ToByteArray();
        var (theirs, shape) = OnnxRuntimeRunner.Run(bytes, "images", "logits", data.ToArray<float>(), [Batch, size, size, channels]);
        Assert.Equal(new long[] { Batch, 10 }, shape);
        Close(ours, theirs, $"{name} (opset {opset}) in ONNX Runtime");

        using var back = TestGraph.Enter();
        var imported = OnnxModel.Parse(bytes, $"{name}.onnx").Import();
        using var sess2 = tf.Session();
        Close(ours, sess2.run(imported.Outputs["logits"], new FeedDict { [imported.Inputs["images"]] = data }).ToArray<float>(), $"{name} (opset {opset}) imported back");
    }

    [Fact]
    public void ElementwiseMathComparisonsAndIndexingExport()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 6), name: "x");
        var positive = tf.abs(x) + 0.5f;
        var outputs = new Dictionary<string, Tensor>
        {
            ["smooth"] = tf.nn.softplus(x) + tf.nn.softsign(x) + tf.nn.elu(x) + tf.nn.selu(x) + tf.nn.leaky_relu(x, 0.3),
            ["trig"] = tf.sin(x) * tf.cos(x) + tf.tan(x * 0.5f) + tf.atan(x) + tf.asin(x * 0.5f) + tf.acos(x * 0.5f) + tf.sinh(x) - tf.cosh(x),
            ["powers"] = tf.rsqrt(positive) + tf.pow(positive, x) + tf.reciprocal(positive) + tf.erf(x) + tf.squared_difference(x, 0.25f),
            ["rounding"] = tf.round(x * 3f) + tf.ceil(x) + tf.sign(x),
            ["chosen"] = tf.where(tf.logical_or(tf.logical_and(tf.greater(x, 0.2f), tf.less_equal(x, 0.8f)), tf.logical_not(tf.greater_equal(x, -0.5f))), x, -x),
            ["gathered"] = tf.tile(tf.gather(x, new[] { 5, 0, 2 }, axis: 1), new[] { 1, 2 }),
            ["product"] = tf.reduce_prod(positive, new[] { 1 }),
        };
        using var sess = tf.Session();
        var data = OnnxCheck.Uniform(3, -1, 1, 4, 6);
        var exported = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, outputs, 17).ToByteArray();
        var names = outputs.Keys.ToArray();
        var ours = sess.run(names.Select(n => outputs[n]).ToArray(), new FeedDict { [x] = data });
        var theirs = OnnxCheck.RunOnnxRuntime(exported, [("x", data)], names);
        for (var i = 0; i < names.Length; i++) OnnxCheck.Same(ours[i], theirs[i], $"{names[i]} in ONNX Runtime", 1e-5);
    }

    [Fact]
    public void AnOpsetOutsideTheExportersRangeIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = tf.nn.relu(x) }, 12));
        Assert.Contains("opset 12", e.Message);
    }
}
