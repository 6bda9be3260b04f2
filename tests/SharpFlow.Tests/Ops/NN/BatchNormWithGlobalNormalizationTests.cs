using SharpFlow.GraphIO;
using SharpFlow.Ops.NN;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// BatchNormWithGlobalNormalization, the deprecated batch norm of Google's 2015 Inception graph: forward against a
/// plain loop, imported from a GraphDef, its shape rule and run-time checks (gradients: the gradient table).
/// </summary>
public sealed class BatchNormWithGlobalNormalizationTests
{
    private static double[] Reference(double[] t, double[] m, double[] v, double[] beta, double[] gamma, double eps, bool scale)
    {
        var depth = m.Length;
        var y = new double[t.Length];
        for (var i = 0; i < t.Length; i++)
        {
            var c = i % depth;
            y[i] = (t[i] - m[c]) / Math.Sqrt(v[c] + eps) * (scale ? gamma[c] : 1) + beta[c];
        }
        return y;
    }

    private static double[] Values(int n, int salt, double low = -2, double high = 2) =>
        [.. Enumerable.Range(0, n).Select(i => low + (high - low) * (((i * 37 + salt * 11) % 23) / 22.0))];

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void ForwardMatchesAPlainLoop(bool scale, bool float64)
    {
        var shape = new Shape(2, 3, 2, 4);
        var (t, m, v, beta, gamma) = (Values(48, 1), Values(4, 2), Values(4, 3, 0.1, 2), Values(4, 4), Values(4, 5));
        // variance_epsilon is a float attr (as in TensorFlow): the kernel adds 0.001f.
        var expected = Reference(t, m, v, beta, gamma, 0.001f, scale);
        using var g = TestGraph.Enter();
        NDArray A(double[] x, Shape s) => float64 ? NDArray.FromFlat(x, s) : NDArray.FromFlat(x.Select(d => (float)d).ToArray(), s);
        var y = BatchNormWithGlobalNormalization.Build(A(t, shape), A(m, new Shape(4)), A(v, new Shape(4)), A(beta, new Shape(4)), A(gamma, new Shape(4)), 0.001, scale);
        Assert.Equal(shape, y.shape);
        Assert.Equal(float64 ? DType.float64 : DType.float32, y.dtype);
        using var sess = tf.Session();
        var r = sess.run(y);
        var actual = float64 ? r.ToArray<double>() : r.ToArray<float>().Select(f => (double)f).ToArray();
        var tolerance = float64 ? 1e-12 : 2e-6;
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: {actual[i]}, expected {expected[i]}");
    }

    private const string GraphText = """
        node { name: "t" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "m" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 1 float_val: -1 } } } }
        node { name: "v" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 4 float_val: 0.25 } } } }
        node { name: "beta" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 0.5 float_val: 0 } } } }
        node { name: "gamma" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 2 float_val: 3 } } } }
        node { name: "mixed/conv/batchnorm" op: "BatchNormWithGlobalNormalization"
               input: "t" input: "m" input: "v" input: "beta" input: "gamma"
               attr { key: "T" value { type: DT_FLOAT } }
               attr { key: "variance_epsilon" value { f: 0 } }
               attr { key: "scale_after_normalization" value { b: true } } }
        versions { producer: 5 }
        """;

