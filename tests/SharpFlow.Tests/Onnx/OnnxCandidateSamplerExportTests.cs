using Microsoft.ML.OnnxRuntime;
using SharpFlow.Kernels.RandomNumbers;
using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// UniformCandidateSampler and LogUniformCandidateSampler exported to ONNX and run in ONNX Runtime: the classes
/// cannot be SharpFlow's draws, so each test checks that they are in range, distinct with unique (a Loop of
/// rejection rounds), and drawn from the sampler's distribution over many runs; the expected counts must be exactly
/// what SharpFlow's kernel gives for the same classes and number of draws (the reference below, checked against
/// SharpFlow's own run), at opsets 13 and 17. The refusals name the node, the op and the reason.
/// </summary>
public sealed class OnnxCandidateSamplerExportTests
{
    private static RangeSampler Sampler(bool logUniform, long range) => logUniform ? new LogUniformSampler(range) : new UniformSampler(range);

    // SharpFlow's RangeSampler: p · batch when every draw was kept, else 1 - (1 - p)^tries (its log1p and expm1).
    private static float Expected(float p, int batch, int tries) => tries == batch ? p * batch : (float)-Expm1(tries * Log1p(-(double)p));

    private static double Log1p(double x) => System.Math.Abs(x) < 1e-4 ? x * (1 - x * (0.5 - x * (1.0 / 3 - x / 4))) : System.Math.Log(1 + x);

    private static double Expm1(double x) => System.Math.Abs(x) < 1e-4 ? x * (1 + x * (0.5 + x * (1.0 / 6 + x / 24))) : System.Math.Exp(x) - 1;

    private static (Tensor Classes, Tensor Ids, Tensor TrueCount, Tensor SampledCount) Build(bool logUniform, int numSampled, bool unique, long range, int? seed = 9, Tensor? trueClasses = null)
    {
        var classes = trueClasses ?? tf.placeholder(tf.int64, new Shape(-1, 2), name: "true_classes");
        var (ids, trueCount, sampledCount) = logUniform
            ? tf.nn.log_uniform_candidate_sampler(classes, 2, numSampled, unique, range, seed)
            : tf.nn.uniform_candidate_sampler(classes, 2, numSampled, unique, range, seed);
        return (classes, ids, trueCount, sampledCount);
    }

    /// <summary>
    /// Checks one draw: classes in range (distinct with unique), and both expected counts exactly the kernel's for
    /// these classes and the number of draws that gives them (every draw kept without unique); returns that number.
    /// </summary>
    private static int Check(bool logUniform, bool unique, long range, long[] trueClasses, NDArray ids, NDArray trueCount, NDArray sampledCount, string what)
    {
        var sampler = Sampler(logUniform, range);
        var c = ids.ToArray<long>();
        Assert.All(c, k => Assert.InRange(k, 0, range - 1));
        if (unique) Assert.Equal(c.Length, c.Distinct().Count());
        var (sampled, expectedTrue) = (sampledCount.ToArray<float>(), trueCount.ToArray<float>());
        Assert.Equal([c.Length], sampledCount.shape.Dims);
        Assert.Equal(trueClasses.Length, expectedTrue.Length);
        bool Fits(int tries) =>
            c.Select((k, i) => Expected(sampler.Probability(k), c.Length, tries) == sampled[i]).All(b => b)
            && trueClasses.Select((k, i) => Expected(sampler.Probability(k), c.Length, tries) == expectedTrue[i]).All(b => b);
        if (!unique)
        {
            Assert.True(Fits(c.Length), $"{what}: the expected counts are not p · num_sampled");
            return c.Length;
        }
        var found = Enumerable.Range(c.Length, 100_000).FirstOrDefault(Fits);
        Assert.True(found >= c.Length, $"{what}: no number of draws gives the expected counts [{string.Join(", ", sampled)}] of [{string.Join(", ", c)}]");
        return found;
    }

