namespace SharpFlow.Tests.Metrics;

/// <summary>
/// tf.metrics against TensorFlow's metrics_test.py (its expected values where it has them, the formulas otherwise):
/// local variables with TensorFlow's names, streaming over several update runs, resets by
/// local_variables_initializer, weights and TensorFlow's errors.
/// </summary>
public class MetricsTests
{
    private static float F(NDArray a) => a.Cast(DType.float32).item<float>();

    [Fact]
    public void MeanCreatesLocalMetricVariablesWithTensorFlowsNames()
    {
        using var g = TestGraph.Enter();
        tf.metrics.mean(tf.ones(new Shape(4, 3)));
        var names = tf.local_variables().Select(v => v.name).ToList();
        Assert.Equal(new[] { "mean/total:0", "mean/count:0" }, names);
        Assert.Equal(names, tf.get_collection<Variable>(tf.GraphKeys.METRIC_VARIABLES).Select(v => v.name));
        Assert.Empty(tf.global_variables());
        Assert.Empty(tf.trainable_variables());
        tf.metrics.accuracy(tf.constant(new[] { 1 }), tf.constant(new[] { 1 }));
        tf.metrics.accuracy(tf.constant(new[] { 1 }), tf.constant(new[] { 1 }));
        Assert.Contains("accuracy/total:0", tf.local_variables().Select(v => v.name));
        Assert.Contains("accuracy_1/count:0", tf.local_variables().Select(v => v.name));
    }

    [Fact]
    public void MeanStreamsOverUpdatesAndResets()
    {
        // metrics_test.MeanTest.testBasic: four (1, 2) batches, mean 1.65.
        using var g = TestGraph.Enter();
        var values = tf.placeholder(tf.float32, new Shape(1, 2));
        var (mean, update_op) = tf.metrics.mean(values, metrics_collections: ["my_metrics"], updates_collections: ["my_updates"]);
        Assert.Same(mean, tf.get_collection<Tensor>("my_metrics").Single());
        Assert.Same(update_op, tf.get_collection<Tensor>("my_updates").Single());
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        Assert.Equal(0f, F(sess.run(mean)));
        float[][] batches = [[0, 1], [-4.2f, 9.1f], [6.5f, 0], [-3.2f, 4.0f]];
        foreach (var b in batches) sess.run(update_op, new FeedDict { [values] = NDArray.FromFlat(b, new Shape(1, 2)) });
        Assert.Equal(1.65f, F(sess.run(mean)), 1e-5);
        sess.run(tf.local_variables_initializer());
        Assert.Equal(0f, F(sess.run(mean)));
    }

    [Fact]
    public void WeightedMeanCountsTheWeights()
    {
        // metrics_test.MeanTest.test2dWeightedValues: (0 + 1 - 4.2 + 0) / 4 = -0.8.
        using var g = TestGraph.Enter();
        var values = tf.placeholder(tf.float32, new Shape(1, 2));
        var weights = tf.placeholder(tf.float32, new Shape(1, 2));
        var (mean, update_op) = tf.metrics.mean(values, weights);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        float[][] batches = [[0, 1], [-4.2f, 9.1f], [6.5f, 0], [-3.2f, 4.0f]];
        float[][] w = [[1, 1], [1, 0], [0, 1], [0, 0]];
        float last = 0;
        for (var i = 0; i < 4; i++)
            last = F(sess.run(update_op, new FeedDict { [values] = NDArray.FromFlat(batches[i], new Shape(1, 2)), [weights] = NDArray.FromFlat(w[i], new Shape(1, 2)) }));
        Assert.Equal(-0.8f, last, 1e-5);
        Assert.Equal(-0.8f, F(sess.run(mean)), 1e-5);
    }

    [Fact]
    public void WeightsThatCannotBroadcastAreRefused()
    {
        using var g = TestGraph.Enter();
        var ex = Assert.Throws<ValueError>(() => tf.metrics.mean(tf.ones(new Shape(2, 3)), tf.ones(new Shape(2, 4))));
        Assert.StartsWith("weights can not be broadcast to values.", ex.Message);
    }

