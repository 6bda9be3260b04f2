using SharpFlow.Onnx;
using SharpFlow.Ops.Image;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The export of TensorFlow 1.15 ops added late: AdjustContrastv2 as ReduceMean and element-wise arithmetic,
/// NonMaxSuppressionV4 and V5 (greedy) as NonMaxSuppression padded with Pad, V5's Soft-NMS refused, MatrixSetDiag
/// as Where of the diagonal mask. Each
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
        Assert.Equal((x[0] - mean) * 1.7 + mean, ours[0].ToArray<float>()[0], 1e-5);
        Assert.Equal(tf.float16, ours[1].dtype);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void NonMaxSuppressionV4AndV5AsNonMaxSuppressionPadded(int opset)
    {
        using var g = TestGraph.Enter();
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var scores = tf.placeholder(tf.float32, new Shape(-1), name: "scores");
        var max = tf.placeholder(tf.int32, Shape.Scalar, name: "max");
        var (padded, validPadded) = tf.image.non_max_suppression_padded(boxes, scores, max, 0.5f, 0.4f, pad_to_max_output_size: true);
        var (plain, valid) = tf.image.non_max_suppression_padded(boxes, scores, max, 0.5f);
        var (v5, v5Scores, v5Valid) = NonMaxSuppressionV5.Build(boxes, scores, 6, 0.5f, float.NegativeInfinity, 0f, padToMaxOutputSize: true);
        var (withScores, selectedScores) = tf.image.non_max_suppression_with_scores(boxes, scores, max, 0.5f);
        Tensor[] ys = [padded, validPadded, plain, valid, v5, v5Scores, v5Valid, withScores, selectedScores];
        using var sess = tf.Session();
        // TensorFlow's test boxes (the second given by its other two corners), and a box equal in score to the first.
        var corners = NDArray.FromFlat(new[] { 0f, 0f, 1f, 1f, 1f, 1.1f, 0f, 0.1f, 0f, -0.1f, 1f, 0.9f, 0f, 10f, 1f, 11f, 0f, 10.1f, 1f, 11.1f, 0f, 100f, 1f, 101f, 5f, 5f, 6f, 6f }, new Shape(7, 4));
        var values = NDArray.FromFlat(new[] { 0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f, 0.9f }, new Shape(7));
        var ours = ExportAgrees(sess, In(boxes, scores, max), ys, [("boxes", corners), ("scores", values), ("max", NDArray.Scalar(5))], opset, reimport: false);
        Assert.Equal(new[] { 3, 0, 6, 0, 0 }, ours[0].ToArray<int>());
        Assert.Equal(3, ours[1].ToArray<int>()[0]);
        Assert.Equal(new[] { 3, 0, 6, 5 }, ours[2].ToArray<int>());
        Assert.Equal(4, ours[3].ToArray<int>()[0]);
        Assert.Equal(new[] { 3, 0, 6, 5, 0, 0 }, ours[4].ToArray<int>());
        Assert.Equal(new[] { 0.95f, 0.9f, 0.9f, 0.3f, 0f, 0f }, ours[5].ToArray<float>());
        Assert.Equal(new[] { 0.95f, 0.9f, 0.9f, 0.3f }, ours[8].ToArray<float>());
        ours = ExportAgrees(sess, In(boxes, scores, max), ys, [("boxes", corners), ("scores", values), ("max", NDArray.Scalar(0))], opset, reimport: false);
        Assert.Empty(ours[0].ToArray<int>());
        Assert.Equal(0, ours[1].ToArray<int>()[0]);
    }

    [Fact]
    public void SoftNmsAndARunTimeSigmaAreRefusedWithTheirReasons()
    {
        using var g = TestGraph.Enter();
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var scores = tf.placeholder(tf.float32, new Shape(-1), name: "scores");
        var sigma = tf.placeholder(tf.float32, Shape.Scalar, name: "sigma");
        var (soft, _) = tf.image.non_max_suppression_with_scores(boxes, scores, 4, 0.5f, soft_nms_sigma: 0.5f);
        var (fed, _, _) = NonMaxSuppressionV5.Build(boxes, scores, 4, 0.5f, 0f, sigma);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(boxes, scores), new Dictionary<string, Tensor> { ["y"] = soft }, 17));
        Assert.Equal($"Cannot export NonMaxSuppressionV5 \"{soft.op.name}\" to ONNX: its soft_nms_sigma is 0.5: ONNX NonMaxSuppression has no Soft-NMS (which decays the scores " +
            "of overlapping boxes instead of dropping them); only soft_nms_sigma 0 (greedy suppression) exports.", e.RawMessage);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(boxes, scores, sigma), new Dictionary<string, Tensor> { ["y"] = fed }, 13));
        Assert.Equal($"Cannot export NonMaxSuppressionV5 \"{fed.op.name}\" to ONNX: its soft_nms_sigma depends on the inputs.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void MatrixSetDiagAsWhereOfTheDiagonalMask(int opset)
    {
        using var g = TestGraph.Enter();
        var wide = tf.placeholder(tf.float32, new Shape(-1, 3, 4), name: "wide");
        var tall = tf.placeholder(tf.float32, new Shape(4, 2), name: "tall");
        var d = tf.placeholder(tf.float32, new Shape(-1, 3), name: "d");
        Tensor[] ys = [tf.linalg.set_diag(wide, d), tf.linalg.set_diag(tall, new[] { 7f, 8f }), tf.linalg.set_diag(tf.reshape(wide, new[] { -1, 4, 3 }), tf.reshape(d, new[] { -1, 3 }))];
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(wide, tall, d), ys, [("wide", F(1, 2, 3, 4)), ("tall", F(2, 4, 2)), ("d", F(3, 2, 3))], opset);
        Assert.Equal(new[] { 7f, 8f }, new[] { ours[1].ToArray<float>()[0], ours[1].ToArray<float>()[3] });
        var any = tf.placeholder(tf.float32, new Shape(-1, -1), name: "any");
        var unknown = tf.linalg.set_diag(any, tf.zeros(new Shape(2)));
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(any), new Dictionary<string, Tensor> { ["y"] = unknown }, opset));
        Assert.StartsWith($"Cannot export MatrixSetDiag \"{unknown.op.name}\" to ONNX: the last two dimensions of its input are unknown", e.RawMessage);
    }
}
