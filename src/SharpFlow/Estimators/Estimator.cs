using System.Globalization;
using System.Runtime.CompilerServices;
using SharpFlow.Checkpoints;
using SharpFlow.Data;
using SharpFlow.GraphIO;
using SharpFlow.Metrics;
using SharpFlow.Ops.Control;
using SharpFlow.Summaries;
using SharpFlow.Summaries.SummaryOps;
using SharpFlow.Train;
using SharpFlow.Train.Input;
using SharpFlow.Train.Monitored;

namespace SharpFlow.Estimators;

/// <summary>
/// A <c>model_fn</c>: builds the model for <paramref name="mode"/> (<see cref="ModeKeys"/>) from the input
/// function's features and labels (null when predicting) and returns its <see cref="EstimatorSpec"/>.
/// </summary>
public delegate EstimatorSpec ModelFn(Dictionary<string, Tensor> features, Tensor? labels, string mode, IReadOnlyDictionary<string, object> @params, RunConfig config);

/// <summary>
/// <c>tf.estimator.Estimator</c>: trains, evaluates and predicts with a <c>model_fn</c>, each call on a new graph,
/// keeping the model in <see cref="model_dir"/> as TensorFlow does: <c>checkpoint</c>, <c>model.ckpt-STEP.*</c>,
/// <c>graph.pbtxt</c> and event files there, evaluation events in <c>model_dir/eval</c>. Training resumes from
/// the newest checkpoint. An input function returns a <c>tf.data.Dataset</c> of <c>(features, labels)</c> or of
/// features alone, or the tensors themselves: <c>(Dictionary&lt;string, Tensor&gt;, Tensor)</c> or a dictionary.
/// </summary>
public class Estimator
{
    private readonly ModelFn _modelFn;

    /// <summary>An estimator around <paramref name="model_fn"/>; a null <paramref name="model_dir"/> takes the config's, or a new temporary directory.</summary>
    public Estimator(ModelFn model_fn, string? model_dir = null, RunConfig? config = null, IReadOnlyDictionary<string, object>? @params = null)
    {
        _modelFn = model_fn ?? throw new ValueError("model_fn must be provided to Estimator.");
        config ??= new RunConfig();
        if (model_dir is not null && config.model_dir is not null && Path.GetFullPath(model_dir) != Path.GetFullPath(config.model_dir))
            throw new ValueError($"model_dir are set both in constructor and RunConfig, but with different values. In constructor: '{model_dir}', in RunConfig: '{config.model_dir}' ");
        model_dir ??= config.model_dir;
        if (model_dir is null)
        {
            model_dir = Path.Combine(Path.GetTempPath(), "tmp" + Guid.NewGuid().ToString("N")[..8]);
            HookUtil.Warning($"Using temporary folder as model directory: {model_dir}");
        }
        this.model_dir = model_dir;
        this.config = config.model_dir == model_dir ? config : config.replace(model_dir: model_dir);
        this.@params = @params ?? new Dictionary<string, object>();
        HookUtil.Info($"Using config: {{'_model_dir': '{model_dir}', '_tf_random_seed': {(config.tf_random_seed?.ToString(CultureInfo.InvariantCulture) ?? "None")}, '_save_summary_steps': {config.save_summary_steps}, '_save_checkpoints_steps': {(config.save_checkpoints_steps?.ToString(CultureInfo.InvariantCulture) ?? "None")}, '_save_checkpoints_secs': {(config.save_checkpoints_secs?.ToString(CultureInfo.InvariantCulture) ?? "None")}, '_keep_checkpoint_max': {config.keep_checkpoint_max}, '_log_step_count_steps': {config.log_step_count_steps}}}");
    }

    /// <summary>A model_fn without params and config.</summary>
    public Estimator(Func<Dictionary<string, Tensor>, Tensor?, string, EstimatorSpec> model_fn, string? model_dir = null, RunConfig? config = null,
        IReadOnlyDictionary<string, object>? @params = null)
        : this((f, l, m, _, _) => model_fn(f, l, m), model_dir, config, @params) { }

