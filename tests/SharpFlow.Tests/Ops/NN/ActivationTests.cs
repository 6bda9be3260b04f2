namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// Elu, Selu, LeakyRelu, Softsign and the composites crelu, swish, l2_normalize, softmax/log_softmax along an
/// axis, and softmax cross entropy along an axis and with broadcast labels: forward against float64 loops, and
/// the errors.
/// </summary>
public class ActivationTests
{
    private static readonly double[] Xs = [-3, -1.5, -0.25, -1e-3, 0, 1e-3, 0.5, 2, 4.5];
    private const double SeluScale = 1.0507009873554804934193349852946;
    private const double SeluAlpha = 1.6732632423543772848170429916717;

    public static TheoryData<string> Names() => ["elu", "selu", "leaky_relu", "leaky_relu 0.01", "softsign", "swish"];

    private static (Func<Tensor, Tensor>, Func<double, double>) Case(string name) => name switch
    {
        "elu" => (t => tf.nn.elu(t), x => x > 0 ? x : Math.Exp(x) - 1),
        "selu" => (t => tf.nn.selu(t), x => x > 0 ? SeluScale * x : SeluScale * SeluAlpha * (Math.Exp(x) - 1)),
        "leaky_relu" => (t => tf.nn.leaky_relu(t), x => x > 0 ? x : 0.2 * x),
        "leaky_relu 0.01" => (t => tf.nn.leaky_relu(t, alpha: 0.01), x => x > 0 ? x : (double)0.01f * x),
        "softsign" => (t => tf.nn.softsign(t), x => x / (1 + Math.Abs(x))),
        _ => (t => tf.nn.swish(t), x => x / (1 + Math.Exp(-x))),
    };

    [Theory, MemberData(nameof(Names))]
    public void MatchesTheReference(string name)
    {
        var (op, reference) = Case(name);
        using var g = TestGraph.Enter();
        var d = g.Eval(op(tf.constant(Xs, tf.float64))).ToArray<double>();
        var f = g.Eval(op(tf.constant(Xs.Select(v => (float)v).ToArray()))).ToArray<float>();
        for (var i = 0; i < Xs.Length; i++)
        {
            var e = reference(Xs[i]);
            Assert.True(Math.Abs(d[i] - e) <= 1e-7 * Math.Max(1, Math.Abs(e)) * (name.StartsWith("leaky", StringComparison.Ordinal) ? 1 : 1e-8), $"{name}({Xs[i]}): expected {e:R}, got {d[i]:R}");
            Assert.True(Math.Abs(f[i] - e) <= 3e-7 * Math.Max(1, Math.Abs(e)), $"{name}({Xs[i]}) float32: expected {e:R}, got {f[i]:R}");
        }
    }

