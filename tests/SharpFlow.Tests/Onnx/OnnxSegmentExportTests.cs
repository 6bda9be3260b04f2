using SharpFlow.Onnx;
using SharpFlow.Ops.ArrayOps;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// PreventGradient, InvertPermutation, LinSpace, MatrixDiag, MatrixDiagPart, UnsortedSegmentSum,
/// UnsortedSegmentProd, SegmentSum and BatchNormWithGlobalNormalization exported: each graph runs in ONNX Runtime
/// and, re-imported, in SharpFlow, both agreeing with SharpFlow's own run (itself checked against plain values), at opsets 13 and 17 or 16 and 17; the
/// refusals name the op and the reason.
/// </summary>
public sealed class OnnxSegmentExportTests
{
    /// <summary>Exports the outputs and runs them in ONNX Runtime and re-imported, each compared with SharpFlow's run.</summary>
    private static NDArray[] Agrees(Session sess, Dictionary<string, Tensor> inputs, Tensor[] outputs, (string Name, NDArray Value)[] feed, int opset, double tolerance = 1e-6) =>
        ExportAgrees(sess, inputs, outputs, feed, opset, tolerance);

    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static NDArray Floats(float[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    private static NDArray Ints(int[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void PreventGradientExportsAsIdentity(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var y = PreventGradient.Build(x * 2f, "no gradient here");
        Assert.Equal("PreventGradient", y.op.type);
        using var sess = tf.Session();
        var ours = Agrees(sess, In(x), [y], [("x", F(1, 2, 3))], opset);
        Assert.Equal(F(1, 2, 3).ToArray<float>().Select(v => v * 2f), ours[0].ToArray<float>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void InvertPermutationInvertsInt32AndInt64Permutations(int opset)
    {
        using var g = TestGraph.Enter();
        var p = tf.placeholder(tf.int32, new Shape(-1), name: "p");
        var q = tf.placeholder(tf.int64, new Shape(-1), name: "q");
        Tensor[] ys = [tf.invert_permutation(p), tf.invert_permutation(q)];
        Assert.All(ys, y => Assert.Equal("InvertPermutation", y.op.type));
        using var sess = tf.Session();
        var ours = Agrees(sess, In(p, q), ys, [("p", Ints([3, 4, 0, 2, 1], 5)), ("q", L(2, 0, 1))], opset);
        Assert.Equal(new[] { 2, 4, 3, 0, 1 }, ours[0].ToArray<int>());
        Assert.Equal(new long[] { 1, 2, 0 }, ours[1].ToArray<long>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void LinSpaceEndsAtStopAndGivesStartForOneValue(int opset)
    {
        using var g = TestGraph.Enter();
        var start = tf.placeholder(tf.float32, Shape.Scalar, name: "start");
        var stop = tf.placeholder(tf.float32, Shape.Scalar, name: "stop");
        var num = tf.placeholder(tf.int32, Shape.Scalar, name: "num");
        var fixedNum = tf.linspace(tf.cast(start, tf.float64), tf.cast(stop, tf.float64), 4);
        var y = tf.linspace(start, stop, num);
        Assert.Equal("LinSpace", y.op.type);
        using var sess = tf.Session();
        var ours = Agrees(sess, In(start, stop, num), [y, fixedNum], [("start", NDArray.Scalar(-1f)), ("stop", NDArray.Scalar(0.7f)), ("num", NDArray.Scalar(7))], opset);
        var step = (0.7f - -1f) / 6;
        Assert.Equal(new[] { -1f, -1f + step, -1f + 2 * step, -1f + 3 * step, -1f + 4 * step, -1f + 5 * step, 0.7f }, ours[0].ToArray<float>());
        Assert.Equal(0.7f, (float)ours[1].ToArray<double>()[3]);
        ours = Agrees(sess, In(start, stop, num), [y], [("start", NDArray.Scalar(2.5f)), ("stop", NDArray.Scalar(9f)), ("num", NDArray.Scalar(1))], opset);
        Assert.Equal(new[] { 2.5f }, ours[0].ToArray<float>());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void MatrixDiagAndDiagPartOfSquareAndOblongMatrices(int opset)
    {
        using var g = TestGraph.Enter();
        var d = tf.placeholder(tf.float32, new Shape(-1, 3), name: "d");
        var wide = tf.placeholder(tf.float32, new Shape(-1, 2, 4), name: "wide");
        var tall = tf.placeholder(tf.int32, new Shape(4, -1), name: "tall");
        Tensor[] ys = [tf.matrix_diag(d), tf.matrix_diag_part(wide), tf.matrix_diag_part(tall)];
        Assert.Equal(new[] { "MatrixDiag", "MatrixDiagPart", "MatrixDiagPart" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var wideValue = Floats([1f, float.NaN, 3f, 4f, 5f, 6f, float.PositiveInfinity, 8f, 9f, 10f, 11f, 12f, 13f, -14f, 15f, 16f], 2, 2, 4);
        var tallValue = Ints([1, 2, 3, 4, 5, 6, 7, 8], 4, 2);
        var ours = Agrees(sess, In(d, wide, tall), ys, [("d", Floats([1f, -2f, 3f, 4f, 5f, float.NaN], 2, 3)), ("wide", wideValue), ("tall", tallValue)], opset);
        Assert.Equal(new[] { 1f, 0f, 0f, 0f, -2f, 0f, 0f, 0f, 3f }, ours[0].ToArray<float>().Take(9));
        Assert.True(float.IsNaN(ours[0].ToArray<float>()[17]));
        Assert.Equal(new[] { 1f, 6f, 9f, -14f }, ours[1].ToArray<float>());
        Assert.Equal(new[] { 1, 4 }, ours[2].ToArray<int>());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    public void SegmentSumsAndProductsDropNegativeIdsAndFillEmptySegments(int opset)
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2), name: "data");
        var ids = tf.placeholder(tf.int32, new Shape(-1), name: "ids");
        var count = tf.placeholder(tf.int64, Shape.Scalar, name: "count");
        Tensor[] ys = [tf.unsorted_segment_sum(data, ids, count), tf.unsorted_segment_prod(data, ids, count), tf.unsorted_segment_sum(data, ids, 3)];
        Assert.Equal(new[] { "UnsortedSegmentSum", "UnsortedSegmentProd", "UnsortedSegmentSum" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var value = Floats([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 4, 2);
        var ours = Agrees(sess, In(data, ids, count), ys, [("data", value), ("ids", Ints([2, -1, 0, 2], 4)), ("count", NDArray.Scalar(4L))], opset);
        Assert.Equal(new[] { 5f, 6f, 0f, 0f, 8f, 10f, 0f, 0f }, ours[0].ToArray<float>());
        Assert.Equal(new[] { 5f, 6f, 1f, 1f, 7f, 16f, 1f, 1f }, ours[1].ToArray<float>());
        Assert.Equal(new[] { 5f, 6f, 0f, 0f, 8f, 10f }, ours[2].ToArray<float>());
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    public void SegmentSumHasTheLargestIdPlusOneRows(int opset)
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.int32, new Shape(-1, 2, 2), name: "data");
        var ids = tf.placeholder(tf.int64, new Shape(-1), name: "ids");
        var y = tf.segment_sum(data, ids);
        Assert.Equal("SegmentSum", y.op.type);
        using var sess = tf.Session();
        var ours = Agrees(sess, In(data, ids), [y], [("data", Ints([.. Enumerable.Range(1, 12)], 3, 2, 2)), ("ids", L(0, 0, 2))], opset);
        Assert.Equal(new Shape(3, 2, 2), ours[0].shape);
        Assert.Equal(new[] { 6, 8, 10, 12, 0, 0, 0, 0, 9, 10, 11, 12 }, ours[0].ToArray<int>());
        ours = Agrees(sess, In(data, ids), [y], [("data", NDArray.FromFlat(Array.Empty<int>(), new Shape(0, 2, 2))), ("ids", NDArray.FromFlat(Array.Empty<long>(), new Shape(0)))], opset);
        Assert.Equal(new Shape(0, 2, 2), ours[0].shape);
    }

    [Fact]
    public void SegmentSumsNeedOpset16AndKnownRanks()
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2), name: "data");
        var ids = tf.placeholder(tf.int32, new Shape(-1), name: "ids");
        var unknown = tf.placeholder(tf.float32, name: "unknown");
        var y = tf.unsorted_segment_sum(data, ids, 3);
        var z = tf.segment_sum(unknown, ids);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(data, ids), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal($"Cannot export UnsortedSegmentSum \"{y.op.name}\" to ONNX at opset 13: its mapping needs opset 16.", e.RawMessage);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(unknown, ids), new Dictionary<string, Tensor> { ["z"] = z }, 17));
        Assert.Equal($"Cannot export SegmentSum \"{z.op.name}\" to ONNX: the rank of its data or segment_ids is unknown.", e.RawMessage);
    }

    [Theory]
    [InlineData(13, true)]
    [InlineData(17, false)]
    public void BatchNormWithGlobalNormalizationNormalizesTheLastAxis(int opset, bool scale)
    {
        using var g = TestGraph.Enter();
        var t = tf.placeholder(tf.float32, new Shape(-1, 2, 2, 3), name: "t");
        var (m, v, beta, gamma) = (tf.constant(F(2, 3)), tf.constant(Uniform(3, 0.1, 2, 3)), tf.constant(F(4, 3)), tf.constant(F(5, 3)));
        var y = SharpFlow.Ops.NN.BatchNormWithGlobalNormalization.Build(t, m, v, beta, gamma, 1e-3, scale);
        Assert.Equal("BatchNormWithGlobalNormalization", y.op.type);
        using var sess = tf.Session();
        var ours = Agrees(sess, In(t), [y], [("t", F(1, 2, 2, 2, 3))], opset, tolerance: 1e-6);
        var (tv, mv, vv, bv, gv) = (F(1, 2, 2, 2, 3).ToArray<float>(), F(2, 3).ToArray<float>(), Uniform(3, 0.1, 2, 3).ToArray<float>(), F(4, 3).ToArray<float>(), F(5, 3).ToArray<float>());
        var expected = tv.Select((x, i) => (x - mv[i % 3]) / MathF.Sqrt(vv[i % 3] + 1e-3f) * (scale ? gv[i % 3] : 1f) + bv[i % 3]).ToArray();
        Same(NDArray.FromFlat(expected, new Shape(2, 2, 2, 3)), ours[0], "BatchNormWithGlobalNormalization against its formula", 1e-5);
    }
}
