using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// NonMaxSuppressionV2 and V3 exported at the threshold's boundary: SharpFlow (as TensorFlow's kernel) drops a box
/// whose IoU equals the threshold, ONNX Runtime only above it, so the export hands ONNX the float just below. Integer
/// boxes whose IoUs are exactly 1/2 and 1/3 are kept by ONNX Runtime as by SharpFlow, for a constant threshold and one
/// computed from the input; a threshold of 0 is refused naming the op.
/// </summary>
public sealed class OnnxNonMaxSuppressionExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    // Box 0 [0, 0, 2, 2] (area 4); box 1 [0, 0, 2, 1] lies in it: IoU 2/4 = 1/2; box 2 [0, 1, 2, 3]: IoU 2/6 = 1/3 with
    // box 0, 0 with box 1; box 3 far away.
    private static readonly NDArray Corners = NDArray.FromFlat([0f, 0f, 2f, 2f, 0f, 0f, 2f, 1f, 0f, 1f, 2f, 3f, 10f, 10f, 11f, 11f], new Shape(4, 4));
    private static readonly NDArray Scores = NDArray.FromFlat([0.9f, 0.8f, 0.7f, 0.6f], new Shape(4));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void AnIouEqualToTheThresholdSuppressesInOnnxRuntimeAsInSharpFlow(int opset)
    {
        using var g = TestGraph.Enter();
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var scores = tf.placeholder(tf.float32, new Shape(-1), name: "scores");
        // A threshold computed from the input: the largest coordinate 11 over 22 is exactly 1/2.
        var computed = tf.reduce_max(boxes) / 22f;
        Tensor[] ys =
        [
            tf.image.non_max_suppression(boxes, scores, 10, 0.5f),
            SharpFlow.Ops.Image.NonMaxSuppressionV2.Build(boxes, scores, 10, 0.5f),
            tf.image.non_max_suppression(boxes, scores, 10, 1f / 3f),
            tf.image.non_max_suppression(boxes, scores, 10, 0.5f, 0.65f),
            SharpFlow.Ops.Image.NonMaxSuppressionV3.Build(boxes, scores, 10, computed, float.NegativeInfinity),
            tf.image.non_max_suppression(boxes, scores, 10, 0.51f),
        ];
        using var sess = tf.Session();
        // Not re-imported: SharpFlow.Onnx imports only a constant iou_threshold.
        var ours = ExportAgrees(sess, In(boxes, scores), ys, [("boxes", Corners), ("scores", Scores)], opset, reimport: false);
        // Box 1 (IoU exactly 1/2) dropped at 1/2; box 2 too (IoU exactly 1/3) at 1/3; at 0.51 both stay.
        Assert.Equal(new[] { 0, 2, 3 }, ours[0].ToArray<int>());
        Assert.Equal(new[] { 0, 2, 3 }, ours[1].ToArray<int>());
        Assert.Equal(new[] { 0, 3 }, ours[2].ToArray<int>());
        Assert.Equal(new[] { 0, 2 }, ours[3].ToArray<int>());
        Assert.Equal(new[] { 0, 2, 3 }, ours[4].ToArray<int>());
        Assert.Equal(new[] { 0, 1, 2, 3 }, ours[5].ToArray<int>());
    }

    [Fact]
    public void AZeroThresholdIsRefusedNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var y = tf.image.non_max_suppression(boxes, Scores, 10, 0f, name: "nms_zero");
        using var sess = tf.Session();
        // SharpFlow keeps only the first box (every IoU, 0 included, reaches 0).
        Assert.Equal(new[] { 0 }, sess.run(y, new FeedDict { [boxes] = Corners }).ToArray<int>());
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(boxes), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal("Cannot export NonMaxSuppressionV3 \"nms_zero\" to ONNX: iou_threshold 0 drops every box after the first (an IoU of 0 reaches it), " +
            "while ONNX NonMaxSuppression drops only boxes whose IoU is above the threshold.", e.RawMessage);
    }
}
