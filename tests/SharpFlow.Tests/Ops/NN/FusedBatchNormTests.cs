using SharpFlow.GraphIO;
using SharpFlow.Ops.NN;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// FusedBatchNorm, V2 and V3 and their Grad ops: forward and gradients against plain float64 loops (training and
/// inference, NHWC and NCHW, the unbiased batch_variance), tf.nn.fused_batch_norm's wrapper rules, import of a
/// GraphDef as TensorFlow writes it, and the shape, type and run-time errors (gradient checks: the gradient table).
/// </summary>
public sealed class FusedBatchNormTests
{
    private static double[] Values(int n, int salt, double low = -2, double high = 2) =>
        [.. Enumerable.Range(0, n).Select(i => low + (high - low) * (((i * 37 + salt * 11) % 23) / 22.0) + 0.001 * i)];

    // The channel of flat element i of a tensor of shape dims in the given format.
    private static int Channel(int i, int[] dims, string format)
    {
        if (format[^1] == 'C') return i % dims[^1];
        var inner = 1;
        for (var d = 2; d < dims.Length; d++) inner *= dims[d];
        return i / inner % dims[1];
    }

    private sealed record Reference(double[] Y, double[] Mean, double[] BiasedVariance, double[] UnbiasedVariance);

    private static Reference Ref(double[] x, int[] dims, string format, double[] scale, double[] offset, double[]? mean, double[]? variance, double eps)
    {
        var c = scale.Length;
        var n = x.Length / c;
        var m = new double[c];
        var v = new double[c];
        if (mean is null)
        {
            for (var i = 0; i < x.Length; i++) m[Channel(i, dims, format)] += x[i] / n;
            for (var i = 0; i < x.Length; i++) { var k = Channel(i, dims, format); v[k] += (x[i] - m[k]) * (x[i] - m[k]) / n; }
        }
        else (m, v) = (mean, variance!);
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var k = Channel(i, dims, format);
            y[i] = (x[i] - m[k]) / Math.Sqrt(v[k] + eps) * scale[k] + offset[k];
        }
        return new Reference(y, m, v, [.. v.Select(a => a * n / Math.Max(n - 1, 1))]);
    }

    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"{what} element {i}: {actual[i]}, expected {expected[i]}");
    }

    private static double[] D(NDArray a) => a.dtype == DType.float64 ? a.ToArray<double>() : [.. a.Cast(DType.float32).ToArray<float>().Select(f => (double)f)];

    private static NDArray A(double[] x, Shape s, DType dtype) =>
        dtype == DType.float64 ? NDArray.FromFlat(x, s) : NDArray.FromFlat(x.Select(d => (float)d).ToArray(), s).Cast(dtype);

    private static Tensor[] BuildVersion(int version, TensorLike x, TensorLike scale, TensorLike offset, TensorLike mean, TensorLike variance, double eps,
        string format, bool training, double factor = 1.0) => version switch
        {
            1 => FusedBatchNorm.Build(x, scale, offset, mean, variance, eps, format, training, factor),
            2 => FusedBatchNormV2.Build(x, scale, offset, mean, variance, eps, format, training, factor),
            _ => FusedBatchNormV3.Build(x, scale, offset, mean, variance, eps, format, training, factor),
        };

    [Theory]
    [InlineData(1, "NHWC", "float32")]
    [InlineData(1, "NCHW", "float32")]
    [InlineData(2, "NHWC", "float32")]
    [InlineData(2, "NCHW", "float16")]
    [InlineData(3, "NHWC", "float32")]
    [InlineData(3, "NCHW", "float32")]
    [InlineData(3, "NHWC", "float64")]
    [InlineData(3, "NHWC", "float16")]
    [InlineData(3, "NDHWC", "float32")]
    [InlineData(3, "NCDHW", "float64")]
    public void TrainingMatchesAFloat64Loop(int version, string format, string dtypeName)
    {
        var dtype = DType.Parse(dtypeName);
        var statsType = dtype == DType.float64 ? DType.float64 : DType.float32;
        int[] dims = format.Length == 5 ? (format == "NDHWC" ? [2, 2, 3, 2, 5] : [2, 5, 2, 3, 2]) : format == "NHWC" ? [3, 4, 5, 6] : [3, 6, 4, 5];
        var c = format[^1] == 'C' ? dims[^1] : dims[1];
        var count = dims.Aggregate(1, (a, b) => a * b);
        var x = Values(count, 1, -3, 5);
        var (scale, offset) = (Values(c, 2, 0.5, 2), Values(c, 3));
        var tensorX = A(x, new Shape(dims), dtype);
        var xd = D(tensorX); // float16 rounds the input first
        var expected = Ref(xd, dims, format, scale, offset, null, null, 0.001f);
        using var g = TestGraph.Enter();
        var empty = NDArray.Zeros(statsType, new Shape(0));
        var r = BuildVersion(version, tensorX, A(scale, new Shape(c), statsType), A(offset, new Shape(c), statsType), empty, empty, 0.001, format, true);
        Assert.Equal(version == 3 ? 6 : 5, r.Length);
        Assert.Equal(new Shape(dims), r[0].shape);
        Assert.Equal(dtype, r[0].dtype);
        Assert.All(r[1..5], t => Assert.Equal(new Shape(c), t.shape));
        Assert.All(r[1..], t => Assert.Equal(statsType, t.dtype));
        using var sess = tf.Session();
        var v = sess.run(r);
        var tolerance = dtype == DType.float64 ? 1e-12 : dtype == DType.float16 ? 2e-3 : 2e-6;
        Close(expected.Y, D(v[0]), tolerance, "y");
        Close(expected.Mean, D(v[1]), dtype == DType.float64 ? 1e-12 : 2e-6, "batch_mean");
        Close(expected.UnbiasedVariance, D(v[2]), dtype == DType.float64 ? 1e-12 : 2e-6, "batch_variance (unbiased)");
        Close(expected.Mean, D(v[3]), dtype == DType.float64 ? 1e-12 : 2e-6, "reserve_space_1 (the batch mean)");
        Close(expected.BiasedVariance, D(v[4]), dtype == DType.float64 ? 1e-12 : 2e-6, "reserve_space_2 (the biased variance)");
        if (version == 3) Assert.Equal(0, v[5].ndim);
    }

    [Theory]
    [InlineData(1, "NHWC")]
    [InlineData(2, "NCHW")]
    [InlineData(3, "NHWC")]
    [InlineData(3, "NCHW")]
    public void InferenceUsesTheGivenStatisticsAndReturnsThem(int version, string format)
    {
        int[] dims = format == "NHWC" ? [2, 3, 3, 4] : [2, 4, 3, 3];
        var count = dims.Aggregate(1, (a, b) => a * b);
        var x = Values(count, 4);
        var (scale, offset, mean, variance) = (Values(4, 5, 0.5, 2), Values(4, 6), Values(4, 7), Values(4, 8, 0.1, 3));
        var expected = Ref(x, dims, format, scale, offset, mean, variance, 0.01f);
        using var g = TestGraph.Enter();
        var s = new Shape(4);
        var r = BuildVersion(version, A(x, new Shape(dims), DType.float32), A(scale, s, DType.float32), A(offset, s, DType.float32),
            A(mean, s, DType.float32), A(variance, s, DType.float32), 0.01, format, false);
        using var sess = tf.Session();
        var v = sess.run(r);
        Close(expected.Y, D(v[0]), 2e-6, "y");
        Close(mean, D(v[1]), 1e-7, "batch_mean");
        Close(variance, D(v[2]), 1e-7, "batch_variance");
    }

    [Fact]
    public void AnExponentialAverageFactorMovesTheGivenStatisticsTowardsTheBatchs()
    {
        var dims = new[] { 4, 2, 2, 3 };
        var x = Values(48, 9);
        var (scale, offset, mean, variance) = (Values(3, 1, 0.5, 2), Values(3, 2), Values(3, 3), Values(3, 4, 0.5, 2));
        var expected = Ref(x, dims, "NHWC", scale, offset, null, null, 0.001f);
        using var g = TestGraph.Enter();
        var s = new Shape(3);
        var r = FusedBatchNormV3.Build(A(x, new Shape(dims), DType.float32), A(scale, s, DType.float32), A(offset, s, DType.float32),
            A(mean, s, DType.float32), A(variance, s, DType.float32), 0.001, "NHWC", true, 0.25);
        Assert.Equal(0.25f, r[0].op.attrs["exponential_avg_factor"]);
        using var sess = tf.Session();
        var v = sess.run(r);
        Close(expected.Y, D(v[0]), 2e-6, "y");
        Close([.. mean.Select((m, i) => 0.75 * m + 0.25 * expected.Mean[i])], D(v[1]), 2e-6, "running mean");
        Close([.. variance.Select((m, i) => 0.75 * m + 0.25 * expected.UnbiasedVariance[i])], D(v[2]), 2e-6, "running variance");
    }

    [Fact]
    public void ASingleValuePerChannelKeepsItsVarianceAndAnEmptyBatchGivesNaN()
    {
        using var g = TestGraph.Enter();
        var empty = NDArray.Zeros(DType.float32, new Shape(0));
        var one = FusedBatchNormV3.Build(NDArray.FromFlat(new[] { 1f, 2f }, new Shape(1, 1, 1, 2)), new[] { 1f, 1f }, new[] { 0f, 0f }, empty, empty);
        var none = FusedBatchNormV3.Build(NDArray.Zeros(DType.float32, new Shape(0, 2, 2, 2)), new[] { 1f, 1f }, new[] { 0f, 0f }, empty, empty);
        using var sess = tf.Session();
        // n = 1: Bessel's factor n / max(n - 1, 1) = 1, so batch_variance is the (zero) biased variance.
        Assert.Equal(new[] { 0f, 0f }, sess.run(one[2]).ToArray<float>());
        Assert.Equal(new[] { 0f, 0f }, sess.run(one[0]).ToArray<float>());
        Assert.All(sess.run(none[1]).ToArray<float>(), f => Assert.True(float.IsNaN(f)));
        Assert.Equal(new Shape(0, 2, 2, 2), sess.run(none[0]).shape);
    }

    [Theory]
    [InlineData("NHWC", true)]
    [InlineData("NCHW", true)]
    [InlineData("NHWC", false)]
    [InlineData("NCHW", false)]
    public void TheGradOpMatchesAFloat64Loop(string format, bool training)
    {
        int[] dims = format == "NHWC" ? [2, 3, 2, 5] : [2, 5, 3, 2];
        var count = dims.Aggregate(1, (a, b) => a * b);
        var (x, dy) = (Values(count, 1, -3, 3), Values(count, 2));
        var (scale, mean, variance) = (Values(5, 3, 0.5, 2), Values(5, 4), Values(5, 5, 0.2, 2));
        const double eps = 0.001f;
        var n = count / 5;
        // TensorFlow's formulas (fused_batch_norm_op.cc) written out per channel.
        var sumDy = new double[5];
        var sumDyXc = new double[5];
        for (var i = 0; i < count; i++)
        {
            var k = Channel(i, dims, format);
            sumDy[k] += dy[i];
            sumDyXc[k] += dy[i] * (x[i] - mean[k]);
        }
        var dx = new double[count];
        for (var i = 0; i < count; i++)
        {
            var k = Channel(i, dims, format);
            var rs = 1 / Math.Sqrt(variance[k] + eps);
            dx[i] = training
                ? scale[k] * rs * (dy[i] - sumDy[k] / n - (x[i] - mean[k]) * sumDyXc[k] / n / (variance[k] + eps))
                : dy[i] * scale[k] * rs;
        }
        var dscale = sumDyXc.Select((s, k) => s / Math.Sqrt(variance[k] + eps)).ToArray();
        using var g = TestGraph.Enter();
        var sh = new Shape(5);
        var r = FusedBatchNormGradV3.Build(A(dy, new Shape(dims), DType.float64), A(x, new Shape(dims), DType.float64), A(scale, sh, DType.float64),
            A(mean, sh, DType.float64), A(variance, sh, DType.float64), NDArray.Zeros(DType.float64, Shape.Scalar), eps, format, training);
        Assert.Equal(5, r.Length);
        using var sess = tf.Session();
        var v = sess.run(r);
        Close(dx, D(v[0]), 1e-12, "x_backprop");
        Close(dscale, D(v[1]), 1e-12, "scale_backprop");
        Close(sumDy, D(v[2]), 1e-12, "offset_backprop");
        Assert.Equal(new Shape(0), v[3].shape);
        Assert.Equal(new Shape(0), v[4].shape);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheGradientIsTheDecomposedBatchNormsGradient(int version)
    {
        // Training-mode fused batch norm is tf.nn.moments + tf.nn.batch_normalization: their gradients agree.
        using var g = TestGraph.Enter();
        var x = tf.constant(NDArray.FromFlat(Values(2 * 3 * 3 * 4, 6, -2, 3), new Shape(2, 3, 3, 4)));
        var scale = tf.constant(NDArray.FromFlat(Values(4, 7, 0.5, 2), new Shape(4)));
        var offset = tf.constant(NDArray.FromFlat(Values(4, 8), new Shape(4)));
        var dy = tf.constant(NDArray.FromFlat(Values(72, 9), new Shape(2, 3, 3, 4)));
        var empty = tf.constant(NDArray.Zeros(DType.float64, new Shape(0)));
        var fused = BuildVersion(version, x, scale, offset, empty, empty, 0.001, "NHWC", true)[0];
        var (m, v) = tf.nn.moments(x, new[] { 0, 1, 2 });
        var plain = tf.nn.batch_normalization(x, m, v, offset, scale, (double)0.001f);
        var a = tf.gradients([fused], [x, scale, offset], [dy]);
        var b = tf.gradients([plain], [x, scale, offset], [dy]);
        var gradType = version == 1 ? "FusedBatchNormGrad" : $"FusedBatchNormGradV{version}";
        Assert.Equal(gradType, a[0]!.op.type);
        using var sess = tf.Session();
        Close(D(sess.run(plain)), D(sess.run(fused)), 1e-12, "y");
        for (var i = 0; i < 3; i++) Close(D(sess.run(b[i]!)), D(sess.run(a[i]!)), 1e-10, $"gradient {i}");
    }

    [Fact]
    public void TheWrapperPassesEmptyStatisticsClampsEpsilonAndBuildsV3()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, shape: new[] { -1, 4, 4, 3 });
        var (y, mean, variance) = tf.nn.fused_batch_norm(x, tf.ones(new Shape(3)), tf.zeros(new Shape(3)), epsilon: 1e-7, name: "bn");
        Assert.Equal("FusedBatchNormV3", y.op.type);
        Assert.Equal("bn", y.op.name);
        Assert.Equal(1.001e-5f, y.op.attrs["epsilon"]);
        Assert.Equal(DType.float32, y.op.attrs["U"]);
        Assert.True((bool)y.op.attrs["is_training"]);
        Assert.Equal(new Shape(0), y.op.inputs[3].shape);
        Assert.Equal(new Shape(-1, 4, 4, 3), y.shape);
        Assert.Equal(new Shape(3), mean.shape);
        Assert.Equal(new Shape(3), variance.shape);
        var (z, _, _) = tf.nn.fused_batch_norm(x, tf.ones(new Shape(3)), tf.zeros(new Shape(3)), mean: tf.zeros(new Shape(3)), variance: tf.ones(new Shape(3)), is_training: false);
        Assert.False((bool)z.op.attrs["is_training"]);
        Assert.Equal(0.001f, z.op.attrs["epsilon"]);
        using var sess = tf.Session();
        var input = NDArray.FromFlat(Values(2 * 16 * 3, 3).Select(d => (float)d).ToArray(), new Shape(2, 4, 4, 3));
        var expected = input.ToArray<float>().Select(f => f / Math.Sqrt(1 + 0.001f)).ToArray();
        Close(expected, D(sess.run(z, new FeedDict { [x] = input })), 2e-6, "inference y");
    }

    [Fact]
    public void ShapeRulesFollowFusedBatchNormShape()
    {
        using var g = TestGraph.Enter();
        var vector = tf.placeholder(tf.float32, shape: new[] { -1 });
        var empty = tf.constant(NDArray.Zeros(DType.float32, new Shape(0)));
        // The channel count comes from the vectors when x's is unknown; NCHW reads dimension 1.
        Assert.Equal(new Shape(-1, 3, -1, -1), FusedBatchNormV3.Build(tf.placeholder(tf.float32, shape: new[] { -1, -1, -1, -1 }),
            tf.ones(new Shape(3)), vector, empty, empty, dataFormat: "NCHW")[0].shape);
        // In training the mean and variance are not read, so empty ones merge with nothing.
        var r = FusedBatchNormV2.Build(tf.placeholder(tf.float32), vector, vector, empty, empty);
        Assert.Equal(4, r[0].shape.ndims);
        Assert.Equal(new Shape(-1), r[1].shape);
        var v3 = FusedBatchNormV3.Build(tf.placeholder(tf.float32, shape: new[] { 1, 2, 2, 5 }), vector, vector, empty, empty);
        Assert.False(v3[5].shape.IsKnownRank);
        Assert.Equal(new Shape(5), v3[3].shape);
        var grad = FusedBatchNormGradV3.Build(tf.placeholder(tf.float32, shape: new[] { -1, 2, 2, 5 }), tf.placeholder(tf.float32), vector, vector, vector, vector, isTraining: false);
        Assert.Equal(new Shape(-1, 2, 2, 5), grad[0].shape);
        Assert.Equal(new Shape(5), grad[3].shape);
        var gradTraining = FusedBatchNormGrad.Build(tf.placeholder(tf.float32, shape: new[] { -1, 2, 2, 5 }), tf.placeholder(tf.float32), vector, vector, vector);
        Assert.Equal(new Shape(0), gradTraining[4].shape);
    }

    [Fact]
    public void BuildErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var three = tf.ones(new Shape(3));
        var empty = tf.constant(NDArray.Zeros(DType.float32, new Shape(0)));
        var e = Assert.Throws<ValueError>(() => FusedBatchNormV3.Build(tf.zeros(new Shape(2, 3)), three, three, empty, empty, name: "bn"));
        Assert.Contains("FusedBatchNormV3 \"bn\"", e.Message);
        Assert.Contains("Shape must be rank 4 but is rank 2", e.Message);
        e = Assert.Throws<ValueError>(() => FusedBatchNorm.Build(tf.zeros(new Shape(1, 2, 2, 4)), three, three, empty, empty));
        Assert.Contains("FusedBatchNorm", e.Message);
        Assert.Contains("Dimensions must be equal, but are 4 and 3", e.Message);
        e = Assert.Throws<ValueError>(() => FusedBatchNormV2.Build(tf.zeros(new Shape(1, 2, 2, 3)), tf.ones(new Shape(3, 1)), three, empty, empty));
        Assert.Contains("FusedBatchNormV2", e.Message);
        Assert.Contains("Shape must be rank 1 but is rank 2", e.Message);
        // Inference reads the mean and variance: an empty one does not merge.
        e = Assert.Throws<ValueError>(() => FusedBatchNormV3.Build(tf.zeros(new Shape(1, 2, 2, 3)), three, three, empty, empty, isTraining: false));
        Assert.Contains("Dimensions must be equal, but are 3 and 0", e.Message);
        e = Assert.Throws<ValueError>(() => FusedBatchNormV2.Build(tf.zeros(new Shape(1, 2, 2, 2, 3)), three, three, empty, empty, dataFormat: "NDHWC"));
        Assert.Contains("FusedBatchNormV2", e.Message);
        Assert.Contains("data_format", e.Message);
        e = Assert.Throws<ValueError>(() => FusedBatchNormGradV2.Build(tf.zeros(new Shape(1, 2, 2, 3)), tf.zeros(new Shape(1, 2, 2, 4)), three, three, three));
        Assert.Contains("FusedBatchNormGradV2", e.Message);
        Assert.Contains("Dimensions must be equal", e.Message);
        var t = Assert.Throws<TypeError>(() => FusedBatchNormV3.Build(tf.zeros(new Shape(1, 2, 2, 3), tf.int32), three, three, empty, empty));
        Assert.Contains("FusedBatchNormV3", t.Message);
        Assert.Contains("Value passed to parameter 'x' has DataType int32 not in list of allowed values: float16, bfloat16, float32", t.Message);
        Tensor Half(params int[] dims) => tf.cast(tf.zeros(new Shape(dims)), tf.float16);
        t = Assert.Throws<TypeError>(() => FusedBatchNorm.Build(Half(1, 2, 2, 3), Half(3), Half(3), Half(0), Half(0)));
        Assert.Contains("not in list of allowed values: float32", t.Message);
        // V2 and V3 take float32 statistics with a float16 x.
        t = Assert.Throws<TypeError>(() => FusedBatchNormV3.Build(Half(1, 2, 2, 3), Half(3), three, empty, empty));
        Assert.Contains("'scale'", t.Message);
    }

    [Fact]
    public void RunTimeErrorsAreInvalidArgumentsNamingTheNode()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "x");
        var v = tf.placeholder(tf.float32, name: "v");
        var m = tf.placeholder(tf.float32, name: "m");
        var training = FusedBatchNormV3.Build(x, v, v, m, m, name: "train_bn");
        var inference = FusedBatchNormV3.Build(x, v, v, m, m, isTraining: false, name: "infer_bn");
        var grad = FusedBatchNormGradV3.Build(x, m, v, v, v, v, name: "bn_grad");
        using var sess = tf.Session();
        var x4 = NDArray.Zeros(DType.float32, new Shape(2, 2, 2, 3));
        var three = new[] { 1f, 2f, 3f };
        InvalidArgumentError Run(Tensor t, NDArray xv, float[] vv, float[] mv) =>
            Assert.Throws<InvalidArgumentError>(() => sess.run(t, new FeedDict { [x] = xv, [v] = vv, [m] = mv }));
        var e = Run(training[0], x4, three, three);
        Assert.Contains("train_bn", e.Message);
        Assert.Contains("estimated_mean must be empty for training[3]", e.Message);
        e = Run(training[0], x4, [1f, 2f], []);
        Assert.Contains("scale must have the same number of elements as the channels of x, got 2 and 3", e.Message);
        e = Run(inference[0], x4, three, [1f]);
        Assert.Contains("infer_bn", e.Message);
        Assert.Contains("When is_training=false, mean must have the same number of elements as the channels of x, got 1 and 3", e.Message);
        e = Run(training[0], NDArray.Zeros(DType.float32, new Shape(2, 3)), three, []);
        Assert.Contains("input must be 4 or 5-dimensional[2,3]", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => sess.run(grad[0], new FeedDict { [x] = x4, [m] = NDArray.Zeros(DType.float32, new Shape(2, 2, 3, 3)), [v] = three }));
        Assert.Contains("bn_grad", e.Message);
        Assert.Contains("x and y_backprop must have same shape, but x has shape [2,2,3,3] and y_backprop has shape [2,2,2,3]", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => sess.run(grad[0], new FeedDict { [x] = x4, [m] = x4, [v] = new[] { 1f, 2f } }));
        Assert.Contains("scale must have the same number of elements as the channels of x, got 2 and 3", e.Message);
    }

    // A FusedBatchNormV3 node as TensorFlow 2.x's tf.compat.v1 writes it (exponential_avg_factor included) and one as
    // 1.15 writes it (without), with a Conv2D before them, in inference mode as in a frozen graph.
    private const string GraphText = """
        node { name: "input" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "shape" value { shape { dim { size: -1 } dim { size: 2 } dim { size: 2 } dim { size: 2 } } } } }
        node { name: "gamma" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 2 float_val: 3 } } } }
        node { name: "beta" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 0.5 float_val: 0 } } } }
        node { name: "moving_mean" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 1 float_val: -1 } } } }
        node { name: "moving_variance" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 4 float_val: 0.25 } } } }
        node { name: "bn/FusedBatchNormV3" op: "FusedBatchNormV3"
               input: "input" input: "gamma" input: "beta" input: "moving_mean" input: "moving_variance"
               attr { key: "T" value { type: DT_FLOAT } }
               attr { key: "U" value { type: DT_FLOAT } }
               attr { key: "data_format" value { s: "NHWC" } }
               attr { key: "epsilon" value { f: 0 } }
               attr { key: "exponential_avg_factor" value { f: 1 } }
               attr { key: "is_training" value { b: false } } }
        node { name: "bn2/FusedBatchNormV3" op: "FusedBatchNormV3"
               input: "bn/FusedBatchNormV3" input: "gamma" input: "beta" input: "moving_mean" input: "moving_variance"
               attr { key: "T" value { type: DT_FLOAT } }
               attr { key: "U" value { type: DT_FLOAT } }
               attr { key: "data_format" value { s: "NHWC" } }
               attr { key: "epsilon" value { f: 0.001 } }
               attr { key: "is_training" value { b: false } } }
        versions { producer: 134 }
        """;

    [Fact]
    public void ImportsFusedBatchNormV3NodesAsTensorFlowWritesThem()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(TextFormat.Parse<Tf.GraphDef>(GraphText), name: "");
        var y = g.Graph.get_tensor_by_name("bn/FusedBatchNormV3:0");
        var y2 = g.Graph.get_tensor_by_name("bn2/FusedBatchNormV3:0");
        Assert.Equal(new Shape(-1, 2, 2, 2), y.shape);
        Assert.Equal(6, y.op.outputs.Count);
        using var sess = tf.Session();
        var t = new float[,,,] { { { { 3f, 1f }, { 1f, -1.5f } }, { { -1f, 0f }, { 5f, 2f } } } };
        var feed = new FeedDict { [g.Graph.get_tensor_by_name("input:0")] = t };
        var r = sess.run(y, feed).ToArray<float>();
        // (t - mean) / sqrt(variance) * gamma + beta: channel 0: (t-1)/2*2+0.5, channel 1: (t+1)/0.5*3
        Assert.Equal(new[] { 2.5f, 12f, 0.5f, -3f, -1.5f, 6f, 4.5f, 18f }, r);
        var expected2 = r.Select((v, i) => i % 2 == 0 ? (v - 1) / MathF.Sqrt(4.001f) * 2 + 0.5f : (v + 1) / MathF.Sqrt(0.251f) * 3).ToArray();
        Close([.. expected2.Select(f => (double)f)], D(sess.run(y2, feed)), 2e-6, "second node");
    }
}
