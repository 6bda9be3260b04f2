using SharpFlow.GraphIO;
using SharpFlow.Ops.Image;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// NonMaxSuppressionV4 (tf.image.non_max_suppression_padded) and V5 (tf.image.non_max_suppression_with_scores):
/// TensorFlow's image_ops_test.py values (NonMaxSuppressionPaddedTest, NonMaxSuppressionWithScoresTest), a plain
/// Soft-NMS reference written from the paper's decay, TensorFlow's tie-breaking and score threshold, the padded
/// static shape, a GraphDef import and the shape and run-time errors.
/// </summary>
public sealed class NonMaxSuppressionV4V5Tests
{
    // image_ops_test.py's three clusters.
    private static readonly float[,] Clusters = { { 0, 0, 1, 1 }, { 0, 0.1f, 1, 1.1f }, { 0, -0.1f, 1, 0.9f }, { 0, 10, 1, 11 }, { 0, 10.1f, 1, 11.1f }, { 0, 100, 1, 101 } };
    private static readonly float[] ClusterScores = [0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f];

    [Fact]
    public void PaddedMatchesTensorFlowsTests()
    {
        using var g = TestGraph.Enter();
        // NonMaxSuppressionPaddedTest.testSelectFromThreeClusters: max 5, IoU 0.5.
        var (padded, validPadded) = tf.image.non_max_suppression_padded(Clusters, ClusterScores, 5, 0.5f, pad_to_max_output_size: true);
        var (plain, valid) = tf.image.non_max_suppression_padded(Clusters, ClusterScores, 5, 0.5f);
        Assert.Equal("NonMaxSuppressionV4", padded.op.type);
        Assert.Equal(new Shape(5), padded.shape);
        Assert.Equal(new Shape(-1), plain.shape);
        Assert.Equal(Shape.Scalar, valid.shape);
        Assert.Equal(new[] { 3, 0, 5, 0, 0 }, g.Eval(padded).ToArray<int>());
        Assert.Equal(3, g.Eval(validPadded).ToArray<int>()[0]);
        Assert.Equal(new[] { 3, 0, 5 }, g.Eval(plain).ToArray<int>());
        Assert.Equal(3, g.Eval(valid).ToArray<int>()[0]);
        // testSelectFromContinuousOverLap: max 3, IoU 0.5, score threshold 0.1.
        float[,] overlapping = { { 0, 0, 1, 1 }, { 0, 0.2f, 1, 1.2f }, { 0, 0.4f, 1, 1.4f }, { 0, 0.6f, 1, 1.6f }, { 0, 0.8f, 1, 1.8f }, { 0, 2, 1, 2 } };
        var (sel, n) = tf.image.non_max_suppression_padded(overlapping, new[] { 0.9f, 0.75f, 0.6f, 0.5f, 0.4f, 0.3f }, 3, 0.5f, 0.1f, pad_to_max_output_size: true);
        Assert.Equal(new[] { 0, 2, 4 }, g.Eval(sel).ToArray<int>());
        Assert.Equal(3, g.Eval(n).ToArray<int>()[0]);
    }

