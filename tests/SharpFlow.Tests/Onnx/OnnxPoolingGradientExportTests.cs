using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The pooling gradients of training graphs (built with tf.gradients of MaxPool, AvgPool, MaxPool3D and AvgPool3D)
/// exported to ONNX: MaxPoolGrad sends each window's gradient to its first maximum in row-major order and overlapping
/// windows add up (ties, overlaps, SAME and VALID, strides below, at and above the window), AvgPoolGrad divides by
/// the window's cells inside the input under SAME. Each runs in ONNX Runtime and re-imported into SharpFlow against
/// SharpFlow's own run, at opset 13 (one-hot ConvTranspose) and 17 (ScatterElements), and against plain values.
/// </summary>
public sealed class OnnxPoolingGradientExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    // (window height, width, stride height, width, padding).
    private static readonly (int Kh, int Kw, int Sh, int Sw, string Padding)[] Windows =
    [
        (3, 3, 1, 1, "SAME"), (3, 3, 2, 2, "VALID"), (3, 3, 2, 2, "SAME"), (2, 2, 2, 2, "SAME"), (2, 2, 3, 3, "VALID"), (2, 3, 1, 2, "SAME"), (1, 1, 3, 2, "SAME"),
    ];

    /// <summary>TensorFlow's output size and padding before the first window on one axis.</summary>
    private static (int Out, int Before) Axis(int size, int kernel, int stride, string padding)
    {
        if (padding == "VALID") return ((size - kernel + stride) / stride, 0);
        var outSize = (size + stride - 1) / stride;
        return (outSize, System.Math.Max((outSize - 1) * stride + kernel - size, 0) / 2);
    }

    /// <summary>Plain NHWC pooling gradients: max to the window's first maximum (row-major), average by the in-bounds count.</summary>
    private static float[] Reference(bool max, float[] x, float[] dy, int n, int h, int w, int c, (int Kh, int Kw, int Sh, int Sw, string Padding) p)
    {
        var (oh, top) = Axis(h, p.Kh, p.Sh, p.Padding);
        var (ow, left) = Axis(w, p.Kw, p.Sw, p.Padding);
        var dx = new float[n * h * w * c];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var ch = 0; ch < c; ch++)
                    {
                        var cells = new List<int>();
                        for (var u = i * p.Sh - top; u < i * p.Sh - top + p.Kh; u++)
                            for (var v = j * p.Sw - left; v < j * p.Sw - left + p.Kw; v++)
                                if (u >= 0 && u < h && v >= 0 && v < w) cells.Add(((b * h + u) * w + v) * c + ch);
                        var g = dy[((b * oh + i) * ow + j) * c + ch];
                        if (!max)
                        {
                            foreach (var cell in cells) dx[cell] += g / cells.Count;
                            continue;
                        }
                        var best = cells[0];
                        foreach (var cell in cells)
                            if (x[cell] > x[best]) best = cell;
                        dx[best] += g;
                    }
        return dx;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void PoolingGradientsRouteAsTheKernels(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 7, 3), name: "x");
        var outputs = new List<Tensor>();
        var feed = new List<(string, NDArray)>();
        // Small integers: most windows hold tied maxima.
        var xv = NDArray.FromFlat(Uniform(1, 0, 3, 2, 5, 7, 3).ToArray<float>().Select(MathF.Floor).ToArray(), new Shape(2, 5, 7, 3));
        feed.Add(("x", xv));
        var inputs = new List<Tensor> { x };
        for (var k = 0; k < Windows.Length; k++)
        {
            var p = Windows[k];
            int[] ksize = [1, p.Kh, p.Kw, 1], strides = [1, p.Sh, p.Sw, 1];
            foreach (var max in new[] { true, false })
            {
                var pooled = max ? tf.nn.max_pool(x, ksize, strides, p.Padding) : tf.nn.avg_pool(x, ksize, strides, p.Padding);
                var dy = tf.placeholder(tf.float32, pooled.shape, name: $"dy_{k}_{(max ? "max" : "avg")}");
                var dx = tf.gradients(pooled, x, grad_ys: dy)[0]!;
                Assert.Equal(max ? "MaxPoolGrad" : "AvgPoolGrad", dx.op.type);
                Assert.Equal(p.Padding, dx.op.get_attr("padding"));
                outputs.Add(dx);
                inputs.Add(dy);
                feed.Add((dy.op.name, F(10 + k, [2, .. pooled.shape.Dims.Skip(1)])));
            }
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset);
        for (var k = 0; k < Windows.Length; k++)
            for (var m = 0; m < 2; m++)
            {
                var dy = feed[1 + 2 * k + m].Item2;
                var expected = Reference(m == 0, xv.ToArray<float>(), dy.ToArray<float>(), 2, 5, 7, 3, Windows[k]);
                Same(NDArray.FromFlat(expected, new Shape(2, 5, 7, 3)), ours[2 * k + m], $"{(m == 0 ? "MaxPoolGrad" : "AvgPoolGrad")} {Windows[k]}", 1e-6);
            }
    }

    [Fact]
    public void MaxPoolGradOfTiesGoesToTheFirstMaximumOnly()
    {
        // Every cell equal: each 2x2 window (stride 1, overlapping) sends its gradient to its top-left cell.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3, 3, 1), name: "x");
        var pooled = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID");
        var dx = tf.gradients(pooled, x, grad_ys: tf.constant(NDArray.FromFlat(new[] { 1f, 10f, 100f, 1000f }, new Shape(1, 2, 2, 1))))[0]!;
        using var sess = tf.Session();
        foreach (var opset in new[] { 13, 17 })
        {
            var ours = ExportAgrees(sess, In(x), [dx], [("x", NDArray.FromFlat(Enumerable.Repeat(2f, 9).ToArray(), new Shape(1, 3, 3, 1)))], opset);
            Assert.Equal(new[] { 1f, 10f, 0f, 100f, 1000f, 0f, 0f, 0f, 0f }, ours[0].ToArray<float>());
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void VolumetricPoolingGradientsRouteAsTheKernels(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 5, 3, 2), name: "x");
        var outputs = new List<Tensor>();
        var inputs = new List<Tensor> { x };
        var feed = new List<(string, NDArray)> { ("x", NDArray.FromFlat(Uniform(3, 0, 3, 2, 4, 5, 3, 2).ToArray<float>().Select(MathF.Floor).ToArray(), new Shape(2, 4, 5, 3, 2))) };
        (int[] Ksize, int[] Strides, string Padding)[] windows = [([1, 2, 3, 2, 1], [1, 1, 2, 1, 1], "SAME"), ([1, 3, 2, 2, 1], [1, 2, 2, 1, 1], "VALID")];
        for (var k = 0; k < windows.Length; k++)
            foreach (var max in new[] { true, false })
            {
                var (ksize, strides, padding) = windows[k];
                var pooled = max ? tf.nn.max_pool3d(x, ksize, strides, padding) : tf.nn.avg_pool3d(x, ksize, strides, padding);
                var dy = tf.placeholder(tf.float32, pooled.shape, name: $"dy_{k}_{(max ? "max" : "avg")}");
                var dx = tf.gradients(pooled, x, grad_ys: dy)[0]!;
                Assert.Equal(max ? "MaxPool3DGrad" : "AvgPool3DGrad", dx.op.type);
                outputs.Add(dx);
                inputs.Add(dy);
                feed.Add((dy.op.name, F(20 + outputs.Count, [2, .. pooled.shape.Dims.Skip(1)])));
            }
        using var sess = tf.Session();
        ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset);
    }

    [Fact]
    public void MaxPoolGradOfFloat64ScattersFromOpset16()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float64, new Shape(-1, 4, 4, 2), name: "x");
        var pooled = tf.nn.max_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME");
        var dy = tf.placeholder(tf.float64, new Shape(-1, 4, 4, 2), name: "dy");
        var dx = tf.gradients(pooled, x, grad_ys: dy)[0]!;
        using var sess = tf.Session();
        var v = NDArray.FromFlat(Uniform(5, 0, 4, 3, 4, 4, 2).ToArray<float>().Select(MathF.Floor).ToArray(), new Shape(3, 4, 4, 2)).Cast(DType.float64);
        var dyv = F(6, 3, 4, 4, 2);
        var ours = ExportAgrees(sess, In(x, dy), [dx], [("x", v), ("dy", dyv.Cast(DType.float64))], 17, tolerance: 1e-12);
        var expected = Reference(true, v.Cast(DType.float32).ToArray<float>(), dyv.ToArray<float>(), 3, 4, 4, 2, (3, 3, 1, 1, "SAME"));
        Same(NDArray.FromFlat(expected, new Shape(3, 4, 4, 2)).Cast(DType.float64), ours[0], "MaxPoolGrad float64", 1e-6);
    }

    [Fact]
    public void PoolingGradientsOfUnknownSpatialSizesAreRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 3), name: "x");
        var maxGrad = tf.gradients(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), x)[0]!;
        var avgGrad = tf.gradients(tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), x)[0]!;
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = maxGrad }, 17));
        Assert.Equal($"Cannot export MaxPoolGrad \"{maxGrad.op.name}\" to ONNX: the spatial sizes and channels of its orig_input are unknown ((?, ?, ?, 3)); the pads and filters of its ConvTranspose need them.", e.RawMessage);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = avgGrad }, 13));
        Assert.StartsWith($"Cannot export AvgPoolGrad \"{avgGrad.op.name}\" to ONNX: the spatial sizes and channels of its orig_input_shape are unknown (", e.RawMessage);
    }
}