    [Fact]
    public void MeanTensorAveragesElementWise()
    {
        using var g = TestGraph.Enter();
        var values = tf.placeholder(tf.float32, new Shape(1, 2));
        var (mean, update_op) = tf.metrics.mean_tensor(values);
        Assert.Equal(new[] { "mean/total_tensor:0", "mean/count_tensor:0" }, tf.local_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        float[][] batches = [[0, 1], [-4.2f, 9.1f], [6.5f, 0], [-3.2f, 4.0f]];
        foreach (var b in batches) sess.run(update_op, new FeedDict { [values] = NDArray.FromFlat(b, new Shape(1, 2)) });
        AssertArray.Close(NDArray.FromFlat(new[] { -0.225f, 3.525f }, new Shape(1, 2)), sess.run(mean), 1e-5);
    }

    [Fact]
    public void AccuracyStreamsOverUpdates()
    {
        // metrics_test.AccuracyTest.testMultipleUpdates: predictions 0,1,2,1 against labels 0,1,1,2.
        using var g = TestGraph.Enter();
        var predictions = tf.placeholder(tf.float32, new Shape(1, 1));
        var labels = tf.placeholder(tf.float32, new Shape(1, 1));
        var (accuracy, update_op) = tf.metrics.accuracy(labels, predictions);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        float[] p = [0, 1, 2, 1], l = [0, 1, 1, 2];
        float last = 0;
        for (var i = 0; i < 4; i++)
            last = F(sess.run(update_op, new FeedDict { [predictions] = NDArray.FromFlat(new[] { p[i] }, new Shape(1, 1)), [labels] = NDArray.FromFlat(new[] { l[i] }, new Shape(1, 1)) }));
        Assert.Equal(0.5f, last);
        Assert.Equal(0.5f, F(sess.run(accuracy)));
    }

    [Fact]
    public void AccuracySqueezesAndWeighs()
    {
        using var g = TestGraph.Enter();
        var predictions = tf.constant(new[,] { { 1 }, { 1 }, { 1 }, { 0 } });
        var labels = tf.constant(new[] { 1, 0, 1, 1 });
        var (accuracy, update_op) = tf.metrics.accuracy(labels, predictions, weights: tf.constant(new[] { 2f, 0f, 1f, 1f }));
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        Assert.Equal(0.75f, F(sess.run(update_op)));
        Assert.Equal(0.75f, F(sess.run(accuracy)));
    }

    [Fact]
    public void AccuracyRefusesIncompatibleShapes()
    {
        using var g = TestGraph.Enter();
        var ex = Assert.Throws<ValueError>(() => tf.metrics.accuracy(tf.ones(new Shape(3)), tf.ones(new Shape(4))));
        Assert.Equal("Shapes (4,) and (3,) are incompatible", ex.Message);
    }

    [Fact]
    public void ErrorMetrics()
    {
        using var g = TestGraph.Enter();
        var labels = tf.constant(new[] { 1f, 3f, 2f, 3f });
        var predictions = tf.constant(new[] { 2f, 4f, 6f, 8f });
        var mse = tf.metrics.mean_squared_error(labels, predictions);
        var rmse = tf.metrics.root_mean_squared_error(labels, predictions);
        var mae = tf.metrics.mean_absolute_error(labels, predictions);
        var wmae = tf.metrics.mean_absolute_error(labels, predictions, weights: tf.constant(new[] { 0f, 1f, 0f, 1f }));
        var below = tf.metrics.percentage_below(predictions, 7);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        Assert.Equal(10.75f, F(sess.run(mse.update_op)), 1e-5);
        Assert.Equal(MathF.Sqrt(10.75f), F(sess.run(rmse.update_op)), 1e-5);
        Assert.Equal(MathF.Sqrt(10.75f), F(sess.run(rmse.value)), 1e-5);
        Assert.Equal(2.75f, F(sess.run(mae.update_op)), 1e-5);
        Assert.Equal(3f, F(sess.run(wmae.update_op)), 1e-5);
        Assert.Equal(0.75f, F(sess.run(below.update_op)), 1e-5);
        Assert.Contains("root_mean_squared_error/total:0", tf.local_variables().Select(v => v.name));
        Assert.Contains("percentage_below_threshold/count:0", tf.local_variables().Select(v => v.name));
    }

    private static readonly int[,] CountLabels = { { 0, 1, 0, 1, 0 }, { 0, 0, 1, 1, 1 }, { 1, 1, 1, 1, 0 }, { 0, 0, 0, 0, 1 } };
    private static readonly int[,] CountPredictions = { { 0, 0, 1, 1, 0 }, { 1, 1, 1, 1, 1 }, { 0, 1, 0, 1, 0 }, { 1, 1, 1, 1, 1 } };

    [Fact]
    public void TrueAndFalsePositivesAndNegatives()
    {
        // metrics_test.TruePositivesTest/FalsePositivesTest/...: 7, 7, 3, 3; weighted true positives 170.
        using var g = TestGraph.Enter();
        var labels = tf.constant(CountLabels);
        var predictions = tf.constant(CountPredictions);
        var tp = tf.metrics.true_positives(labels, predictions);
        var fp = tf.metrics.false_positives(labels, predictions);
        var fn = tf.metrics.false_negatives(labels, predictions);
        var tn = tf.metrics.true_negatives(labels, predictions);
        var wtp = tf.metrics.true_positives(labels, predictions, weights: tf.constant(new[,] { { 10f }, { 20f }, { 30f }, { 40f } }));
        Assert.Contains("true_positives/count:0", tf.local_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        Assert.Equal(0f, F(sess.run(tp.value)));
        Assert.Equal(7f, F(sess.run(tp.update_op)));
        Assert.Equal(7f, F(sess.run(fp.update_op)));
        Assert.Equal(3f, F(sess.run(fn.update_op)));
        Assert.Equal(3f, F(sess.run(tn.update_op)));
        Assert.Equal(170f, F(sess.run(wtp.update_op)));
        Assert.Equal(14f, F(sess.run(tp.update_op)));
        Assert.Equal(14f, F(sess.run(tp.value)));
    }

    [Theory]
    [InlineData(false, new[] { 1f, 0, 1, 0, 1, 0, 1, 0 }, new[] { 0f, 1, 1, 0, 1, 0, 0, 1 }, new[] { 2f, 2, 2, 2, 5, 5, 5, 5 }, 0.5f)]
    [InlineData(false, new[] { 1f, 0, 1, 0, 1, 0, 1, 0 }, new[] { 0f, 1, 1, 0, 1, 0, 0, 1 }, new[] { 1f, 2, 3, 4, 4, 3, 2, 1 }, 0.7f)]
    [InlineData(true, new[] { 1f, 0, 1, 0, 0, 1, 0, 1 }, new[] { 0f, 1, 1, 0, 1, 0, 0, 1 }, new[] { 2f, 2, 2, 2, 5, 5, 5, 5 }, 0.5f)]
    [InlineData(true, new[] { 1f, 0, 1, 0, 0, 1, 0, 1 }, new[] { 0f, 1, 1, 0, 1, 0, 0, 1 }, new[] { 1f, 2, 3, 4, 4, 3, 2, 1 }, 0.4f)]
    public void WeightedPrecisionAndRecall(bool recall, float[] predictions, float[] labels, float[] weights, float expected)
    {
        // metrics_test.PrecisionTest/RecallTest.testWeighted1d and testWeighted2d.
        using var g = TestGraph.Enter();
        var p = tf.constant(NDArray.FromFlat(predictions, new Shape(2, 4)));
        var l = tf.constant(NDArray.FromFlat(labels, new Shape(2, 4)));
        var w = tf.constant(NDArray.FromFlat(weights, new Shape(2, 4)));
        var (value, update_op) = recall ? tf.metrics.recall(l, p, w) : tf.metrics.precision(l, p, w);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        Assert.Equal(expected, F(sess.run(update_op)), 1e-5);
        Assert.Equal(expected, F(sess.run(value)), 1e-5);
        Assert.Contains(recall ? "recall/false_negatives/count:0" : "precision/false_positives/count:0", tf.local_variables().Select(v => v.name));
    }

    [Fact]
    public void PrecisionAndRecallOfNothingAreZero()
    {
        using var g = TestGraph.Enter();
        var zeros = tf.zeros(new Shape(4));
        var precision = tf.metrics.precision(zeros, zeros);
        var recall = tf.metrics.recall(zeros, zeros);
        var some = tf.metrics.precision(tf.constant(new[] { 0, 1, 1, 0 }), tf.constant(new[] { 1, 0, 1, 0 }));
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        Assert.Equal(0f, F(sess.run(precision.update_op)));
        Assert.Equal(0f, F(sess.run(recall.update_op)));
        Assert.Equal(0.5f, F(sess.run(some.update_op)));
    }

    private static float Auc(float[] predictions, int[] labels, float[]? weights = null, string curve = "ROC", string summation = "trapezoidal", double[]? thresholds = null)
    {
        using var g = TestGraph.Enter();
        var p = tf.constant(NDArray.FromFlat(predictions, new Shape(1, predictions.Length)));
        var l = tf.constant(NDArray.FromFlat(labels, new Shape(1, labels.Length)));
        TensorLike? w = weights is null ? (TensorLike?)null : tf.constant(NDArray.FromFlat(weights, new Shape(1, weights.Length)));
        var (auc, update_op) = tf.metrics.auc(l, p, w, curve: curve, summation_method: summation, thresholds: thresholds);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        var updated = F(sess.run(update_op));
        Assert.Equal(updated, F(sess.run(auc)), 1e-6);
        return updated;
    }

    [Fact]
    public void AucMatchesTensorFlowsTests()
    {
        // metrics_test.AUCTest.
        Assert.Equal(0.5f, Auc([1, 0, 1, 0], [0, 1, 1, 0]), 1e-5);
        Assert.Equal(0.5f, Auc([1, 0, 1, 0], [0, 1, 1, 0], [2, 2, 2, 2]), 1e-5);
        Assert.Equal(0.7f, Auc([1, 0, 1, 0], [0, 1, 1, 0], [1, 2, 3, 4]), 1e-5);
        Assert.Equal(0.875f, Auc([0.12f, 0.3001f, 0.3003f, 0.72f], [0, 0, 1, 1], [1, 1, 1, 1]), 1e-3);
        Assert.Equal(1.0f, Auc([0.12f, 0.3001f, 0.3003f, 0.72f], [0, 0, 1, 1], [1, 1, 1, 1], thresholds: [0.3002]), 1e-3);
        Assert.Equal(1.0f, Auc([0, 0, 0, 0], [0, 0, 0, 0]), 1e-5);
        Assert.Equal(1.0f, Auc([1, 1, 1, 1], [1, 1, 1, 1], curve: "PR"), 1e-5);
        Assert.Equal(0f, Auc([1, 0, 1, 0], [0, 1, 0, 1]), 1e-5);
    }

    [Fact]
    public void PrAucWithCarefulInterpolationAndTrapezoids()
    {
        // metrics_test.AUCTest.testCorrectAUCPRSpecialCase, testCorrectAnotherAUCPRSpecialCase, testThirdCorrectAUCPRSpecialCase
        // and their trapezoidal counterparts.
        float[] p1 = [0.1f, 0.4f, 0.35f, 0.8f];
        int[] l1 = [0, 0, 1, 1];
        float[] p2 = [0.1f, 0.4f, 0.35f, 0.8f, 0.1f, 0.135f, 0.81f];
        int[] l2 = [0, 0, 1, 0, 1, 0, 1];
        float[] p3 = [0.0f, 0.1f, 0.2f, 0.33f, 0.3f, 0.4f, 0.5f];
        int[] l3 = [0, 0, 0, 0, 1, 1, 1];
        Assert.InRange(Auc(p1, l1, curve: "PR", summation: "careful_interpolation"), 1 - Math.Log(1.5) / 2 - 1e-3, 1 - Math.Log(1.5) / 2 + 1e-3);
        var e2 = (2.5 - 2 * Math.Log(4.0 / 3) - 0.25 * Math.Log(7.0 / 5)) / 3;
        Assert.InRange(Auc(p2, l2, curve: "PR", summation: "careful_interpolation"), e2 - 1e-3, e2 + 1e-3);
        var e3 = 1 - Math.Log(4.0 / 3) / 3;
        Assert.InRange(Auc(p3, l3, curve: "PR", summation: "careful_interpolation"), e3 - 1e-3, e3 + 1e-3);
        Assert.InRange(Auc(p1, l1, curve: "PR"), 0.79166 - 1e-3, 0.79166 + 1e-3);
        Assert.InRange(Auc(p2, l2, curve: "PR"), 0.610317 - 1e-3, 0.610317 + 1e-3);
        Assert.InRange(Auc(p3, l3, curve: "PR"), 0.90277 - 1e-3, 0.90277 + 1e-3);
    }

    [Fact]
    public void AucChecksItsArguments()
    {
        using var g = TestGraph.Enter();
        var ex = Assert.Throws<ValueError>(() => tf.metrics.auc(tf.ones(new Shape(4)), tf.ones(new Shape(4)), curve: "XYZ"));
        Assert.Equal("curve must be either ROC or PR, XYZ unknown", ex.Message);
        var (_, update_op) = tf.metrics.auc(tf.constant(new[] { 0, 1 }), tf.constant(new[] { 0.5f, 1.5f }));
        Assert.Equal(new[] { "auc_1/true_positives:0", "auc_1/false_negatives:0", "auc_1/true_negatives:0", "auc_1/false_positives:0" },
            tf.local_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        var error = Assert.ThrowsAny<OpError>(() => sess.run(update_op));
        Assert.Contains("predictions must be in [0, 1]", error.Message);
    }

    [Fact]
    public void PrecisionAndRecallAtThresholds()
    {
        // metrics_test.PrecisionRecallThresholdsTest.testWeights1d: [1, 0] and [1, 0].
        using var g = TestGraph.Enter();
        var predictions = tf.constant(new[,] { { 1f, 0f }, { 1f, 0f } });
        var labels = tf.constant(new[,] { { 0, 1 }, { 1, 0 } });
        var weights = tf.constant(new[,] { { 0f }, { 1f } });
        double[] thresholds = [0.5, 1.1];
        var prec = tf.metrics.precision_at_thresholds(labels, predictions, thresholds, weights);
        var rec = tf.metrics.recall_at_thresholds(labels, predictions, thresholds, weights);
        var tp = tf.metrics.true_positives_at_thresholds(labels, predictions, thresholds);
        var fp = tf.metrics.false_positives_at_thresholds(labels, predictions, thresholds);
        var tn = tf.metrics.true_negatives_at_thresholds(labels, predictions, thresholds);
        var fn = tf.metrics.false_negatives_at_thresholds(labels, predictions, thresholds);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        sess.run(new ITensorOrOperation[] { prec.update_op, rec.update_op, tp.update_op, fp.update_op, tn.update_op, fn.update_op });
        AssertArray.Close(NDArray.FromFlat(new[] { 1f, 0f }, new Shape(2)), sess.run(prec.value), 1e-5);
        AssertArray.Close(NDArray.FromFlat(new[] { 1f, 0f }, new Shape(2)), sess.run(rec.value), 1e-5);
        AssertArray.Equal(new[] { 1f, 0f }, sess.run(tp.value));
        AssertArray.Equal(new[] { 1f, 0f }, sess.run(fp.value));
        AssertArray.Equal(new[] { 1f, 2f }, sess.run(tn.value));
        AssertArray.Equal(new[] { 1f, 2f }, sess.run(fn.value));
    }

    [Fact]
    public void MeanIouOverAStreamedConfusionMatrix()
    {
        using var g = TestGraph.Enter();
        var labels = tf.placeholder(tf.int32, new Shape(-1));
        var predictions = tf.placeholder(tf.int32, new Shape(-1));
        var (miou, update_op) = tf.metrics.mean_iou(labels, predictions, 3);
        Assert.Equal("mean_iou/total_confusion_matrix:0", tf.local_variables().Single().name);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        var cm = sess.run(update_op, new FeedDict { [labels] = NDArray.FromFlat(new[] { 0, 2, 1 }, new Shape(3)), [predictions] = NDArray.FromFlat(new[] { 0, 1, 2 }, new Shape(3)) });
        sess.run(update_op, new FeedDict { [labels] = NDArray.FromFlat(new[] { 1, 0 }, new Shape(2)), [predictions] = NDArray.FromFlat(new[] { 1, 0 }, new Shape(2)) });
        AssertArray.Equal(new double[] { 1, 0, 0, 0, 0, 1, 0, 1, 0 }, cm);
        // metrics_test.MeanIOUTest.testMultipleUpdates: mean of 1, 1/3 and 0.
        Assert.Equal((1 + 1 / 3.0f + 0) / 3, F(sess.run(miou)), 1e-5);
        // A class that neither label nor prediction names does not count.
        sess.run(tf.local_variables_initializer());
        sess.run(update_op, new FeedDict { [labels] = NDArray.FromFlat(new[] { 0, 1 }, new Shape(2)), [predictions] = NDArray.FromFlat(new[] { 0, 1 }, new Shape(2)) });
        Assert.Equal(1f, F(sess.run(miou)));
    }

    [Fact]
    public void MeanPerClassAccuracy()
    {
        using var g = TestGraph.Enter();
        var (value, update_op) = tf.metrics.mean_per_class_accuracy(tf.constant(new[] { 0, 0, 1, 1, 2 }), tf.constant(new[] { 0, 1, 1, 1, 0 }), 3);
        Assert.Equal(new[] { "mean_accuracy/total:0", "mean_accuracy/count:0" }, tf.local_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        AssertArray.Equal(new[] { 0.5f, 1f, 0f }, sess.run(update_op));
        Assert.Equal(0.5f, F(sess.run(value)), 1e-6);
    }

    [Fact]
    public void PrecisionAndRecallAtK()
    {
        using var g = TestGraph.Enter();
        var predictions = tf.constant(new[,] { { 0.1f, 0.3f, 0.2f, 0.4f }, { 0.1f, 0.2f, 0.3f, 0.4f } });
        var labels = tf.constant(new long[,] { { 0, 3 }, { 0, 2 } });
        var p1 = tf.metrics.precision_at_k(labels, predictions, 1);
        var p2 = tf.metrics.precision_at_k(labels, predictions, 2);
        var r1 = tf.metrics.recall_at_k(labels, predictions, 1);
        var r2 = tf.metrics.recall_at_k(labels, predictions, 2);
        var pc = tf.metrics.precision_at_k(labels, predictions, 1, class_id: 3);
        var rc = tf.metrics.recall_at_k(labels, predictions, 1, class_id: 3);
        Assert.Contains("precision_at_1/true_positive_at_1:0", tf.local_variables().Select(v => v.name));
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        Assert.True(double.IsNaN(sess.run(p1.value).item<double>()));
        Assert.Equal(0.5, sess.run(p1.update_op).item<double>());
        Assert.Equal(0.5, sess.run(p2.update_op).item<double>());
        Assert.Equal(0.25, sess.run(r1.update_op).item<double>());
        Assert.Equal(0.5, sess.run(r2.update_op).item<double>());
        Assert.Equal(0.5, sess.run(pc.update_op).item<double>());
        Assert.Equal(1.0, sess.run(rc.update_op).item<double>());
    }

    [Fact]
    public void ConfusionMatrix()
    {
        // confusion_matrix_test.testLabelsTooLarge's neighbour: labels [1, 2, 4], predictions [2, 2, 4].
        using var g = TestGraph.Enter();
        var cm = tf.confusion_matrix(tf.constant(new[] { 1, 2, 4 }), tf.constant(new[] { 2, 2, 4 }));
        Assert.Equal(tf.int32, cm.dtype);
        var weighted = tf.confusion_matrix(tf.constant(new[] { 1, 2, 4 }), tf.constant(new[] { 2, 2, 4 }), num_classes: 6,
            weights: tf.constant(new[] { 0.5, 1.5, 2.0 }), dtype: tf.float64);
        var negative = tf.confusion_matrix(tf.constant(new[] { -1, 2 }), tf.constant(new[] { 0, 1 }));
        var tooLarge = tf.confusion_matrix(tf.constant(new[] { 1, 2 }), tf.constant(new[] { 0, 1 }), num_classes: 2);
        using var sess = tf.Session();
        AssertArray.Equal(new[] { 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, sess.run(cm));
        var w = sess.run(weighted);
        Assert.Equal(new Shape(6, 6), w.shape);
        Assert.Equal(0.5, w.GetValue<double>(1, 2));
        Assert.Equal(1.5, w.GetValue<double>(2, 2));
        Assert.Equal(2.0, w.GetValue<double>(4, 4));
        Assert.Contains("`labels` contains negative values", Assert.ThrowsAny<OpError>(() => sess.run(negative)).Message);
        Assert.Contains("`labels` out of bound", Assert.ThrowsAny<OpError>(() => sess.run(tooLarge)).Message);
    }
}
