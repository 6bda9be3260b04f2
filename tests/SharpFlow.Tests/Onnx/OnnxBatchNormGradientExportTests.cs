using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// FusedBatchNormGradV3 from tf.gradients of tf.nn.fused_batch_norm exported to ONNX: in inference (the given
/// statistics; the forward op exports too) and in training (the batch's statistics, read from the forward op's
/// reserve spaces, which are the export's inputs here: a training forward op is refused), NHWC and NCHW. Each runs in
/// ONNX Runtime against SharpFlow's own run, at opsets 13 and 17, and against the formulas in plain arithmetic.
/// </summary>
public sealed class OnnxBatchNormGradientExportTests
{
    [Theory]
    [InlineData(13, "NHWC", false)]
    [InlineData(17, "NHWC", false)]
    [InlineData(13, "NCHW", true)]
    [InlineData(17, "NHWC", true)]
    public void FusedBatchNormGradComputesAsTheKernel(int opset, string format, bool training)
    {
        using var g = TestGraph.Enter();
        var nchw = format == "NCHW";
        int[] dims = nchw ? [2, 3, 4, 5] : [2, 4, 5, 3];
        var x = tf.placeholder(tf.float32, new Shape([-1, .. dims[1..]]), name: "x");
        var (scale, offset) = (Uniform(1, 0.5, 2, 3), F(2, 3));
        var (mean, variance) = (F(3, 3), Uniform(4, 0.5, 2, 3));
        var (y, _, _) = training
            ? tf.nn.fused_batch_norm(x, tf.constant(scale), tf.constant(offset), epsilon: 0.01, data_format: format)
            : tf.nn.fused_batch_norm(x, tf.constant(scale), tf.constant(offset), tf.constant(mean), tf.constant(variance), epsilon: 0.01, data_format: format, is_training: false);
        var dy = tf.placeholder(tf.float32, y.shape, name: "dy");
        var scaleTensor = y.op.inputs[1];
        var grads = tf.gradients(y, [x, scaleTensor, y.op.inputs[2]], grad_ys: dy);
        var gradOp = grads[1]!.op;
        Assert.Equal("FusedBatchNormGradV3", gradOp.type);
        Assert.Equal(training, gradOp.get_attr("is_training"));
        using var sess = tf.Session();
        var (xv, dyv) = (F(5, dims), F(6, dims));
        var inputs = new Dictionary<string, Tensor> { ["x"] = x, ["dy"] = dy };
        var feed = new List<(string, NDArray)> { ("x", xv), ("dy", dyv) };
        if (training)
        {
            // The batch's mean and biased variance, as the training forward op computes them, fed in its stead.
            var forward = y.op;
            var reserves = sess.run([forward.outputs[3], forward.outputs[4], forward.outputs[5]], new FeedDict { [x] = xv });
            for (var k = 0; k < 3; k++)
            {
                inputs[$"reserve_{k + 1}"] = forward.outputs[3 + k];
                feed.Add(($"reserve_{k + 1}", reserves[k]));
            }
            (mean, variance) = (reserves[0], reserves[1]);
        }
        var ours = ExportAgrees(sess, inputs, [.. grads.Select(t => t!)], [.. feed], opset, tolerance: 1e-5);
        // The formulas, per channel over the other axes.
        var (xs, ds, m, v, s) = (xv.ToArray<float>(), dyv.ToArray<float>(), mean.ToArray<float>(), variance.ToArray<float>(), scale.ToArray<float>());
        int Channel(int i) => nchw ? i / (dims[2] * dims[3]) % 3 : i % 3;
        var n = xs.Length / 3;
        var inverse = v.Select(e => 1 / System.Math.Sqrt(e + 0.01f)).ToArray();
        var normalized = xs.Select((e, i) => (e - m[Channel(i)]) * inverse[Channel(i)]).ToArray();
        var sumDy = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, xs.Length).Where(i => Channel(i) == c).Sum(i => (double)ds[i])).ToArray();
        var sumDyX = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, xs.Length).Where(i => Channel(i) == c).Sum(i => ds[i] * normalized[i])).ToArray();
        var dx = xs.Select((_, i) =>
        {
            var c = Channel(i);
            return (float)(s[c] * inverse[c] * (training ? ds[i] - sumDy[c] / n - normalized[i] * sumDyX[c] / n : ds[i]));
        }).ToArray();
        Same(NDArray.FromFlat(dx, new Shape(dims)), ours[0], "x_backprop", 1e-4);
        Same(NDArray.FromFlat(sumDyX.Select(e => (float)e).ToArray(), new Shape(3)), ours[1], "scale_backprop", 1e-4);
        Same(NDArray.FromFlat(sumDy.Select(e => (float)e).ToArray(), new Shape(3)), ours[2], "offset_backprop", 1e-4);
    }

    [Fact]
    public void FusedBatchNormGradOfUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var dy = tf.placeholder(tf.float32, name: "dy");
        var (y, _, _) = tf.nn.fused_batch_norm(x, tf.constant(Uniform(1, 0.5, 2, 3)), tf.constant(F(2, 3)), tf.constant(F(3, 3)), tf.constant(Uniform(4, 0.5, 2, 3)), is_training: false);
        var dx = tf.gradients(y, x, grad_ys: dy)[0]!;
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x, ["dy"] = dy }, new Dictionary<string, Tensor> { ["y"] = dx }, 13));
        Assert.Equal($"Cannot export FusedBatchNormGradV3 \"{dx.op.name}\" to ONNX: the rank of its x is unknown.", e.RawMessage);
    }
}
