using Microsoft.ML.OnnxRuntime;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// RandomUniform, RandomStandardNormal, RandomUniformInt and TruncatedNormal exported as ONNX's random operators,
/// run in ONNX Runtime: the draws cannot be SharpFlow's, so each test checks the shape, dtype, range and moments
/// over a large sample, and that a seeded op gives the same values in two new ONNX Runtime sessions (an unseeded
/// one has no seed), at opsets 13 and 17.
/// </summary>
public sealed class OnnxRandomExportTests
{
    private const int N = 200_000;

    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    /// <summary>The model of <paramref name="y"/> (no inputs) and its values from two new ONNX Runtime sessions.</summary>
    private static (ModelProto Model, NDArray First, NDArray Second) Draws(Tensor y, int opset)
    {
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor>(), new Dictionary<string, Tensor> { ["y"] = y }, opset);
        var bytes = model.ToByteArray();
        return (model.Proto, RunOnnxRuntime(bytes, [], ["y"])[0], RunOnnxRuntime(bytes, [], ["y"])[0]);
    }

    private static (double Mean, double Std) Moments(NDArray a)
    {
        var v = a.Cast(DType.float64).ToArray<double>();
        var mean = v.Average();
        return (mean, System.Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average()));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void RandomUniformDrawsInItsRangeWithUniformMomentsAndPassesItsSeedOn(int opset)
    {
        using var g = TestGraph.Enter();
        var y = tf.random_uniform(new Shape(N / 100, 100), minval: -3f, maxval: 5f, seed: 7);
        var (model, first, second) = Draws(y, opset);
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "RandomUniformLike" && n.Attribute.Any(a => a.Name == "seed"));
        Assert.Equal(DType.float32, first.dtype);
        Assert.Equal([N / 100, 100], first.shape.Dims);
        var v = first.ToArray<float>();
        Assert.All(v, x => Assert.True(x >= -3f && x < 5f, $"{x} outside [-3, 5)"));
        var (mean, std) = Moments(first);
        Assert.InRange(mean, 1 - 0.02, 1 + 0.02);
        Assert.InRange(std, 8 / System.Math.Sqrt(12) - 0.02, 8 / System.Math.Sqrt(12) + 0.02);
        Assert.True(first.ValueEquals(second), "a seeded RandomUniform gives other values in a new session");
    }

    [Fact]
    public void AnUnseededOpHasNoSeed()
    {
        // ONNX Runtime then seeds from its process-wide seed (so two sessions of one process draw alike, another
        // process differently), as TensorFlow draws differently in every program without a seed.
        using var g = TestGraph.Enter();
        var (model, first, _) = Draws(tf.random_uniform(new Shape(1000)), 13);
        Assert.DoesNotContain(AllNodes(model.Graph), n => n.Attribute.Any(a => a.Name == "seed"));
        Assert.Equal(1000, first.size);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void RandomStandardNormalGivesTheNormalsMomentsAndFloat64(int opset)
    {
        using var g = TestGraph.Enter();
        var y = tf.random_normal(new Shape(N), mean: 3, stddev: 2, seed: 11);
        var (model, first, second) = Draws(y, opset);
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "RandomNormalLike");
        var (mean, std) = Moments(first);
        Assert.InRange(mean, 3 - 0.03, 3 + 0.03);
        Assert.InRange(std, 2 - 0.03, 2 + 0.03);
        Assert.True(first.ValueEquals(second));
        var (_, d, _) = Draws(tf.random_normal(new Shape(N), dtype: tf.float64, seed: 12), opset);
        Assert.Equal(DType.float64, d.dtype);
        (mean, std) = Moments(d);
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.98, 1.02);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void RandomUniformIntDrawsEveryIntegerOfItsRangeEquallyOften(int opset)
    {
        using var g = TestGraph.Enter();
        var y = tf.random_uniform(new Shape(N), minval: -3, maxval: 4, dtype: tf.int32, seed: 5);
        var (model, first, second) = Draws(y, opset);
        Assert.Equal("RandomUniformInt", y.op.type);
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "Floor");
        Assert.Equal(DType.int32, first.dtype);
        var counts = first.ToArray<int>().GroupBy(v => v).ToDictionary(k => k.Key, k => k.Count());
        Assert.Equal(Enumerable.Range(-3, 7), counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c / (double)N, 1 / 7.0 - 0.01, 1 / 7.0 + 0.01));
        Assert.True(first.ValueEquals(second));
        // int64 over a range wider than int32's.
        var wide = tf.random_uniform(new Shape(10_000), minval: -(1L << 40), maxval: 1L << 40, dtype: tf.int64, seed: 6);
        var (_, w, _) = Draws(wide, opset);
        Assert.Equal(DType.int64, w.dtype);
        var values = w.ToArray<long>();
        Assert.All(values, v => Assert.InRange(v, -(1L << 40), (1L << 40) - 1));
        Assert.InRange(values.Select(v => (double)v).Average() / (1L << 40), -0.05, 0.05);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TruncatedNormalRedrawsUntilEveryValueIsWithinTwoStandardDeviations(int opset)
    {
        using var g = TestGraph.Enter();
        var y = tf.truncated_normal(new Shape(N), seed: 3);
        var (model, first, second) = Draws(y, opset);
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "Loop");
        Assert.All(first.ToArray<float>(), x => Assert.True(System.Math.Abs(x) < 2f, $"{x} is 2 or more standard deviations out"));
        var (mean, std) = Moments(first);
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.8796 - 0.01, 0.8796 + 0.01); // the standard deviation of N(0, 1) truncated to (-2, 2)
        Assert.True(first.ValueEquals(second));
    }

    [Fact]
    public void ADrawInTheShapeOfAnInputFollowsTheFedShapeAndIsDrawnOnEveryRun()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4), name: "x");
        var y = x + tf.random_uniform(tf.shape(x));
        using var sess = tf.Session();
        var bytes = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }).ToByteArray();
        var feed = NDArray.FromFlat(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), new Shape(3, 4));
        var value = RunOnnxRuntime(bytes, [("x", feed)], ["y"])[0];
        Assert.Equal([3, 4], value.shape.Dims);
        var (v, f) = (value.ToArray<float>(), feed.ToArray<float>());
        for (var i = 0; i < 12; i++) Assert.InRange(v[i] - f[i], 0f, 1f);
        using var options = new SessionOptions();
        using var session = new InferenceSession(bytes, options);
        using var input = OrtValue.CreateTensorValueFromMemory(feed.ToArray<float>(), [3, 4]);
        using var run = new RunOptions();
        using var a = session.Run(run, ["x"], [input], ["y"]);
        using var b = session.Run(run, ["x"], [input], ["y"]);
        Assert.False(a[0].GetTensorDataAsSpan<float>().SequenceEqual(b[0].GetTensorDataAsSpan<float>()), "two runs of one session drew the same values");
    }

    [Fact]
    public void AStatefulOpWithoutAMappingIsStillRefusedNamingIt()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.int32, new Shape(3), name: "x");
        var queue = tf.FIFOQueue(4, tf.int32, [new Shape(3)]);
        var y = x + queue.dequeue(name: "dequeue");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["x"] = x }, new Dictionary<string, Tensor> { ["y"] = y }));
        Assert.Contains("QueueDequeueV2 \"dequeue", e.Message);
        Assert.Contains("would be frozen into the model", e.Message);
    }
}
