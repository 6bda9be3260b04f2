using SharpFlow.Onnx;
using SharpFlow.Ops.Image;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The export of TensorFlow 1.15 ops added late: AdjustContrastv2 as ReduceMean and element-wise arithmetic. Each
/// graph runs in ONNX Runtime against SharpFlow's own run (itself checked against TensorFlow's test values) at
/// opsets 13 and 17.
/// </summary>
public sealed class OnnxNewOpsExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void AdjustContrastv2AsReduceMeanAndArithmetic(int opset)
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, 3, 4, 2), name: "images");
        var factor = tf.placeholder(tf.float32, Shape.Scalar, name: "factor");
        var half = tf.placeholder(tf.float16, new Shape(2, 2, 3), name: "half");
        Tensor[] ys = [tf.image.adjust_contrast(images, factor), tf.image.adjust_contrast(half, 0.5f), AdjustContrastv2.Build(tf.reshape(images, new[] { -1, 2, 3, 4, 2 }), 2f)];
        Assert.Equal(new[] { "AdjustContrastv2", "AdjustContrastv2" }, ys[..2].Select(y => y.op.inputs[0].op.type));
        Assert.Equal("AdjustContrastv2", ys[2].op.type);
        using var sess = tf.Session();
        var pixels = F(3, 2, 3, 4, 2);
        var halfPixels = F(4, 2, 2, 3).Cast(tf.float16);
        var ours = ExportAgrees(sess, In(images, factor, half), ys, [("images", pixels), ("factor", NDArray.Scalar(1.7f)), ("half", halfPixels)], opset, tolerance: 1e-5);
        // SharpFlow's own run against the formula: image 0, channel 0.
        var x = pixels.ToArray<float>();
        var mean = Enumerable.Range(0, 12).Average(p => (double)x[p * 2]);
        Assert.Equal((x[0] - mean) * 1.7 + mean, ours[0].ToArray<float>()[0], 5);
        Assert.Equal(tf.float16, ours[1].dtype);
    }
}
