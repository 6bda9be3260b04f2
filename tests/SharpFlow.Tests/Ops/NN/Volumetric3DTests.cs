using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>Conv3D, its backprops, MaxPool3D and AvgPool3D (and their gradient ops) against plain reference loops in float64.</summary>
public class Volumetric3DTests
{
    private static double[] Rand(int n, int seed)
    {
        var r = new System.Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1)];
    }

    private static Tensor Const(double[] v, params int[] shape) => tf.constant(NDArray.FromFlat(v, new Shape(shape)));

    private static (int Out, int Pad) Window(int size, int k, int stride, int dilation, bool same)
    {
        var eff = (k - 1) * dilation + 1;
        if (!same) return ((size - eff + stride) / stride, 0);
        var output = (size + stride - 1) / stride;
        return (output, Math.Max(0, (output - 1) * stride + eff - size) / 2);
    }

    private sealed record Geo(int N, int D, int H, int W, int C, int Kd, int Kh, int Kw, int S, int Dil, bool Same)
    {
        public (int Out, int Pad) Z => Window(D, Kd, S, Dil, Same);
        public (int Out, int Pad) Y => Window(H, Kh, S, Dil, Same);
        public (int Out, int Pad) X => Window(W, Kw, S, Dil, Same);

        /// <summary>Every (output position, tap, input position inside the volume).</summary>
        public IEnumerable<(int N, int Oz, int Oy, int Ox, int A, int B, int E, int Iz, int Iy, int Ix)> Taps()
        {
            for (var n = 0; n < N; n++)
                for (var oz = 0; oz < Z.Out; oz++)
                    for (var oy = 0; oy < Y.Out; oy++)
                        for (var ox = 0; ox < X.Out; ox++)
                            for (var a = 0; a < Kd; a++)
                                for (var b = 0; b < Kh; b++)
                                    for (var e = 0; e < Kw; e++)
                                    {
                                        int iz = oz * S - Z.Pad + a * Dil, iy = oy * S - Y.Pad + b * Dil, ix = ox * S - X.Pad + e * Dil;
                                        if (iz < 0 || iz >= D || iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                        yield return (n, oz, oy, ox, a, b, e, iz, iy, ix);
                                    }
        }

        public int In(int n, int z, int y, int x) => (((n * D + z) * H + y) * W + x) * C;

        public int Out(int n, int z, int y, int x, int channels) => (((n * Z.Out + z) * Y.Out + y) * X.Out + x) * channels;

        public Shape OutShape(int channels) => new(N, Z.Out, Y.Out, X.Out, channels);
    }

    [Theory]
    [InlineData("SAME", 1, 1)]
    [InlineData("VALID", 1, 1)]
    [InlineData("SAME", 2, 1)]
    [InlineData("VALID", 2, 1)]
    [InlineData("SAME", 1, 2)]
    public void Conv3DAndItsBackprops(string padding, int stride, int dilation)
    {
        using var g = TestGraph.Enter();
        var geo = new Geo(2, 4, 5, 4, 2, 2, 3, 2, stride, dilation, padding == "SAME");
        const int cout = 3;
        var x = Rand(geo.N * geo.D * geo.H * geo.W * geo.C, 1);
        var f = Rand(geo.Kd * geo.Kh * geo.Kw * geo.C * cout, 2);
        var y = new double[geo.OutShape(cout).NumElements];
        foreach (var t in geo.Taps())
            for (var q = 0; q < geo.C; q++)
                for (var o = 0; o < cout; o++)
                    y[geo.Out(t.N, t.Oz, t.Oy, t.Ox, cout) + o] += x[geo.In(t.N, t.Iz, t.Iy, t.Ix) + q] * f[(((t.A * geo.Kh + t.B) * geo.Kw + t.E) * geo.C + q) * cout + o];
        var input = Const(x, geo.N, geo.D, geo.H, geo.W, geo.C);
        var filter = Const(f, geo.Kd, geo.Kh, geo.Kw, geo.C, cout);
        var conv = tf.nn.conv3d(input, filter, [1, stride, stride, stride, 1], padding, dilations: [1, dilation, dilation, dilation, 1]);
        Assert.Equal("Conv3D", conv.op.type);
        Assert.Equal(geo.OutShape(cout), conv.shape);
        AssertArray.Close(NDArray.FromFlat(y, geo.OutShape(cout)), g.Eval(conv), 1e-12);

        // The backprops: d(sum(conv * dy)) with respect to the input and the filter.
        var dy = Rand(y.Length, 3);
        var dx = new double[x.Length];
        var df = new double[f.Length];
        foreach (var t in geo.Taps())
            for (var q = 0; q < geo.C; q++)
                for (var o = 0; o < cout; o++)
                {
                    var fi = (((t.A * geo.Kh + t.B) * geo.Kw + t.E) * geo.C + q) * cout + o;
                    var g0 = dy[geo.Out(t.N, t.Oz, t.Oy, t.Ox, cout) + o];
                    dx[geo.In(t.N, t.Iz, t.Iy, t.Ix) + q] += g0 * f[fi];
                    df[fi] += g0 * x[geo.In(t.N, t.Iz, t.Iy, t.Ix) + q];
                }
        var grads = tf.gradients(tf.reduce_sum(conv * Const(dy, geo.OutShape(cout).Dims)), [input, filter]);
        Assert.Contains("Conv3DBackpropInputV2", g.Graph.get_operations().Select(o => o.type));
        Assert.Contains("Conv3DBackpropFilterV2", g.Graph.get_operations().Select(o => o.type));
        AssertArray.Close(NDArray.FromFlat(dx, input.shape), g.Eval(grads[0]!), 1e-12);
        AssertArray.Close(NDArray.FromFlat(df, filter.shape), g.Eval(grads[1]!), 1e-12);
    }

    [Theory]
    [InlineData("SAME", 2, 2)]
    [InlineData("VALID", 2, 1)]
    [InlineData("SAME", 3, 2)]
    [InlineData("VALID", 3, 3)]
    public void Pooling3DAndItsGradients(string padding, int k, int stride)
    {
        using var g = TestGraph.Enter();
        var geo = new Geo(2, 5, 4, 6, 2, k, k, k, stride, 1, padding == "SAME");
        var x = Rand(geo.N * geo.D * geo.H * geo.W * geo.C, 4);
        var outShape = geo.OutShape(geo.C);
        var max = Enumerable.Repeat(double.NegativeInfinity, (int)outShape.NumElements).ToArray();
        var argmax = new int[max.Length];
        var sum = new double[max.Length];
        var count = new int[max.Length];
        foreach (var t in geo.Taps())
            for (var q = 0; q < geo.C; q++)
            {
                var o = geo.Out(t.N, t.Oz, t.Oy, t.Ox, geo.C) + q;
                var i = geo.In(t.N, t.Iz, t.Iy, t.Ix) + q;
                if (x[i] > max[o]) (max[o], argmax[o]) = (x[i], i);
                sum[o] += x[i];
                count[o]++;
            }
        var input = Const(x, geo.N, geo.D, geo.H, geo.W, geo.C);
        int[] ksize = [1, k, k, k, 1], strides = [1, stride, stride, stride, 1];
        var mp = tf.nn.max_pool3d(input, ksize, strides, padding);
        var ap = tf.nn.avg_pool3d(input, ksize, strides, padding);
        Assert.Equal(outShape, mp.shape);
        AssertArray.Close(NDArray.FromFlat(max, outShape), g.Eval(mp), 0);
        AssertArray.Close(NDArray.FromFlat(sum.Select((s, i) => s / count[i]).ToArray(), outShape), g.Eval(ap), 1e-12);

        var dy = Rand(max.Length, 5);
        var dxMax = new double[x.Length];
        var dxAvg = new double[x.Length];
        for (var o = 0; o < max.Length; o++) dxMax[argmax[o]] += dy[o];
        foreach (var t in geo.Taps())
            for (var q = 0; q < geo.C; q++)
            {
                var o = geo.Out(t.N, t.Oz, t.Oy, t.Ox, geo.C) + q;
                dxAvg[geo.In(t.N, t.Iz, t.Iy, t.Ix) + q] += dy[o] / count[o];
            }
        var dyT = Const(dy, outShape.Dims);
        var gMax = tf.gradients(tf.reduce_sum(mp * dyT), input)[0]!;
        var gAvg = tf.gradients(tf.reduce_sum(ap * dyT), input)[0]!;
        Assert.Equal("MaxPool3DGrad", gMax.op.type);
        Assert.Equal("AvgPool3DGrad", gAvg.op.type);
        AssertArray.Close(NDArray.FromFlat(dxMax, input.shape), g.Eval(gMax), 0);
        AssertArray.Close(NDArray.FromFlat(dxAvg, input.shape), g.Eval(gAvg), 1e-12);
    }

    [Fact]
    public void Float32AgreesWithFloat64()
    {
        using var g = TestGraph.Enter();
        var x = Rand(1 * 3 * 4 * 4 * 2, 6);
        var f = Rand(2 * 2 * 2 * 2 * 2, 7);
        var c64 = g.Eval(tf.nn.conv3d(Const(x, 1, 3, 4, 4, 2), Const(f, 2, 2, 2, 2, 2), [1, 1, 1, 1, 1], "SAME")).ToArray<double>();
        var c32 = g.Eval(tf.nn.conv3d(tf.cast(Const(x, 1, 3, 4, 4, 2), tf.float32), tf.cast(Const(f, 2, 2, 2, 2, 2), tf.float32), [1, 1, 1, 1, 1], "SAME")).ToArray<float>();
        for (var i = 0; i < c64.Length; i++) Assert.Equal(c64[i], c32[i], 1e-5);
    }

    [Fact]
    public void ErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var volume = tf.zeros(new Shape(1, 4, 4, 4, 2));
        Assert.StartsWith("Conv3D \"Conv3D\": filter must be 5-dimensional", Assert.Throws<ValueError>(() => tf.nn.conv3d(volume, tf.zeros(new Shape(2, 2, 2, 2)), [1, 1, 1, 1, 1], "SAME")).Message);
        Assert.Contains("Conv3D", Assert.Throws<ValueError>(() => tf.nn.conv3d(volume, tf.zeros(new Shape(2, 2, 2, 3, 1)), [1, 1, 1, 1, 1], "SAME")).Message);
        Assert.Contains("strides must have 5 entries", Assert.Throws<ValueError>(() => tf.nn.conv3d(volume, tf.zeros(new Shape(2, 2, 2, 2, 1)), [1, 1, 1, 1], "SAME")).Message);
        Assert.StartsWith("MaxPool3D \"MaxPool3D\": input must be 5-dimensional", Assert.Throws<ValueError>(() => tf.nn.max_pool3d(tf.zeros(new Shape(1, 4, 4, 2)), [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "SAME")).Message);
        Assert.StartsWith("AvgPool3D \"AvgPool3D\": ksize in the batch and channel dimensions must be 1", Assert.Throws<ValueError>(() => tf.nn.avg_pool3d(volume, [2, 2, 2, 2, 1], [1, 1, 1, 1, 1], "SAME")).Message);
        Assert.Contains("AvgPool3D", Assert.Throws<ValueError>(() => tf.nn.avg_pool3d(volume, [1, 6, 2, 2, 1], [1, 1, 1, 1, 1], "VALID")).Message);
        Assert.Contains("AvgPool3D", Assert.Throws<TypeError>(() => tf.nn.avg_pool3d(tf.zeros(new Shape(1, 2, 2, 2, 1), tf.int32), [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], "VALID")).Message);
        Assert.Throws<ValueError>(() => tf.nn.conv3d(volume, tf.zeros(new Shape(2, 2, 2, 2, 1)), [1, 1, 1, 1, 1], "SAME", data_format: "NCDHW"));
        // Shapes known only at run time are checked by the kernels.
        var p = tf.placeholder(tf.float32);
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.nn.max_pool3d(p, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "SAME"), new FeedDict { [p] = new float[] { 1, 2 } }));
        Assert.Contains("input must be 5-dimensional", run.Message);
        Assert.Contains("MaxPool3D", run.Message);
        var pf = tf.placeholder(tf.float32);
        var bad = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.nn.conv3d(tf.zeros(new Shape(1, 3, 3, 3, 2)), pf, [1, 1, 1, 1, 1], "SAME"),
            new FeedDict { [pf] = NDArray.FromFlat(new float[8 * 3], new Shape(2, 2, 2, 3, 1)) }));
        Assert.Contains("input depth must be evenly divisible by filter depth", bad.Message);
        Assert.Contains("Conv3D", bad.Message);
    }
}
