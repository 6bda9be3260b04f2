using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// SegmentProd (an empty segment 1, as TensorFlow's kernel) and SparseSegmentSum, SparseSegmentMean and
/// SparseSegmentSqrtN (Gather of the rows, then the sorted segment reductions; an empty segment 0) exported with
/// ScatterND's reductions (opset 16): each graph runs in ONNX Runtime against SharpFlow's own run, itself checked
/// against plain values, at opsets 16 and 17, and imported back into SharpFlow; the refusal names the op and the reason.
/// </summary>
public sealed class OnnxSparseSegmentExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    public void SegmentProdGivesOneForAnEmptySegment(int opset)
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2), name: "data");
        var wide = tf.placeholder(tf.float64, new Shape(-1), name: "wide");
        var ids = tf.placeholder(tf.int32, new Shape(-1), name: "ids");
        Tensor[] ys = [tf.segment_prod(data, ids), tf.segment_prod(wide, ids)];
        Assert.All(ys, y => Assert.Equal("SegmentProd", y.op.type));
        using var sess = tf.Session();
        var d = new[] { 2f, -1f, 0.5f, 3f, -2f, 4f, 1.5f, 0f, -0.5f, 2f, 3f, -1f };
        var w = new[] { 1.5, -2.0, 0.25, 4.0, -1.0, 3.0 };
        var feed = new (string, NDArray)[] { ("data", NDArray.FromFlat(d, new Shape(6, 2))), ("wide", NDArray.FromFlat(w, new Shape(6))), ("ids", NDArray.FromFlat(new[] { 0, 0, 1, 3, 3, 3 }, new Shape(6))) };
        var ours = ExportAgrees(sess, In(data, wide, ids), ys, feed, opset);
        // Segment 2 names no row: 1 in every column.
        Assert.Equal(new[] { 1f, -3f, -2f, 4f, 1f, 1f, -2.25f, 0f }, ours[0].ToArray<float>());
        Assert.Equal(new[] { -3.0, 0.25, 1.0, -12.0 }, ours[1].ToArray<double>());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    public void SparseSegmentReductionsGatherTheRowsThenReduce(int opset)
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2), name: "data");
        var wide = tf.placeholder(tf.float64, new Shape(-1, 2), name: "wide");
        var counts = tf.placeholder(tf.int32, new Shape(-1, 2), name: "counts");
        var indices = tf.placeholder(tf.int32, new Shape(-1), name: "indices");
        var longIndices = tf.placeholder(tf.int64, new Shape(-1), name: "long_indices");
        var ids = tf.placeholder(tf.int32, new Shape(-1), name: "ids");
        Tensor[] ys =
        [
            tf.sparse_segment_sum(data, indices, ids), tf.sparse_segment_mean(data, indices, ids), tf.sparse_segment_sqrt_n(data, indices, ids),
            tf.sparse_segment_mean(wide, longIndices, ids), tf.sparse_segment_sqrt_n(wide, indices, ids), tf.sparse_segment_sum(counts, longIndices, ids),
        ];
        Assert.Equal(new[] { "SparseSegmentSum", "SparseSegmentMean", "SparseSegmentSqrtN", "SparseSegmentMean", "SparseSegmentSqrtN", "SparseSegmentSum" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var d = new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f };
        var rowIndices = new[] { 2, 0, 4, 2, 1 };
        var feed = new (string, NDArray)[]
        {
            ("data", NDArray.FromFlat(d, new Shape(5, 2))), ("wide", NDArray.FromFlat(d.Select(v => (double)v).ToArray(), new Shape(5, 2))),
            ("counts", NDArray.FromFlat(d.Select(v => (int)v).ToArray(), new Shape(5, 2))), ("indices", NDArray.FromFlat(rowIndices, new Shape(5))),
            ("long_indices", NDArray.FromFlat(rowIndices.Select(i => (long)i).ToArray(), new Shape(5))), ("ids", NDArray.FromFlat(new[] { 0, 0, 2, 3, 3 }, new Shape(5))),
        };
        var ours = ExportAgrees(sess, In(data, wide, counts, indices, longIndices, ids), ys, feed, opset);
        // Segment 0: rows 2 and 0; segment 1 empty (0); segment 2: row 4; segment 3: rows 2 and 1.
        Assert.Equal(new[] { 6f, 8f, 0f, 0f, 9f, 10f, 8f, 10f }, ours[0].ToArray<float>());
        Assert.Equal(new[] { 3f, 4f, 0f, 0f, 9f, 10f, 4f, 5f }, ours[1].ToArray<float>());
        var r = MathF.Sqrt(2);
        Same(NDArray.FromFlat(new[] { 6 / r, 8 / r, 0f, 0f, 9f, 10f, 8 / r, 10 / r }, new Shape(4, 2)), ours[2], "SparseSegmentSqrtN", 1e-6);
        Assert.Equal(new[] { 3.0, 4, 0, 0, 9, 10, 4, 5 }, ours[3].ToArray<double>());
        Assert.Equal(new[] { 6, 8, 0, 0, 9, 10, 8, 10 }, ours[5].ToArray<int>());
    }

    [Fact]
    public void AnIndexOutOfRangeFailsInOnnxRuntimeAsInTensorFlow()
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2), name: "data");
        var indices = tf.placeholder(tf.int32, new Shape(-1), name: "indices");
        var ids = tf.placeholder(tf.int32, new Shape(-1), name: "ids");
        var y = tf.sparse_segment_sum(data, indices, ids);
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, In(data, indices, ids), new Dictionary<string, Tensor> { ["y"] = y }, 16).ToByteArray();
        var rows = F(9, 3, 2);
        var segments = NDArray.FromFlat(new[] { 0, 1 }, new Shape(2));
        var ok = RunOnnxRuntime(model, [("data", rows), ("indices", NDArray.FromFlat(new[] { 2, 0 }, new Shape(2))), ("ids", segments)], ["y"]);
        Assert.Equal(rows.ToArray<float>()[4..6].Concat(rows.ToArray<float>()[..2]), ok[0].ToArray<float>());
        // TensorFlow's kernel fails on -1 and on 3 (out of [0, 3)); ONNX would read -1 as the last row.
        foreach (var bad in new[] { -1, 3 })
            Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model, [("data", rows), ("indices", NDArray.FromFlat(new[] { 0, bad }, new Shape(2))), ("ids", segments)], ["y"]));
    }

    [Fact]
    public void ASparseSegmentReductionOfUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, name: "data");
        var indices = tf.placeholder(tf.int32, new Shape(-1), name: "indices");
        var y = tf.sparse_segment_mean(data, indices, indices, name: "ssm");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(data, indices), new Dictionary<string, Tensor> { ["y"] = y }, 16));
        Assert.Equal("Cannot export SparseSegmentMean \"ssm\" to ONNX: the rank of its data or segment_ids is unknown.", e.RawMessage);
    }
}