    [Fact]
    public void ScoreThresholdTiesAndSuppressionAtTheThresholdFollowTheKernel()
    {
        using var g = TestGraph.Enter();
        // Equal scores: the lower index first. Scores not above the threshold are never candidates.
        float[,] boxes = { { 0, 0, 1, 1 }, { 0, 5, 1, 6 }, { 0, 10, 1, 11 }, { 0, 20, 1, 21 } };
        var (sel, n) = tf.image.non_max_suppression_padded(boxes, new[] { 0.5f, 0.7f, 0.5f, 0.4f }, 10, 0.5f, 0.4f, pad_to_max_output_size: true);
        Assert.Equal(new[] { 1, 0, 2, 0, 0, 0, 0, 0, 0, 0 }, g.Eval(sel).ToArray<int>());
        Assert.Equal(3, g.Eval(n).ToArray<int>()[0]);
        // IoU exactly at the threshold (1/3: half-overlapping unit boxes) suppresses.
        float[,] half = { { 0, 0, 1, 1 }, { 0, 0.5f, 1, 1.5f } };
        var (atThreshold, _) = tf.image.non_max_suppression_padded(half, new[] { 0.9f, 0.8f }, 2, 1f / 3f);
        Assert.Equal(new[] { 0 }, g.Eval(atThreshold).ToArray<int>());
        var (above, _) = tf.image.non_max_suppression_padded(half, new[] { 0.9f, 0.8f }, 2, 0.34f);
        Assert.Equal(new[] { 0, 1 }, g.Eval(above).ToArray<int>());
        // max_output_size 0 and no boxes.
        var (none, zero) = tf.image.non_max_suppression_padded(half, new[] { 0.9f, 0.8f }, 0, 0.5f, pad_to_max_output_size: true);
        Assert.Empty(g.Eval(none).ToArray<int>());
        Assert.Equal(0, g.Eval(zero).ToArray<int>()[0]);
        var (empty, emptyValid) = tf.image.non_max_suppression_padded(tf.zeros(new Shape(0, 4)), tf.zeros(new Shape(0)), 2, 0.5f, pad_to_max_output_size: true);
        Assert.Equal(new[] { 0, 0 }, g.Eval(empty).ToArray<int>());
        Assert.Equal(0, g.Eval(emptyValid).ToArray<int>()[0]);
    }