    /// <summary>A model_fn with params and without config.</summary>
    public Estimator(Func<Dictionary<string, Tensor>, Tensor?, string, IReadOnlyDictionary<string, object>, EstimatorSpec> model_fn, string? model_dir = null,
        RunConfig? config = null, IReadOnlyDictionary<string, object>? @params = null)
        : this((f, l, m, p, _) => model_fn(f, l, m, p), model_dir, config, @params) { }

    /// <summary>The model directory.</summary>
    public string model_dir { get; }

    /// <summary>The run configuration (its model_dir is <see cref="model_dir"/>).</summary>
    public RunConfig config { get; }

    /// <summary>The params passed to the model_fn.</summary>
    public IReadOnlyDictionary<string, object> @params { get; }

    /// <summary>The newest checkpoint in <see cref="model_dir"/>, or null.</summary>
    public string? latest_checkpoint() => CheckpointUtils.LatestCheckpoint(model_dir);

    /// <summary>The names of the variables saved in the newest checkpoint.</summary>
    public List<string> get_variable_names() =>
        CheckpointUtils.ListVariables(latest_checkpoint() ?? throw new ValueError($"Could not find trained model in model_dir: {model_dir}.")).Select(v => v.Name).ToList();

    /// <summary>A variable's value from the newest checkpoint.</summary>
    public NDArray get_variable_value(string name) =>
        CheckpointUtils.LoadVariable(latest_checkpoint() ?? throw new ValueError($"Could not find trained model in model_dir: {model_dir}."), name);

    /// <summary>Calls the model_fn (subclasses such as the canned estimators override it).</summary>
    protected virtual EstimatorSpec CallModelFn(Dictionary<string, Tensor> features, Tensor? labels, string mode) =>
        _modelFn(features, labels, mode, @params, config) ?? throw new ValueError("model_fn should return an EstimatorSpec.");

    // ----- train -----

    /// <summary>
    /// Trains for <paramref name="steps"/> more steps, or up to global step <paramref name="max_steps"/>, or until the
    /// input ends (an OutOfRangeError); resumes from the newest checkpoint and saves one at the end.
    /// </summary>
    public Estimator train(Func<object> input_fn, IEnumerable<SessionRunHook>? hooks = null, long? steps = null, long? max_steps = null)
    {
        if (steps is not null && max_steps is not null) throw new ValueError("Can not provide both steps and max_steps.");
        if (steps is <= 0) throw new ValueError($"Must specify steps > 0, given: {steps}");
        if (max_steps is <= 0) throw new ValueError($"Must specify max_steps > 0, given: {max_steps}");
        if (max_steps is not null)
        {
            var start = LoadGlobalStep();
            if (max_steps <= start)
            {
                HookUtil.Info("Skipping training since max_steps has already saved.");
                return this;
            }
        }
        Directory.CreateDirectory(model_dir);
        var graph = new Graph();
        using (graph.as_default())
        {
            if (config.tf_random_seed is int seed) Graph.get_default().seed = seed;
            var globalStep = TrainingUtil.GetOrCreateGlobalStep(graph);
            var inputHooks = new List<SessionRunHook>();
            var (features, labels) = GetFeaturesAndLabels(input_fn, inputHooks);
            HookUtil.Info("Calling model_fn.");
            var spec = CallModelFn(features, labels, ModeKeys.TRAIN);
            HookUtil.Info("Done calling model_fn.");
            if (spec.mode != ModeKeys.TRAIN) throw new ValueError($"model_fn should return an EstimatorSpec for mode {ModeKeys.TRAIN}, got {spec.mode}.");
            var loss = spec.loss!;
            ScalarSummary.Build("loss", loss, null, null);

            var allHooks = new List<SessionRunHook>(inputHooks);
            if (steps is not null || max_steps is not null) allHooks.Add(new StopAtStepHook(steps, max_steps));
            allHooks.Add(new NanTensorHook(loss));
            if (config.log_step_count_steps is > 0)
                allHooks.Add(new LoggingTensorHook(new Dictionary<string, Tensor> { ["loss"] = loss, ["step"] = globalStep }, every_n_iter: config.log_step_count_steps));
            allHooks.AddRange(spec.training_hooks);
            if (hooks is not null) allHooks.AddRange(hooks);

            var scaffold = spec.scaffold ?? new Scaffold();
            if (scaffold.saver is null && graph.get_collection(GraphKeys.SAVERS).Count == 0)
                graph.add_to_collection(GraphKeys.SAVERS, new Saver(max_to_keep: config.keep_checkpoint_max, sharded: true,
                    keep_checkpoint_every_n_hours: config.keep_checkpoint_every_n_hours)); // as estimator.py's
            var chiefHooks = new List<SessionRunHook> { new GraphWriterHook(model_dir) };
            if (config.save_checkpoints_steps is > 0 || config.save_checkpoints_secs is > 0)
                chiefHooks.Add(new CheckpointSaverHook(model_dir, save_secs: config.save_checkpoints_steps is > 0 ? null : config.save_checkpoints_secs,
                    save_steps: config.save_checkpoints_steps is > 0 ? config.save_checkpoints_steps : null, scaffold: scaffold));

            NDArray? lastLoss = null;
            using (var sess = MonitoredTrainingSession.Create(checkpointDir: model_dir, scaffold: scaffold, hooks: allHooks, chiefOnlyHooks: chiefHooks,
                saveCheckpointSecs: 0, saveSummariesSteps: config.save_summary_steps ?? 0, config: config.session_config,
                logStepCountSteps: config.log_step_count_steps))
            {
                try
                {
                    while (!sess.should_stop())
                    {
                        var (_, l) = sess.run((spec.train_op!, loss));
                        lastLoss = l;
                    }
                }
                catch (OutOfRangeError)
                {
                    // The input is exhausted: training ends, as TensorFlow's MonitoredSession context does.
                }
            }
            SummaryWriterCache.close(model_dir);
            if (lastLoss is not null) HookUtil.Info($"Loss for final step: {lastLoss.Cast(DType.float64).item<double>().ToString("G9", CultureInfo.InvariantCulture)}.");
        }
        return this;
    }

