using Microsoft.ML.OnnxRuntime;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// RandomShuffle, RandomGamma and ComputeAccidentalHits exported to ONNX and run in ONNX Runtime. The random ones
/// draw from ONNX Runtime's generator (SharpFlow's Philox stream cannot be reproduced): RandomShuffle gives a
/// permutation of the rows, the same in two new sessions when seeded, each of the n! orders about equally often over
/// many runs; RandomGamma gives each alpha's mean and variance (α, α) over many samples, for α below, at and above 1.
/// ComputeAccidentalHits is deterministic and equals SharpFlow's outputs exactly. At opsets 13 and 17 (and 18, whose
/// ReduceMax takes its axes as an input).
/// </summary>
public sealed class OnnxSamplerExportTests
{
    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    private static byte[] Export(Session sess, Dictionary<string, Tensor> inputs, Tensor y, int opset, out ModelProto proto)
    {
        var model = OnnxModel.Export(sess, inputs, new Dictionary<string, Tensor> { ["y"] = y }, opset);
        proto = model.Proto;
        return model.ToByteArray();
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void RandomShuffleGivesAPermutationOfTheRowsAndRepeatsWhenSeeded(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        var y = tf.random_shuffle(x, seed: 5);
        using var sess = tf.Session();
        var bytes = Export(sess, new() { ["x"] = x }, y, opset, out var proto);
        Assert.Contains(AllNodes(proto.Graph), n => n.OpType == "RandomUniformLike" && n.Attribute.Any(a => a.Name == "seed"));
        const int rows = 50;
        var feed = NDArray.FromFlat(Enumerable.Range(0, rows * 3).Select(i => (float)(i / 3 * 10 + i % 3)).ToArray(), new Shape(rows, 3));
        var first = RunOnnxRuntime(bytes, [("x", feed)], ["y"])[0];
        var second = RunOnnxRuntime(bytes, [("x", feed)], ["y"])[0];
        Assert.Equal([rows, 3], first.shape.Dims);
        var v = first.ToArray<float>();
        var order = Enumerable.Range(0, rows).Select(r => (int)(v[r * 3] / 10)).ToArray();
        for (var r = 0; r < rows; r++) Assert.Equal([order[r] * 10f, order[r] * 10f + 1, order[r] * 10f + 2], v.Skip(r * 3).Take(3).ToArray());
        Assert.Equal(Enumerable.Range(0, rows), order.Order());
        Assert.NotEqual(Enumerable.Range(0, rows), order);
        Assert.True(first.ValueEquals(second), "a seeded RandomShuffle gives another order in a new session");
        // One row, none, and a constant input (exported as a draw, never frozen).
        Assert.Equal([7f, 8f, 9f], RunOnnxRuntime(bytes, [("x", NDArray.FromFlat(new[] { 7f, 8f, 9f }, new Shape(1, 3)))], ["y"])[0].ToArray<float>());
        Assert.Equal([0, 3], RunOnnxRuntime(bytes, [("x", NDArray.FromFlat(Array.Empty<float>(), new Shape(0, 3)))], ["y"])[0].shape.Dims);
        var constant = tf.random_shuffle(tf.constant(new[] { 1L, 2, 3, 4, 5, 6 }), seed: 9);
        var shuffled = RunOnnxRuntime(Export(sess, [], constant, opset, out _), [], ["y"])[0];
        Assert.Equal(DType.int64, shuffled.dtype);
        Assert.Equal([1L, 2, 3, 4, 5, 6], shuffled.ToArray<long>().Order());
    }

    [Fact]
    public void RandomShuffleDrawsEveryOrderAboutEquallyOften()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.int32, new Shape(3), name: "x");
        using var sess = tf.Session();
        var bytes = Export(sess, new() { ["x"] = x }, tf.random_shuffle(x, seed: 3), 13, out _);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(bytes, options);
        using var input = OrtValue.CreateTensorValueFromMemory(new[] { 0, 1, 2 }, [3]);
        using var run = new RunOptions();
        const int runs = 6000;
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < runs; i++)
        {
            using var result = session.Run(run, ["x"], [input], ["y"]);
            var key = string.Join(",", result[0].GetTensorDataAsSpan<int>().ToArray());
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        // Six orders, each 1000 expected with a standard deviation of about 29.
        Assert.Equal(6, counts.Count);
        Assert.All(counts, c => Assert.InRange(c.Value, 850, 1150));
    }

    [Fact]
    public void RandomShuffleOfAScalarPassesThroughAndOfAnUnknownRankIsRefused()
    {
        using var g = TestGraph.Enter();
        var s = tf.placeholder(tf.float32, new Shape(), name: "s");
        var u = tf.placeholder(tf.float32, name: "u");
        var scalar = tf.random_shuffle(s);
        var unknown = tf.random_shuffle(u, name: "shuffle_any");
        using var sess = tf.Session();
        var bytes = Export(sess, new() { ["s"] = s }, scalar, 13, out _);
        Assert.Equal(4.5f, RunOnnxRuntime(bytes, [("s", NDArray.Scalar(4.5f))], ["y"])[0].ToArray<float>()[0]);
        var e = Assert.Throws<UnimplementedError>(() => Export(sess, new() { ["u"] = u }, unknown, 17, out _));
        Assert.Equal("Cannot export RandomShuffle \"shuffle_any\" to ONNX: the rank of its input u:0 is unknown, and a scalar (passed through) cannot be told from the rows to shuffle.", e.RawMessage);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void RandomGammaHasEachAlphasMeanAndVariance(int opset)
    {
        using var g = TestGraph.Enter();
        const int n = 40_000;
        double[] alphas = [0.3, 1, 2.5, 9];
        var y = tf.random_gamma(new Shape(n), tf.constant(alphas.Select(a => (float)a).ToArray()), seed: 21);
        using var sess = tf.Session();
        var bytes = Export(sess, [], y, opset, out var proto);
        Assert.Contains(AllNodes(proto.Graph), n => n.OpType == "Loop");
        var first = RunOnnxRuntime(bytes, [], ["y"])[0];
        Assert.Equal(DType.float32, first.dtype);
        Assert.Equal([n, alphas.Length], first.shape.Dims);
        Assert.True(first.ValueEquals(RunOnnxRuntime(bytes, [], ["y"])[0]), "a seeded RandomGamma gives other values in a new session");
        var v = first.ToArray<float>();
        for (var k = 0; k < alphas.Length; k++)
        {
            var column = Enumerable.Range(0, n).Select(i => (double)v[i * alphas.Length + k]).ToArray();
            Assert.All(column, s => Assert.True(s >= 0 && double.IsFinite(s), $"alpha {alphas[k]}: sample {s}"));
            var mean = column.Average();
            var variance = column.Select(s => (s - mean) * (s - mean)).Average();
            var a = alphas[k];
            // Five standard errors: the mean's √(α/n), the variance's √((2α² + 6α)/n).
            Assert.InRange(mean, a - 5 * System.Math.Sqrt(a / n), a + 5 * System.Math.Sqrt(a / n));
            var se = System.Math.Sqrt((2 * a * a + 6 * a) / n);
            Assert.InRange(variance, a - 5 * se, a + 5 * se);
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void RandomGammaOfAFedAlphaInFloat64WithARateAndNaNWhereTheKernelNeverStops(int opset)
    {
        using var g = TestGraph.Enter();
        var alpha = tf.placeholder(tf.float64, new Shape(-1), name: "alpha");
        var y = tf.random_gamma(new Shape(20_000), alpha, beta: tf.constant(2.0, tf.float64), dtype: tf.float64, seed: 4);
        using var sess = tf.Session();
        var bytes = Export(sess, new() { ["alpha"] = alpha }, y, opset, out _);
        var value = RunOnnxRuntime(bytes, [("alpha", NDArray.FromFlat(new[] { 0.5, 4, -1, double.NaN }, new Shape(4)))], ["y"])[0];
        Assert.Equal(DType.float64, value.dtype);
        Assert.Equal([20_000, 4], value.shape.Dims);
        var v = value.ToArray<double>();
        double Mean(int k) => Enumerable.Range(0, 20_000).Average(i => v[i * 4 + k]);
        // Gamma(α, rate 2): mean α/2.
        Assert.InRange(Mean(0), 0.25 - 0.02, 0.25 + 0.02);
        Assert.InRange(Mean(1), 2 - 0.04, 2 + 0.04);
        Assert.All(Enumerable.Range(0, 20_000), i => Assert.True(double.IsNaN(v[i * 4 + 2]) && double.IsNaN(v[i * 4 + 3])));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(18)]
    public void ComputeAccidentalHitsEqualsSharpFlow(int opset)
    {
        using var g = TestGraph.Enter();
        var classes = tf.placeholder(tf.int64, new Shape(-1, 3), name: "classes");
        var sampled = tf.placeholder(tf.int64, new Shape(-1), name: "sampled");
        var (indices, ids, weights) = tf.nn.compute_accidental_hits(classes, sampled, 3);
        using var sess = tf.Session();
        var outputs = new Dictionary<string, Tensor> { ["indices"] = indices, ["ids"] = ids, ["weights"] = weights };
        var bytes = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["classes"] = classes, ["sampled"] = sampled }, outputs, opset).ToByteArray();
        (long[] Classes, int Rows, long[] Sampled)[] cases =
        [
            ([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, [5, 9, 1, 42, 5]), // a repeated candidate: its last position
            ([1, 1, 2, 3, 3, 3], 2, [3, 1, 7]),                 // repeated true classes: one hit each
            ([1, 2, 3], 1, [4, 5, 6]),                          // no hit
            ([1, 2, 3, 4, 5, 6], 2, []),                        // no candidates
            ([], 0, [1, 2]),                                    // no rows
        ];
        foreach (var (c, rows, s) in cases)
        {
            var (cv, sv) = (NDArray.FromFlat(c, new Shape(rows, 3)), NDArray.FromFlat(s, new Shape(s.Length)));
            var ours = sess.run([indices, ids, weights], new FeedDict { [classes] = cv, [sampled] = sv });
            var ort = RunOnnxRuntime(bytes, [("classes", cv), ("sampled", sv)], ["indices", "ids", "weights"]);
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(ours[k].dtype, ort[k].dtype);
                Assert.True(ours[k].ValueEquals(ort[k]), $"output {k} for classes [{string.Join(",", c)}], sampled [{string.Join(",", s)}]: SharpFlow {ours[k]}, ONNX Runtime {ort[k]}");
            }
        }
        var hits = RunOnnxRuntime(bytes, [("classes", NDArray.FromFlat(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, new Shape(3, 3))), ("sampled", NDArray.FromFlat(new long[] { 5, 9, 1, 42, 5 }, new Shape(5)))], ["indices", "ids", "weights"]);
        Assert.Equal([0, 1, 2], hits[0].ToArray<int>());
        Assert.Equal([2L, 4, 1], hits[1].ToArray<long>());
        Assert.Equal([-float.MaxValue, -float.MaxValue, -float.MaxValue], hits[2].ToArray<float>());
    }
}
