using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// Conv2D and DepthwiseConv2dNative with <c>padding="EXPLICIT"</c>: static and run-time shapes, values equal bit for
/// bit to Pad + VALID and to a plain float64 loop, the two backprop ops against the gradients of Pad + VALID, the
/// attributes through a GraphDef round trip, TensorFlow's attribute errors, and PadV2.
/// </summary>
public class ExplicitPaddingTests
{
    /// <summary>A session without the graph optimizer (which would fold the Pad + VALID references into EXPLICIT).</summary>
    private static Session Plain() => tf.Session(SharpFlow.Tests.Execution.Optimizer.GraphOptimizerTests.Config(false));

    private static NDArray Random(Shape shape, int seed, DType? dtype = null)
    {
        var r = new System.Random(seed);
        var v = new double[shape.NumElements];
        for (var i = 0; i < v.Length; i++) v[i] = r.NextDouble() * 2 - 1;
        return NDArray.FromFlat(v, shape).Cast(dtype ?? DType.float64);
    }

    /// <summary>The plain loop: y[n, oh, ow, o] = Σ x[n, oh·s - top + kh·d, ow·s - left + kw·d, c] · w[kh, kw, c, o] over the input's cells.</summary>
    private static double[] Reference(NDArray x, NDArray w, int[] strides, int[] dilations, int[] pads, out Shape shape)
    {
        var (xs, ws) = (x.Cast(DType.float64).ToArray<double>(), w.Cast(DType.float64).ToArray<double>());
        var (n, h, wd, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var (kh, kw, o) = (w.shape[0], w.shape[1], w.shape[3]);
        var oh = (h + pads[2] + pads[3] - ((kh - 1) * dilations[1] + 1)) / strides[1] + 1;
        var ow = (wd + pads[4] + pads[5] - ((kw - 1) * dilations[2] + 1)) / strides[2] + 1;
        shape = new Shape(n, oh, ow, o);
        var y = new double[n * oh * ow * o];
        for (var b = 0; b < n; b++)
            for (var i = 0; i < oh; i++)
                for (var j = 0; j < ow; j++)
                    for (var q = 0; q < o; q++)
                    {
                        var sum = 0.0;
                        for (var a = 0; a < kh; a++)
                            for (var e = 0; e < kw; e++)
                            {
                                var (r, col) = (i * strides[1] - pads[2] + a * dilations[1], j * strides[2] - pads[4] + e * dilations[2]);
                                if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                                for (var ch = 0; ch < c; ch++) sum += xs[((b * h + r) * wd + col) * c + ch] * ws[((a * kw + e) * c + ch) * o + q];
                            }
                        y[((b * oh + i) * ow + j) * o + q] = sum;
                    }
        return y;
    }

    public static TheoryData<string, int[], int[], int[], int[], string> Cases() => new()
    {
        // name, input [n, h, w, c], filter [kh, kw, in, out], strides, pads [top, bottom, left, right], dtype
        { "3x3 asymmetric", [2, 7, 6, 3], [3, 3, 3, 4], [1, 1, 1, 1], [2, 1, 0, 3], "float32" },
        { "stride 2", [1, 9, 8, 2], [3, 2, 2, 5], [1, 2, 2, 1], [1, 0, 2, 1], "float32" },
        { "7x7 stride 2 as ResNet's stem", [1, 16, 16, 3], [7, 7, 3, 8], [1, 2, 2, 1], [3, 3, 3, 3], "float32" },
        { "one channel (direct kernel)", [2, 10, 12, 1], [5, 5, 1, 6], [1, 1, 1, 1], [2, 2, 1, 3], "float32" },
        { "1x1 padded after only", [2, 4, 5, 3], [1, 1, 3, 2], [1, 1, 1, 1], [0, 2, 0, 1], "float32" },
        { "1x1 padded after, float64", [1, 3, 3, 2], [1, 1, 2, 3], [1, 1, 1, 1], [0, 1, 0, 2], "float64" },
        { "float64 large pads", [1, 4, 4, 2], [2, 2, 2, 2], [1, 1, 1, 1], [3, 2, 1, 4], "float64" },
    };

    private static (NDArray X, NDArray W) Inputs(int[] input, int[] filter, string dtype) =>
        (Random(new Shape(input), 1, (dtype == "float32" ? DType.float32 : DType.float64)), Random(new Shape(filter), 2, (dtype == "float32" ? DType.float32 : DType.float64)));

    [Theory, MemberData(nameof(Cases))]
    public void ExplicitConv2DEqualsPadPlusValidBitwiseAndTheReference(string name, int[] input, int[] filter, int[] strides, int[] pads, string dtype)
    {
        using var g = TestGraph.Enter();
        var (xv, wv) = Inputs(input, filter, dtype);
        var x = tf.placeholder(xv.dtype, new Shape(input));
        var w = tf.constant(wv);
        int[][] padding = [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]];
        var y = tf.nn.conv2d(x, w, strides, padding);
        var padded = tf.nn.conv2d(tf.pad(x, new[,] { { 0, 0 }, { pads[0], pads[1] }, { pads[2], pads[3] }, { 0, 0 } }), w, strides, "VALID");
        var expected = Reference(xv, wv, strides, [1, 1, 1, 1], [0, 0, .. pads, 0, 0], out var shape);
        Assert.Equal(shape, y.shape);
        Assert.Equal("EXPLICIT", y.op.attrs["padding"]);
        Assert.Equal(new[] { 0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0 }, (int[])y.op.attrs["explicit_paddings"]);
        using var sess = Plain();
        var results = sess.run([y, padded], new FeedDict { [x] = xv });
        Assert.Equal(shape, results[0].shape);
        Assert.True(results[1].ValueEquals(results[0]), name + ": EXPLICIT differs from Pad + VALID");
        var actual = results[0].Cast(DType.float64).ToArray<double>();
        var tolerance = dtype == "float32" ? 1e-5 : 1e-12;
        for (var i = 0; i < expected.Length; i++) Assert.True(System.Math.Abs(actual[i] - expected[i]) <= tolerance, $"{name}: element {i}: {actual[i]} vs {expected[i]}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void TheBackpropOpsGiveTheGradientsOfPadPlusValid(string name, int[] input, int[] filter, int[] strides, int[] pads, string dtype)
    {
        using var g = TestGraph.Enter();
        var (xv, wv) = Inputs(input, filter, dtype);
        var x = tf.constant(xv);
        var w = tf.constant(wv);
        int[][] padding = [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]];
        var y = tf.nn.conv2d(x, w, strides, padding);
        var yp = tf.nn.conv2d(tf.pad(x, new[,] { { 0, 0 }, { pads[0], pads[1] }, { pads[2], pads[3] }, { 0, 0 } }), w, strides, "VALID");
        var weights = tf.constant(Random(y.shape, 3, xv.dtype));
        var grads = tf.gradients(tf.reduce_sum(y * weights), new[] { x, w });
        var gradsPadded = tf.gradients(tf.reduce_sum(yp * weights), new[] { x, w });
        Assert.Equal("EXPLICIT", grads[0]!.op.attrs["padding"]);
        Assert.Equal("Conv2DBackpropInput", grads[0]!.op.type);
        Assert.Equal("Conv2DBackpropFilter", grads[1]!.op.type);
        using var sess = Plain();
        var r = sess.run([grads[0]!, grads[1]!, gradsPadded[0]!, gradsPadded[1]!]);
        var tolerance = dtype == "float32" ? 1e-5 : 1e-12;
        for (var k = 0; k < 2; k++)
        {
            Assert.Equal(r[k + 2].shape, r[k].shape);
            var (a, b) = (r[k].Cast(DType.float64).ToArray<double>(), r[k + 2].Cast(DType.float64).ToArray<double>());
            for (var i = 0; i < a.Length; i++) Assert.True(System.Math.Abs(a[i] - b[i]) <= tolerance * (1 + System.Math.Abs(b[i])), $"{name}: gradient {k}, element {i}: {a[i]} vs {b[i]}");
        }
    }

    [Fact]
    public void DepthwiseAndDilatedExplicitConvolutionsEqualPadPlusValid()
    {
        using var g = TestGraph.Enter();
        var xv = Random(new Shape(2, 8, 7, 3), 4, DType.float32);
        var x = tf.constant(xv);
        var dw = tf.constant(Random(new Shape(3, 3, 3, 2), 5, DType.float32));
        var pads = new[,] { { 0, 0 }, { 2, 0 }, { 1, 3 }, { 0, 0 } };
        var depthwise = DepthwiseConv2dNative.Def.Build(x, dw, WindowAttrs.ForConv([1, 1, 1, 1], "EXPLICIT", null, [0, 0, 2, 0, 1, 3, 0, 0]));
        var depthwisePadded = tf.nn.depthwise_conv2d(tf.pad(x, pads), dw, [1, 1, 1, 1], "VALID");
        var w = tf.constant(Random(new Shape(3, 3, 3, 4), 6, DType.float32));
        var dilated = tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [2, 0], [1, 3], [0, 0]], dilations: [1, 2, 2, 1]);
        var dilatedPadded = tf.nn.conv2d(tf.pad(x, pads), w, [1, 1, 1, 1], "VALID", dilations: [1, 2, 2, 1]);
        using var sess = Plain();
        var r = sess.run([depthwise, depthwisePadded, dilated, dilatedPadded]);
        Assert.Equal(new Shape(2, 8, 9, 6), depthwise.shape);
        Assert.True(r[0].ValueEquals(r[1]));
        Assert.Equal(new Shape(2, 6, 7, 4), dilated.shape);
        Assert.True(r[2].ValueEquals(r[3]));
    }

    [Fact]
    public void UnknownSizesStayUnknownAndTheRunTimeShapeFollowsThePads()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, -1, 5, 2));
        var y = tf.nn.conv2d(x, tf.ones(new Shape(2, 2, 2, 3)), [1, 1, 2, 1], [[0, 0], [1, 2], [0, 1], [0, 0]]);
        Assert.Equal(new Shape(-1, -1, 3, 3), y.shape);
        Assert.Equal(new Shape(2, 6, 3, 3), g.Eval(y, new FeedDict { [x] = NDArray.Zeros(DType.float32, new Shape(2, 4, 5, 2)) }).shape);
    }

    [Fact]
    public void TheAttributesSurviveAGraphDefRoundTrip()
    {
        Tensorflow.GraphDef def;
        NDArray expected;
        var xv = Random(new Shape(1, 5, 5, 2), 7, DType.float32);
        using (var g = TestGraph.Enter())
        {
            var y = tf.nn.conv2d(tf.constant(xv, name: "x"), tf.constant(Random(new Shape(3, 3, 2, 2), 8, DType.float32)), [1, 1, 1, 1], [[0, 0], [1, 0], [2, 1], [0, 0]], name: "conv");
            expected = g.Eval(y);
            def = g.Graph.as_graph_def();
            var node = def.Node.Single(n => n.Name == "conv");
            Assert.Equal("EXPLICIT", node.Attr["padding"].S.ToStringUtf8());
            Assert.Equal(new long[] { 0, 0, 1, 0, 2, 1, 0, 0 }, node.Attr["explicit_paddings"].List.I);
        }
        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(def, name: "");
            var y = g.Graph.get_tensor_by_name("conv:0");
            Assert.Equal(new[] { 0, 0, 1, 0, 2, 1, 0, 0 }, (int[])y.op.attrs["explicit_paddings"]);
            using var sess = Plain();
            Assert.True(expected.ValueEquals(sess.run(y)));
        }
    }

    [Fact]
    public void BadExplicitPaddingsAreTensorFlowsErrorsNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(1, 5, 5, 2));
        var w = tf.ones(new Shape(3, 3, 2, 2));
        Exception Build(string padding, int[]? explicitPaddings) =>
            Assert.ThrowsAny<Exception>(() => Conv2D.Def.Build(x, w, WindowAttrs.ForConv([1, 1, 1, 1], padding, null, explicitPaddings), name: "bad"));
        var e = Build("EXPLICIT", [0, 0, 1, 1, 1, 1]);
        Assert.Contains("explicit_paddings attribute must contain 8 values, but got: 6", e.Message);
        Assert.Contains("bad", e.Message);
        Assert.Contains("All elements of explicit_paddings must be nonnegative", Build("EXPLICIT", [0, 0, -1, 1, 1, 1, 0, 0]).Message);
        Assert.Contains("Nonzero explicit padding in the batch or depth dimensions is not supported", Build("EXPLICIT", [1, 0, 1, 1, 1, 1, 0, 0]).Message);
        Assert.Contains("Nonzero explicit padding in the batch or depth dimensions is not supported", Build("EXPLICIT", [0, 0, 1, 1, 1, 1, 0, 2]).Message);
        Assert.Contains("explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT", Build("SAME", [0, 0, 1, 1, 1, 1, 0, 0]).Message);
        Assert.Contains("explicit_paddings attribute must contain 8 values, but got: 0", Build("EXPLICIT", null).Message);
        Assert.Contains("negative", Assert.ThrowsAny<Exception>(() => tf.nn.conv2d(x, tf.ones(new Shape(9, 3, 2, 2)), [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1], [0, 0]], name: "small")).Message);
        Assert.Contains("it must be of size 4. Got padding of size: 3", Assert.Throws<ValueError>(() => tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1]])).Message);
        Assert.Contains("each element of padding must be a list/tuple of size 2", Assert.Throws<ValueError>(() => tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [1, 1, 1], [1, 1], [0, 0]])).Message);
        // MaxPool has no EXPLICIT padding in TensorFlow.
        var pool = Assert.ThrowsAny<Exception>(() => MaxPool.Build(x, [1, 2, 2, 1], [1, 1, 1, 1], "EXPLICIT", "pool"));
        Assert.Contains("\"SAME\" or \"VALID\"", pool.Message);
        Assert.Contains("pool", pool.Message);
    }

    [Fact]
    public void PadV2FillsWithItsValueAndChecksIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new float[,] { { 1, 2 }, { 3, 4 } });
        var y = PadV2.Build(x, new[,] { { 1, 0 }, { 0, 2 } }, 7f);
        Assert.Equal(new Shape(3, 4), y.shape);
        Assert.Equal(new float[] { 7, 7, 7, 7, 1, 2, 7, 7, 3, 4, 7, 7 }, g.Eval(y).ToArray<float>());
        var ints = PadV2.Build(tf.constant(new[] { 5L, 6L }), new[,] { { 2, 1 } }, -9L);
        Assert.Equal(new long[] { -9, -9, 5, 6, -9 }, g.Eval(ints).ToArray<long>());
        var e = Assert.ThrowsAny<Exception>(() => PadV2.Build(x, new[,] { { 1, 0 }, { 0, 2 } }, tf.constant(new[] { 1f, 2f }), name: "pv"));
        Assert.Contains("constant_values must be a scalar", e.Message);
        Assert.Contains("pv", e.Message);
        var v = tf.placeholder(tf.float32, Shape.Unknown);
        var run = Assert.ThrowsAny<Exception>(() => g.Eval(PadV2.Build(x, new[,] { { 1, 0 }, { 0, 2 } }, v, name: "pv2"), new FeedDict { [v] = new float[] { 1, 2 } }));
        Assert.Contains("constant_values must be a scalar. Shape of constant_values: [2]", run.Message);
        Assert.Contains("pv2", run.Message);
    }
}