    private static readonly long[] TrueClasses = [0, 3, 7, 1, 42, 49];

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void SampledClassesAreInRangeAndTheExpectedCountsAreTheKernels(int opset)
    {
        foreach (var logUniform in new[] { false, true })
            foreach (var unique in new[] { false, true })
            {
                using var g = TestGraph.Enter();
                var (classes, ids, trueCount, sampledCount) = Build(logUniform, 20, unique, 50);
                var what = $"{(logUniform ? "log-uniform" : "uniform")}, unique {unique}, opset {opset}";
                var feed = L(TrueClasses, 3, 2);
                using var sess = tf.Session();
                // The reference against SharpFlow's own kernel.
                var ours = sess.run([ids, trueCount, sampledCount], new FeedDict { [classes] = feed });
                Check(logUniform, unique, 50, TrueClasses, ours[0], ours[1], ours[2], what + ", SharpFlow");
                var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["true_classes"] = classes },
                    new Dictionary<string, Tensor> { ["ids"] = ids, ["true_count"] = trueCount, ["sampled_count"] = sampledCount }, opset);
                Assert.Equal(unique ? 1 : 0, model.Proto.Graph.Node.Count(n => n.OpType == "Loop"));
                var bytes = model.ToByteArray();
                var ort = RunOnnxRuntime(bytes, [("true_classes", feed)], ["ids", "true_count", "sampled_count"]);
                Assert.Equal(DType.int64, ort[0].dtype);
                Assert.Equal([3, 2], ort[1].shape.Dims);
                var tries = Check(logUniform, unique, 50, TrueClasses, ort[0], ort[1], ort[2], what + ", ONNX Runtime");
                // A seeded sampler draws the same classes in a new session.
                Assert.True(ort[0].ValueEquals(RunOnnxRuntime(bytes, [("true_classes", feed)], ["ids"])[0]), $"{what}: a seeded sampler draws other classes in a new session");
                if (unique && logUniform) Assert.True(tries > 20, $"{what}: 20 distinct log-uniform classes of 50 in {tries} draws");
            }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheClassesFollowTheSamplersDistribution(bool logUniform)
    {
        const long range = 10;
        var p = Enumerable.Range(0, (int)range).Select(k => (double)Sampler(logUniform, range).Probability(k)).ToArray();
        using var g = TestGraph.Enter();
        // Without unique: 20000 draws at once.
        var (classes, ids, _, _) = Build(logUniform, 20_000, false, range);
        // With unique: the first class of each batch is the first draw, always kept; 1000 runs of one session.
        var (_, uniqueIds, _, uniqueCount) = Build(logUniform, 4, true, range, seed: null, trueClasses: classes);
        using var sess = tf.Session();
        var bytes = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["true_classes"] = classes },
            new Dictionary<string, Tensor> { ["ids"] = ids, ["unique_ids"] = uniqueIds, ["unique_count"] = uniqueCount }, 13).ToByteArray();
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(bytes, options);
        var counts = new double[range];
        var firsts = new double[range];
        const int runs = 1000;
        var feed = L(TrueClasses, 3, 2);
        for (var run = 0; run < runs; run++)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(feed.ToArray<long>(), [3, 2]);
            using var results = session.Run(new RunOptions(), ["true_classes"], [input], ["ids", "unique_ids", "unique_count"]);
            if (run == 0)
                foreach (var k in results[0].GetTensorDataAsSpan<long>()) counts[k]++;
            var u = results[1].GetTensorDataAsSpan<long>().ToArray();
            Assert.Equal(4, u.Distinct().Count());
            Assert.All(u, k => Assert.InRange(k, 0, range - 1));
            firsts[u[0]]++;
        }
        for (var k = 0; k < range; k++)
        {
            Assert.InRange(counts[k] / 20_000, p[k] - 0.012, p[k] + 0.012);
            Assert.InRange(firsts[k] / runs, p[k] - 0.045, p[k] + 0.045);
        }
    }

    [Fact]
    public void UniqueWithMoreClassesThanTheRangeIsRefused()
    {
        using var g = TestGraph.Enter();
        var (classes, ids, _, _) = Build(true, 8, true, 5);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["c"] = classes }, new Dictionary<string, Tensor> { ["y"] = ids }));
        Assert.Contains($"LogUniformCandidateSampler \"{ids.op.name}\"", e.Message);
        Assert.Contains("unique with num_sampled 8 above range_max 5", e.Message);
    }

    [Fact]
    public void AUniformRangeBeyondFloat64IsRefused()
    {
        using var g = TestGraph.Enter();
        var (classes, ids, _, _) = Build(false, 3, false, (1L << 53) + 2);
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["c"] = classes }, new Dictionary<string, Tensor> { ["y"] = ids }));
        Assert.Contains($"UniformCandidateSampler \"{ids.op.name}\"", e.Message);
        Assert.Contains($"range_max {(1L << 53) + 2} above 2^53", e.Message);
    }
}