    [Fact]
    public void ImportsFromAGraphDefAndRuns()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(TextFormat.Parse<Tf.GraphDef>(GraphText), name: "");
        var y = g.Graph.get_tensor_by_name("mixed/conv/batchnorm:0");
        Assert.Equal(4, y.shape.ndims);
        using var sess = tf.Session();
        var t = new float[,,,] { { { { 3f, 1f }, { 1f, -1.5f } } } }; // [1, 1, 2, 2]
        var r = sess.run(y, new FeedDict { [g.Graph.get_tensor_by_name("t:0")] = t }).ToArray<float>();
        // (t - m) / sqrt(v) * gamma + beta per channel: channel 0: (t-1)/2*2+0.5, channel 1: (t+1)/0.5*3
        Assert.Equal(new[] { 2.5f, 12f, 0.5f, -3f }, r);
    }

    [Fact]
    public void ShapesAreCheckedAndTheErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var vector = tf.zeros(new Shape(3));
        var e = Assert.Throws<ValueError>(() => BatchNormWithGlobalNormalization.Build(tf.zeros(new Shape(2, 3)), vector, vector, vector, vector, 0.001, true));
        Assert.Contains("BatchNormWithGlobalNormalization", e.Message);
        Assert.Contains("rank 4", e.Message);
        e = Assert.Throws<ValueError>(() => BatchNormWithGlobalNormalization.Build(tf.zeros(new Shape(1, 2, 2, 4)), vector, vector, vector, vector, 0.001, true));
        Assert.Contains("BatchNormWithGlobalNormalization", e.Message);
        Assert.Contains("Dimensions must be equal", e.Message);
        e = Assert.Throws<ValueError>(() => BatchNormWithGlobalNormalization.Build(tf.zeros(new Shape(1, 2, 2, 3)), tf.zeros(new Shape(3, 1)), vector, vector, vector, 0.001, true));
        Assert.Contains("rank 1", e.Message);
        var t = Assert.Throws<TypeError>(() => BatchNormWithGlobalNormalization.Build(tf.zeros(new Shape(1, 2, 2, 3), tf.int32), tf.zeros(new Shape(3), tf.int32), tf.zeros(new Shape(3), tf.int32), tf.zeros(new Shape(3), tf.int32), tf.zeros(new Shape(3), tf.int32), 0.001, true));
        Assert.Contains("BatchNormWithGlobalNormalization", t.Message);
        // unknown shapes: the depth comes from the vectors
        var p = tf.placeholder(tf.float32);
        Assert.Equal(new Shape(-1, -1, -1, 3), BatchNormWithGlobalNormalization.Build(tf.placeholder(tf.float32, shape: new[] { -1, -1, -1, -1 }), vector, vector, vector, vector, 0.001, false).shape);
        Assert.Equal(4, BatchNormWithGlobalNormalization.Build(p, p, p, p, p, 0.001, false).shape.ndims);
    }

    [Fact]
    public void ARunTimeDepthMismatchIsAnInvalidArgumentNamingTheNode()
    {
        using var g = TestGraph.Enter();
        var t = tf.placeholder(tf.float32, name: "t");
        var m = tf.placeholder(tf.float32, name: "m");
        var y = BatchNormWithGlobalNormalization.Build(t, m, m, m, m, 0.001, true, name: "bn");
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(y, new FeedDict { [t] = NDArray.Zeros(DType.float32, new Shape(1, 1, 1, 3)), [m] = new[] { 1f, 2f } }));
        Assert.Contains("bn", e.Message);
        Assert.Contains("mean must have as many elements as the depth of the input (3), got 2", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => sess.run(y, new FeedDict { [t] = new[] { 1f, 2f }, [m] = new[] { 1f, 2f } }));
        Assert.Contains("input must be 4-dimensional", e.Message);
    }
}

/// <summary>BatchNormWithGlobalNormalizationGrad (for imported graphs that hold it) against tf.gradients of the forward op.</summary>
public sealed class BatchNormWithGlobalNormalizationGradTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheGradOpEqualsTheForwardOpsGradients(bool scale)
    {
        using var g = TestGraph.Enter();
        var rng = new System.Random(3);
        NDArray R(Shape s, double low = -1, double high = 1) =>
            NDArray.FromFlat(Enumerable.Range(0, (int)s.NumElements).Select(_ => low + (high - low) * rng.NextDouble()).ToArray(), s);
        var t = tf.constant(R(new Shape(2, 3, 2, 4)));
        var m = tf.constant(R(new Shape(4)));
        var v = tf.constant(R(new Shape(4), 0.2, 2));
        var beta = tf.constant(R(new Shape(4)));
        var gamma = tf.constant(R(new Shape(4)));
        var backprop = tf.constant(R(new Shape(2, 3, 2, 4)));
        var y = BatchNormWithGlobalNormalization.Build(t, m, v, beta, gamma, 0.01, scale);
        var expected = tf.gradients([y], [t, m, v, beta, gamma], [backprop]);
        var actual = BatchNormWithGlobalNormalizationGrad.Build(t, m, v, gamma, backprop, 0.01, scale);
        Assert.Equal(new Shape(2, 3, 2, 4), actual[0].shape);
        Assert.All(actual[1..], a => Assert.Equal(new Shape(4), a.shape));
        using var sess = tf.Session();
        for (var k = 0; k < 5; k++)
        {
            var e = sess.run(expected[k]!).ToArray<double>();
            var a = sess.run(actual[k]).ToArray<double>();
            Assert.Equal(e.Length, a.Length);
            for (var i = 0; i < e.Length; i++) Assert.Equal(e[i], a[i], 1e-10);
        }
    }

    [Fact]
    public void ABackpropOfAnotherShapeIsAnErrorNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var vector = tf.zeros(new Shape(3));
        var e = Assert.Throws<ValueError>(() => BatchNormWithGlobalNormalizationGrad.Build(tf.zeros(new Shape(1, 2, 2, 3)), vector, vector, vector, tf.zeros(new Shape(1, 2, 3, 3)), 0.001, true));
        Assert.Contains("BatchNormWithGlobalNormalizationGrad", e.Message);
    }
}
