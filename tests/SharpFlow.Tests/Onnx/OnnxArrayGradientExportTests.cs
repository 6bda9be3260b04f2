using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The array gradients of training graphs exported to ONNX: StridedSliceGrad (tf.gradients of strided slices with
/// masks, negative strides, shrunk axes and a spec shorter than the rank, over an input of unknown batch) and
/// ConcatOffset with the run-time Slices of a concatenation's gradient along an axis of unknown size. Each runs in
/// ONNX Runtime against SharpFlow's own run, at opsets 13 and 17, and against plain values; the refusal names the op.
/// </summary>
public sealed class OnnxArrayGradientExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void StridedSliceGradWritesTheGradientWhereTheSliceRead(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 6), name: "x");
        Tensor[] slices =
        [
            // x[:, 1:4, ::2]
            tf.strided_slice(x, new[] { 0, 1, 0 }, new[] { 0, 4, 0 }, new[] { 1, 1, 2 }, begin_mask: 5, end_mask: 5),
            // x[:, ::-2, 4:0:-1]
            tf.strided_slice(x, new[] { 0, 0, 4 }, new[] { 0, 0, 0 }, new[] { 1, -2, -1 }, begin_mask: 3, end_mask: 3),
            // x[:, 2, -1]
            tf.strided_slice(x, new[] { 0, 2, -1 }, new[] { 0, 3, 0 }, new[] { 1, 1, 1 }, begin_mask: 1, end_mask: 1, shrink_axis_mask: 6),
            // x[1:, -3:]
            tf.strided_slice(x, new[] { 1, -3 }, new[] { 0, 0 }, new[] { 1, 1 }, end_mask: 3),
        ];
        var inputs = new List<Tensor> { x };
        var outputs = new List<Tensor>();
        var xv = F(1, 3, 5, 6);
        var feed = new List<(string, NDArray)> { ("x", xv) };
        using var sess = tf.Session();
        var sliceShapes = sess.run(slices, new FeedDict { [x] = xv }).Select(v => v.shape.Dims).ToArray();
        for (var k = 0; k < slices.Length; k++)
        {
            var dy = tf.placeholder(tf.float32, slices[k].shape, name: $"dy_{k}");
            var dx = tf.gradients(slices[k], x, grad_ys: dy)[0]!;
            Assert.Equal("StridedSliceGrad", dx.op.type);
            inputs.Add(dy);
            outputs.Add(dx);
            feed.Add((dy.op.name, Uniform(10 + k, 1, 2, sliceShapes[k])));
        }
        var ours = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset);
        // Plain values: x[:, 1:4, ::2] reads rows 1 to 3 and columns 0, 2, 4.
        var (dy0, dx0) = (feed[1].Item2.ToArray<float>(), ours[0].ToArray<float>());
        for (var b = 0; b < 3; b++)
            for (var r = 0; r < 5; r++)
                for (var c = 0; c < 6; c++)
                    Assert.Equal(r is >= 1 and < 4 && c % 2 == 0 ? dy0[(b * 3 + r - 1) * 3 + c / 2] : 0f, dx0[(b * 5 + r) * 6 + c]);
        // x[:, 2, -1] reads the last column of row 2 only.
        var (dy2, dx2) = (feed[3].Item2.ToArray<float>(), ours[2].ToArray<float>());
        for (var i = 0; i < dx2.Length; i++)
            Assert.Equal(i % 30 == 2 * 6 + 5 ? dy2[i / 30] : 0f, dx2[i]);
        // Every slice reads each position once: the gradient's nonzeros are dy's elements.
        for (var k = 0; k < slices.Length; k++)
            Assert.Equal(feed[1 + k].Item2.ToArray<float>().Order(), ours[k].ToArray<float>().Where(v => v != 0).Order());
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ConcatOffsetSlicesAConcatenationsGradientAtRunTime(int opset)
    {
        using var g = TestGraph.Enter();
        var a = tf.placeholder(tf.float32, new Shape(-1, 3), name: "a");
        var b = tf.placeholder(tf.float32, new Shape(-1, 3), name: "b");
        var c = tf.placeholder(tf.float32, new Shape(-1, 3), name: "c");
        var joined = tf.concat(new[] { a, b, c }, -2);
        var dy = tf.placeholder(tf.float32, new Shape(-1, 3), name: "dy");
        var grads = tf.gradients(joined, [a, b, c], grad_ys: dy);
        Assert.Contains(g.Graph.get_operations(), o => o.type == "ConcatOffset");
        Assert.All(grads, t => Assert.Equal("Slice", t!.op.type));
        using var sess = tf.Session();
        var dyv = F(5, 6, 3);
        var ours = ExportAgrees(sess, In(a, b, c, dy), [.. grads.Select(t => t!)], [("a", F(1, 1, 3)), ("b", F(2, 3, 3)), ("c", F(3, 2, 3)), ("dy", dyv)], opset);
        var rows = dyv.ToArray<float>();
        Same(NDArray.FromFlat(rows[..3], new Shape(1, 3)), ours[0], "a's rows", 0);
        Same(NDArray.FromFlat(rows[3..12], new Shape(3, 3)), ours[1], "b's rows", 0);
        Same(NDArray.FromFlat(rows[12..], new Shape(2, 3)), ours[2], "c's rows", 0);
    }

    [Fact]
    public void StridedSliceGradWithAnEllipsisIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 5), name: "x");
        var y = tf.strided_slice(x, new[] { 0, 1 }, new[] { 0, 3 }, new[] { 1, 1 }, ellipsis_mask: 1);
        var dy = tf.placeholder(tf.float32, y.shape, name: "dy");
        var dx = tf.gradients(y, x, grad_ys: dy)[0]!;
        Assert.Equal("StridedSliceGrad", dx.op.type);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x, dy), new Dictionary<string, Tensor> { ["y"] = dx }, 13));
        Assert.Equal($"Cannot export StridedSliceGrad \"{dx.op.name}\" to ONNX: its ellipsis or new-axis mask.", e.RawMessage);
    }
    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    public void SparseSegmentGradientsSpreadEachSegmentOverItsRows(int opset)
    {
        using var g = TestGraph.Enter();
        var data = tf.placeholder(tf.float32, new Shape(-1, 2, 3), name: "data");
        // Rows 1 and 4 are read twice, row 3 never; segment 1 is empty, segment 2 has three rows.
        int[] indices = [1, 4, 0, 4, 1, 2], ids = [0, 0, 2, 2, 2, 3];
        var mean = tf.sparse_segment_mean(data, indices, ids);
        var sqrtN = tf.sparse_segment_sqrt_n(data, indices, ids);
        var (dyMean, dySqrt) = (tf.placeholder(tf.float32, mean.shape, name: "dy_mean"), tf.placeholder(tf.float32, sqrtN.shape, name: "dy_sqrt"));
        Tensor[] grads = [tf.gradients(mean, data, grad_ys: dyMean)[0]!, tf.gradients(sqrtN, data, grad_ys: dySqrt)[0]!];
        Assert.Equal(new[] { "SparseSegmentMeanGrad", "SparseSegmentSqrtNGrad" }, grads.Select(t => t.op.type));
        using var sess = tf.Session();
        var (dm, ds) = (F(7, 4, 2, 3), F(8, 4, 2, 3));
        var ours = ExportAgrees(sess, In(data, dyMean, dySqrt), grads, [("data", F(6, 5, 2, 3)), ("dy_mean", dm), ("dy_sqrt", ds)], opset);
        int[] counts = [2, 0, 3, 1];
        foreach (var (k, dy) in new[] { (0, dm), (1, ds) })
        {
            var (g0, expected) = (dy.ToArray<float>(), new float[5 * 6]);
            for (var i = 0; i < indices.Length; i++)
                for (var c = 0; c < 6; c++)
                    expected[indices[i] * 6 + c] += g0[ids[i] * 6 + c] / (k == 0 ? counts[ids[i]] : (float)System.Math.Sqrt(counts[ids[i]]));
            Same(NDArray.FromFlat(expected, new Shape(5, 2, 3)), ours[k], grads[k].op.type, 1e-6);
        }
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(data, dyMean), new Dictionary<string, Tensor> { ["y"] = grads[0] }, 15));
        Assert.Equal($"Cannot export SparseSegmentMeanGrad \"{grads[0].op.name}\" to ONNX at opset 15: its mapping needs opset 16.", e.RawMessage);
    }
}
