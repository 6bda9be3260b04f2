using SharpFlow.Data;
using SharpFlow.Models;
using SharpFlow.Onnx;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Graphs exported by SharpFlow run in ONNX Runtime with SharpFlow's results: a trained LeNet-5, the tutorial
/// convnet and a dense network, and the export imports back into SharpFlow unchanged.
/// </summary>
public sealed class OnnxExportTests
{
    private static float[] Logits(byte[] model, float[] images, int batch)
    {
        var (logits, shape) = OnnxRuntimeRunner.Run(model, "images", "logits", images, [batch, 28, 28, 1]);
        Assert.Equal(new long[] { batch, 10 }, shape);
        return logits;
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => System.Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"{what}: max |difference| {worst:G3}");
    }

    [Theory]
    [InlineData("lenet5", 30)]
    [InlineData("convnet", 0)]
    [InlineData("mlp", 10)]
    public void ExportedModelsGiveSharpFlowsLogitsInOnnxRuntime(string name, int trainingSteps)
    {
        var data = FashionMnist.read_sample(seed: 1);
        using var g = TestGraph.Enter();
        tf.set_random_seed(3);
        var images = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1), name: "images");
        var labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        var logits = ModelZoo.Create(name, 10).Build(images, false).Logits;
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
        var train = tf.train.AdamOptimizer(1e-3).minimize(loss);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        for (var step = 0; step < trainingSteps; step++)
        {
            var (x, y) = data.train.next_batch(32);
            sess.run(train, new FeedDict { [images] = x.Reshape(new Shape(x.shape[0], 28, 28, 1)), [labels] = y.Cast(DType.int32) });
        }

        var exported = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["images"] = images }, new Dictionary<string, Tensor> { ["logits"] = logits });
        Assert.Equal(13, exported.Opset);
        Assert.Equal(new long[] { -1, 28, 28, 1 }, exported.Inputs.Single().Shape);
        var bytes = exported.ToByteArray();

        const int Batch = 16;
        var test = data.test.images.ToArray<float>().AsSpan(0, Batch * 784).ToArray();
        var ours = sess.run(logits, new FeedDict { [images] = NDArray.FromFlat(test, new Shape(Batch, 28, 28, 1)) }).ToArray<float>();
        Close(ours, Logits(bytes, test, Batch), $"{name} in ONNX Runtime");

        // And back: the exported file imported into a new graph computes the same logits (its 4-D input is the
        // exported NHWC one, which the importer reads as any 4-D ONNX tensor).
        using var back = TestGraph.Enter();
        var imported = OnnxModel.Parse(bytes, $"{name}.onnx").Import();
        using var sess2 = tf.Session();
        Close(ours, sess2.run(imported.Outputs["logits"], new FeedDict { [imported.Inputs["images"]] = NDArray.FromFlat(test, new Shape(Batch, 28, 28, 1)) }).ToArray<float>(), $"{name} imported back");
    }

    [Fact]
    public void AVariableUpdateIsRefusedAsSessionState()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3), name: "x");
        var v = tf.Variable(tf.zeros(new Shape(3)), name: "v");
        var added = tf.assign_add(v, x, name: "added");
        _ = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(v * x), name: "step");
        var update = g.Graph.get_operations().Single(o => o.type == "ApplyGradientDescent");
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        const string Reason = "it updates a variable, state of the session that an ONNX model does not have (export the graph that computes the new values instead).";
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = added }));
        Assert.Equal($"Cannot export AssignAdd \"{added.op.name}\" to ONNX: {Reason}", e.RawMessage);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = update.outputs[0] }));
        Assert.Equal($"Cannot export ApplyGradientDescent \"{update.name}\" to ONNX: {Reason}", e.RawMessage);
    }

    [Fact]
    public void WhatCannotBeExportedIsNamed()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        var text = tf.placeholder(tf.@string, new Shape(-1), name: "text");
        var noisy = x * tf.cast(tf.reduce_sum(tf.decode_raw(text, tf.uint8)), tf.float32);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["text"] = text }, new Dictionary<string, Tensor> { ["y"] = noisy }));
        Assert.Contains("has no mapping for DecodeRaw", e.Message);
        var queue = tf.FIFOQueue(4, tf.float32, [new Shape(4)]);
        var frozen = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = x * queue.dequeue() }));
        Assert.Contains("would be frozen into the model", frozen.Message);
        var other = tf.placeholder(tf.float32, new Shape(4), name: "other");
        var missing = Assert.Throws<InvalidArgumentError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = x + other }));
        Assert.Contains("placeholder 'other'", missing.Message);
    }
}
