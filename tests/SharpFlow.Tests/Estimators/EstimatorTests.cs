using SharpFlow.Estimators;
using SharpFlow.Summaries;
using SharpFlow.Train.Monitored;

namespace SharpFlow.Tests.Estimators;

/// <summary>tf.estimator.Estimator with a custom model_fn, after TensorFlow's estimator_test.py.</summary>
public sealed class EstimatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-estimator-").FullName;

    public void Dispose()
    {
        SummaryWriterCache.close(_dir);
        Directory.Delete(_dir, recursive: true);
    }

    // y = 3x - 1 on 64 points.
    private static (float[,] x, float[] y) Data()
    {
        var x = new float[64, 1];
        var y = new float[64];
        for (var i = 0; i < 64; i++)
        {
            x[i, 0] = (i - 32) / 16f;
            y[i] = 3 * x[i, 0] - 1;
        }
        return (x, y);
    }

    private static EstimatorSpec LinearModelFn(Dictionary<string, Tensor> features, Tensor? labels, string mode, IReadOnlyDictionary<string, object> @params)
    {
        var w = tf.get_variable("w", new Shape(1, 1), initializer: tf.zeros_initializer());
        var b = tf.get_variable("b", new Shape(1), initializer: tf.zeros_initializer());
        var pred = tf.reshape(tf.matmul(features["x"], w) + b, new[] { -1 });
        if (mode == ModeKeys.PREDICT)
            return new EstimatorSpec(mode, predictions: new Dictionary<string, Tensor> { ["y"] = pred, ["double"] = pred * 2f });
        var loss = tf.losses.mean_squared_error(labels!, pred);
        if (mode == ModeKeys.EVAL)
            return new EstimatorSpec(mode, loss: loss, eval_metric_ops: new Dictionary<string, (Tensor, Tensor)> { ["mae"] = tf.metrics.mean_absolute_error(labels!, pred) });
        var lr = (double)@params["learning_rate"];
        var train_op = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step: tf.train.get_global_step());
        return new EstimatorSpec(mode, loss: loss, train_op: train_op);
    }

    private SharpFlow.Estimators.Estimator Make(RunConfig? config = null) =>
        tf.estimator.Estimator(LinearModelFn, model_dir: _dir, config: config, @params: new Dictionary<string, object> { ["learning_rate"] = 0.1 });

    [Fact]
    public void NumpyInputFnKeepsTheArraysOutOfTheGraph()
    {
        // 20,000 rows of 64 floats (5 MB): the graph Estimator writes must hold placeholders, not the data, as
        // TensorFlow's numpy_input_fn feeds them (there from Python through a queue, here to the iterator's initializer).
        var rng = new Random(3);
        var x = new float[20_000, 64];
        var y = new float[20_000];
        for (var i = 0; i < 20_000; i++)
        {
            for (var j = 0; j < 64; j++) x[i, j] = (float)rng.NextDouble();
            y[i] = 2 * x[i, 0] + 1;
        }
        var est = tf.estimator.Estimator((features, labels, mode, _) =>
        {
            var pred = tf.squeeze(tf.layers.dense(features["x"], 1), [1]);
            if (mode == ModeKeys.PREDICT) return new EstimatorSpec(mode, predictions: new Dictionary<string, Tensor> { ["y"] = pred });
            var loss = tf.losses.mean_squared_error(labels!, pred);
            return mode == ModeKeys.TRAIN
                ? new EstimatorSpec(mode, loss: loss, train_op: tf.train.GradientDescentOptimizer(0.05).minimize(loss, global_step: tf.train.get_global_step()))
                : new EstimatorSpec(mode, loss: loss);
        }, model_dir: _dir);
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 100, num_epochs: 1, shuffle: true));
        // One epoch of 200 batches ran: the iterator was initialised with the fed arrays and ended at their end.
        Assert.Equal(200L, est.get_variable_value("global_step").Cast(DType.int64).item<long>());
        var graphText = File.ReadAllText(Path.Combine(_dir, "graph.pbtxt"));
        Assert.True(graphText.Length < 200_000, $"graph.pbtxt holds {graphText.Length} characters");
        Assert.Contains("name: \"numpy_input_fn/x\"", graphText);
        Assert.Contains("name: \"numpy_input_fn/y\"", graphText);
        Assert.Contains("op: \"MakeIterator\"", graphText);
        Assert.DoesNotContain("OneShotIterator", graphText);
        Assert.All(Directory.GetFiles(_dir, "events.out.tfevents.*"), f => Assert.True(new FileInfo(f).Length < 500_000, $"{f} is {new FileInfo(f).Length} bytes"));

        // Evaluation and prediction feed their own inputs the same way.
        var eval = est.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 1000, shuffle: false));
        Assert.Equal(200L, eval["global_step"].Cast(DType.int64).item<long>());
        Assert.True(eval["loss"].Cast(DType.float64).item<double>() < 0.5);
        var preds = est.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, batch_size: 512, shuffle: false)).Count();
        Assert.Equal(20_000, preds);
    }

    [Fact]
    public void NumpyInputFnDatasetIsFedThroughAnInitializableIterator()
    {
        var x = new float[,] { { 1 }, { 2 }, { 3 }, { 4 }, { 5 } };
        var y = new long[] { 10, 20, 30, 40, 50 };
        using var g = new Graph().as_default();
        var ds = Assert.IsType<tf.estimator.inputs.FedDataset>(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 2, shuffle: false)());
        Assert.Equal(2, ds.feed_dict.Count);
        var it = ds.make_initializable_iterator();
        var next = it.get_next();
        using var sess = tf.Session();
        sess.run(it.initializer, ds.feed_dict);
        var rows = new List<long>();
        try
        {
            while (true) rows.AddRange(sess.run(next.element(1).tensor).ToArray<long>());
        }
        catch (OutOfRangeError)
        {
        }
        Assert.Equal([10L, 20, 30, 40, 50], rows);
        // Without the feeds the placeholders have no value, and the error says which.
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(it.initializer));
        Assert.Contains("numpy_input_fn/", e.Message);
    }

    [Fact]
    public void SessionConfigReachesTrainingEvaluationAndPrediction()
    {
        // An op placed on a GPU runs only with allow_soft_placement, so every session the Estimator opens must get the
        // RunConfig's session_config (here the base ConfigProto a program may build, not only tf.ConfigProto).
        var (x, y) = Data();
        EstimatorSpec OnGpu(Dictionary<string, Tensor> features, Tensor? labels, string mode, IReadOnlyDictionary<string, object> @params)
        {
            var two = tf.constant(2f);
            using (tf.device("/gpu:0")) features = new Dictionary<string, Tensor> { ["x"] = tf.multiply(features["x"], two, name: "x_on_gpu") };
            return LinearModelFn(features, labels, mode, @params);
        }
        var input = tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, shuffle: false);
        var @params = new Dictionary<string, object> { ["learning_rate"] = 0.1 };

        var hard = tf.estimator.Estimator(OnGpu, model_dir: _dir, @params: @params);
        var e = Assert.Throws<InvalidArgumentError>(() => hard.train(input));
        Assert.Contains("Cannot assign a device for operation x_on_gpu", e.Message);

        var soft = tf.estimator.Estimator(OnGpu, config: new RunConfig(model_dir: _dir,
            session_config: new SharpFlow.Execution.ConfigProto { allow_soft_placement = true }), @params: @params);
        soft.train(input);
        Assert.Equal(4L, soft.get_variable_value("global_step").Cast(DType.int64).item<long>());
        Assert.Equal(4L, soft.evaluate(input)["global_step"].Cast(DType.int64).item<long>());
        Assert.Equal(64, soft.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, batch_size: 16, shuffle: false)).Count());
    }

    [Fact]
    public void TrainWritesCheckpointsGraphAndEventsAndResumes()
    {
        var (x, y) = Data();
        var est = Make();
        var input = tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, num_epochs: null, shuffle: true);
        est.train(input, steps: 30);
        Assert.True(File.Exists(Path.Combine(_dir, "checkpoint")));
        Assert.True(File.Exists(Path.Combine(_dir, "model.ckpt-30.index")));
        Assert.True(File.Exists(Path.Combine(_dir, "model.ckpt-30.data-00000-of-00001")));
        Assert.True(File.Exists(Path.Combine(_dir, "graph.pbtxt")));
        Assert.NotEmpty(Directory.GetFiles(_dir, "events.out.tfevents.*"));
        Assert.Equal(30L, est.get_variable_value("global_step").Cast(DType.int64).item<long>());

        // A second call resumes from model.ckpt-30.
        est.train(input, steps: 20);
        Assert.EndsWith("model.ckpt-50", est.latest_checkpoint());
        // max_steps already reached: nothing happens.
        est.train(input, max_steps: 40);
        Assert.EndsWith("model.ckpt-50", est.latest_checkpoint());
        est.train(input, max_steps: 200);
        Assert.EndsWith("model.ckpt-200", est.latest_checkpoint());
        Assert.Equal(3f, est.get_variable_value("w").ToArray<float>()[0], 1e-2);
        Assert.Equal(-1f, est.get_variable_value("b").ToArray<float>()[0], 1e-2);
        Assert.Contains("w", est.get_variable_names());
    }

    [Fact]
    public void EvaluateReturnsLossGlobalStepAndMetricsAndWritesEvalEvents()
    {
        var (x, y) = Data();
        var est = Make();
        Assert.Equal($"Could not find trained model in model_dir: {_dir}.",
            Assert.Throws<ValueError>(() => est.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, shuffle: false))).Message);
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, num_epochs: null, shuffle: true), max_steps: 300);
        var w = est.get_variable_value("w").ToArray<float>()[0];
        var b = est.get_variable_value("b").ToArray<float>()[0];
        var result = est.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, shuffle: false));
        Assert.Equal(300L, result["global_step"].Cast(DType.int64).item<long>());
        double mse = 0, mae = 0;
        for (var i = 0; i < 64; i++)
        {
            var p = w * x[i, 0] + b;
            mse += (p - y[i]) * (p - y[i]);
            mae += Math.Abs(p - y[i]);
        }
        // Four equal batches: the mean of the batch losses is the overall mean.
        Assert.Equal(mse / 64, result["loss"].item<float>(), 1e-4);
        Assert.Equal(mae / 64, result["mae"].item<float>(), 1e-4);

        var events = Directory.GetFiles(est.eval_dir(), "events.out.tfevents.*");
        Assert.Single(events);
        var tags = FileWriter.Read(events[0]).Where(e => e.summary is not null).SelectMany(e => e.summary!.value.Select(v => (v.tag, e.step))).ToList();
        Assert.Contains(("loss", 300L), tags);
        Assert.Contains(("mae", 300L), tags);

        // steps limits the batches.
        var two = est.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, shuffle: false), steps: 1, name: "one");
        Assert.True(Directory.Exists(Path.Combine(_dir, "eval_one")));
        Assert.True(two.ContainsKey("mae"));
    }

    [Fact]
    public void PredictYieldsOneDictionaryPerExample()
    {
        var (x, y) = Data();
        var est = Make();
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, num_epochs: null, shuffle: true), steps: 10);
        var w = est.get_variable_value("w").ToArray<float>()[0];
        var b = est.get_variable_value("b").ToArray<float>()[0];
        var preds = est.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, batch_size: 10, shuffle: false)).ToList();
        Assert.Equal(64, preds.Count);
        for (var i = 0; i < 64; i++)
        {
            Assert.Equal(w * x[i, 0] + b, preds[i]["y"].item<float>(), 1e-5);
            Assert.Equal(2 * (w * x[i, 0] + b), preds[i]["double"].item<float>(), 1e-5);
        }
        var only = est.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, batch_size: 64, shuffle: false), predict_keys: ["y"]).First();
        Assert.Equal(["y"], only.Keys);
        Assert.Throws<ValueError>(() => est.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, shuffle: false), predict_keys: ["nope"]).First());
    }

    [Fact]
    public void InputFnMayReturnTensorsOrADataset()
    {
        var (x, y) = Data();
        var est = Make();
        est.train(() => (new Dictionary<string, Tensor> { ["x"] = tf.constant(x) }, tf.constant(y)), steps: 5);
        Assert.EndsWith("model.ckpt-5", est.latest_checkpoint());
        est.train(() => tf.data.Dataset.from_tensor_slices((new Dictionary<string, object> { ["x"] = x }, y)).batch(64), steps: 100);
        // One epoch of one batch: the input ends after a step.
        Assert.EndsWith("model.ckpt-6", est.latest_checkpoint());
    }

    [Fact]
    public void ExportSavedModelWritesAServingSignature()
    {
        var (x, y) = Data();
        var est = Make();
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, num_epochs: null, shuffle: true), steps: 5);
        var receiver = tf.estimator.export.build_raw_serving_input_receiver_fn(new Dictionary<string, Tensor>
        {
            ["x"] = tf.placeholder(tf.float32, new Shape(-1, 1)),
        });
        var dir = est.export_savedmodel(Path.Combine(_dir, "export"), receiver);
        Assert.True(File.Exists(Path.Combine(dir, "saved_model.pb")));
        using var g = TestGraph.Enter();
        using var sess = tf.Session();
        var meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], dir);
        var sig = meta.SignatureDef["serving_default"];
        var xin = sess.graph.get_tensor_by_name(sig.Inputs["x"].Name);
        var yout = sess.graph.get_tensor_by_name(sig.Outputs["y"].Name);
        var w = est.get_variable_value("w").ToArray<float>()[0];
        var b = est.get_variable_value("b").ToArray<float>()[0];
        Assert.Equal(w * 2 + b, sess.run(yout, new FeedDict { [xin] = new float[,] { { 2 } } }).ToArray<float>()[0], 1e-5);
    }

    [Fact]
    public void SpecAndArgumentErrorsAreTensorFlows()
    {
        using var g = TestGraph.Enter();
        Assert.Equal("Missing train_op.", Assert.Throws<ValueError>(() => new EstimatorSpec(ModeKeys.TRAIN, loss: tf.constant(1f))).Message);
        Assert.Equal("Missing loss.", Assert.Throws<ValueError>(() => new EstimatorSpec(ModeKeys.EVAL)).Message);
        Assert.Equal("Missing predictions.", Assert.Throws<ValueError>(() => new EstimatorSpec(ModeKeys.PREDICT)).Message);
        Assert.StartsWith("Loss must be scalar", Assert.Throws<ValueError>(() => new EstimatorSpec(ModeKeys.EVAL, loss: tf.constant(new[] { 1f, 2f }))).Message);
        Assert.Equal("Can not provide both save_checkpoints_steps and save_checkpoints_secs.",
            Assert.Throws<ValueError>(() => tf.estimator.RunConfig(save_checkpoints_steps: 1, save_checkpoints_secs: 1)).Message);
        var est = Make();
        Func<object> input = () => (new Dictionary<string, Tensor> { ["x"] = tf.constant(new float[,] { { 1 } }) }, tf.constant(new[] { 1f }));
        Assert.Equal("Can not provide both steps and max_steps.", Assert.Throws<ValueError>(() => est.train(input, steps: 1, max_steps: 1)).Message);
        Assert.Equal("Must specify steps > 0, given: 0", Assert.Throws<ValueError>(() => est.train(input, steps: 0)).Message);
        Assert.Equal("shuffle must be provided explicitly as a bool, got None.",
            Assert.Throws<ValueError>(() => tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = new float[1] })).Message);
    }

    [Fact]
    public void TrainAndEvaluateTrainsToMaxStepsThenEvaluates()
    {
        var (x, y) = Data();
        var est = Make(tf.estimator.RunConfig(save_checkpoints_steps: 50));
        var result = tf.estimator.train_and_evaluate(est,
            tf.estimator.TrainSpec(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, num_epochs: null, shuffle: true), max_steps: 120),
            tf.estimator.EvalSpec(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 16, shuffle: false), steps: null, throttle_secs: 0));
        Assert.Equal(120L, result["global_step"].Cast(DType.int64).item<long>());
        Assert.True(File.Exists(Path.Combine(_dir, "model.ckpt-100.index")));
        Assert.True(result["loss"].item<float>() < 0.05f);
    }
}
