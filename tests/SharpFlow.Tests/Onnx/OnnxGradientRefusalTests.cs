using SharpFlow.Onnx;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The gradient ops' exports refuse what their ONNX forms cannot express, each naming the op, the node and the
/// reason: unknown ranks or sizes their constructions need, a filter of unknown shape, a read placeholder output.
/// </summary>
public sealed class OnnxGradientRefusalTests
{
    private static UnimplementedError Refusal(Session sess, Tensor[] inputs, Tensor output, int opset = 13) =>
        Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, inputs.ToDictionary(t => t.op.name, t => t), new Dictionary<string, Tensor> { ["y"] = output }, opset));

    [Fact]
    public void LrnGradOfUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var (x, y, dy) = (tf.placeholder(tf.float32, name: "x"), tf.placeholder(tf.float32, name: "y"), tf.placeholder(tf.float32, name: "dy"));
        var dx = LRNGrad.Build(dy, x, y, 2, 1f, 1f, 0.5f, name: "lrn_grad");
        using var sess = tf.Session();
        Assert.Equal("Cannot export LRNGrad \"lrn_grad\" to ONNX: the rank of its input_image is unknown.", Refusal(sess, [x, y, dy], dx).RawMessage);
    }

    [Fact]
    public void ConcatOffsetOfShapesOfUnknownLengthIsRefused()
    {
        using var g = TestGraph.Enter();
        var (a, b) = (tf.placeholder(tf.int32, name: "a"), tf.placeholder(tf.int32, name: "b"));
        var offsets = ConcatOffset.Build(tf.constant(0), [a, b]);
        using var sess = tf.Session();
        Assert.Equal($"Cannot export ConcatOffset \"{offsets[1].op.name}\" to ONNX: the length of its shapes is unknown.", Refusal(sess, [a, b], offsets[1]).RawMessage);
    }

    [Fact]
    public void SparseSegmentMeanGradOfUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var grad = tf.placeholder(tf.float32, name: "grad");
        var dx = SparseSegmentMeanGrad.Build(grad, tf.constant(new[] { 0, 1 }), tf.constant(new[] { 0, 0 }), tf.constant(3), name: "ssm_grad");
        using var sess = tf.Session();
        Assert.Equal("Cannot export SparseSegmentMeanGrad \"ssm_grad\" to ONNX: the rank of its grad is unknown.", Refusal(sess, [grad], dx, 16).RawMessage);
    }

    [Fact]
    public void AReadPlaceholderOutputOfFusedBatchNormGradIsRefused()
    {
        using var g = TestGraph.Enter();
        var (x, dy) = (tf.placeholder(tf.float32, new Shape(-1, 2, 2, 3), name: "x"), tf.placeholder(tf.float32, new Shape(-1, 2, 2, 3), name: "dy"));
        var (y, _, _) = tf.nn.fused_batch_norm(x, tf.constant(Uniform(1, 0.5, 2, 3)), tf.constant(F(2, 3)), tf.constant(F(3, 3)), tf.constant(Uniform(4, 0.5, 2, 3)), is_training: false);
        var grad = tf.gradients(y, x, grad_ys: dy)[0]!.op;
        using var sess = tf.Session();
        Assert.Equal($"Cannot export FusedBatchNormGradV3 \"{grad.name}\" to ONNX: its placeholder output reserve_space_4 is read.", Refusal(sess, [x, dy], grad.outputs[3]).RawMessage);
    }

    [Fact]
    public void ResizeNearestNeighborGradOfUnknownSizesIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 3, 2), name: "x");
        var resized = tf.image.resize_nearest_neighbor(x, new[] { 6, 6 });
        var dy = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 2), name: "dy");
        var dx = tf.gradients(resized, x, grad_ys: dy)[0]!;
        Assert.Equal("ResizeNearestNeighborGrad", dx.op.type);
        using var sess = tf.Session();
        Assert.Equal($"Cannot export ResizeNearestNeighborGrad \"{dx.op.name}\" to ONNX: the spatial sizes of its grads are unknown ((?, ?, ?, 2)); its matrices need them.", Refusal(sess, [x, dy], dx).RawMessage);
    }

    [Fact]
    public void DepthwiseBackpropInputWithAFilterOfUnknownShapeIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 5, 3), name: "x");
        var filter = tf.placeholder(tf.float32, name: "filter");
        var y = tf.nn.depthwise_conv2d(x, filter, [1, 1, 1, 1], "SAME");
        var dy = tf.placeholder(tf.float32, new Shape(-1, 5, 5, -1), name: "dy");
        var dx = tf.gradients(y, x, grad_ys: dy)[0]!;
        Assert.Equal("DepthwiseConv2dNativeBackpropInput", dx.op.type);
        using var sess = tf.Session();
        Assert.Equal($"Cannot export DepthwiseConv2dNativeBackpropInput \"{dx.op.name}\" to ONNX: its filter's shape <unknown> is not fully known.", Refusal(sess, [x, filter, dy], dx).RawMessage);
    }
}