    // ----- evaluate -----

    /// <summary>
    /// Evaluates the newest checkpoint (or <paramref name="checkpoint_path"/>) on <paramref name="steps"/> batches, or
    /// until the input ends. Returns "loss" (the mean of the per-batch loss), "global_step" and every eval metric's
    /// value, and writes them as summaries into <c>model_dir/eval</c> (<c>eval_NAME</c> with a <paramref name="name"/>).
    /// </summary>
    public Dictionary<string, NDArray> evaluate(Func<object> input_fn, long? steps = null, IEnumerable<SessionRunHook>? hooks = null,
        string? checkpoint_path = null, string? name = null)
    {
        if (steps is <= 0) throw new ValueError($"Must specify steps > 0, given: {steps}");
        checkpoint_path ??= latest_checkpoint() ?? throw new ValueError($"Could not find trained model in model_dir: {model_dir}.");
        var graph = new Graph();
        using (graph.as_default())
        {
            if (config.tf_random_seed is int seed) Graph.get_default().seed = seed;
            var globalStep = TrainingUtil.GetOrCreateGlobalStep(graph);
            var inputHooks = new List<SessionRunHook>();
            var (features, labels) = GetFeaturesAndLabels(input_fn, inputHooks);
            var spec = CallModelFn(features, labels, ModeKeys.EVAL);
            if (spec.eval_metric_ops.ContainsKey("loss"))
                throw new ValueError("Metric with name \"loss\" is not allowed, because Estimator already defines a default metric with the same name.");
            var metrics = new Dictionary<string, (Tensor value, Tensor update_op)> { ["loss"] = MetricsImpl.Mean(spec.loss!, null, null, null, null) };
            foreach (var (k, v) in spec.eval_metric_ops) metrics[k] = v;
            var updateOp = NoOp.Group(metrics.Values.Select(m => (ITensorOrOperation)m.update_op), null);
            var finalOps = new Dictionary<string, Tensor>();
            foreach (var (k, v) in metrics) finalOps[k] = v.value;
            finalOps["global_step"] = globalStep;

            var finalHook = new FinalOpsHook(finalOps);
            var allHooks = new List<SessionRunHook>(inputHooks) { new StopAfterNEvalsHook(steps), finalHook };
            allHooks.AddRange(spec.evaluation_hooks);
            if (hooks is not null) allHooks.AddRange(hooks);
            var scaffold = spec.scaffold ?? new Scaffold();
            HookUtil.Info($"Starting evaluation at {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
            using (var sess = new MonitoredSession(new ChiefSessionCreator(scaffold, config: config.session_config, checkpoint_filename_with_path: checkpoint_path), allHooks))
            {
                try
                {
                    while (!sess.should_stop()) sess.run(updateOp);
                }
                catch (OutOfRangeError)
                {
                    // The evaluation input is exhausted.
                }
            }
            HookUtil.Info($"Finished evaluation at {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
            var values = (Dictionary<string, object?>)finalHook.final_ops_values!;
            var result = values.ToDictionary(kv => kv.Key, kv => (NDArray)kv.Value!);
            var step = result["global_step"].Cast(DType.int64).item<long>();
            HookUtil.Info($"Saving dict for global step {step}: " + string.Join(", ", result.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {Scalar(kv.Value)}")));
            WriteEvalSummary(result, step, name);
            return result;
        }
    }

    private static string Scalar(NDArray v) =>
        v.size == 1 && v.dtype != DType.@string ? v.Cast(DType.float64).item<double>().ToString("G7", CultureInfo.InvariantCulture) : v.ToString();

    /// <summary>The directory evaluation events go to.</summary>
    public string eval_dir(string? name = null) => Path.Combine(model_dir, name is null ? "eval" : "eval_" + name);

    private void WriteEvalSummary(Dictionary<string, NDArray> result, long step, string? name)
    {
        var dir = eval_dir(name);
        Directory.CreateDirectory(dir);
        var values = new List<SummaryValue>();
        foreach (var (k, v) in result.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (k == "global_step" || v.size != 1 || v.dtype == DType.@string) continue;
            values.Add(SummaryValue.FromScalar(k, v.Cast(DType.float64).item<double>()));
        }
        var writer = SummaryWriterCache.get(dir);
        writer.add_summary(new Summary(values), step);
        writer.flush();
        SummaryWriterCache.close(dir);
    }

    // ----- predict -----

    /// <summary>
    /// Yields the predictions for every example of the input (until it ends), one dictionary per example (with
    /// <paramref name="yield_single_examples"/> false, one per batch), restoring the newest checkpoint (or
    /// initialising the model when there is none, as TensorFlow does with a warning).
    /// </summary>
    public IEnumerable<Dictionary<string, NDArray>> predict(Func<object> input_fn, IEnumerable<string>? predict_keys = null,
        IEnumerable<SessionRunHook>? hooks = null, string? checkpoint_path = null, bool yield_single_examples = true)
    {
        checkpoint_path ??= latest_checkpoint();
        if (checkpoint_path is null) HookUtil.Info($"Could not find trained model in model_dir: {model_dir}, running initialization to predict.");
        var graph = new Graph();
        MonitoredSession sess;
        Dictionary<string, Tensor> predictions;
        using (graph.as_default())
        {
            if (config.tf_random_seed is int seed) Graph.get_default().seed = seed;
            TrainingUtil.GetOrCreateGlobalStep(graph);
            var inputHooks = new List<SessionRunHook>();
            var (features, _) = GetFeaturesAndLabels(input_fn, inputHooks);
            var spec = CallModelFn(features, null, ModeKeys.PREDICT);
            predictions = spec.predictions.ToDictionary(kv => kv.Key, kv => kv.Value);
            if (predict_keys is not null)
            {
                var keys = predict_keys.ToList();
                var missing = keys.Where(k => !predictions.ContainsKey(k)).ToList();
                if (missing.Count > 0)
                    throw new ValueError($"Expected to run at least one output from [{string.Join(", ", predictions.Keys)}], provided [{string.Join(", ", keys)}].");
                predictions = keys.ToDictionary(k => k, k => predictions[k]);
            }
            var allHooks = new List<SessionRunHook>(inputHooks);
            allHooks.AddRange(spec.prediction_hooks);
            if (hooks is not null) allHooks.AddRange(hooks);
            sess = new MonitoredSession(new ChiefSessionCreator(spec.scaffold ?? new Scaffold(), config: config.session_config,
                checkpoint_filename_with_path: checkpoint_path), allHooks);
        }
        using (sess)
        {
            while (true)
            {
                Dictionary<string, NDArray>? batch;
                using (graph.as_default()) batch = NextBatch(sess, predictions);
                if (batch is null) yield break;
                if (!yield_single_examples)
                {
                    yield return batch;
                    continue;
                }
                var n = -1L;
                foreach (var (k, v) in batch)
                {
                    if (v.ndim == 0) throw new ValueError($"Prediction \"{k}\" is a scalar; it needs a batch dimension when yield_single_examples is true.");
                    var rows = v.shape[0];
                    if (n >= 0 && rows != n)
                        throw new ValueError($"Batch length of predictions should be same. {k} has different batch length than others.");
                    n = rows;
                }
                for (var i = 0L; i < n; i++)
                    yield return batch.ToDictionary(kv => kv.Key, kv => Data.Pipeline.Elements.Slice(kv.Value, i));
            }
        }
    }

    private static Dictionary<string, NDArray>? NextBatch(MonitoredSession sess, Dictionary<string, Tensor> predictions)
    {
        if (sess.should_stop()) return null;
        try
        {
            var values = (Dictionary<string, object?>)sess.run(predictions)!;
            return values.ToDictionary(kv => kv.Key, kv => (NDArray)kv.Value!);
        }
        catch (OutOfRangeError)
        {
            return null;
        }
    }

    // ----- export -----

    /// <summary>
    /// Exports the newest checkpoint as a SavedModel in a new timestamped directory under
    /// <paramref name="export_dir_base"/> (tag "serve"), its inputs from <paramref name="serving_input_receiver_fn"/> and
    /// its signatures from the model_fn's export_outputs (default: one predict signature "serving_default" of the
    /// predictions). Returns the directory.
    /// </summary>
    public string export_savedmodel(string export_dir_base, Func<ServingInputReceiver> serving_input_receiver_fn, bool as_text = false,
        string? checkpoint_path = null)
    {
        checkpoint_path ??= latest_checkpoint() ?? throw new ValueError($"Couldn't find trained model at {model_dir}.");
        var graph = new Graph();
        using (graph.as_default())
        {
            if (config.tf_random_seed is int seed) Graph.get_default().seed = seed;
            TrainingUtil.GetOrCreateGlobalStep(graph);
            var receiver = serving_input_receiver_fn();
            var spec = CallModelFn(new Dictionary<string, Tensor>(receiver.features), null, ModeKeys.PREDICT);
            var outputs = spec.export_outputs ?? new Dictionary<string, ExportOutput>
            {
                [SavedModelBuilder.DefaultServingSignatureKey] = new PredictOutput(spec.predictions),
            };
            var signatures = new Dictionary<string, Tensorflow.SignatureDef>();
            foreach (var (key, output) in outputs)
            {
                var def = output.as_signature_def(receiver.receiver_tensors);
                if (def is null) HookUtil.Warning($"Export includes no default signature! (signature '{key}' does not fit the receiver tensors and is left out)");
                else signatures[key] = def;
            }
            if (signatures.Count == 0) throw new ValueError("Export has no valid signature for the serving input receiver.");
            var localInit = NoOp.Group(graph.get_collection(GraphKeys.LOCAL_VARIABLES).OfType<Variable>().Select(v => (ITensorOrOperation)v.initializer)
                .Concat(graph.get_collection(GraphKeys.TABLE_INITIALIZERS).OfType<ITensorOrOperation>()), name: "group_deps");
            var saver = new Saver(graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>());
            using var sess = new Session(graph);
            saver.restore(sess, checkpoint_path);
            var dir = Path.Combine(export_dir_base, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            while (Directory.Exists(dir)) dir += "0";
            var builder = new SavedModelBuilder(dir);
            builder.AddMetaGraphAndVariables(sess, [SavedModelBuilder.ServingTag], signatures, assetsCollection: null, legacyInitOp: null, clearDevices: true,
                mainOp: localInit);
            builder.Save(as_text);
            HookUtil.Info($"SavedModel written to: {dir}");
            return dir;
        }
    }

    /// <summary><see cref="export_savedmodel"/> under TensorFlow 1.15's newer name.</summary>
    public string export_saved_model(string export_dir_base, Func<ServingInputReceiver> serving_input_receiver_fn, bool as_text = false,
        string? checkpoint_path = null) => export_savedmodel(export_dir_base, serving_input_receiver_fn, as_text, checkpoint_path);

    // ----- helpers -----

    private long LoadGlobalStep()
    {
        var ckpt = latest_checkpoint();
        if (ckpt is null) return 0;
        try
        {
            return CheckpointUtils.LoadVariable(ckpt, GraphKeys.GLOBAL_STEP).Cast(DType.int64).item<long>();
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>
    /// Calls the input function and splits what it returns into features and labels. A dataset is read through an
    /// initializable iterator that a hook starts once the session exists (TensorFlow's parse_input_fn_result and
    /// _DatasetInitializerHook), fed with the values of an <see cref="IFedDataset"/>'s placeholders; the hook is added to
    /// <paramref name="inputHooks"/>.
    /// </summary>
    internal static (Dictionary<string, Tensor> features, Tensor? labels) GetFeaturesAndLabels(Func<object> input_fn, List<SessionRunHook> inputHooks)
    {
        ArgumentNullException.ThrowIfNull(input_fn);
        object result;
        using (Graph.get_default().name_scope(null))
        {
            result = input_fn() ?? throw new ValueError("input_fn returned None.");
        }
        if (result is DatasetHandle dataset)
        {
            var iterator = dataset.MakeInitializableIterator();
            inputHooks.Add(new DatasetInitializerHook(iterator, (dataset as IFedDataset)?.feed_dict));
            var element = iterator.GetNext();
            if (element.keys.Count > 0 && !element.is_tensor && element.Structure.NodeKind == Data.Pipeline.Nest.Kind.Dict)
                return (element.ToDictionary(), null);
            if (element.Count == 2)
            {
                var f = element.element(0);
                var features = f.is_tensor ? new Dictionary<string, Tensor> { [""] = f.tensor } : f.ToDictionary();
                return (features, element.element(1).tensor);
            }
            if (element.is_tensor) return (new Dictionary<string, Tensor> { [""] = element.tensor }, null);
            throw new ValueError($"The dataset of input_fn must give features or (features, labels), got {element}.");
        }
        return result switch
        {
            ITuple { Length: 2 } t => (Features(t[0]), t[1] switch
            {
                null => null,
                Tensor l => l,
                _ => throw new ValueError($"labels must be a Tensor, got {t[1]!.GetType().Name}."),
            }),
            _ => (Features(result), null),
        };
    }

    private static Dictionary<string, Tensor> Features(object? value) => value switch
    {
        IReadOnlyDictionary<string, Tensor> d => d.ToDictionary(kv => kv.Key, kv => kv.Value),
        Tensor t => new Dictionary<string, Tensor> { [""] = t },
        _ => throw new ValueError($"input_fn must return features as a dictionary of Tensors or a Tensor, got {value?.GetType().Name ?? "None"}."),
    };
}

/// <summary>
/// Runs an input iterator's initializer once the session exists, and again whenever the session is recreated
/// (TensorFlow's <c>_DatasetInitializerHook</c>), fed with <paramref name="feeds"/> when the dataset reads placeholders.
/// </summary>
internal sealed class DatasetInitializerHook(IteratorHandle iterator, FeedDict? feeds) : SessionRunHook
{
    private Operation? _initializer;

    public override void begin() => _initializer = iterator.Initializer;

    public override void after_create_session(Session session, Coordinator coord) => session.run(_initializer!, feeds);
}

/// <summary>Stops an evaluation after <c>num_evals</c> runs (TensorFlow's <c>_StopAfterNEvalsHook</c>); null: never.</summary>
internal sealed class StopAfterNEvalsHook(long? num_evals) : SessionRunHook
{
    private long _evals;

    public override void after_run(SessionRunContext run_context, SessionRunValues run_values)
    {
        _evals++;
        if (num_evals is not null && _evals >= num_evals) run_context.request_stop();
    }
}

/// <summary>Writes <c>graph.pbtxt</c> into the model directory once the session exists, as TensorFlow's CheckpointSaverHook does.</summary>
internal sealed class GraphWriterHook(string directory) : SessionRunHook
{
    public override void after_create_session(Session session, Coordinator coord) =>
        GraphWriter.WriteGraph(session.graph, directory, "graph.pbtxt", asText: true);
}
