using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The convolution gradients of training graphs (tf.gradients of Conv2D and DepthwiseConv2dNative) exported to ONNX:
/// Conv2DBackpropFilter and DepthwiseConv2dNativeBackpropFilter as a Conv of the images by the gradient,
/// DepthwiseConv2dNativeBackpropInput as a grouped ConvTranspose, Conv2DBackpropInput of an input of unknown batch,
/// Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 likewise in NCDHW; SAME, VALID and EXPLICIT padding, strides and
/// dilations. Each runs in ONNX Runtime against SharpFlow's own run (the filter gradients' Conv takes the gradient as
/// its weights, a value SharpFlow's ONNX import needs constant: not re-imported) and against plain sums, at opsets 13 and 17.
/// </summary>
public sealed class OnnxConvolutionGradientExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    /// <summary>
    /// Plain sums over every (image, output cell, filter cell, channel, multiplier) pair that a convolution of
    /// <paramref name="x"/> [n, h, w, c] by a filter [kh, kw, c, m] links (depthwise: output channel c·m + j reads
    /// channel c; else output channel j reads every channel): the filter's gradient and the input's.
    /// </summary>
    private static (float[] Filter, float[] Input) Reference(float[] x, float[] filter, float[] dy, int[] xShape, int[] fShape, int[] dyShape, int[] strides, int[] dilations, int top, int left, bool depthwise)
    {
        var (n, h, w, c) = (xShape[0], xShape[1], xShape[2], xShape[3]);
        var (kh, kw, m) = (fShape[0], fShape[1], fShape[3]);
        var (oh, ow, oc) = (dyShape[1], dyShape[2], dyShape[3]);
        var (dw, dx) = (new float[filter.Length], new float[x.Length]);
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var u = 0; u < kh; u++)
                        for (var v = 0; v < kw; v++)
                        {
                            var (row, col) = (i * strides[1] + u * dilations[1] - top, j * strides[2] + v * dilations[2] - left);
                            if (row < 0 || row >= h || col < 0 || col >= w) continue;
                            for (var ch = 0; ch < c; ch++)
                                for (var k = 0; k < m; k++)
                                {
                                    var o = depthwise ? ch * m + k : k;
                                    var g = dy[((b * oh + i) * ow + j) * oc + o];
                                    var xi = ((b * h + row) * w + col) * c + ch;
                                    var fi = ((u * kw + v) * c + ch) * m + k;
                                    dw[fi] += x[xi] * g;
                                    dx[xi] += filter[fi] * g;
                                }
                        }
        return (dw, dx);
    }

    /// <summary>TensorFlow's padding before the first window on one axis.</summary>
    private static int Before(string padding, int size, int outSize, int kernel, int stride, int dilation) =>
        padding == "SAME" ? System.Math.Max((outSize - 1) * stride + (kernel - 1) * dilation + 1 - size, 0) / 2 : 0;

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ConvolutionGradientsComputeAsTheKernels(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 7, 6, 3), name: "x");
        var xv = F(1, 2, 7, 6, 3);
        var inputs = new List<Tensor> { x };
        var feed = new List<(string, NDArray)> { ("x", xv) };
        var outputs = new List<Tensor>();
        var checks = new List<Action<NDArray[]>>();
        // (filter shape, strides, padding or null for EXPLICIT [top 2, bottom 1, left 0, right 3], dilations, depthwise).
        (int[] Filter, int[] Strides, string? Padding, int[] Dilations, bool Depthwise)[] cases =
        [
            ([3, 3, 3, 4], [1, 2, 2, 1], "SAME", [1, 1, 1, 1], false),
            ([2, 3, 3, 2], [1, 1, 1, 1], "VALID", [1, 2, 2, 1], false),
            ([3, 2, 3, 2], [1, 2, 1, 1], "VALID", [1, 1, 1, 1], false),
            ([3, 3, 3, 2], [1, 3, 2, 1], "SAME", [1, 1, 1, 1], false),
            ([2, 3, 3, 2], [1, 1, 2, 1], null, [1, 1, 1, 1], false),
            ([3, 2, 3, 2], [1, 1, 1, 1], "SAME", [1, 2, 3, 1], false),
            ([3, 3, 3, 2], [1, 2, 2, 1], "SAME", [1, 1, 1, 1], true),
            ([2, 2, 3, 1], [1, 1, 1, 1], "VALID", [1, 2, 2, 1], true),
            ([3, 2, 3, 2], [1, 3, 2, 1], "VALID", [1, 1, 1, 1], true),
        ];
        for (var k = 0; k < cases.Length; k++)
        {
            var (fShape, strides, padding, dilations, depthwise) = cases[k];
            var fv = Uniform(100 + k, -1, 1, fShape);
            var filter = tf.constant(fv);
            var y = depthwise ? tf.nn.depthwise_conv2d(x, filter, strides, padding!, [dilations[1], dilations[2]])
                : padding is null ? tf.nn.conv2d(x, filter, strides, [[0, 0], [2, 1], [0, 3], [0, 0]], dilations)
                : tf.nn.conv2d(x, filter, strides, padding, dilations);
            var dy = tf.placeholder(tf.float32, y.shape, name: $"dy_{k}");
            var grads = tf.gradients(y, [x, filter], grad_ys: dy);
            var (dx, dw) = (grads[0]!, grads[1]!);
            Assert.Equal(depthwise ? "DepthwiseConv2dNativeBackpropFilter" : "Conv2DBackpropFilter", dw.op.type);
            int[] dyShape = [2, .. y.shape.Dims.Skip(1)];
            var dyv = F(200 + k, dyShape);
            inputs.Add(dy);
            feed.Add((dy.op.name, dyv));
            var (top, left) = padding is null ? (2, 0) : (Before(padding, 7, dyShape[1], fShape[0], strides[1], dilations[1]), Before(padding, 6, dyShape[2], fShape[1], strides[2], dilations[2]));
            var (expectedFilter, expectedInput) = Reference(xv.ToArray<float>(), fv.ToArray<float>(), dyv.ToArray<float>(), [2, 7, 6, 3], fShape, dyShape, strides, dilations, top, left, depthwise);
            var at = outputs.Count;
            outputs.Add(dw);
            var name = $"case {k} ({string.Join(",", fShape)} strides {string.Join(",", strides)} {padding ?? "EXPLICIT"} dilations {string.Join(",", dilations)})";
            checks.Add(ours => Same(NDArray.FromFlat(expectedFilter, new Shape(fShape)), ours[at], $"{dw.op.type} {name}", 1e-5));
            // Conv2DBackpropInput's input_sizes is the Shape of x, of unknown batch (its EXPLICIT padding is refused).
            if (depthwise || padding is not null)
            {
                Assert.Equal(depthwise ? "DepthwiseConv2dNativeBackpropInput" : "Conv2DBackpropInput", dx.op.type);
                outputs.Add(dx);
                checks.Add(ours => Same(NDArray.FromFlat(expectedInput, new Shape(2, 7, 6, 3)), ours[at + 1], $"{dx.op.type} {name}", 1e-5));
            }
        }
        using var sess = tf.Session();
        var values = ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset, tolerance: 1e-5);
        foreach (var check in checks) check(values);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void VolumetricConvolutionGradientsComputeAsTheKernels(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 5, 6, 2), name: "x");
        var inputs = new List<Tensor> { x };
        var feed = new List<(string, NDArray)> { ("x", F(1, 2, 4, 5, 6, 2)) };
        var outputs = new List<Tensor>();
        (int[] Strides, string Padding, int[] Dilations)[] cases =
            [([1, 1, 2, 1, 1], "SAME", [1, 1, 1, 1, 1]), ([1, 1, 1, 1, 1], "VALID", [1, 2, 1, 2, 1]), ([1, 2, 1, 3, 1], "VALID", [1, 1, 1, 1, 1]), ([1, 2, 2, 2, 1], "SAME", [1, 1, 1, 1, 1])];
        for (var k = 0; k < cases.Length; k++)
        {
            var (strides, padding, dilations) = cases[k];
            var filter = tf.constant(Uniform(30 + k, -1, 1, 2, 3, 2, 2, 3));
            var y = tf.nn.conv3d(x, filter, strides, padding, dilations: dilations);
            var dy = tf.placeholder(tf.float32, y.shape, name: $"dy_{k}");
            var grads = tf.gradients(y, [x, filter], grad_ys: dy);
            Assert.Equal(new[] { "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2" }, grads.Select(t => t!.op.type));
            inputs.Add(dy);
            feed.Add((dy.op.name, F(40 + k, [2, .. y.shape.Dims.Skip(1)])));
            outputs.AddRange(grads.Select(t => t!));
        }
        using var sess = tf.Session();
        ExportAgrees(sess, In([.. inputs]), [.. outputs], [.. feed], opset, tolerance: 1e-5);
    }

    [Fact]
    public void ConvolutionGradientsOfUnknownSpatialSizesAreRefused()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, -1, 3), name: "x");
        var filter = tf.constant(Uniform(1, -1, 1, 2, 2, 3, 2));
        var dw = tf.gradients(tf.nn.conv2d(x, filter, [1, 1, 1, 1], "SAME"), filter)[0]!;
        var dx = tf.gradients(tf.nn.depthwise_conv2d(x, filter, [1, 1, 1, 1], "SAME"), x)[0]!;
        Assert.Equal("DepthwiseConv2dNativeBackpropInput", dx.op.type);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = dw }, 13));
        Assert.Equal($"Cannot export Conv2DBackpropFilter \"{dw.op.name}\" to ONNX: the spatial sizes of its input are unknown ((?, ?, ?, 3)); the pads of its convolution need them.", e.RawMessage);
        e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = dx }, 13));
        Assert.Equal($"Cannot export DepthwiseConv2dNativeBackpropInput \"{dx.op.name}\" to ONNX: its input_sizes depends on the inputs.", e.RawMessage);
    }
}