    [Fact]
    public void WithScoresMatchesTensorFlowsSoftNmsTest()
    {
        using var g = TestGraph.Enter();
        // NonMaxSuppressionWithScoresTest.testSelectFromThreeClustersWithSoftNMS: IoU threshold 1, score threshold 0, σ 0.5.
        var (indices, scores) = tf.image.non_max_suppression_with_scores(Clusters, ClusterScores, 6, 1.0f, 0.0f, 0.5f);
        Assert.Equal("NonMaxSuppressionV5", indices.op.type);
        Assert.Equal(new[] { 3, 0, 1, 5, 4, 2 }, g.Eval(indices).ToArray<int>());
        var s = g.Eval(scores).ToArray<float>();
        double[] expected = [0.95, 0.9, 0.384, 0.3, 0.256, 0.197];
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(s[i] - expected[i]) <= 1e-2 * expected[i], $"score {i}: {s[i]} vs {expected[i]}");
        // σ 0 is NonMaxSuppressionV3 with its scores.
        var (hard, hardScores) = tf.image.non_max_suppression_with_scores(Clusters, ClusterScores, 3, 0.5f);
        Assert.Equal(new[] { 3, 0, 5 }, g.Eval(hard).ToArray<int>());
        Assert.Equal(new[] { 0.95f, 0.9f, 0.3f }, g.Eval(hardScores).ToArray<float>());
    }

    /// <summary>Soft-NMS written plainly: repeatedly take the best remaining box, decay every other by exp(-IoU²/(2σ)), drop those not above the threshold.</summary>
    private static (List<int>, List<double>) SoftNmsReference(float[,] boxes, float[] scores, int max, double scoreThreshold, double sigma)
    {
        var n = scores.Length;
        var flat = new float[n * 4];
        Buffer.BlockCopy(boxes, 0, flat, 0, flat.Length * 4);
        var current = scores.Select(v => (double)v).ToArray();
        var alive = Enumerable.Range(0, n).Where(i => current[i] > scoreThreshold).ToHashSet();
        var (kept, keptScores) = (new List<int>(), new List<double>());
        while (kept.Count < max && alive.Count > 0)
        {
            var best = alive.OrderByDescending(i => current[i]).ThenBy(i => i).First();
            alive.Remove(best);
            kept.Add(best);
            keptScores.Add(current[best]);
            foreach (var i in alive.ToList())
            {
                var iou = SharpFlow.Kernels.Image.BoxKernels.IoU(flat, i, best);
                current[i] *= Math.Exp(-0.5 * iou * iou / sigma);
                if (current[i] <= scoreThreshold) alive.Remove(i);
            }
        }
        return (kept, keptScores);
    }

    [Fact]
    public void SoftNmsMatchesAPlainReferenceOnRandomBoxes()
    {
        using var g = TestGraph.Enter();
        var r = new Random(11);
        const int n = 40;
        var boxes = new float[n, 4];
        var scores = new float[n];
        for (var i = 0; i < n; i++)
        {
            var (y, x) = (r.NextSingle() * 4, r.NextSingle() * 4);
            (boxes[i, 0], boxes[i, 1], boxes[i, 2], boxes[i, 3]) = (y, x, y + 0.5f + r.NextSingle(), x + 0.5f + r.NextSingle());
            scores[i] = 0.05f + 0.9f * r.NextSingle();
        }
        var (indices, selected, valid) = NonMaxSuppressionV5.Build(boxes, scores, 25, 1.0f, 0.2f, 0.3f, padToMaxOutputSize: true);
        Assert.Equal(new Shape(25), selected.shape);
        var (expectedIndices, expectedScores) = SoftNmsReference(boxes, scores, 25, 0.2, 0.3);
        var count = g.Eval(valid).ToArray<int>()[0];
        Assert.Equal(expectedIndices.Count, count);
        var got = g.Eval(indices).ToArray<int>();
        Assert.Equal(expectedIndices, got[..count]);
        Assert.All(got[count..], v => Assert.Equal(0, v));
        var gotScores = g.Eval(selected).ToArray<float>();
        for (var i = 0; i < count; i++) Assert.Equal(expectedScores[i], gotScores[i], 1e-4);
        Assert.All(gotScores[count..], v => Assert.Equal(0f, v));
    }

    private const string GraphText = """
        node { name: "boxes" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "scores" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "max" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 4 } } } }
        node { name: "iou" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 0.5 } } } }
        node { name: "score" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 0 } } } }
        node { name: "sigma" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 0 } } } }
        node { name: "v4" op: "NonMaxSuppressionV4" input: "boxes" input: "scores" input: "max" input: "iou" input: "score"
               attr { key: "T" value { type: DT_FLOAT } } attr { key: "T_threshold" value { type: DT_FLOAT } } attr { key: "pad_to_max_output_size" value { b: true } } }
        node { name: "v5" op: "NonMaxSuppressionV5" input: "boxes" input: "scores" input: "max" input: "iou" input: "score" input: "sigma"
               attr { key: "T" value { type: DT_FLOAT } } }
        versions { producer: 27 }
        """;

    [Fact]
    public void ImportFromAGraphDefAndRun()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(TextFormat.Parse<Tf.GraphDef>(GraphText), name: "");
        var feed = new FeedDict { [g.Graph.get_tensor_by_name("boxes:0")] = Clusters, [g.Graph.get_tensor_by_name("scores:0")] = ClusterScores };
        Assert.Equal(new Shape(4), g.Graph.get_tensor_by_name("v4:0").shape);
        Assert.Equal(new[] { 3, 0, 5, 0 }, g.Eval(g.Graph.get_tensor_by_name("v4:0"), feed).ToArray<int>());
        Assert.Equal(3, g.Eval(g.Graph.get_tensor_by_name("v4:1"), feed).ToArray<int>()[0]);
        Assert.Equal(new[] { 3, 0, 5 }, g.Eval(g.Graph.get_tensor_by_name("v5:0"), feed).ToArray<int>());
        Assert.Equal(new[] { 0.95f, 0.9f, 0.3f }, g.Eval(g.Graph.get_tensor_by_name("v5:1"), feed).ToArray<float>());
        Assert.Equal(3, g.Eval(g.Graph.get_tensor_by_name("v5:2"), feed).ToArray<int>()[0]);
    }

    [Fact]
    public void ShapesAndRunTimeValuesAreCheckedAndTheErrorsNameTheOp()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => NonMaxSuppressionV4.Build(tf.zeros(new Shape(3, 4, 1)), tf.zeros(new Shape(3)), 2, 0.5f, 0f));
        Assert.Contains("NonMaxSuppressionV4", e.Message);
        Assert.Contains("boxes: Shape must be rank 2 but is rank 3", e.Message);
        e = Assert.Throws<ValueError>(() => NonMaxSuppressionV4.Build(tf.zeros(new Shape(3, 5)), tf.zeros(new Shape(3)), 2, 0.5f, 0f));
        Assert.Contains("Dimension must be 4 but is 5", e.Message);
        e = Assert.Throws<ValueError>(() => NonMaxSuppressionV5.Build(tf.zeros(new Shape(3, 4)), tf.zeros(new Shape(2)), 2, 0.5f, 0f, 0f));
        Assert.Contains("NonMaxSuppressionV5", e.Message);
        Assert.Contains("Dimensions must be equal, but are 3 and 2", e.Message);
        e = Assert.Throws<ValueError>(() => NonMaxSuppressionV5.Build(tf.zeros(new Shape(3, 4)), tf.zeros(new Shape(3)), 2, 0.5f, 0f, new[] { 0f }));
        Assert.Contains("soft_nms_sigma: Shape must be rank 0 but is rank 1", e.Message);
        // A float64 tensor is refused as TensorFlow's convert_to_tensor refuses it.
        e = Assert.Throws<ValueError>(() => NonMaxSuppressionV4.Build(tf.zeros(new Shape(3, 4), tf.float64), tf.zeros(new Shape(3)), 2, 0.5f, 0f));
        Assert.Contains("requested dtype float32 for Tensor with dtype float64", e.Message);

        var boxes = tf.placeholder(tf.float32);
        var scores = tf.placeholder(tf.float32);
        var iou = tf.placeholder(tf.float32);
        var sigma = tf.placeholder(tf.float32);
        var (v5, _, _) = NonMaxSuppressionV5.Build(boxes, scores, 2, iou, 0f, sigma);
        FeedDict Feed(NDArray b, NDArray s, float i = 0.5f, float sg = 0f) => new() { [boxes] = b, [scores] = s, [iou] = i, [sigma] = sg };
        var r = Assert.Throws<InvalidArgumentError>(() => g.Eval(v5, Feed(new float[3, 4], new float[3], 1.5f)));
        Assert.Contains("NonMaxSuppressionV5", r.Message);
        Assert.Contains("iou_threshold must be in [0, 1]", r.Message);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(v5, Feed(new float[3, 4], new float[3], sg: -1f)));
        Assert.Contains("soft_nms_sigma_val must be >= 0", r.Message);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(v5, Feed(new float[3, 3], new float[3])));
        Assert.Contains("boxes must have 4 columns", r.Message);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(v5, Feed(new float[3, 4], new float[2])));
        Assert.Contains("scores has incompatible shape", r.Message);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(v5, Feed(new float[3, 4], new float[3, 1])));
        Assert.Contains("scores must be 1-D", r.Message);
        var (negative, _) = NonMaxSuppressionV4.Build(boxes, scores, tf.placeholder_with_default(-1, Shape.Scalar), 0.5f, 0f);
        r = Assert.Throws<InvalidArgumentError>(() => g.Eval(negative, new FeedDict { [boxes] = new float[1, 4], [scores] = new float[1] }));
        Assert.Contains("max_output_size must be non-negative", r.Message);
        // TensorFlow 1.15 registers no gradient for V5: differentiating its scores is a LookupError naming it.
        var x = tf.placeholder(tf.float32, new Shape(3));
        var (_, selScores, _) = NonMaxSuppressionV5.Build(tf.zeros(new Shape(3, 4)), x, 2, 0.5f, 0f, 0f);
        var lookup = Assert.Throws<LookupError>(() => tf.gradients(tf.reduce_sum(selScores), x));
        Assert.Contains("NonMaxSuppressionV5", lookup.Message);
    }
}
