using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// Opset 18's forms of the reductions and Split; Cumprod exported as a Loop carrying the product (zeros and
/// negative values, exclusive and reverse, any axis); the segment maxima, minima and means (ScatterND's max and min
/// reductions, opset 18). Each checked against plain values and run in ONNX Runtime against SharpFlow's own run at
/// the opsets it exports at, and the segment models imported back into SharpFlow; the refusals name the op and the reason.
/// </summary>
public sealed class OnnxScanAndSegmentExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static NDArray Floats(float[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    private static NDArray Ints(int[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    /// <summary>Running products of <paramref name="v"/> along its axis of length n (stride s), as TensorFlow's kernel forms them.</summary>
    private static float[] Cumprod(float[] v, int outer, int n, int inner, bool exclusive, bool reverse)
    {
        var r = new float[v.Length];
        for (var o = 0; o < outer; o++)
            for (var k = 0; k < inner; k++)
            {
                var p = 1f;
                for (var t = 0; t < n; t++)
                {
                    var i = reverse ? n - 1 - t : t;
                    var at = (o * n + i) * inner + k;
                    if (exclusive) { r[at] = p; p *= v[at]; }
                    else { p *= v[at]; r[at] = p; }
                }
            }
        return r;
    }

    [Fact]
    public void Opset18TakesTheReductionsAxesAsAnInputAndSplitsByCount()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, 4), name: "x");
        var b = tf.placeholder(tf.@bool, new Shape(-1, 2), name: "b");
        Tensor[] ys =
        [
            tf.reduce_max(x, 1), tf.reduce_min(x, new[] { 0, 2 }, keepdims: true), tf.reduce_mean(x, -1), tf.reduce_prod(x, 2),
            tf.reduce_sum(x, 1), tf.reduce_all(b, 1), tf.reduce_any(b, 0, keepdims: true),
        ];
        Assert.Equal(new[] { "Max", "Min", "Mean", "Prod", "Sum", "All", "Any" }, ys.Select(y => y.op.type));
        var halves = tf.split(x, 2, axis: 1);
        using var sess = tf.Session();
        var flags = NDArray.FromFlat(new[] { true, false, true, true, false, false }, new Shape(3, 2));
        var ours = ExportAgrees(sess, In(x, b), ys, [("x", F(7, 2, 4, 4)), ("b", flags)], 18);
        Assert.Equal(new[] { false, true, false }, ours[5].ToArray<bool>());
        Assert.Equal(new[] { true, true }, ours[6].ToArray<bool>());
        // An even split of an axis of unknown size (num_outputs), run in ONNX Runtime and imported back.
        ours = ExportAgrees(sess, In(x), halves, [("x", F(7, 2, 4, 4))], 18);
        Assert.Equal(new Shape(2, 2, 4), ours[1].shape);
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = ys[0] }, 21));
        Assert.Equal("SharpFlow.Onnx exports at opsets 13 to 20, not opset 21.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(18)]
    public void CumprodCarriesZerosAndNegativesThroughEveryForm(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 3), name: "x");
        var n = tf.placeholder(tf.int32, new Shape(-1), name: "n");
        Tensor[] ys =
        [
            tf.cumprod(x, 1), tf.cumprod(x, 1, exclusive: true), tf.cumprod(x, 1, reverse: true),
            tf.cumprod(x, -1, exclusive: true, reverse: true), tf.cumprod(x, 0), tf.cumprod(n, 0, exclusive: true),
        ];
        Assert.All(ys, y => Assert.Equal("Cumprod", y.op.type));
        using var sess = tf.Session();
        var v = new[] { 2f, -1f, 0.5f, 0f, 3f, -2f, -1.5f, 4f, 0f, 1f, -3f, 2f, -1f, 0f, 2f, 5f, -0.5f, 3f, 0f, 2f, -2f, -4f, 1f, 0.25f };
        var ours = ExportAgrees(sess, In(x, n), ys, [("x", Floats(v, 2, 4, 3)), ("n", Ints([3, -2, 0, 5, -1], 5))], opset);
        Assert.Equal(Cumprod(v, 2, 4, 3, false, false), ours[0].ToArray<float>());
        Assert.Equal(Cumprod(v, 2, 4, 3, true, false), ours[1].ToArray<float>());
        Assert.Equal(Cumprod(v, 2, 4, 3, false, true), ours[2].ToArray<float>());
        Assert.Equal(Cumprod(v, 8, 3, 1, true, true), ours[3].ToArray<float>());
        Assert.Equal(Cumprod(v, 1, 2, 12, false, false), ours[4].ToArray<float>());
        Assert.Equal(new[] { 1, 3, -6, 0, 0 }, ours[5].ToArray<int>());
        Assert.Equal(new[] { 2f, -1f, 0.5f, 0f, -3f, -1f }, ours[0].ToArray<float>().Take(6));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void CumprodOverAnEmptyAxisIsEmpty(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float64, new Shape(2, -1), name: "x");
        var y = tf.cumprod(x, 1, reverse: true);
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x), [y], [("x", NDArray.FromFlat(Array.Empty<double>(), new Shape(2, 0)))], opset);
        Assert.Equal(new Shape(2, 0), ours[0].shape);
    }

    [Fact]
    public void CumprodOfAnUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var y = tf.cumprod(x, 0);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal($"Cannot export Cumprod \"{y.op.name}\" to ONNX: its input's rank is unknown; the Loop over the axis needs a known rank of at least 1.", e.RawMessage);
    }

    [Fact]
    public void UnsortedSegmentMaxAndMinFillEmptySegmentsWithTheDtypesExtremes()
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2), name: "data");
        var ints = tf.placeholder(tf.int64, new Shape(-1), name: "ints");
        var ids = tf.placeholder(tf.int32, new Shape(-1), name: "ids");
        var count = tf.placeholder(tf.int32, Shape.Scalar, name: "count");
        Tensor[] ys = [tf.unsorted_segment_max(data, ids, count), tf.unsorted_segment_min(data, ids, count), tf.unsorted_segment_max(ints, ids, 4), tf.unsorted_segment_min(ints, ids, 4)];
        Assert.Equal(new[] { "UnsortedSegmentMax", "UnsortedSegmentMin", "UnsortedSegmentMax", "UnsortedSegmentMin" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var value = Floats([1f, -2f, 3f, 4f, -5f, 6f, 7f, float.NegativeInfinity], 4, 2);
        var ours = ExportAgrees(sess, In(data, ints, ids, count), ys,
            [("data", value), ("ints", L(5, -3, 9, 2)), ("ids", Ints([2, -1, 0, 2], 4)), ("count", NDArray.Scalar(4))], 18);
        Assert.Equal(new[] { -5f, 6f, float.MinValue, float.MinValue, 7f, -2f, float.MinValue, float.MinValue }, ours[0].ToArray<float>());
        Assert.Equal(new[] { -5f, 6f, float.MaxValue, float.MaxValue, 1f, float.NegativeInfinity, float.MaxValue, float.MaxValue }, ours[1].ToArray<float>());
        Assert.Equal(new[] { 9L, long.MinValue, 5L, long.MinValue }, ours[2].ToArray<long>());
        Assert.Equal(new[] { 9L, long.MaxValue, 2L, long.MaxValue }, ours[3].ToArray<long>());
        foreach (var opset in new[] { 13, 17 })
        {
            var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(data, ids, count), new Dictionary<string, Tensor> { ["y"] = ys[0] }, opset));
            Assert.Equal($"Cannot export UnsortedSegmentMax \"{ys[0].op.name}\" to ONNX at opset {opset}: its mapping needs opset 18.", e.RawMessage);
        }
    }

    [Fact]
    public void SortedSegmentMaxMinAndMeanGiveZeroForEmptySegments()
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2, 2), name: "data");
        var ints = tf.placeholder(tf.int32, new Shape(-1), name: "ints");
        var ids = tf.placeholder(tf.int64, new Shape(-1), name: "ids");
        Tensor[] ys = [tf.segment_max(data, ids), tf.segment_min(data, ids), tf.segment_mean(data, ids), tf.segment_mean(ints, ids), tf.segment_max(ints, ids)];
        Assert.Equal(new[] { "SegmentMax", "SegmentMin", "SegmentMean", "SegmentMean", "SegmentMax" }, ys.Select(y => y.op.type));
        using var sess = tf.Session();
        var value = Floats([1f, -2f, 3f, 4f, -5f, 6f, 7f, -8f, 0.5f, 1.5f, -2.5f, 3.5f], 3, 2, 2);
        var ours = ExportAgrees(sess, In(data, ints, ids), ys, [("data", value), ("ints", Ints([7, -4, 2], 3)), ("ids", L(0, 0, 3))], 18);
        Assert.Equal(new Shape(4, 2, 2), ours[0].shape);
        Assert.Equal(new[] { 1f, 6f, 7f, 4f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0.5f, 1.5f, -2.5f, 3.5f }, ours[0].ToArray<float>());
        Assert.Equal(new[] { -5f, -2f, 3f, -8f }, ours[1].ToArray<float>().Take(4));
        Assert.Equal(new[] { -2f, 2f, 5f, -2f }, ours[2].ToArray<float>().Take(4));
        Assert.Equal(new[] { 1, 0, 0, 2 }, ours[3].ToArray<int>());
        Assert.Equal(new[] { 7, 0, 0, 2 }, ours[4].ToArray<int>());
        foreach (var opset in new[] { 16, 17 })
            ExportAgrees(sess, In(data, ints, ids), [ys[2], ys[3]], [("data", value), ("ints", Ints([7, -4, 2], 3)), ("ids", L(0, 0, 3))], opset);
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(data, ids), new Dictionary<string, Tensor> { ["y"] = ys[1] }, 17));
        Assert.Equal($"Cannot export SegmentMin \"{ys[1].op.name}\" to ONNX at opset 17: its mapping needs opset 18.", e.RawMessage);
    }
}
