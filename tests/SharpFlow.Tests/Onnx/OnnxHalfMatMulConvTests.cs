using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// float16 MatMul and convolutions: the float32 computation of the widened inputs, rounded to half once (as the
/// element-wise ops), against a float64 reference and against ONNX Runtime, whose CPU provider runs MatMul, Gemm and
/// Conv in half.
/// </summary>
public sealed class OnnxHalfMatMulConvTests
{
    private static NDArray H(int seed, params int[] shape) => F(seed, shape).Cast(DType.float16);

    private static void WithinHalfRounding(NDArray expected64, NDArray actual, string what)
    {
        Assert.Equal(DType.float16, actual.dtype);
        Assert.Equal(expected64.shape.Dims, actual.shape.Dims);
        var (e, a) = (expected64.ToArray<double>(), actual.Cast(DType.float64).ToArray<double>());
        for (var i = 0; i < e.Length; i++)
            Assert.True(System.Math.Abs(e[i] - a[i]) <= 1e-3 * System.Math.Max(1, System.Math.Abs(e[i])), $"{what}: element {i}: reference {e[i]}, SharpFlow {a[i]}");
    }

    [Fact]
    public void MatMulOfHalvesIsTheProductRoundedToHalf()
    {
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            using var g = TestGraph.Enter();
            var (m, k, n) = (3, 7, 4);
            var a = H(1, ta ? [k, m] : [m, k]);
            var b = H(2, tb ? [n, k] : [k, n]);
            var pa = tf.placeholder(tf.float16, a.shape);
            var pb = tf.placeholder(tf.float16, b.shape);
            var y = tf.matmul(pa, pb, transpose_a: ta, transpose_b: tb);
            Assert.Equal(DType.float16, y.dtype);
            using var sess = tf.Session();
            var got = sess.run(y, new FeedDict { [pa] = a, [pb] = b });
            var (av, bv) = (a.Cast(DType.float64).ToArray<double>(), b.Cast(DType.float64).ToArray<double>());
            var expected = new double[m * n];
            for (var i = 0; i < m; i++)
                for (var j = 0; j < n; j++)
                    for (var p = 0; p < k; p++)
                        expected[i * n + j] += av[ta ? p * m + i : i * k + p] * bv[tb ? j * k + p : p * n + j];
            WithinHalfRounding(NDArray.FromFlat(expected, new Shape(m, n)), got, $"matmul transpose_a={ta} transpose_b={tb}");
        }
    }

    [Theory]
    [InlineData("VALID", 1)]
    [InlineData("SAME", 1)]
    [InlineData("SAME", 2)]
    public void Conv2DAndDepthwiseOfHalvesAreTheConvolutionRoundedToHalf(string padding, int stride)
    {
        using var g = TestGraph.Enter();
        var x = H(3, 2, 5, 6, 3);
        var f = H(4, 3, 3, 3, 2);
        var px = tf.placeholder(tf.float16, x.shape);
        var conv = tf.nn.conv2d(px, tf.constant(f), [1, stride, stride, 1], padding);
        var depthwise = tf.nn.depthwise_conv2d(px, tf.constant(f), [1, stride, stride, 1], padding);
        // The same convolutions in float64 on the same (half) values.
        var px64 = tf.placeholder(tf.float64, x.shape);
        var f64 = tf.constant(f.Cast(DType.float64));
        var conv64 = tf.nn.conv2d(px64, f64, [1, stride, stride, 1], padding);
        var depthwise64 = tf.nn.depthwise_conv2d(px64, f64, [1, stride, stride, 1], padding);
        using var sess = tf.Session();
        var got = sess.run([conv, depthwise], new FeedDict { [px] = x });
        var expected = sess.run([conv64, depthwise64], new FeedDict { [px64] = x.Cast(DType.float64) });
        WithinHalfRounding(expected[0], got[0], $"conv2d {padding} stride {stride}");
        WithinHalfRounding(expected[1], got[1], $"depthwise_conv2d {padding} stride {stride}");
    }

    [Fact]
    public void ConvolutionWithABiasInHalfStaysUnfusedAndRuns()
    {
        using var g = TestGraph.Enter();
        var x = H(5, 1, 4, 4, 2);
        var px = tf.placeholder(tf.float16, x.shape);
        var y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(px, tf.constant(H(6, 2, 2, 2, 3)), [1, 1, 1, 1], "VALID"), tf.constant(H(7, 3))));
        var y64 = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(tf.cast(px, tf.float64), tf.constant(H(6, 2, 2, 2, 3).Cast(DType.float64)), [1, 1, 1, 1], "VALID"),
            tf.constant(H(7, 3).Cast(DType.float64))));
        using var sess = tf.Session();
        var got = sess.run([y, y64], new FeedDict { [px] = x });
        WithinHalfRounding(got[1], got[0], "relu(bias_add(conv2d))");
    }

    /// <summary>
    /// ONNX MatMul, Gemm and Conv on float16 inputs imported, against ONNX Runtime 1.31.1, whose CPU provider runs
    /// all three in half.
    /// </summary>
    [Fact]
    public void OnnxMatMulGemmAndConvInHalfAgreeWithOnnxRuntime()
    {
        Agrees("MatMul", 13, [], [H(8, 3, 5), H(9, 5, 2)], tolerance: 2e-3);
        Agrees("Gemm", 13, [("transB", 1L)], [H(10, 3, 5), H(11, 2, 5), H(12, 2)], tolerance: 2e-3);
        Agrees("Conv", 13, [("kernel_shape", new long[] { 3, 3 })], [H(13, 1, 2, 5, 5), H(14, 4, 2, 3, 3)], tolerance: 2e-3);
        Agrees("Conv", 13, [("kernel_shape", new long[] { 3, 3 }), ("group", 2L), ("pads", new long[] { 1, 1, 1, 1 })], [H(15, 1, 2, 5, 5), Const(H(16, 4, 1, 3, 3))], tolerance: 2e-3);
        Agrees("Conv", 13, [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })], [H(17, 2, 3, 6, 6), Const(H(18, 5, 3, 2, 2)), Const(H(19, 5))], tolerance: 2e-3);
    }
}