    [Fact]
    public void OpTypesAndTensorFlowsKernelTestValues()
    {
        using var g = TestGraph.Enter();
        // relu_op_test.py testElu / testSelu / testLeakyRelu inputs.
        var x = tf.constant(new[,] { { -9f, 7f, -5f, 3f, -1f }, { 1f, -3f, 5f, -7f, 9f } });
        var elu = tf.nn.elu(x);
        Assert.Equal("Elu", elu.op.type);
        AssertArray.Close(NDArray.FromFlat(new[] { Math.Exp(-9) - 1, 7, Math.Exp(-5) - 1, 3, Math.Exp(-1) - 1, 1, Math.Exp(-3) - 1, 5, Math.Exp(-7) - 1, 9 }, new Shape(2, 5)).Cast(DType.float32), g.Eval(elu), 1e-6);
        var leaky = tf.nn.leaky_relu(x, alpha: 0.1);
        Assert.Equal("LeakyRelu", leaky.op.type);
        AssertArray.Close(NDArray.FromFlat(new[] { -0.9f, 7, -0.5f, 3, -0.1f, 1, -0.3f, 5, -0.7f, 9 }, new Shape(2, 5)), g.Eval(leaky), 1e-7);
        Assert.Equal("Selu", tf.nn.selu(x).op.type);
        Assert.Equal("Softsign", tf.nn.softsign(x).op.type);
        // Integer features become float32 first, as TensorFlow's leaky_relu does.
        var ints = tf.nn.leaky_relu(tf.constant(new[] { -10, 10 }));
        Assert.Equal(DType.float32, ints.dtype);
        AssertArray.Equal(new[] { -2f, 10f }, g.Eval(ints));
        Assert.Contains("Elu", Assert.Throws<TypeError>(() => tf.nn.elu(tf.constant(new[] { 1 }))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CReluConcatenatesAlongTheAxis()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(new[,] { { -1f, 2f }, { 3f, -4f } });
        var last = tf.nn.crelu(x);
        Assert.Equal(new Shape(2, 4), last.shape);
        AssertArray.Equal(new[] { 0f, 2f, 1f, 0f, 3f, 0f, 0f, 4f }, g.Eval(tf.reshape(last, new[] { -1 })));
        var first = tf.nn.crelu(x, axis: 0);
        Assert.Equal(new Shape(4, 2), first.shape);
        AssertArray.Equal(new[] { 0f, 2f, 3f, 0f, 1f, 0f, 0f, 4f }, g.Eval(tf.reshape(first, new[] { -1 })));
    }

    [Fact]
    public void L2Normalize()
    {
        using var g = TestGraph.Enter();
        AssertArray.Close(NDArray.FromFlat(new[] { 0.6f, 0.8f }, new Shape(2)), g.Eval(tf.nn.l2_normalize(tf.constant(new[] { 3f, 4f }))), 1e-7);
        var x = tf.constant(new[,] { { 1.0, 2.0 }, { 0.0, 0.0 }, { -2.0, 2.0 } }, tf.float64);
        var rows = tf.nn.l2_normalize(x, axis: 1);
        Assert.Equal("l2_normalize_1", rows.op.name);
        AssertArray.Close(NDArray.FromFlat(new[] { 1 / Math.Sqrt(5), 2 / Math.Sqrt(5), 0, 0, -1 / Math.Sqrt(2), 1 / Math.Sqrt(2) }, new Shape(3, 2)), g.Eval(rows), 1e-15);
        var cols = g.Eval(tf.nn.l2_normalize(x, axis: 0)).ToArray<double>();
        Assert.Equal(1 / Math.Sqrt(5), cols[0], 1e-15);
        // A tiny vector is divided by sqrt(epsilon), not by its own norm.
        Assert.Equal(1e-7 / Math.Sqrt(1e-12), g.Eval(tf.nn.l2_normalize(tf.constant(new[] { 1e-7 }, tf.float64))).ToArray<double>()[0], 1e-12);
    }

    private static double[] SoftmaxReference(double[] x, int[] shape, int axis, bool log)
    {
        var result = new double[x.Length];
        var inner = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var n = shape[axis];
        var outer = x.Length / (inner * n);
        for (var o = 0; o < outer; o++)
            for (var i = 0; i < inner; i++)
            {
                int At(int k) => (o * n + k) * inner + i;
                var m = Enumerable.Range(0, n).Max(k => x[At(k)]);
                var sum = Enumerable.Range(0, n).Sum(k => Math.Exp(x[At(k)] - m));
                for (var k = 0; k < n; k++) result[At(k)] = log ? x[At(k)] - m - Math.Log(sum) : Math.Exp(x[At(k)] - m) / sum;
            }
        return result;
    }

    [Fact]
    public void SoftmaxAlongAnyAxis()
    {
        using var g = TestGraph.Enter();
        var r = new System.Random(3);
        int[] shape = [2, 3, 4];
        var values = Enumerable.Range(0, 24).Select(_ => r.NextDouble() * 4 - 2).ToArray();
        var x = tf.constant(NDArray.FromFlat(values, new Shape(shape)));
        foreach (var log in new[] { false, true })
            foreach (var axis in new[] { 0, 1, 2, -1, -2 })
            {
                var y = log ? tf.nn.log_softmax(x, axis: axis) : tf.nn.softmax(x, axis: axis);
                Assert.Equal(new Shape(shape), y.shape);
                var expected = SoftmaxReference(values, shape, axis < 0 ? axis + 3 : axis, log);
                AssertArray.Close(NDArray.FromFlat(expected, new Shape(shape)), g.Eval(y), 1e-14);
            }
        // The last axis stays one op; another axis is swapped to the end and back.
        Assert.Equal("Softmax", tf.nn.softmax(x).op.type);
        var swapped = tf.nn.softmax(x, dim: 0, name: "sm");
        Assert.Equal("Transpose", swapped.op.type);
        Assert.Equal("sm", swapped.op.name);
        Assert.Equal("Softmax", swapped.op.inputs[0].op.type);
        var e = Assert.Throws<InvalidArgumentError>(() => tf.nn.softmax(x, axis: 3));
        Assert.Contains("Dimension (3) must be in the range [-3, 3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrossEntropyAlongAnAxisAndWithBroadcastLabels()
    {
        using var g = TestGraph.Enter();
        var logits = new double[,] { { 1, 2, 0.5 }, { -1, 0, 3 } };
        var labels = new double[,] { { 0.2, 0.5, 0.3 }, { 0, 1, 0 } };
        double Loss(int row, double[] dist) => -Enumerable.Range(0, 3).Sum(c => dist[c] * (logits[row, c] - Math.Log(Enumerable.Range(0, 3).Sum(k => Math.Exp(logits[row, k])))));
        var l = tf.constant(logits, tf.float64);
        var y = tf.constant(labels, tf.float64);
        var rows = g.Eval(tf.nn.softmax_cross_entropy_with_logits_v2(labels: y, logits: l)).ToArray<double>();
        // dim=0 over the transposed inputs gives the same per-row losses.
        var byColumns = tf.nn.softmax_cross_entropy_with_logits(labels: tf.transpose(y), logits: tf.transpose(l), dim: 0);
        Assert.Equal(new Shape(2), byColumns.shape);
        AssertArray.Close(NDArray.FromFlat(rows, new Shape(2)), g.Eval(byColumns), 1e-15);
        AssertArray.Close(NDArray.FromFlat(rows, new Shape(2)), g.Eval(tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.transpose(y), logits: tf.transpose(l), axis: 0)), 1e-15);
        // One label distribution for the whole batch, as [1, classes] and as [classes].
        var shared = new[] { 0.2, 0.5, 0.3 };
        var expected = NDArray.FromFlat(new[] { Loss(0, shared), Loss(1, shared) }, new Shape(2));
        AssertArray.Close(expected, g.Eval(tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.constant(new[,] { { 0.2, 0.5, 0.3 } }, tf.float64), logits: l)), 1e-15);
        AssertArray.Close(expected, g.Eval(tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.constant(shared, tf.float64), logits: l)), 1e-15);
        var rank3 = tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.constant(shared, tf.float64), logits: tf.reshape(l, new[] { 2, 1, 3 }));
        Assert.Equal(new Shape(2, 1), rank3.shape);
        AssertArray.Close(expected.Reshape(new Shape(2, 1)), g.Eval(rank3), 1e-15);
    }

