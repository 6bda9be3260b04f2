using SharpFlow.Onnx;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.NN;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// MaxPoolGradWithArgmax, MaxPoolGradGrad, BatchNormWithGlobalNormalizationGrad, BroadcastGradientArgs (shapes
/// known at run time), ResizeArea, ResizeBicubicGrad, CropAndResizeGradImage and CropAndResizeGradBoxes exported to ONNX: each runs in ONNX Runtime (and, where
/// SharpFlow's importer reads the operators, re-imported) against SharpFlow's own run, at opsets 13 and 17 (16 and
/// 17 for the scatter-adds of MaxPoolGradWithArgmax and CropAndResizeGradImage, refused at 13), and against plain values; the cases that cannot
/// export are refused naming the node and the reason.
/// </summary>
public sealed class OnnxMoreGradientExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static Dictionary<string, Tensor> Out(Tensor y) => new() { ["y"] = y };

    /// <summary>Small integers: most pooling windows hold tied maxima.</summary>
    private static NDArray Ties(int seed, params int[] shape) =>
        NDArray.FromFlat(Uniform(seed, 0, 3, shape).ToArray<float>().Select(MathF.Floor).ToArray(), new Shape(shape));

    [Theory]
    [InlineData(16, true)]
    [InlineData(16, false)]
    [InlineData(17, true)]
    [InlineData(17, false)]
    public void MaxPoolGradWithArgmaxAddsAtTheArgmax(int opset, bool includeBatch)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 7, 3), name: "x");
        var outputs = new List<Tensor>();
        var inputs = new List<Tensor> { x };
        var feed = new List<(string, NDArray)> { ("x", Ties(1, 2, 5, 7, 3)) };
        (int[] K, int[] S, string P, DType Targmax)[] cases =
        [
            ([1, 3, 3, 1], [1, 1, 1, 1], "SAME", DType.int64), ([1, 3, 3, 1], [1, 2, 2, 1], "VALID", DType.int32), ([1, 2, 3, 1], [1, 2, 1, 1], "SAME", DType.int64),
        ];
        for (var k = 0; k < cases.Length; k++)
        {
            var (pooled, argmax) = tf.nn.max_pool_with_argmax(x, cases[k].K, cases[k].S, cases[k].P, cases[k].Targmax, include_batch_in_index: includeBatch);
            var dy = tf.placeholder(tf.float32, pooled.shape, name: $"dy_{k}");
            var dx = tf.gradients(pooled, x, grad_ys: dy)[0]!;
            Assert.Equal("MaxPoolGradWithArgmax", dx.op.type);
            Assert.Equal(includeBatch, dx.op.get_attr("include_batch_in_index"));
            outputs.AddRange([dx, argmax]);
            inputs.Add(dy);
            feed.Add((dy.op.name, F(10 + k, [2, .. pooled.shape.Dims.Skip(1)])));
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset, reimport: false);
        for (var k = 0; k < cases.Length; k++)
        {
            // Plain: each gradient added at its argmax (plus its image's offset when the index lacks the batch).
            var dy = feed[1 + k].Item2.ToArray<float>();
            var argmax = ours[2 * k + 1].Cast(DType.int64).ToArray<long>();
            var expected = new float[2 * 5 * 7 * 3];
            for (var i = 0; i < dy.Length; i++) expected[argmax[i] + (includeBatch ? 0 : i / (dy.Length / 2) * (5 * 7 * 3))] += dy[i];
            Same(NDArray.FromFlat(expected, new Shape(2, 5, 7, 3)), ours[2 * k], $"MaxPoolGradWithArgmax {k}", 1e-6);
        }
    }

    [Fact]
    public void MaxPoolGradWithArgmaxOfFloat64AndGivenIndicesAddsUp()
    {
        // Argmax values fed, not computed: repeated indices add up, as the kernel's scatter does.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float64, new Shape(1, 3, 3, 1), name: "x");
        var dy = tf.placeholder(tf.float64, new Shape(1, 2, 2, 1), name: "dy");
        var argmax = tf.placeholder(tf.int64, new Shape(1, 2, 2, 1), name: "argmax");
        var (_, pooledArgmax) = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID");
        var dx = MaxPoolGradWithArgmax.Build(x, dy, argmax, WindowAttrs.Of(pooledArgmax.op), false);
        using var sess = tf.Session();
        var feed = new (string, NDArray)[]
        {
            ("x", NDArray.FromFlat(new double[9], new Shape(1, 3, 3, 1))), ("dy", NDArray.FromFlat(new[] { 1.0, 10, 100, 1000 }, new Shape(1, 2, 2, 1))),
            ("argmax", NDArray.FromFlat(new long[] { 4, 4, 8, 0 }, new Shape(1, 2, 2, 1))),
        };
        var ours = ExportAgrees(sess, In(x, dy, argmax), [dx], feed, 17, tolerance: 1e-15, reimport: false);
        Assert.Equal(new[] { 1000.0, 0, 0, 0, 11, 0, 0, 0, 100 }, ours[0].ToArray<double>());
        // An argmax outside the input fails the ONNX run as it fails the kernel.
        var model = OnnxModel.Export(sess, In(x, dy, argmax), Out(dx), 17).ToByteArray();
        feed[2] = ("argmax", NDArray.FromFlat(new long[] { 4, 4, 9, 0 }, new Shape(1, 2, 2, 1)));
        Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(model, feed, ["y"]));
    }

    [Fact]
    public void MaxPoolGradWithArgmaxNeedsOpset16()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 4, 2), name: "x");
        var (pooled, _) = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME");
        var dx = tf.gradients(pooled, x)[0]!;
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), Out(dx), 13));
        Assert.Equal($"Cannot export MaxPoolGradWithArgmax \"{dx.op.name}\" to ONNX at opset 13: its mapping needs opset 16.", e.RawMessage);
        Assert.Equal(dx.op.name, e.NodeName);
    }

    /// <summary>Plain MaxPoolGradGrad (NHWC): each window takes the grad-of-grad at its first maximum (row-major).</summary>
    private static float[] GradGradReference(float[] x, float[] ddx, int n, int h, int w, int c, int kh, int kw, int sh, int sw, string padding)
    {
        (int Out, int Before) Axis(int size, int k, int s) =>
            padding == "VALID" ? ((size - k + s) / s, 0) : ((size + s - 1) / s, System.Math.Max(((size + s - 1) / s - 1) * s + k - size, 0) / 2);
        var (oh, top) = Axis(h, kh, sh);
        var (ow, left) = Axis(w, kw, sw);
        var ddy = new float[n * oh * ow * c];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var ch = 0; ch < c; ch++)
                    {
                        var best = -1;
                        for (var u = System.Math.Max(i * sh - top, 0); u < System.Math.Min(i * sh - top + kh, h); u++)
                            for (var v = System.Math.Max(j * sw - left, 0); v < System.Math.Min(j * sw - left + kw, w); v++)
                            {
                                var cell = ((b * h + u) * w + v) * c + ch;
                                if (best < 0 || x[cell] > x[best]) best = cell;
                            }
                        ddy[((b * oh + i) * ow + j) * c + ch] = ddx[best];
                    }
        return ddy;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void MaxPoolGradGradGathersAtEachWindowsMaximum(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 7, 3), name: "x");
        var xv = Ties(2, 2, 5, 7, 3);
        var ddxv = F(3, 2, 5, 7, 3);
        var ddx = tf.placeholder(tf.float32, new Shape(-1, 5, 7, 3), name: "ddx");
        (int Kh, int Kw, int Sh, int Sw, string P)[] windows = [(3, 3, 1, 1, "SAME"), (3, 3, 2, 2, "VALID"), (2, 3, 2, 1, "SAME"), (2, 2, 3, 3, "VALID")];
        var outputs = new List<Tensor>();
        var inputs = new List<Tensor> { x, ddx };
        var feed = new List<(string, NDArray)> { ("x", xv), ("ddx", ddxv) };
        for (var k = 0; k < windows.Length; k++)
        {
            var p = windows[k];
            var pooled = tf.nn.max_pool(x, [1, p.Kh, p.Kw, 1], [1, p.Sh, p.Sw, 1], p.P);
            var dy = tf.placeholder(tf.float32, pooled.shape, name: $"dy_{k}");
            var dx = tf.gradients(pooled, x, grad_ys: dy)[0]!;
            var ddy = tf.gradients(dx, dy, grad_ys: ddx)[0]!;
            Assert.Equal("MaxPoolGradGrad", ddy.op.type);
            outputs.Add(ddy);
            inputs.Add(dy);
            feed.Add((dy.op.name, F(20 + k, [2, .. pooled.shape.Dims.Skip(1)])));
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset);
        for (var k = 0; k < windows.Length; k++)
        {
            var p = windows[k];
            var expected = GradGradReference(xv.ToArray<float>(), ddxv.ToArray<float>(), 2, 5, 7, 3, p.Kh, p.Kw, p.Sh, p.Sw, p.P);
            Same(NDArray.FromFlat(expected, ours[k].shape), ours[k], $"MaxPoolGradGrad {p}", 0);
        }
    }

    [Fact]
    public void MaxPoolGradGradOfUnknownSpatialSizesExports()
    {
        // SAME with windows at least as long as the strides: ONNX's SAME_UPPER, sizes read at run time.
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 2), name: "x");
        var ddx = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 2), name: "ddx");
        var pooled = tf.nn.max_pool(x, [1, 3, 2, 1], [1, 2, 2, 1], "SAME");
        var dy = tf.placeholder(tf.float32, pooled.shape, name: "dy");
        var ddy = tf.gradients(tf.gradients(pooled, x, grad_ys: dy)[0]!, dy, grad_ys: ddx)[0]!;
        using var sess = tf.Session();
        var (xv, ddxv) = (Ties(4, 1, 6, 5, 2), F(5, 1, 6, 5, 2));
        var ours = ExportAgrees(sess, In(x, ddx, dy), [ddy], [("x", xv), ("ddx", ddxv), ("dy", F(6, 1, 3, 3, 2))], 17, reimport: false);
        Same(NDArray.FromFlat(GradGradReference(xv.ToArray<float>(), ddxv.ToArray<float>(), 1, 6, 5, 2, 3, 2, 2, 2, "SAME"), new Shape(1, 3, 3, 2)), ours[0], "MaxPoolGradGrad", 0);
    }

    [Theory]
    [InlineData(13, true)]
    [InlineData(13, false)]
    [InlineData(17, true)]
    [InlineData(17, false)]
    public void BatchNormWithGlobalNormalizationGradGivesTheKernelsFiveOutputs(int opset, bool scale)
    {
        using var g = TestGraph.Enter();
        foreach (var dtype in new[] { DType.float32, DType.float64 })
        {
            var name = dtype.name;
            var t = tf.placeholder(dtype, new Shape(-1, 3, 4, 5), name: $"t_{name}");
            var m = tf.placeholder(dtype, new Shape(5), name: $"m_{name}");
            var v = tf.placeholder(dtype, new Shape(5), name: $"v_{name}");
            var gamma = tf.placeholder(dtype, new Shape(5), name: $"gamma_{name}");
            var backprop = tf.placeholder(dtype, new Shape(-1, 3, 4, 5), name: $"backprop_{name}");
            var grads = BatchNormWithGlobalNormalizationGrad.Build(t, m, v, gamma, backprop, 0.001, scale);
            using var sess = tf.Session();
            var feed = new (string, NDArray)[]
            {
                (t.op.name, F(30, 2, 3, 4, 5).Cast(dtype)), (m.op.name, F(31, 5).Cast(dtype)), (v.op.name, Uniform(32, 0.1, 2, 5).Cast(dtype)),
                (gamma.op.name, F(33, 5).Cast(dtype)), (backprop.op.name, F(34, 2, 3, 4, 5).Cast(dtype)),
            };
            var ours = ExportAgrees(sess, In(t, m, v, gamma, backprop), grads, feed, opset, tolerance: dtype == DType.float32 ? 1e-5 : 1e-12);
            // Plain, in float64: batch_norm_op.h's formulas.
            var (tv, mv, vv, gv, bv) = (feed[0].Item2.Cast(DType.float64).ToArray<double>(), feed[1].Item2.Cast(DType.float64).ToArray<double>(),
                feed[2].Item2.Cast(DType.float64).ToArray<double>(), feed[3].Item2.Cast(DType.float64).ToArray<double>(), feed[4].Item2.Cast(DType.float64).ToArray<double>());
            var eps = (double)0.001f;
            var (db, centered) = (new double[5], new double[5]);
            for (var i = 0; i < tv.Length; i++)
            {
                db[i % 5] += bv[i];
                centered[i % 5] += bv[i] * (tv[i] - mv[i % 5]);
            }
            var r = vv.Select(x => 1 / System.Math.Sqrt(x + eps)).ToArray();
            var factor = Enumerable.Range(0, 5).Select(c => scale ? r[c] * gv[c] : r[c]).ToArray();
            var expected = new[]
            {
                bv.Select((x, i) => x * factor[i % 5]).ToArray(),
                Enumerable.Range(0, 5).Select(c => -db[c] * factor[c]).ToArray(),
                Enumerable.Range(0, 5).Select(c => centered[c] * -0.5 * r[c] / (vv[c] + eps) * (scale ? gv[c] : 1)).ToArray(),
                db,
                Enumerable.Range(0, 5).Select(c => scale ? centered[c] * r[c] : 0).ToArray(),
            };
            for (var k = 0; k < 5; k++)
                Same(NDArray.FromFlat(expected[k], ours[k].shape), ours[k].Cast(DType.float64), $"{name} output {k}", dtype == DType.float32 ? 1e-4 : 1e-12);
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void BroadcastGradientArgsOfRunTimeShapesGivesEachSidesAxes(int opset)
    {
        using var g = TestGraph.Enter();
        var s0 = tf.placeholder(tf.int32, new Shape(-1), name: "s0");
        var s1 = tf.placeholder(tf.int32, new Shape(-1), name: "s1");
        var (r0, r1) = BroadcastGradientArgs.Build(s0, s1);
        using var sess = tf.Session();
        (int[] S0, int[] S1, int[] R0, int[] R1)[] cases =
        [
            ([2, 3, 1], [3, 4], [2], [0]), ([1], [2, 3], [0, 1], []), ([], [4], [0], []), ([1, 1], [1], [0, 1], [0, 1]), ([5, 1, 3], [5, 4, 3], [1], []),
            ([2, 3], [2, 3], [], []), ([1, 4, 1], [7, 1, 1, 6], [0, 1, 3], [1, 2]),
        ];
        foreach (var (a, b, ea, eb) in cases)
        {
            var ours = ExportAgrees(sess, In(s0, s1), [r0, r1], [("s0", NDArray.FromFlat(a, new Shape(a.Length))), ("s1", NDArray.FromFlat(b, new Shape(b.Length)))], opset);
            Assert.Equal(ea, ours[0].ToArray<int>());
            Assert.Equal(eb, ours[1].ToArray<int>());
        }
    }

    [Fact]
    public void BroadcastGradientArgsOfConstantShapesIsEvaluatedAtExport()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        // [2, 1, 3] against [4, 3]: s0 sums axis 1, s1 the axis it lacks, 0.
        var (r0, r1) = BroadcastGradientArgs.Build(tf.constant(new[] { 2, 1, 3 }), tf.constant(new[] { 4, 3 }));
        var y = tf.add(x, tf.cast(tf.concat([r0, r1], 0), tf.float32));
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, In(x), Out(y), 13);
        Assert.DoesNotContain(model.Proto.Graph.Node, n => n.OpType == "NonZero");
        var ort = RunOnnxRuntime(model.ToByteArray(), [("x", NDArray.FromFlat(new float[2], new Shape(2)))], ["y"]);
        Assert.Equal(new[] { 1f, 0f }, ort[0].ToArray<float>());
    }

    /// <summary>Plain ResizeArea of NHWC float values: each output pixel the mean over the box it covers, in float64.</summary>
    private static float[] AreaReference(float[] x, int n, int h, int w, int c, int oh, int ow, bool align)
    {
        double Scale(int i, int o) => align && o > 1 ? (i - 1) / (double)(o - 1) : i / (double)o;
        var (sy, sx) = (Scale(h, oh), Scale(w, ow));
        // The length of [k, k + 1) inside [a, b), the cells past the input's end read as its last.
        double[] Weights(int i, double s, int size)
        {
            var wts = new double[size];
            for (var k = (int)System.Math.Floor(i * s); k < (int)System.Math.Ceiling((i + 1) * s); k++)
                wts[System.Math.Min(k, size - 1)] += System.Math.Min(k + 1, (i + 1) * s) - System.Math.Max(k, i * s);
            return wts;
        }
        var y = new float[n * oh * ow * c];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                {
                    var (wy, wx) = (Weights(i, sy, h), Weights(j, sx, w));
                    for (var ch = 0; ch < c; ch++)
                    {
                        var sum = 0.0;
                        for (var u = 0; u < h; u++)
                            for (var v = 0; v < w; v++) sum += wy[u] * wx[v] * x[((b * h + u) * w + v) * c + ch];
                        y[((b * oh + i) * ow + j) * c + ch] = (float)(sum / (sy * sx));
                    }
                }
        return y;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ResizeAreaAveragesAsTheKernel(int opset)
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, 5, 7, 3), name: "images");
        var bytes = tf.placeholder(tf.uint8, new Shape(-1, 5, 7, 3), name: "bytes");
        (int H, int W, bool Align)[] sizes = [(3, 4, false), (10, 9, false), (5, 7, false), (2, 11, false), (3, 4, true), (9, 13, true), (1, 1, true)];
        var outputs = sizes.Select(s => tf.image.resize_area(images, new[] { s.H, s.W }, align_corners: s.Align)).ToList();
        outputs.Add(tf.image.resize_area(bytes, new[] { 4, 3 }));
        Assert.All(outputs, y => Assert.Equal("ResizeArea", y.op.type));
        using var sess = tf.Session();
        var xv = F(40, 2, 5, 7, 3);
        var bv = NDArray.FromFlat(Uniform(41, 0, 256, 2, 5, 7, 3).ToArray<float>().Select(v => (byte)v).ToArray(), new Shape(2, 5, 7, 3));
        var ours = ExportAgrees(sess, In(images, bytes), [.. outputs], [("images", xv), ("bytes", bv)], opset, tolerance: 1e-5);
        for (var k = 0; k < sizes.Length; k++)
        {
            var expected = AreaReference(xv.ToArray<float>(), 2, 5, 7, 3, sizes[k].H, sizes[k].W, sizes[k].Align);
            Same(NDArray.FromFlat(expected, ours[k].shape), ours[k], $"ResizeArea {sizes[k]}", 1e-5);
        }
        var expectedBytes = AreaReference([.. bv.ToArray<byte>().Select(b => (float)b)], 2, 5, 7, 3, 4, 3, false);
        Same(NDArray.FromFlat(expectedBytes, ours[^1].shape), ours[^1], "ResizeArea uint8", 1e-5);
    }

    [Fact]
    public void ResizeAreaOfUnknownSizesIsRefused()
    {
        using var g = TestGraph.Enter();
        var images = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 3), name: "images");
        var area = tf.image.resize_area(images, new[] { 3, 3 });
        var known = tf.placeholder(tf.float32, new Shape(1, 4, 4, 1), name: "known");
        var size = tf.placeholder(tf.int32, new Shape(2), name: "size");
        var fedSize = tf.image.resize_area(known, size);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(images), Out(area), 17));
        Assert.Equal($"Cannot export ResizeArea \"{area.op.name}\" to ONNX: the height and width of its images are unknown ((?, ?, ?, 3)); its matrices need them.", e.RawMessage);
        Assert.Equal(area.op.name, e.NodeName);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(known, size), Out(fedSize), 13));
        Assert.Equal($"Cannot export ResizeArea \"{fedSize.op.name}\" to ONNX: its size depends on the inputs.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ResizeBicubicGradIsTheAdjointOfTheForward(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 5, 6, 2), name: "x");
        var x64 = tf.placeholder(tf.float64, new Shape(-1, 5, 6, 2), name: "x64");
        (int H, int W, bool Align, bool Half)[] cases = [(9, 11, false, false), (3, 4, false, false), (9, 11, true, false), (3, 4, false, true), (8, 3, false, true), (1, 7, true, false), (5, 6, false, true)];
        var outputs = new List<Tensor>();
        var forwards = new List<Tensor>();
        var inputs = new List<Tensor> { x, x64 };
        var (xv, x64v) = (F(50, 2, 5, 6, 2), F(51, 2, 5, 6, 2).Cast(DType.float64));
        var feed = new List<(string, NDArray)> { ("x", xv), ("x64", x64v) };
        for (var k = 0; k < cases.Length; k++)
        {
            var (h, w, align, half) = cases[k];
            var y = tf.image.resize_bicubic(k == cases.Length - 1 ? x64 : x, new[] { h, w }, align_corners: align, half_pixel_centers: half);
            var dy = tf.placeholder(tf.float32, y.shape, name: $"dy_{k}");
            var dx = tf.gradients(y, k == cases.Length - 1 ? x64 : x, grad_ys: dy)[0]!;
            Assert.Equal("ResizeBicubicGrad", dx.op.type);
            outputs.Add(dx);
            forwards.Add(y);
            inputs.Add(dy);
            feed.Add((dy.op.name, F(60 + k, 2, h, w, 2)));
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset, tolerance: 1e-5);
        var dict = new FeedDict { [x] = xv, [x64] = x64v };
        var ys = sess.run([.. forwards], dict);
        for (var k = 0; k < cases.Length; k++)
        {
            // <dy, resize(x)> = <dx, x>: the gradient is the forward's adjoint.
            var source = (k == cases.Length - 1 ? x64v : xv).Cast(DType.float64).ToArray<double>();
            var dy = feed[2 + k].Item2.Cast(DType.float64).ToArray<double>();
            var left = dy.Zip(ys[k].Cast(DType.float64).ToArray<double>(), (a, b) => a * b).Sum();
            var right = ours[k].Cast(DType.float64).ToArray<double>().Zip(source, (a, b) => a * b).Sum();
            Assert.True(System.Math.Abs(left - right) <= 1e-4 * System.Math.Max(1, System.Math.Abs(left)), $"ResizeBicubicGrad {cases[k]}: <dy, y> = {left}, <dx, x> = {right}");
        }
        Assert.Equal(DType.float64, ours[^1].dtype);
    }

    [Fact]
    public void ResizeBicubicGradOfUnknownSizesIsRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 2), name: "x");
        var dx = tf.gradients(tf.image.resize_bicubic(x, new[] { 4, 4 }), x)[0]!;
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), Out(dx), 17));
        Assert.Equal($"Cannot export ResizeBicubicGrad \"{dx.op.name}\" to ONNX: the height and width of its original_image are unknown ((?, ?, ?, 2)); its matrices need them.", e.RawMessage);
        Assert.Equal(dx.op.name, e.NodeName);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    public void CropAndResizeGradImageIsTheAdjointOfTheCrop(int opset)
    {
        using var g = TestGraph.Enter();
        var image = tf.placeholder(tf.float32, new Shape(-1, 4, 5, 2), name: "image");
        var image64 = tf.placeholder(tf.float64, new Shape(-1, 4, 5, 2), name: "image64");
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var index = tf.placeholder(tf.int32, new Shape(-1), name: "index");
        (Tensor Image, int H, int W, string Method)[] cases = [(image, 3, 4, "bilinear"), (image, 1, 1, "bilinear"), (image, 5, 3, "nearest"), (image64, 2, 3, "bilinear")];
        var outputs = new List<Tensor>();
        var crops = new List<Tensor>();
        var inputs = new List<Tensor> { image, image64, boxes, index };
        // A box inside, one flipped, one partly outside the image, one of a single point, one that samples at halves.
        var corners = NDArray.FromFlat(new[] { 0.1f, 0.2f, 0.9f, 0.7f, 1f, 1f, 0f, 0f, -0.9f, 0.3f, 0.1f, 1.4f, 0.5f, 0.5f, 0.5f, 0.5f, 0f, 0.125f, 1f, 0.875f }, new Shape(5, 4));
        var (xv, x64v) = (F(70, 2, 4, 5, 2), F(71, 2, 4, 5, 2).Cast(DType.float64));
        var feed = new List<(string, NDArray)> { ("image", xv), ("image64", x64v), ("boxes", corners), ("index", NDArray.FromFlat(new[] { 0, 1, 1, 0, 1 }, new Shape(5))) };
        for (var k = 0; k < cases.Length; k++)
        {
            var crop = tf.image.crop_and_resize(cases[k].Image, boxes, index, new[] { cases[k].H, cases[k].W }, cases[k].Method);
            var dy = tf.placeholder(tf.float32, new Shape(-1, cases[k].H, cases[k].W, 2), name: $"dy_{k}");
            var dx = tf.gradients(crop, cases[k].Image, grad_ys: dy)[0]!;
            Assert.Equal("CropAndResizeGradImage", dx.op.type);
            outputs.Add(dx);
            crops.Add(crop);
            inputs.Add(dy);
            feed.Add((dy.op.name, F(80 + k, 5, cases[k].H, cases[k].W, 2)));
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset, tolerance: 1e-5, reimport: false);
        var dict = new FeedDict { [image] = xv, [image64] = x64v, [boxes] = corners, [index] = feed[3].Item2 };
        var ys = sess.run([.. crops], dict);
        for (var k = 0; k < cases.Length; k++)
        {
            // <dy, crop(x)> = <dx, x>: the crop (extrapolating zeros) is linear in the image.
            var source = (k == cases.Length - 1 ? x64v : xv).Cast(DType.float64).ToArray<double>();
            var left = feed[4 + k].Item2.Cast(DType.float64).ToArray<double>().Zip(ys[k].Cast(DType.float64).ToArray<double>(), (a, b) => a * b).Sum();
            var right = ours[k].Cast(DType.float64).ToArray<double>().Zip(source, (a, b) => a * b).Sum();
            Assert.True(System.Math.Abs(left - right) <= 1e-4 * System.Math.Max(1, System.Math.Abs(left)), $"CropAndResizeGradImage {k}: <dy, y> = {left}, <dx, x> = {right}");
        }
        Assert.Equal(DType.float64, ours[^1].dtype);
    }

    [Fact]
    public void CropAndResizeGradientsAreRefusedBelowOpset16OrWithoutTheirCropSize()
    {
        using var g = TestGraph.Enter();
        var image = tf.placeholder(tf.float32, new Shape(-1, 4, 5, 2), name: "image");
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var index = tf.placeholder(tf.int32, new Shape(-1), name: "index");
        var dx = tf.gradients(tf.image.crop_and_resize(image, boxes, index, new[] { 2, 2 }), image)[0]!;
        var grads = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 2), name: "grads");
        var unknown = global::SharpFlow.Ops.Image.CropAndResizeGradImage.Build(grads, boxes, index, new[] { 2, 4, 5, 2 }, DType.float32, "bilinear");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(image, boxes, index), Out(dx), 13));
        Assert.Equal($"Cannot export CropAndResizeGradImage \"{dx.op.name}\" to ONNX at opset 13: its mapping needs opset 16.", e.RawMessage);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(grads, boxes, index), Out(unknown), 17));
        Assert.Equal($"Cannot export CropAndResizeGradImage \"{unknown.op.name}\" to ONNX: the crop height and width of its grads are unknown ((?, ?, ?, 2)); its sample positions need them.", e.RawMessage);
        Assert.Equal(unknown.op.name, e.NodeName);
        var boxesGrad = global::SharpFlow.Ops.Image.CropAndResizeGradBoxes.Build(grads, image, boxes, index, "bilinear");
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(grads, image, boxes, index), Out(boxesGrad), 13));
        Assert.Equal($"Cannot export CropAndResizeGradBoxes \"{boxesGrad.op.name}\" to ONNX: the crop height and width of its grads are unknown ((?, ?, ?, 2)); its sample positions need them.", e.RawMessage);
    }

    /// <summary>Plain CropAndResizeGradBoxes (NHWC, float64): TensorFlow's kernel's formulas.</summary>
    private static double[] BoxesGradReference(float[] grads, double[] image, float[] boxes, int[] index, int h, int w, int d, int ch, int cw)
    {
        var output = new double[boxes.Length];
        for (var b = 0; b < index.Length; b++)
        {
            var (y1, x1, y2, x2) = (boxes[b * 4], boxes[b * 4 + 1], boxes[b * 4 + 2], boxes[b * 4 + 3]);
            for (var y = 0; y < ch; y++)
            {
                double inY = ch > 1 ? y1 * (h - 1) + y * ((y2 - y1) * (h - 1) / (double)(ch - 1)) : 0.5 * (y1 + y2) * (h - 1);
                if (inY < 0 || inY > h - 1) continue;
                var (top, bottom) = ((int)System.Math.Floor(inY), (int)System.Math.Ceiling(inY));
                for (var x = 0; x < cw; x++)
                {
                    double inX = cw > 1 ? x1 * (w - 1) + x * ((x2 - x1) * (w - 1) / (double)(cw - 1)) : 0.5 * (x1 + x2) * (w - 1);
                    if (inX < 0 || inX > w - 1) continue;
                    var (left, right) = ((int)System.Math.Floor(inX), (int)System.Math.Ceiling(inX));
                    var (yl, xl) = (inY - top, inX - left);
                    for (var c = 0; c < d; c++)
                    {
                        double P(int r, int col) => image[((index[b] * h + r) * w + col) * d + c];
                        var g = grads[((b * ch + y) * cw + x) * d + c];
                        var gradY = ((1 - xl) * (P(bottom, left) - P(top, left)) + xl * (P(bottom, right) - P(top, right))) * g;
                        var gradX = ((1 - yl) * (P(top, right) - P(top, left)) + yl * (P(bottom, right) - P(bottom, left))) * g;
                        var (ry, rx) = (ch > 1 ? (h - 1) / (double)(ch - 1) : 0, cw > 1 ? (w - 1) / (double)(cw - 1) : 0);
                        output[b * 4] += gradY * (ch > 1 ? h - 1 - y * ry : 0.5 * (h - 1));
                        output[b * 4 + 2] += gradY * (ch > 1 ? y * ry : 0.5 * (h - 1));
                        output[b * 4 + 1] += gradX * (cw > 1 ? w - 1 - x * rx : 0.5 * (w - 1));
                        output[b * 4 + 3] += gradX * (cw > 1 ? x * rx : 0.5 * (w - 1));
                    }
                }
            }
        }
        return output;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void CropAndResizeGradBoxesMovesTheCornersAsTheKernel(int opset)
    {
        using var g = TestGraph.Enter();
        var image = tf.placeholder(tf.float32, new Shape(-1, 4, 5, 2), name: "image");
        var image64 = tf.placeholder(tf.float64, new Shape(-1, 4, 5, 2), name: "image64");
        var boxes = tf.placeholder(tf.float32, new Shape(-1, 4), name: "boxes");
        var index = tf.placeholder(tf.int32, new Shape(-1), name: "index");
        (Tensor Image, int H, int W)[] cases = [(image, 3, 4), (image, 1, 1), (image, 1, 3), (image64, 2, 3)];
        var outputs = new List<Tensor>();
        var inputs = new List<Tensor> { image, image64, boxes, index };
        // A box inside, one flipped, one partly outside the image, one of a single point, one that samples at halves.
        var corners = NDArray.FromFlat(new[] { 0.1f, 0.2f, 0.9f, 0.7f, 1f, 1f, 0f, 0f, -0.9f, 0.3f, 0.1f, 1.4f, 0.5f, 0.5f, 0.5f, 0.5f, 0f, 0.125f, 1f, 0.875f }, new Shape(5, 4));
        var (xv, x64v) = (F(90, 2, 4, 5, 2), F(91, 2, 4, 5, 2).Cast(DType.float64));
        var feed = new List<(string, NDArray)> { ("image", xv), ("image64", x64v), ("boxes", corners), ("index", NDArray.FromFlat(new[] { 0, 1, 1, 0, 1 }, new Shape(5))) };
        for (var k = 0; k < cases.Length; k++)
        {
            var crop = tf.image.crop_and_resize(cases[k].Image, boxes, index, new[] { cases[k].H, cases[k].W });
            var dy = tf.placeholder(tf.float32, new Shape(-1, cases[k].H, cases[k].W, 2), name: $"dy_{k}");
            var db = tf.gradients(crop, boxes, grad_ys: dy)[0]!;
            Assert.Equal("CropAndResizeGradBoxes", db.op.type);
            outputs.Add(db);
            inputs.Add(dy);
            feed.Add((dy.op.name, F(100 + k, 5, cases[k].H, cases[k].W, 2)));
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset, tolerance: 1e-4, reimport: false);
        for (var k = 0; k < cases.Length; k++)
        {
            var source = (k == cases.Length - 1 ? x64v : xv).Cast(DType.float64).ToArray<double>();
            var expected = BoxesGradReference(feed[4 + k].Item2.ToArray<float>(), source, corners.ToArray<float>(), [0, 1, 1, 0, 1], 4, 5, 2, cases[k].H, cases[k].W);
            Same(NDArray.FromFlat(expected, new Shape(5, 4)), ours[k].Cast(DType.float64), $"CropAndResizeGradBoxes {cases[k].H}x{cases[k].W}", 1e-4);
        }
    }
}
