using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The op types ONNX expresses through composed operators, exported: Log1p, Expm1, Erfc, IsInf, IsFinite, Atan2,
/// DivNoNan, All, Any, L2Loss, the softmax cross entropies, MatrixBandPart, InTopKV2, ReverseV2, ReverseSequence,
/// SpaceToBatchND, BatchToSpaceND, the one-input Where, Unique, ScatterNd, ResizeBicubic and MaxPoolWithArgmax.
/// Each graph runs in ONNX Runtime and, re-imported, in SharpFlow with SharpFlow's own
/// values, at opsets 13 and 17; the refusals name the op and the reason.
/// </summary>
public sealed class OnnxComposedExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static NDArray Floats(float[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void Log1pExpm1ErfcAndTheFloatClassesAgree(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        Tensor[] ys = [tf.log1p(x), tf.expm1(x), tf.erfc(x), tf.is_inf(x), tf.is_finite(x)];
        Assert.Equal(new[] { "Log1p", "Expm1", "Erfc", "IsInf", "IsFinite" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var value = Floats([0.5f, -0.25f, 1e-3f, 2f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f], 2, 4);
        var ours = ExportAgrees(sess, In(x), ys, [("x", value)], opset, tolerance: 1e-5);
        Assert.Equal(new[] { false, false, false, false, true, true, false, false }, ours[3].ToArray<bool>());
        Assert.Equal(new[] { true, true, true, true, false, false, false, true }, ours[4].ToArray<bool>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void Atan2KeepsEveryQuadrantAndTheAxes(int opset)
    {
        using var g = TestGraph.Enter();
        var y = tf.placeholder(tf.float32, new Shape(-1), name: "y");
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        var angle = tf.atan2(y, x);
        Assert.Equal("Atan2", angle.op.type);
        using var sess = tf.Session();
        var ys = Floats([1f, 1f, -1f, -1f, 1f, -1f, 0f, 0f, 2f, 0f], 10);
        var xs = Floats([1f, -1f, -1f, 1f, 0f, 0f, 1f, -1f, -0.5f, 0f], 10);
        var ours = ExportAgrees(sess, In(y, x), [angle], [("y", ys), ("x", xs)], opset, tolerance: 1e-6);
        var expected = ys.ToArray<float>().Zip(xs.ToArray<float>(), (a, b) => MathF.Atan2(a, b)).ToArray();
        Assert.Equal(expected, ours[0].ToArray<float>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void DivNoNanGivesZeroWhereTheDivisorIsZero(int opset)
    {
        using var g = TestGraph.Enter();
        var a = tf.placeholder(tf.float32, new Shape(-1, 3), name: "a");
        var b = tf.placeholder(tf.float32, new Shape(3), name: "b");
        var q = tf.div_no_nan(a, b);
        Assert.Equal("DivNoNan", q.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(a, b), [q], [("a", Floats([1f, 0f, 3f, 4f, float.NaN, -6f], 2, 3)), ("b", Floats([2f, 0f, 0f], 3))], opset);
        Assert.Equal(new[] { 0.5f, 0f, 0f, 2f, 0f, 0f }, ours[0].ToArray<float>());
    }

    [Theory]
    [InlineData(13, false)]
    [InlineData(17, true)]
    public void AllAndAnyReduceBooleans(int opset, bool keepdims)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.@bool, new Shape(-1, 3), name: "x");
        Tensor[] ys = [tf.reduce_all(x, 1, keepdims), tf.reduce_any(x, 1, keepdims), tf.reduce_all(x, new[] { 0, 1 }), tf.reduce_any(x, 0), tf.reduce_all(x, Array.Empty<int>())];
        Assert.Equal(new[] { "All", "Any", "All", "Any", "All" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var value = NDArray.FromFlat(new[] { true, true, true, false, true, false, false, false, false }, new Shape(3, 3));
        var ours = ExportAgrees(sess, In(x), ys, [("x", value)], opset);
        Assert.Equal(new[] { true, false, false }, ours[0].ToArray<bool>());
        Assert.Equal(new[] { true, true, false }, ours[1].ToArray<bool>());
        Assert.False(ours[2].ToArray<bool>()[0]);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void L2LossIsHalfTheSumOfSquares(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var loss = tf.nn.l2_loss(x);
        Assert.Equal("L2Loss", loss.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), [loss], [("x", Floats([1f, 2f, 3f, -1f, 0f, 2f], 2, 3))], opset, tolerance: 1e-6);
        Assert.Equal(9.5f, ours[0].ToArray<float>()[0]);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SoftmaxCrossEntropyGivesItsLossAndTheBackpropWhenRead(int opset)
    {
        using var g = TestGraph.Enter();
        var logits = tf.placeholder(tf.float32, new Shape(-1, 4), name: "logits");
        var labels = tf.placeholder(tf.float32, new Shape(-1, 4), name: "labels");
        var ids = tf.placeholder(tf.int32, new Shape(-1), name: "ids");
        var loss = tf.nn.softmax_cross_entropy_with_logits(labels, logits);
        var sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(ids, logits);
        Assert.Equal("SoftmaxCrossEntropyWithLogits", loss.op.type);
        Assert.Equal("SparseSoftmaxCrossEntropyWithLogits", sparse.op.type);
        using var sess = tf.Session();
        var soft = Uniform(3, 0, 1, 3, 4);
        (string, NDArray)[] feed = [("logits", F(1, 3, 4)), ("labels", soft), ("ids", NDArray.FromFlat(new[] { 2, 0, 3 }, new Shape(3)))];
        // The losses alone: the backprops are not read, so not exported.
        var lossesOnly = OnnxModel.Export(sess, In(logits, labels, ids), new Dictionary<string, Tensor> { ["a"] = loss, ["b"] = sparse }, opset);
        Assert.DoesNotContain(lossesOnly.Proto.Graph.Node, n => n.OpType == "Softmax");
        ExportAgrees(sess, In(logits, labels, ids), [loss, sparse, loss.op.outputs[1], sparse.op.outputs[1]], feed, opset, tolerance: 1e-5);
        // The backprop read by an op the outputs need.
        ExportAgrees(sess, In(logits, labels, ids), [loss.op.outputs[1] * 2f, sparse.op.outputs[1] + 1f], feed, opset, tolerance: 1e-5);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void MatrixBandPartKeepsTheBand(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 4), name: "x");
        var lower = tf.placeholder(tf.int64, Shape.Scalar, name: "lower");
        Tensor[] ys = [tf.linalg.band_part(x, 1, 0), tf.linalg.band_part(x, -1, 1), tf.linalg.band_part(x, 0, -1), tf.linalg.band_part(x, lower, 2L)];
        Assert.All(ys, y => Assert.Equal("MatrixBandPart", y.op.type));
        using var sess = tf.Session();
        var value = F(2, 2, 3, 4);
        var ours = ExportAgrees(sess, In(x, lower), ys, [("x", value), ("lower", NDArray.Scalar(-1L))], opset);
        var v = value.ToArray<float>();
        var band = ours[0].ToArray<float>();
        for (var k = 0; k < v.Length; k++)
        {
            var (i, j) = (k / 4 % 3, k % 4);
            Assert.Equal(i - j is >= 0 and <= 1 ? v[k] : 0f, band[k]);
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void InTopKCountsTiesInAndRefusesOutOfRangeAndNonFinite(int opset)
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.float32, new Shape(-1, 4), name: "p");
        var t = tf.placeholder(tf.int32, new Shape(-1), name: "t");
        var k = tf.placeholder(tf.int32, Shape.Scalar, name: "k");
        var hit = tf.nn.in_top_k(p, t, k);
        Assert.Equal("InTopKV2", hit.op.type);
        using var sess = tf.Session();
        var predictions = Floats([0.1f, 0.5f, 0.5f, 0.2f, 0.9f, 0.1f, 0.3f, 0.2f, 0.3f, float.NaN, 0.1f, 0.2f, 0.4f, 0.3f, 0.2f, 0.1f, 0.1f, 0.2f, 0.3f, 0.4f], 5, 4);
        var ours = ExportAgrees(sess, In(p, t, k), [hit], [("p", predictions), ("t", NDArray.FromFlat(new[] { 2, 2, 0, 4, -1 }, new Shape(5))), ("k", NDArray.Scalar(1))], opset);
        Assert.Equal(new[] { true, false, false, false, false }, ours[0].ToArray<bool>());
        ExportAgrees(sess, In(p, t, k), [hit], [("p", predictions), ("t", NDArray.FromFlat(new[] { 3, 2, 0, 0, 3 }, new Shape(5))), ("k", NDArray.Scalar(2))], opset);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ReverseV2ReversesTheGivenAxes(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.int32, new Shape(-1, 3, 4), name: "x");
        Tensor[] ys = [tf.reverse(x, new[] { 1 }), tf.reverse(x, new[] { 0, -1 }), tf.reverse(x, Array.Empty<int>())];
        Assert.All(ys, y => Assert.Equal("ReverseV2", y.op.type));
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), ys, [("x", NDArray.FromFlat(Enumerable.Range(0, 24).ToArray(), new Shape(2, 3, 4)))], opset);
        Assert.Equal(new[] { 8, 9, 10, 11 }, ours[0].ToArray<int>()[..4]);
        Assert.Equal(new[] { 15, 14, 13, 12 }, ours[1].ToArray<int>()[..4]);
    }

    [Theory]
    [InlineData(13, 1, 0)]
    [InlineData(17, 0, 1)]
    [InlineData(13, 2, 1)]
    [InlineData(17, 1, 2)]
    public void ReverseSequenceReversesEachPrefix(int opset, int seqAxis, int batchAxis)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 3, 3), name: "x");
        var lengths = tf.placeholder(tf.int64, new Shape(3), name: "lengths");
        var y = tf.reverse_sequence(x, lengths, seq_axis: seqAxis, batch_axis: batchAxis);
        Assert.Equal("ReverseSequence", y.op.type);
        using var sess = tf.Session();
        ExportAgrees(sess, In(x, lengths), [y], [("x", F(4, 3, 3, 3)), ("lengths", NDArray.FromFlat(new long[] { 1, 3, 2 }, new Shape(3)))], opset);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SpaceToBatchAndBackRoundTrip(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 4, 2), name: "x");
        var toBatch = tf.space_to_batch_nd(x, new[] { 2, 2 }, new[,] { { 1, 0 }, { 1, 1 } });
        var back = tf.batch_to_space_nd(toBatch, new[] { 2, 2 }, new[,] { { 1, 0 }, { 1, 1 } });
        var cropped = tf.batch_to_space_nd(toBatch, new[] { 2, 1 }, new[,] { { 0, 1 }, { 2, 0 } });
        Assert.Equal("SpaceToBatchND", toBatch.op.type);
        Assert.Equal("BatchToSpaceND", back.op.type);
        using var sess = tf.Session();
        var value = F(5, 2, 3, 4, 2);
        var ours = ExportAgrees(sess, In(x), [toBatch, back, cropped], [("x", value)], opset);
        Assert.Equal(new[] { 8, 2, 3, 2 }, ours[0].shape.Dims);
        Assert.Equal(value.ToArray<float>(), ours[1].ToArray<float>());
    }

    [Fact]
    public void SpaceToBatchOfAnUnknownSpatialShapeIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, 4, 2), name: "x");
        var toBatch = tf.space_to_batch_nd(x, new[] { 2, 2 }, new[,] { { 0, 0 }, { 0, 0 } });
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = toBatch }));
        Assert.Equal($"Cannot export SpaceToBatchND \"{toBatch.op.name}\" to ONNX: its input's shape (?, ?, 4, 2) is not known beyond the batch dimension.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void WhereAndUniqueGiveTensorFlowsOrder(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var v = tf.placeholder(tf.int32, new Shape(-1), name: "v");
        var coordinates = tf.where(tf.greater(x, 0f));
        var (unique, idx) = tf.unique(v);
        var (unique64, idx64) = tf.unique(v, out_idx: tf.int64);
        Assert.Equal("Where", coordinates.op.type);
        Assert.Equal("Unique", unique.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x, v), [coordinates, unique, idx, unique64, idx64],
            [("x", F(6, 4, 3)), ("v", NDArray.FromFlat(new[] { 4, 1, 4, 7, 1, 1, 9 }, new Shape(7)))], opset);
        Assert.Equal(new[] { 4, 1, 7, 9 }, ours[1].ToArray<int>());
        Assert.Equal(new[] { 0, 1, 0, 2, 1, 1, 3 }, ours[2].ToArray<int>());
    }

    [Fact]
    public void ScatterNdSumsRepeatedIndicesFromOpset16()
    {
        using var g = TestGraph.Enter();
        var indices = tf.placeholder(tf.int32, new Shape(-1, 1), name: "indices");
        var updates = tf.placeholder(tf.float32, new Shape(-1, 3), name: "updates");
        var scattered = tf.scatter_nd(indices, updates, new[] { 5, 3 });
        Assert.Equal("ScatterNd", scattered.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(indices, updates), [scattered], [("indices", NDArray.FromFlat(new[] { 3, 0, 3 }, new Shape(3, 1))), ("updates", F(7, 3, 3))], 17);
        var u = F(7, 3, 3).ToArray<float>();
        Assert.Equal(u[0] + u[6], ours[0].ToArray<float>()[9], 1e-6);
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(indices, updates), new Dictionary<string, Tensor> { ["y"] = scattered }, 13));
        Assert.Equal($"Cannot export ScatterNd \"{scattered.op.name}\" to ONNX at opset 13: its mapping needs opset 16.", e.RawMessage);
    }

    [Theory]
    [InlineData(13, false, false, 7, 8)]
    [InlineData(17, false, true, 7, 8)]
    [InlineData(13, true, false, 6, 9)]
    [InlineData(17, false, false, 4, 10)]
    public void ResizeBicubicUsesTensorFlowsCoefficients(int opset, bool alignCorners, bool halfPixel, int height, int width)
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(2, 4, 5, 2), name: "images");
        var resized = tf.image.resize_bicubic(images, new[] { height, width }, align_corners: alignCorners, half_pixel_centers: halfPixel);
        Assert.Equal("ResizeBicubic", resized.op.type);
        using var sess = tf.Session();
        // TensorFlow's kernel reads its weights from a table of 1024 steps; ONNX computes them exactly. (ONNX Runtime
        // 1.31's CPU cubic Resize refuses to shrink an axis once its optimizer has moved the Resize to NHWC.)
        ExportAgrees(sess, In(images), [resized], [("images", F(8, 2, 4, 5, 2))], opset, tolerance: 2e-3, dynamicBatch: false);
    }

    [Theory]
    [InlineData(13, "VALID", false)]
    [InlineData(17, "SAME", true)]
    [InlineData(13, "SAME", false)]
    public void MaxPoolWithArgmaxGivesTensorFlowsFlatIndices(int opset, string padding, bool includeBatch)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 4, 3), name: "x");
        var (pooled, argmax) = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], padding, include_batch_in_index: includeBatch);
        var (_, argmax32) = tf.nn.max_pool_with_argmax(x, [1, 3, 2, 1], [1, 1, 2, 1], padding, Targmax: tf.int32, include_batch_in_index: includeBatch);
        Assert.Equal("MaxPoolWithArgmax", pooled.op.type);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), [pooled, argmax, argmax32], [("x", F(9, 2, 5, 4, 3))], opset);
        if (includeBatch) Assert.Contains(ours[1].ToArray<long>(), i => i >= 5 * 4 * 3);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void AddNBroadcastToAndPadV2Agree(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var v = tf.placeholder(tf.float32, Shape.Scalar, name: "v");
        Tensor[] ys = [tf.add_n(new[] { x, x * 2f, x + 1f }), tf.broadcast_to(tf.reduce_sum(x, 0), new[] { 4, 3 }), tf.pad(x, new[,] { { 1, 0 }, { 0, 2 } }, constant_values: 7f), tf.pad(x, new[,] { { 0, 1 }, { 1, 1 } }, constant_values: v)];
        Assert.Equal(new[] { "AddN", "BroadcastTo", "PadV2", "PadV2" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x, v), ys, [("x", F(10, 2, 3)), ("v", NDArray.Scalar(-3f))], opset, tolerance: 1e-6);
        Assert.Equal(new[] { 3, 5 }, ours[2].shape.Dims);
        Assert.Equal(7f, ours[2].ToArray<float>()[0]);
    }

    [Fact]
    public void ReverseSequenceOverOtherAxesOfAnUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var lengths = tf.placeholder(tf.int64, new Shape(3), name: "lengths");
        var y = tf.reverse_sequence(x, lengths, seq_axis: 2, batch_axis: 0);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x, lengths), new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Equal($"Cannot export ReverseSequence \"{y.op.name}\" to ONNX: batch_dim 0 and seq_dim 2 over an input of unknown rank (ONNX's batch and time axes are 0 and 1).", e.RawMessage);
    }
}