    [Fact]
    public void CrossEntropyErrorsNameTheShapes()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.nn.softmax_cross_entropy_with_logits_v2(labels: tf.zeros(new Shape(2, 4)), logits: tf.zeros(new Shape(2, 3))));
        Assert.Contains("logits and labels must be broadcastable", e.Message, StringComparison.Ordinal);
        Assert.Contains("logits_size=[2,3] labels_size=[2,4]", e.Message, StringComparison.Ordinal);
        var op = Assert.Throws<ValueError>(() => global::SharpFlow.Ops.NN.SoftmaxCrossEntropyWithLogits.Build(tf.zeros(new Shape(2, 3)), tf.zeros(new Shape(3, 3))));
        Assert.Contains("SoftmaxCrossEntropyWithLogits", op.Message, StringComparison.Ordinal);
        var p = tf.placeholder(tf.float32, new Shape(-1, 3));
        var loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels: p, logits: tf.zeros(new Shape(2, 3)), name: "xent");
        var run = Assert.Throws<InvalidArgumentError>(() => g.Eval(loss, new FeedDict { [p] = NDArray.Zeros(DType.float32, new Shape(3, 3)) }));
        Assert.Contains("logits and labels must be broadcastable: logits_size=[2,3] labels_size=[3,3]", run.Message, StringComparison.Ordinal);
        Assert.Contains("xent", run.Message, StringComparison.Ordinal);
    }
}
