using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// ONNX NonMaxSuppression, imported, gives ONNX Runtime's (batch, class, box) rows: several batches and classes,
/// corner and center boxes, the score threshold, an absent, a zero and a huge max_output_boxes_per_class; the
/// refusals name the node and what is missing.
/// </summary>
public sealed class OnnxNonMaxSuppressionTests
{
    private static NDArray Floats(float[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    // Two batches of five boxes: overlapping pairs, a flipped box, one far away; a score tie in each class.
    private static readonly NDArray Corners = Floats(
    [
        0f, 0f, 1f, 1f, 0f, 0.1f, 1f, 1.1f, 1f, 1f, 0f, 0f, 0f, 10f, 1f, 11f, 0.5f, 0.5f, 1.5f, 1.5f,
        0f, 0f, 2f, 2f, 0f, 0f, 2f, 1.9f, 5f, 5f, 6f, 6f, 5.2f, 5.1f, 6.1f, 6f, 0f, 1f, 2f, 3f,
    ], 2, 5, 4);

    private static readonly NDArray Scores = Floats(
    [
        0.9f, 0.8f, 0.7f, 0.6f, 0.9f, 0.1f, 0.3f, 0.5f, 0.5f, 0.2f,
        0.4f, 0.95f, 0.3f, 0.6f, 0.6f, 0.7f, 0.7f, 0.05f, 0.8f, 0.1f,
    ], 2, 2, 5);

    private static NDArray One(float v) => Floats([v], 1);

    [Fact]
    public void EveryBatchAndClassKeepsONNXRuntimesBoxes()
    {
        // ONNX Runtime drops only IoUs above the threshold: at 0 (disjoint boxes stay), at 0.95 (exactly the IoU of
        // boxes 0 and 1 of the second batch) and at 1 (box 2 of the first batch is box 0 flipped, an IoU of 1).
        foreach (var iou in new[] { 0f, 0.3f, 0.5f, 0.95f, 1f })
            Agrees("NonMaxSuppression", 11, [], [Corners, Scores, L(3), Const(One(iou))], dynamicBatch: false);
        Agrees("NonMaxSuppression", 11, [], [Corners, Scores, L(10), Const(One(0.5f)), Const(One(0.45f))], dynamicBatch: false);
        Agrees("NonMaxSuppression", 10, [], [Corners, Scores, Const(L(2)), Const(One(0.2f)), Const(One(0.5f))], dynamicBatch: false);
        // A huge max keeps every box that survives; an absent or zero one none.
        Agrees("NonMaxSuppression", 11, [], [Corners, Scores, L(1L << 40), Const(One(0.6f))], dynamicBatch: false);
        Agrees("NonMaxSuppression", 11, [], [Corners, Scores], dynamicBatch: false);
        Agrees("NonMaxSuppression", 11, [], [Corners, Scores, L(0), Const(One(0.6f))], dynamicBatch: false);
    }

    [Fact]
    public void CenterPointBoxesAgree()
    {
        // [x_center, y_center, width, height]: the same layout of overlaps.
        var centers = Floats(
        [
            0.5f, 0.5f, 1f, 1f, 0.5f, 0.6f, 1f, 1f, 0.5f, 0.4f, 1f, 1f, 0.5f, 10.5f, 1f, 1f, 0.5f, 10.6f, 1f, 1f,
            1f, 1f, 2f, 2f, 1f, 1.2f, 2f, 2.4f, 5f, 5f, 1f, 1f, 5.3f, 5.1f, 1f, 1.2f, 0f, 0f, 0.5f, 0.5f,
        ], 2, 5, 4);
        foreach (var iou in new[] { 0.1f, 0.4f, 0.7f })
            Agrees("NonMaxSuppression", 11, [("center_point_box", 1)], [centers, Scores, L(4), Const(One(iou)), Const(One(0.15f))], dynamicBatch: false);
    }

    [Fact]
    public void UnknownCountsAndComputedThresholdsAreRefused()
    {
        var model = Model("NonMaxSuppression", 11, [], [Corners, Scores, L(3), Const(One(0.5f))], 1);
        using (var g = TestGraph.Enter())
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model, "nms.onnx").Import(new OnnxImportOptions { DynamicBatch = true }));
            Assert.Equal("nms.onnx: node 'NonMaxSuppression_0' (NonMaxSuppression) uses scores whose batch or class count is unknown at import (the batches and classes are unrolled), which SharpFlow.Onnx does not support.", e.RawMessage);
        }
        model = Model("NonMaxSuppression", 11, [], [Corners, Scores, L(3), One(0.5f)], 1);
        using (var g = TestGraph.Enter())
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model, "nms.onnx").Import(new OnnxImportOptions { DynamicBatch = false }));
            Assert.Equal("nms.onnx: node 'NonMaxSuppression_0' (NonMaxSuppression) uses a computed input 'iou_threshold' (it must be an initializer or a Constant), which SharpFlow.Onnx does not support.", e.RawMessage);
        }
    }

    [Fact]
    public void InconsistentOperandsAreInvalidNamingTheNode()
    {
        static string Message(byte[] model)
        {
            using var g = TestGraph.Enter();
            return Assert.Throws<InvalidArgumentError>(() => OnnxModel.Parse(model, "nms.onnx").Import(new OnnxImportOptions { DynamicBatch = false })).RawMessage;
        }
        Assert.Equal("nms.onnx: node 'NonMaxSuppression_0' (NonMaxSuppression): its boxes have rank 2, not 3.",
            Message(Model("NonMaxSuppression", 11, [], [Floats(new float[8], 2, 4), Scores], 1)));
        Assert.Equal("nms.onnx: node 'NonMaxSuppression_0' (NonMaxSuppression): its scores have rank 2, not 3.",
            Message(Model("NonMaxSuppression", 11, [], [Corners, Floats(new float[10], 2, 5)], 1)));
        Assert.Equal("nms.onnx: node 'NonMaxSuppression_0' (NonMaxSuppression): center_point_box is 2, not 0 or 1.",
            Message(Model("NonMaxSuppression", 11, [("center_point_box", 2)], [Corners, Scores], 1)));
        Assert.Equal("nms.onnx: node 'NonMaxSuppression_0' (NonMaxSuppression): its iou_threshold holds 2 values, not 1.",
            Message(Model("NonMaxSuppression", 11, [], [Corners, Scores, L(3), Const(Floats([0.5f, 0.6f], 2))], 1)));
    }
}
