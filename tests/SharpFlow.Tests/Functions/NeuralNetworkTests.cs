namespace SharpFlow.Tests.Functions;

/// <summary>Forward values of the tf.nn functions against plain references and the seed's worked examples.</summary>
public class NeuralNetworkTests
{
    [Fact]
    public void SeedCrossEntropyExample()
    {
        using var g = TestGraph.Enter();
        // H((1,0,0), (0.5,0.4,0.1)) = -ln 0.5 = 0.693 (the seed prints 0.301 with base-10 logarithms).
        var p = tf.constant(new[,] { { 0.5f, 0.4f, 0.1f } });
        var y = tf.constant(new[,] { { 1.0f, 0.0f, 0.0f } });
        var h = -tf.reduce_sum(y * tf.log(tf.clip_by_value(p, 1e-10, 1.0)));
        Assert.Equal(0.6931472f, (float)g.Eval(h), 1e-6);
        // The fused op takes logits: log(p) are logits whose softmax is p.
        var fused = tf.nn.softmax_cross_entropy_with_logits(labels: y, logits: tf.log(p));
        AssertArray.Close(new[] { 0.6931472f }, g.Eval(fused), 1e-6);
    }

    [Fact]
    public void CrossEntropiesAreStableForLargeLogits()
    {
        using var g = TestGraph.Enter();
        var logits = tf.constant(new[,] { { 1000.0f, 0.0f, -1000.0f }, { 1.0f, 2.0f, 3.0f } });
        var labels = tf.constant(new[,] { { 0.0f, 1.0f, 0.0f }, { 0.2f, 0.3f, 0.5f } });
        var xent = g.Eval(tf.nn.softmax_cross_entropy_with_logits_v2(labels: labels, logits: logits)).ToArray<float>();
        Assert.Equal(1000f, xent[0], 1e-3);
        var lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Assert.Equal((float)(0.2 * (lse - 1) + 0.3 * (lse - 2) + 0.5 * (lse - 3)), xent[1], 1e-5);
        var sparse = g.Eval(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.constant(new[] { 2, 0 }), logits: logits)).ToArray<float>();
        Assert.Equal(2000f, sparse[0], 1e-3);
        Assert.Equal((float)(lse - 1), sparse[1], 1e-5);
        var sig = g.Eval(tf.nn.sigmoid_cross_entropy_with_logits(labels: tf.constant(new[] { 1.0f, 0.0f, 1.0f }), logits: tf.constant(new[] { 100.0f, 100.0f, -100.0f }))).ToArray<float>();
        // log1p(exp(-100)) is the denormal 3.8e-44 in float32, as in TensorFlow.
        Assert.Equal([0f, 100f, 100f], sig.Select(v => MathF.Round(v, 5)));
        Assert.DoesNotContain(g.Eval(tf.nn.softplus(tf.constant(new[] { 1000.0f, -1000.0f }))).ToArray<float>(), float.IsNaN);
    }

    [Fact]
    public void SparseLabelsOutOfRangeNameTheOp()
    {
        using var g = TestGraph.Enter();
        var loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.constant(new[] { 3 }), logits: tf.constant(new[,] { { 1.0f, 2.0f, 3.0f } }), name: "xent");
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(loss));
        Assert.Contains("Received a label value of 3 which is outside the valid range of [0, 3)", e.Message);
        Assert.Contains("xent", e.Message);
        Assert.Throws<ValueError>(() => { tf.nn.sparse_softmax_cross_entropy_with_logits(labels: tf.constant(new[,] { { 1 } }), logits: tf.constant(new[,] { { 1.0f } })); });
    }

    [Fact]
    public void SoftmaxV1DoesNotDifferentiateLabels()
    {
        using var g = TestGraph.Enter();
        var labels = tf.constant(new[,] { { 0.5f, 0.5f } });
        var logits = tf.constant(new[,] { { 1.0f, 2.0f } });
        Assert.Null(tf.gradients(tf.nn.softmax_cross_entropy_with_logits(labels: labels, logits: logits), labels)[0]);
        Assert.NotNull(tf.gradients(tf.nn.softmax_cross_entropy_with_logits_v2(labels: labels, logits: logits), labels)[0]);
    }

    [Fact]
    public void BiasAddAndL2Loss()
    {
        using var g = TestGraph.Enter();
        var v = tf.constant(new[,] { { 1.0f, 2.0f, 3.0f }, { 4.0f, 5.0f, 6.0f } });
        AssertArray.Equal(new[] { 11f, 22f, 33f, 14f, 25f, 36f }, g.Eval(tf.nn.bias_add(v, tf.constant(new[] { 10.0f, 20.0f, 30.0f }))));
        Assert.Throws<ValueError>(() => tf.nn.bias_add(v, tf.constant(new[] { 1.0f, 2.0f })));
        // NCHW: the channels are axis 1 from rank 3 on (TensorFlow's GetBiasValueDims); a rank-2 value keeps them last.
        var image = tf.reshape(tf.range(0f, 12f), new[] { 1, 3, 2, 2 });
        AssertArray.Equal(new[] { 10f, 11, 12, 13, 24, 25, 26, 27, 38, 39, 40, 41 },
            g.Eval(tf.nn.bias_add(image, tf.constant(new[] { 10f, 20f, 30f }), data_format: "NCHW")));
        AssertArray.Equal(new[] { 11f, 22f, 33f, 14f, 25f, 36f }, g.Eval(tf.nn.bias_add(v, tf.constant(new[] { 10.0f, 20.0f, 30.0f }), data_format: "NCHW")));
        Assert.Contains("Dimensions must be equal, but are 3 and 2",
            Assert.Throws<ValueError>(() => tf.nn.bias_add(image, tf.constant(new[] { 1f, 2f }), data_format: "NCHW")).Message);
        Assert.Contains("Invalid data format: NCWH",
            Assert.Throws<ValueError>(() => tf.nn.bias_add(image, tf.constant(new[] { 1f, 2f, 3f }), name: "bad", data_format: "NCWH")).Message);
        Assert.Equal(45.5f, (float)g.Eval(tf.nn.l2_loss(v)));
    }

    [Fact]
    public void DropoutKeepsAboutKeepProbAndScales()
    {
        using var g = TestGraph.Enter();
        var x = tf.ones((100, 100));
        var dropped = g.Eval(tf.nn.dropout(x, 0.25, seed: 3)).ToArray<float>();
        Assert.All(dropped, v => Assert.True(v == 0f || v == 4f));
        var kept = dropped.Count(v => v != 0) / 10000.0;
        Assert.InRange(kept, 0.23, 0.27);
        Assert.Same(x, tf.nn.dropout(x, 1.0));
        Assert.Throws<ValueError>(() => tf.nn.dropout(x, 0.0));
        Assert.Throws<ValueError>(() => tf.nn.dropout(x, 1.5));
        Assert.Throws<ValueError>(() => tf.nn.dropout(tf.constant(new[] { 1, 2 }), 0.5));
        // noise_shape (100, 1) drops whole rows.
        var rows = g.Eval(tf.nn.dropout(x, 0.5, noise_shape: new Shape(100, 1), seed: 5));
        for (var r = 0; r < 100; r++)
        {
            var row = rows[r..(r + 1)].ToArray<float>();
            Assert.True(row.All(v => v == 0f) || row.All(v => v == 2f));
        }
        // A placeholder keep_prob switches dropout off for evaluation.
        var keep = tf.placeholder(tf.float32, Shape.Scalar, name: "keep_prob");
        var y = tf.nn.dropout(x, keep);
        Assert.All(g.Eval(y, new FeedDict { [keep] = 1.0f }).ToArray<float>(), v => Assert.Equal(1f, v));
        // The gradient is the same mask and scale.
        using var sess = tf.Session();
        var (value, grad) = sess.run((tf.nn.dropout(x, 0.5, seed: 7), tf.gradients(tf.nn.dropout(x, 0.5, seed: 7), x)[0]!));
        Assert.InRange(grad.ToArray<float>().Count(v => v == 0), 4000, 6000);
        Assert.InRange(value.ToArray<float>().Count(v => v == 0), 4000, 6000);
    }

    [Fact]
    public void ActivationsMatchTheirFormulas()
    {
        using var g = TestGraph.Enter();
        var values = new[] { -7.0, -1.5, -0.1, 0.0, 0.3, 2.0, 6.5 };
        var x = tf.constant(values, tf.float64);
        var relu = g.Eval(tf.nn.relu(x)).ToArray<double>();
        var relu6 = g.Eval(tf.nn.relu6(x)).ToArray<double>();
        var softplus = g.Eval(tf.nn.softplus(x)).ToArray<double>();
        var sigmoid = g.Eval(tf.sigmoid(x)).ToArray<double>();
        var tanh = g.Eval(tf.tanh(x)).ToArray<double>();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(Math.Max(values[i], 0), relu[i]);
            Assert.Equal(Math.Min(Math.Max(values[i], 0), 6), relu6[i]);
            Assert.Equal(Math.Log(1 + Math.Exp(values[i])), softplus[i], 1e-12);
            Assert.Equal(1 / (1 + Math.Exp(-values[i])), sigmoid[i], 1e-12);
            Assert.Equal(Math.Tanh(values[i]), tanh[i], 1e-12);
        }
        var sm = g.Eval(tf.nn.softmax(tf.constant(new[,] { { 1.0, 2.0, 3.0 } }, tf.float64))).ToArray<double>();
        var total = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal([Math.Exp(1) / total, Math.Exp(2) / total, Math.Exp(3) / total], sm.Select(v => Math.Round(v, 12)), new RoundedComparer());
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-12;
        public int GetHashCode(double obj) => 0;
    }
}
