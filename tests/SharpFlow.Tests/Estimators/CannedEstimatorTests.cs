using SharpFlow.Estimators;
using SharpFlow.Train.Monitored;

namespace SharpFlow.Tests.Estimators;

/// <summary>The canned estimators, after TensorFlow's linear_test.py and dnn_test.py.</summary>
public sealed class CannedEstimatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-canned-").FullName;

    public void Dispose()
    {
        SummaryWriterCache.close(_dir);
        Directory.Delete(_dir, recursive: true);
    }

    private static RunConfig Quiet(int seed = 1) => tf.estimator.RunConfig(tf_random_seed: seed, log_step_count_steps: null, save_summary_steps: 1000);

    [Fact]
    public void LinearRegressorFitsALine()
    {
        var x = Enumerable.Range(0, 40).Select(i => i / 20f - 1).ToArray();
        var y = x.Select(v => 2 * v + 1).ToArray();
        var est = tf.estimator.LinearRegressor([tf.feature_column.numeric_column("x")], model_dir: _dir, config: Quiet());
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 40, num_epochs: null, shuffle: false), steps: 1000);
        Assert.Equal(2f, est.get_variable_value("linear/linear_model/x/weights").ToArray<float>()[0], 1e-3);
        Assert.Equal(1f, est.get_variable_value("linear/linear_model/bias_weights").ToArray<float>()[0], 1e-3);
        var eval = est.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 40, shuffle: false));
        Assert.Equal(["average_loss", "global_step", "label/mean", "loss", "prediction/mean"], eval.Keys.Order(StringComparer.Ordinal));
        Assert.True(eval["average_loss"].item<float>() < 1e-6);
        Assert.Equal(0.95f, eval["label/mean"].item<float>(), 1e-5);
        var preds = est.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = new[] { 3f } }, shuffle: false)).Single();
        Assert.Equal(7f, preds["predictions"].ToArray<float>()[0], 1e-2);
    }

    // Two Gaussian-free separable classes: class = x0 + x1 > 0.
    private static (float[,] x, int[] y) Separable(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n, 2];
        var y = new int[n];
        for (var i = 0; i < n; i++)
        {
            x[i, 0] = (float)(rng.NextDouble() * 2 - 1);
            x[i, 1] = (float)(rng.NextDouble() * 2 - 1);
            y[i] = x[i, 0] + x[i, 1] > 0 ? 1 : 0;
        }
        return (x, y);
    }

    [Fact]
    public void DNNClassifierLearnsASeparableProblem()
    {
        var (x, y) = Separable(200, 1);
        var columns = new[] { tf.feature_column.numeric_column("x", shape: new Shape(2)) };
        var est = tf.estimator.DNNClassifier([8, 8], columns, model_dir: _dir, config: Quiet(), optimizer: tf.train.AdamOptimizer(0.05));
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 50, num_epochs: null, shuffle: true), steps: 300);
        var names = est.get_variable_names();
        Assert.Contains("dnn/hiddenlayer_0/kernel", names);
        Assert.Contains("dnn/hiddenlayer_1/bias", names);
        Assert.Contains("dnn/logits/kernel", names);
        var eval = est.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 50, shuffle: false));
        Assert.Equal(["accuracy", "accuracy_baseline", "auc", "auc_precision_recall", "average_loss", "global_step", "label/mean", "loss", "precision", "prediction/mean", "recall"],
            eval.Keys.Order(StringComparer.Ordinal));
        Assert.True(eval["accuracy"].item<float>() > 0.95f, $"accuracy {eval["accuracy"]}");
        Assert.True(eval["auc"].item<float>() > 0.98f);
        var p = est.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = new float[,] { { 0.8f, 0.7f }, { -0.9f, -0.5f } } }, shuffle: false)).ToList();
        Assert.Equal(1L, p[0]["class_ids"].ToArray<long>()[0]);
        Assert.Equal(0L, p[1]["class_ids"].ToArray<long>()[0]);
        Assert.Equal(["class_ids", "classes", "logistic", "logits", "probabilities"], p[0].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Shape(2), p[0]["probabilities"].shape);
    }

    [Fact]
    public void MultiClassDNNClassifierAndDNNRegressor()
    {
        var rng = new Random(3);
        var x = new float[300, 1];
        var y = new int[300];
        for (var i = 0; i < 300; i++)
        {
            x[i, 0] = (float)(rng.NextDouble() * 3);
            y[i] = (int)x[i, 0];
        }
        var est = tf.estimator.DNNClassifier([16], [tf.feature_column.numeric_column("x")], model_dir: _dir, n_classes: 3, config: Quiet(),
            optimizer: "Adam");
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 100, num_epochs: null, shuffle: true), steps: 50);
        var eval = est.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 100, shuffle: false));
        Assert.Equal(["accuracy", "average_loss", "global_step", "loss"], eval.Keys.Order(StringComparer.Ordinal));
        var p = est.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, batch_size: 100, shuffle: false)).First();
        Assert.Equal(new Shape(3), p["probabilities"].shape);
        Assert.Equal(DType.@string, p["classes"].dtype);

        var reg = tf.estimator.DNNRegressor([4], [tf.feature_column.numeric_column("x")], model_dir: Path.Combine(_dir, "reg"), config: Quiet());
        reg.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y.Select(v => (float)v).ToArray(), batch_size: 100, shuffle: false), steps: 5);
        Assert.EndsWith("model.ckpt-3", reg.latest_checkpoint());
    }

    [Fact]
    public void LinearClassifierOnCategoricalColumnsAndCombined()
    {
        var colors = new[] { "red", "green", "blue", "red", "green", "blue", "red", "blue" };
        var labels = colors.Select(c => c == "red" ? 1 : 0).ToArray();
        var color = tf.feature_column.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"]);
        Func<object> input = () => (new Dictionary<string, Tensor> { ["color"] = tf.constant(NDArray.FromStrings(colors, new Shape(colors.Length))) }, tf.constant(labels));
        var lin = tf.estimator.LinearClassifier([color], model_dir: _dir, config: Quiet());
        lin.train(input, steps: 100);
        Assert.Equal(new Shape(3, 1), lin.get_variable_value("linear/linear_model/color/weights").shape);
        Assert.Equal(1f, lin.evaluate(input, steps: 1)["accuracy"].item<float>());

        var wide = tf.estimator.DNNLinearCombinedClassifier(model_dir: Path.Combine(_dir, "wd"), linear_feature_columns: [color],
            dnn_feature_columns: [tf.feature_column.embedding_column(color, 2)], dnn_hidden_units: [4], dnn_optimizer: tf.train.AdamOptimizer(0.05),
            linear_optimizer: tf.train.FtrlOptimizer(0.5), config: Quiet());
        wide.train(input, steps: 100);
        var names = wide.get_variable_names();
        Assert.Contains("dnn/input_from_feature_columns/input_layer/color_embedding/embedding_weights", names);
        Assert.Contains("linear/linear_model/color/weights", names);
        Assert.Equal(100L, wide.get_variable_value("global_step").Cast(DType.int64).item<long>());
        Assert.Equal(1f, wide.evaluate(input, steps: 1)["accuracy"].item<float>());
        Assert.Equal("n_classes must be > 1 for classification: 1",
            Assert.Throws<ValueError>(() => tf.estimator.LinearClassifier([color], n_classes: 1)).Message);
        Assert.Equal("Either linear_feature_columns or dnn_feature_columns must be defined.",
            Assert.Throws<ValueError>(() => tf.estimator.DNNLinearCombinedClassifier(model_dir: _dir)).Message);
    }
}
