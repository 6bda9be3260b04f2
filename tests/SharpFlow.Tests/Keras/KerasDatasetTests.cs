using SharpFlow.Keras.Callbacks;
using SharpFlow.Keras.Engine;

namespace SharpFlow.Tests.Keras;

/// <summary>fit, evaluate and predict from a tf.data.Dataset or iterator, as TensorFlow 1.15's Keras runs them.</summary>
public class KerasDatasetTests
{
    private static NDArray Data(int n, int d, int seed)
    {
        var r = new Random(seed);
        return NDArray.FromFlat(Enumerable.Range(0, n * d).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), new Shape(n, d));
    }

    private static readonly NDArray X = Data(20, 3, 1);
    private static readonly NDArray Labels = NDArray.FromFlat(Enumerable.Range(0, 20).Select(i => i % 2).ToArray(), new Shape(20));

    /// <summary>A small classifier with fixed weights, so two models start alike.</summary>
    private static Sequential Classifier()
    {
        var model = tf.keras.Sequential([
            tf.keras.layers.Dense(4, activation: "relu", input_shape: [3]),
            tf.keras.layers.Dense(2, activation: "softmax"),
        ]);
        model.compile(tf.keras.optimizers.SGD(lr: 0.1), "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        model.set_weights([Data(3, 4, 2), NDArray.Zeros(DType.float32, new Shape(4)), Data(4, 2, 3), NDArray.Zeros(DType.float32, new Shape(2))]);
        return model;
    }

    private static (List<double> Losses, History History) FitArrays(int epochs)
    {
        var losses = new List<double>();
        using var g = TestGraph.Enter();
        var model = Classifier();
        var h = model.fit(X, Labels, batch_size: 5, epochs: epochs, verbose: 0, shuffle: false,
            callbacks: [tf.keras.callbacks.LambdaCallback(on_batch_end: (_, logs) => losses.Add(logs["loss"]))]);
        return (losses, h);
    }

    private static LambdaCallbackRecorder Recorder() => new();

    private sealed class LambdaCallbackRecorder
    {
        public List<double> Losses { get; } = [];
        public List<int> Batches { get; } = [];
        public Callback Callback => tf.keras.callbacks.LambdaCallback(on_batch_end: (b, logs) => { Batches.Add(b); Losses.Add(logs["loss"]); });
    }

    [Fact]
    public void FitFromADatasetGivesTheLossesOfFitFromTheSameArraysBatchForBatch()
    {
        var (expected, arraysHistory) = FitArrays(3);
        var rec = Recorder();
        History h;
        using (TestGraph.Enter())
        {
            var model = Classifier();
            var ds = tf.data.Dataset.from_tensor_slices((X, Labels)).batch(5);
            h = model.fit(ds, epochs: 3, verbose: 0, callbacks: [rec.Callback]);
        }
        Assert.Equal(12, rec.Losses.Count);
        for (var i = 0; i < 12; i++) Assert.Equal(expected[i], rec.Losses[i], 1e-6);
        // Four steps of one cardinality per epoch, the dataset started again each epoch.
        Assert.Equal(new[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3 }, rec.Batches);
        Assert.Equal([0, 1, 2], h.epoch);
        for (var e = 0; e < 3; e++) Assert.Equal(arraysHistory.history["loss"][e], h.history["loss"][e], 1e-6);
    }

    [Fact]
    public void ARepeatedDatasetNeedsStepsPerEpochAndThenReadsOnAcrossEpochs()
    {
        var (expected, _) = FitArrays(3);
        using var g = TestGraph.Enter();
        var model = Classifier();
        var ds = tf.data.Dataset.from_tensor_slices((X, Labels)).batch(5).repeat();
        var e = Assert.Throws<ValueError>(() => model.fit(ds, epochs: 2, verbose: 0));
        Assert.Equal("When passing an infinitely repeating dataset, you must specify the `steps_per_epoch` argument.", e.Message);
        var rec = Recorder();
        // Epochs of 6 steps over a dataset of 4 batches: the iterator is not restarted, so 12 steps are 3 passes.
        var h = model.fit(ds, epochs: 2, steps_per_epoch: 6, verbose: 0, callbacks: [rec.Callback]);
        Assert.Equal(12, rec.Losses.Count);
        for (var i = 0; i < 12; i++) Assert.Equal(expected[i], rec.Losses[i], 1e-6);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5 }, rec.Batches);
        Assert.Equal(2, h.epoch.Count);
    }

    [Fact]
    public void ADatasetOfUnknownSizeEndsEachEpochAtItsEndOfData()
    {
        var (expected, _) = FitArrays(2);
        using var g = TestGraph.Enter();
        var model = Classifier();
        // filter makes the size unknown until the data runs out.
        var ds = tf.data.Dataset.from_tensor_slices((X, Labels)).filter((x, y) => tf.greater_equal(y, tf.constant(0))).batch(5);
        var rec = Recorder();
        model.fit(ds, epochs: 2, verbose: 0, callbacks: [rec.Callback]);
        Assert.Equal(new[] { 0, 1, 2, 3, 0, 1, 2, 3 }, rec.Batches);
        for (var i = 0; i < 8; i++) Assert.Equal(expected[i], rec.Losses[i], 1e-6);
    }

    [Fact]
    public void RunningOutOfDataWithStepsPerEpochStopsTraining()
    {
        using var g = TestGraph.Enter();
        var model = Classifier();
        var ds = tf.data.Dataset.from_tensor_slices((X, Labels)).batch(5);
        var rec = Recorder();
        // 4 batches for 3 epochs of 3 steps: the second epoch runs out after one step and training stops.
        var h = model.fit(ds, epochs: 3, steps_per_epoch: 3, verbose: 0, callbacks: [rec.Callback]);
        Assert.Equal(new[] { 0, 1, 2, 0 }, rec.Batches);
        Assert.Equal(4, rec.Losses.Count);
        Assert.Equal(2, h.epoch.Count);
        Assert.True(model.stop_training);
    }

    [Fact]
    public void AnIteratorNeedsStepsAndIsNotRestarted()
    {
        var (expected, _) = FitArrays(2);
        using var g = TestGraph.Enter();
        var model = Classifier();
        var it = tf.data.Dataset.from_tensor_slices((X, Labels)).batch(5).repeat().make_one_shot_iterator();
        var e = Assert.Throws<ValueError>(() => model.fit(it, epochs: 1, verbose: 0));
        Assert.Equal("When using a Dataset iterator as input to a model, you should specify the `steps_per_epoch` argument.", e.Message);
        var e2 = Assert.Throws<ValueError>(() => model.evaluate(it));
        Assert.Equal("When using a Dataset iterator as input to a model, you should specify the `steps` argument.", e2.Message);
        var rec = Recorder();
        model.fit(it, epochs: 2, steps_per_epoch: 4, verbose: 0, callbacks: [rec.Callback]);
        for (var i = 0; i < 8; i++) Assert.Equal(expected[i], rec.Losses[i], 1e-6);
    }

    [Fact]
    public void EvaluateAndPredictFromADatasetMatchTheArrays()
    {
        using var g = TestGraph.Enter();
        var model = Classifier();
        var fromArrays = model.evaluate(X, Labels, batch_size: 5, verbose: 0);
        var ds = tf.data.Dataset.from_tensor_slices((X, Labels)).batch(5);
        var fromDataset = model.evaluate(ds, verbose: 0);
        Assert.Equal(fromArrays.Length, fromDataset.Length);
        for (var i = 0; i < fromArrays.Length; i++) Assert.Equal(fromArrays[i], fromDataset[i], 1e-6);
        // Two steps of the four: the loss of the first ten samples.
        Assert.Equal(model.evaluate(X[..10], Labels[..10], batch_size: 5, verbose: 0)[0], model.evaluate(ds, steps: 2, verbose: 0)[0], 1e-6);
        AssertArray.Close(model.predict(X, batch_size: 5), model.predict(ds), 1e-6);
        // predict reads the inputs of (x, y) elements, and elements of x alone.
        AssertArray.Close(model.predict(X), model.predict(tf.data.Dataset.from_tensor_slices(X).batch(7)), 1e-6);
        var e = Assert.Throws<ValueError>(() => model.evaluate(tf.data.Dataset.from_tensor_slices(X).batch(7), verbose: 0));
        Assert.StartsWith("The dataset's elements hold no target", e.Message);
    }

    [Fact]
    public void ValidationDataMayBeADatasetOrArrays()
    {
        using var g = TestGraph.Enter();
        var model = Classifier();
        var train = tf.data.Dataset.from_tensor_slices((X[..15], Labels[..15])).batch(5);
        var val = tf.data.Dataset.from_tensor_slices((X[15..], Labels[15..])).batch(5);
        var h = model.fit(train, epochs: 2, verbose: 0, validation_data: val);
        Assert.Equal(2, h.history["val_loss"].Count);
        Assert.Equal(model.evaluate(X[15..], Labels[15..], verbose: 0)[0], h.history["val_loss"][1], 1e-6);
        var h2 = model.fit(train, epochs: 1, verbose: 0, validation_data: (X[15..], Labels[15..]));
        Assert.Equal(model.evaluate(X[15..], Labels[15..], verbose: 0)[0], h2.history["val_loss"][0], 1e-6);
        var e = Assert.Throws<ValueError>(() => model.fit(train, epochs: 1, verbose: 0, validation_steps: 2));
        Assert.Equal("`validation_steps` should not be specified if `validation_data` is None.", e.Message);
    }

    [Fact]
    public void AnUnbuiltSequentialIsBuiltFromTheFirstBatchAndSampleWeightsAreRead()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias: false)]);
        model.compile(tf.keras.optimizers.SGD(lr: 0), "mse");
        var x = NDArray.FromFlat(new float[] { 1, 3 }, new Shape(2, 1));
        var y = NDArray.FromFlat(new float[] { 0, 0 }, new Shape(2, 1));
        var w = NDArray.FromFlat(new float[] { 1, 0 }, new Shape(2));
        var ds = tf.data.Dataset.from_tensor_slices((x, y, w)).batch(2);
        var h = model.fit(ds, epochs: 1, verbose: 0);
        Assert.True(model.built);
        model.set_weights([NDArray.FromFlat(new float[] { 2 }, new Shape(1, 1))]);
        // Squared errors 4 and 36 weighted (1, 0): (4 + 0) / 2 / 0.5 = 4.
        Assert.Equal(4, model.evaluate(ds, verbose: 0)[0], 1e-5);
        Assert.Single(h.history["loss"]);
    }

    [Fact]
    public void TheStepsOfAnEpochAreReadFromTheDatasetOpsAsTensorFlowsCardinality()
    {
        using var g = TestGraph.Enter();
        var d = tf.data.Dataset.from_tensor_slices((X, Labels));
        long C(tf.data.Dataset ds) => DatasetCardinality.Of(ds._variant_tensor);
        Assert.Equal(20, C(d));
        Assert.Equal(4, C(d.batch(5)));
        Assert.Equal(4, C(d.batch(6)));
        Assert.Equal(3, C(d.batch(6, drop_remainder: true)));
        Assert.Equal(8, C(d.batch(5).repeat(2)));
        Assert.Equal(DatasetCardinality.Infinite, C(d.repeat()));
        Assert.Equal(5, C(d.repeat().take(5)));
        Assert.Equal(17, C(d.skip(3)));
        Assert.Equal(20, C(d.shuffle(10).prefetch(2)));
        Assert.Equal(4, C(tf.data.Dataset.range(0L, 10L, 3L)));
        Assert.Equal(4, C(tf.data.Dataset.zip(tf.data.Dataset.range(4L), d)));
        Assert.Equal(24, C(d.concatenate(d.take(4))));
        Assert.Equal(DatasetCardinality.Unknown, C(d.filter((x, y) => tf.greater_equal(y, tf.constant(0)))));
        Assert.Equal(DatasetCardinality.Unknown, C(d.map((Tensor x, Tensor y) => (object)(x, y))));
    }

    [Fact]
    public void TheProgressBarOfADatasetOfUnknownSizeEndsAtTheStepsSeen()
    {
        // Steps mode without a known count: the bar counts steps and learns its target at the end of the epoch.
        foreach (var verbose in new[] { 1, 2 })
        {
            var output = new StringWriter();
            var logger = new ProgbarLogger(output, dynamic_display: false);
            logger.set_params(new Dictionary<string, object> { ["epochs"] = 1, ["verbose"] = verbose, ["metrics"] = new List<string> { "loss" }, ["count_mode"] = "steps" });
            logger.on_train_begin();
            logger.on_epoch_begin(0);
            for (var b = 0; b < 3; b++)
            {
                logger.on_batch_begin(b);
                logger.on_batch_end(b, new Dictionary<string, double> { ["batch"] = b, ["size"] = 1, ["loss"] = b + 1 });
            }
            logger.on_epoch_end(0, new Dictionary<string, double>());
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("Epoch 1/1", lines[0]);
            Assert.Equal(2, lines.Length);
            Assert.Matches(verbose == 1 ? @"^3/3 \[=+\] - \d+s \S+/step - loss: 2\.0000$" : @"^ - \d+s - loss: 2\.0000$", lines[1]);
        }
    }
}
