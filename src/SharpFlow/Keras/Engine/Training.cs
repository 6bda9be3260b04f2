using SharpFlow.Keras.Callbacks;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Engine;

/// <summary>A loss by name or as a function of <c>(y_true, y_pred)</c>.</summary>
public sealed class LossSpec
{
    private LossSpec(string name, Func<Tensor, Tensor, Tensor> fn) { Name = name; Fn = fn; }

    /// <summary>The loss's name (the function's name for a function).</summary>
    public string Name { get; }

    /// <summary>The per-sample loss.</summary>
    public Func<Tensor, Tensor, Tensor> Fn { get; }

    /// <summary>A loss by Keras's name.</summary>
    public static implicit operator LossSpec(string name) => new(name, Losses.get(name));

    /// <summary>A loss function.</summary>
    public static implicit operator LossSpec(Func<Tensor, Tensor, Tensor> fn) => new(fn.Method.Name, fn);
}

/// <summary>An optimizer by name (<c>"adam"</c>), a Keras optimizer or a <c>tf.train</c> optimizer.</summary>
public sealed class OptimizerSpec
{
    private OptimizerSpec(KerasOptimizer o) => Optimizer = o;

    /// <summary>The Keras optimizer (a <c>tf.train</c> one wrapped in <see cref="TFOptimizer"/>).</summary>
    public KerasOptimizer Optimizer { get; }

    /// <summary>By name with Keras's defaults.</summary>
    public static implicit operator OptimizerSpec(string name) => new(KerasOptimizer.get(name));

    /// <summary>A Keras optimizer.</summary>
    public static implicit operator OptimizerSpec(KerasOptimizer o) => new(o);

    /// <summary>A <c>tf.train</c> optimizer.</summary>
    public static implicit operator OptimizerSpec(Train.Optimizer o) => new(new TFOptimizer(o));
}

public partial class Model
{
    private KerasOptimizer? _optimizer;
    private LossSpec[]? _losses;
    private double[]? _lossWeights;
    private string[] _metricNames = [];
    private bool _compiled;
    private Compiled? _graph;

    private sealed class Compiled
    {
        public required Tensor[] Targets;
        public required Tensor[] SampleWeights;
        public required Tensor TotalLoss;
        public required List<Tensor> MetricTensors;   // without the total loss
        public required List<string> MetricsNames;    // with "loss" first
        public Operation? TrainOp;
    }

    /// <summary>The optimizer given to <see cref="compile"/>.</summary>
    public KerasOptimizer? optimizer => _optimizer;

    /// <summary>Set by a callback to end <c>fit</c> after the current batch.</summary>
    public bool stop_training { get; set; }

    /// <summary>The <see cref="History"/> of the last <c>fit</c>.</summary>
    public History? history { get; private set; }

    /// <summary>The names of the values <c>evaluate</c> returns: <c>loss</c>, then per-output losses, then metrics.</summary>
    public List<string> metrics_names => _graph?.MetricsNames ?? ["loss"];

    /// <summary>The total loss tensor, once the training graph is built.</summary>
    public Tensor? total_loss => _graph?.TotalLoss;

    /// <summary>
    /// Configures training: the optimizer (name, Keras or <c>tf.train</c> optimizer), one loss for every output or
    /// one per output, metrics (<c>"accuracy"</c> picks binary, sparse or categorical accuracy as Keras 2.2 does)
    /// and the weights of the outputs' losses. The graph is built on first use (so a subclassed model or an
    /// unbuilt Sequential first sees its data).
    /// </summary>
    public void compile(OptimizerSpec optimizer, LossSpec? loss = null, IEnumerable<string>? metrics = null, double[]? loss_weights = null,
        LossSpec[]? losses = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        _optimizer = optimizer.Optimizer;
        _losses = losses ?? (loss is null ? null : [loss]);
        if (_losses is null) throw new ValueError("The model needs a loss: compile(optimizer, loss=...).");
        _lossWeights = loss_weights;
        _metricNames = metrics?.ToArray() ?? [];
        _compiled = true;
        _graph = null;
        if (HasIO) BuildTrainingGraph();
    }

    private string OutputName(int i)
    {
        var h = Node.History(outputs[i]);
        return h?.Node.outbound_layer.name ?? $"output_{i + 1}";
    }

    private Compiled BuildTrainingGraph()
    {
        if (_graph is not null) return _graph;
        if (!_compiled) throw new InvalidOperationException("You must compile your model before using it.");
        var outs = outputs;
        var losses = _losses!;
        if (losses.Length != 1 && losses.Length != outs.Count)
            throw new ValueError($"When passing a list as loss, it should have one entry per model outputs. The model has {outs.Count} outputs, but you passed loss={losses.Length} losses");
        var weights = _lossWeights ?? Enumerable.Repeat(1.0, outs.Count).ToArray();
        if (weights.Length != outs.Count)
            throw new ValueError($"When passing a list as loss_weights, it should have one entry per model output. The model has {outs.Count} outputs, but you passed loss_weights={weights.Length} values");
        var graph = outs[0].graph;
        using var root = graph.name_scope(null);
        var targets = new Tensor[outs.Count];
        var sampleWeights = new Tensor[outs.Count];
        var names = new List<string> { "loss" };
        var metricTensors = new List<Tensor>();
        Tensor? total = null;
        for (var i = 0; i < outs.Count; i++)
        {
            var outName = OutputName(i);
            var rank = outs[i].shape.IsKnownRank ? outs[i].shape.ndims : 2;
            targets[i] = Ops.ArrayOps.Placeholder.Build(outs[i].dtype, Shape.UnknownDims(rank), outName + "_target");
            sampleWeights[i] = Ops.ArrayOps.Placeholder.Build(DType.float32, Shape.UnknownDims(1), outName + "_sample_weights");
        }
        using (graph.name_scope("loss"))
        {
            for (var i = 0; i < outs.Count; i++)
            {
                var lossFn = losses.Length == 1 ? losses[0] : losses[i];
                Tensor outputLoss;
                using (graph.name_scope(OutputName(i) + "_loss"))
                    outputLoss = Weighted(lossFn.Fn, targets[i], outs[i], sampleWeights[i]);
                if (outs.Count > 1) { metricTensors.Add(outputLoss); names.Add(OutputName(i) + "_loss"); }
                var term = Const.Build((float)weights[i]) * outputLoss;
                total = total is null ? term : total + term;
            }
            foreach (var l in losses_of_model()) total = total! + l;
        }
        using (graph.name_scope("metrics"))
        {
            for (var i = 0; i < outs.Count; i++)
            {
                var lossName = (losses.Length == 1 ? losses[0] : losses[i]).Name;
                foreach (var m in _metricNames)
                {
                    var (display, fn) = Metrics.Resolve(m, lossName, outs[i].shape);
                    var metricName = outs.Count > 1 ? OutputName(i) + "_" + display : display;
                    using (graph.name_scope(metricName))
                        metricTensors.Add(Weighted(fn, targets[i], outs[i], null));
                    names.Add(metricName);
                }
            }
        }
        _graph = new Compiled { Targets = targets, SampleWeights = sampleWeights, TotalLoss = total!, MetricTensors = metricTensors, MetricsNames = names };
        return _graph;
    }

    private List<Tensor> losses_of_model() => losses;

    /// <summary>Keras's <c>weighted_masked_objective</c>: per-sample scores averaged, weighted and renormalized by the share of nonzero weights.</summary>
    private static Tensor Weighted(Func<Tensor, Tensor, Tensor> fn, Tensor yTrue, Tensor yPred, Tensor? weights)
    {
        var score = fn(yTrue, yPred);
        var ndim = score.shape.IsKnownRank ? score.shape.ndims : 1;
        if (weights is not null)
        {
            if (ndim > 1) score = Mean.Build(score, Enumerable.Range(1, ndim - 1).ToArray());
            score = score * weights;
            score = score / Mean.Build(Cast.Build(NotEqual.Build(weights, Const.Build(0f)), DType.float32));
        }
        return Mean.Build(score);
    }

    private Operation TrainOp()
    {
        var g = BuildTrainingGraph();
        if (g.TrainOp is not null) return g.TrainOp;
        var graph = g.TotalLoss.graph;
        using var root = graph.name_scope(null);
        var updates = _optimizer!.get_updates(g.TotalLoss, trainable_weights);
        updates.AddRange(this.updates);
        g.TrainOp = Ops.Control.NoOp.Group(updates, "training/group_deps");
        return g.TrainOp;
    }

    // ----- data -----

    private void EnsureBuiltFor(NDArray[] x)
    {
        if (HasIO) return;
        if (this is Sequential seq) { seq.build(new Shape([-1, .. x[0].shape.Dims[1..]])); return; }
        // A subclassed model: call it on placeholders shaped like the data.
        var graph = Graph.get_default();
        var ins = x.Select((a, i) => new InputLayer(batch_input_shape: [-1, .. a.shape.Dims[1..]], dtype: a.dtype.is_floating ? a.dtype : DType.float32).output).ToArray();
        var outs = Apply(ins);
        SetSubclassIO(ins, outs);
        _ = graph;
    }

    private static NDArray ForFeed(NDArray a, Tensor placeholder)
    {
        if (a.dtype != placeholder.dtype) a = a.Cast(placeholder.dtype);
        return a;
    }

    private NDArray[] StandardizeTargets(NDArray[] y)
    {
        if (y.Length != outputs.Count)
            throw new ValueError($"Error when checking model target: the list of Numpy arrays that you are passing to your model is not the size the model expected. Expected to see {outputs.Count} array(s), but instead got {y.Length} arrays.");
        return y.Select(a => a.ndim == 1 ? a.Reshape(new Shape(a.shape[0], 1)) : a).ToArray();
    }

    private void CheckInputs(NDArray[] x)
    {
        if (x.Length != inputs.Count)
            throw new ValueError($"Error when checking model input: the list of Numpy arrays that you are passing to your model is not the size the model expected. Expected to see {inputs.Count} array(s), but instead got {x.Length} arrays.");
        for (var i = 0; i < x.Length; i++)
        {
            var expected = inputs[i].shape;
            var name = Node.History(inputs[i])?.Node.outbound_layer.name ?? inputs[i].op.name;
            if (expected.IsKnownRank && x[i].ndim != expected.ndims)
                throw new ValueError($"Error when checking input: expected {name} to have {expected.ndims} dimensions, but got array with shape {Layer.ShapeText(x[i].shape)}");
            if (expected.IsKnownRank)
                for (var d = 1; d < expected.ndims; d++)
                    if (expected[d] >= 0 && expected[d] != x[i].shape[d])
                        throw new ValueError($"Error when checking input: expected {name} to have shape {Layer.ShapeText(new Shape(expected.Dims[1..]))} but got array with shape {Layer.ShapeText(new Shape(x[i].shape.Dims[1..]))}");
        }
    }

    private FeedDict Feed(NDArray[] x, NDArray[]? y, NDArray[]? sw, bool training)
    {
        var feed = new FeedDict();
        for (var i = 0; i < x.Length; i++) feed[inputs[i]] = ForFeed(x[i], inputs[i]);
        if (y is not null)
        {
            var g = _graph!;
            for (var i = 0; i < y.Length; i++)
            {
                feed[g.Targets[i]] = ForFeed(y[i], g.Targets[i]);
                feed[g.SampleWeights[i]] = sw?[i] ?? Ones(y[i].shape[0]);
            }
        }
        if (Backend.LearningPhaseIfMade(inputs[0].graph) is { } phase) feed[phase] = training;
        return feed;
    }

    private static NDArray Ones(int n)
    {
        var a = new float[n];
        Array.Fill(a, 1f);
        return NDArray.FromFlat(a, new Shape(n));
    }

    private static NDArray[] Rows(NDArray[] arrays, ReadOnlySpan<int> ids)
    {
        var result = new NDArray[arrays.Length];
        for (var i = 0; i < arrays.Length; i++) result[i] = ArrayRows.Take(arrays[i], ids);
        return result;
    }

    private static NDArray[] Rows(NDArray[] arrays, int start, int end) => arrays.Select(a => a[start..end]).ToArray();

    private static NDArray[] SampleWeightsFor(NDArray[] y, NDArray? sampleWeight, IReadOnlyDictionary<int, double>? classWeight)
    {
        var result = new NDArray[y.Length];
        for (var o = 0; o < y.Length; o++)
        {
            var n = y[o].shape[0];
            if (sampleWeight is not null)
            {
                if (sampleWeight.ndim != 1 || sampleWeight.shape[0] != n)
                    throw new ValueError($"Found a sample_weight array with shape {Layer.ShapeText(sampleWeight.shape)} for an input with shape {Layer.ShapeText(y[o].shape)}. sample_weight cannot be broadcast.");
                result[o] = sampleWeight.Cast(DType.float32);
            }
            else if (classWeight is not null)
            {
                var labels = y[o].Cast(DType.float32).ToArray<float>();
                var width = y[o].ndim == 2 ? y[o].shape[1] : 1;
                var w = new float[n];
                var missing = new SortedSet<int>();
                for (var i = 0; i < n; i++)
                {
                    int cls;
                    if (width > 1)
                    {
                        cls = 0;
                        for (var j = 1; j < width; j++) if (labels[i * width + j] > labels[i * width + cls]) cls = j;
                    }
                    else cls = (int)labels[i];
                    if (classWeight.TryGetValue(cls, out var cw)) w[i] = (float)cw; else missing.Add(cls);
                }
                if (missing.Count > 0)
                    throw new ValueError($"`class_weight` must contain all classes in the data. The classes {{{string.Join(", ", missing)}}} exist in the data but not in `class_weight`.");
                result[o] = NDArray.FromFlat(w, new Shape(n));
            }
            else result[o] = Ones(n);
        }
        return result;
    }

    // ----- the loops -----

    /// <summary>One gradient step on one batch; the loss (and metrics) before the step.</summary>
    public double[] train_on_batch(NDArray x, NDArray y, NDArray? sample_weight = null, IReadOnlyDictionary<int, double>? class_weight = null) =>
        train_on_batch([x], [y], sample_weight, class_weight);

    /// <summary>One gradient step on one batch of several inputs or outputs.</summary>
    public double[] train_on_batch(NDArray[] x, NDArray[] y, NDArray? sample_weight = null, IReadOnlyDictionary<int, double>? class_weight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        EnsureBuiltFor(x);
        CheckInputs(x);
        var ys = StandardizeTargets(y);
        var sw = SampleWeightsFor(ys, sample_weight, class_weight);
        return RunTrain(x, ys, sw);
    }

    private double[] RunTrain(NDArray[] x, NDArray[] y, NDArray[] sw)
    {
        var op = TrainOp();
        var g = _graph!;
        var session = Backend.get_session();
        var fetches = new List<ITensorOrOperation> { g.TotalLoss };
        fetches.AddRange(g.MetricTensors);
        fetches.Add(op);
        var values = session.run(fetches, Feed(x, y, sw, training: true));
        return values.Take(fetches.Count - 1).Select(v => ToDouble(v!)).ToArray();
    }

    private static double ToDouble(NDArray v) => v.dtype == DType.float64 ? v.item<double>() : v.Cast(DType.float64).item<double>();

    /// <summary>The loss and metrics on one batch, without training.</summary>
    public double[] test_on_batch(NDArray x, NDArray y, NDArray? sample_weight = null) => test_on_batch([x], [y], sample_weight);

    /// <summary>The loss and metrics on one batch of several inputs or outputs.</summary>
    public double[] test_on_batch(NDArray[] x, NDArray[] y, NDArray? sample_weight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        EnsureBuiltFor(x);
        CheckInputs(x);
        var ys = StandardizeTargets(y);
        return RunTest(x, ys, SampleWeightsFor(ys, sample_weight, null));
    }

    private double[] RunTest(NDArray[] x, NDArray[] y, NDArray[] sw)
    {
        var g = BuildTrainingGraph();
        var fetches = new List<Tensor> { g.TotalLoss };
        fetches.AddRange(g.MetricTensors);
        var values = Backend.get_session().run(fetches, Feed(x, y, sw, training: false));
        return values.Select(ToDouble).ToArray();
    }

    /// <summary>The model's outputs for one batch.</summary>
    public NDArray predict_on_batch(NDArray x) => Layer.SingleArray(predict_on_batch([x]));

    /// <summary>The model's outputs for one batch of several inputs.</summary>
    public NDArray[] predict_on_batch(NDArray[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        EnsureBuiltFor(x);
        CheckInputs(x);
        return Backend.get_session().run(outputs, Feed(x, null, null, training: false));
    }

    /// <summary>The model's output for every sample, computed in batches.</summary>
    public NDArray predict(NDArray x, int batch_size = 32, int verbose = 0) => Layer.SingleArray(predict([x], batch_size, verbose));

    /// <summary>The model's outputs for every sample of several inputs.</summary>
    public NDArray[] predict(NDArray[] x, int batch_size = 32, int verbose = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        EnsureBuiltFor(x);
        CheckInputs(x);
        var n = x[0].shape[0];
        var parts = outputs.Select(_ => new List<NDArray>()).ToList();
        var bar = verbose == 1 ? new Utils.Progbar(n) : null;
        for (var start = 0; start < n; start += batch_size)
        {
            var end = Math.Min(n, start + batch_size);
            var outs = Backend.get_session().run(outputs, Feed(Rows(x, start, end), null, null, training: false));
            for (var i = 0; i < outs.Length; i++) parts[i].Add(outs[i]);
            bar?.update(end);
        }
        return parts.Select(ArrayRows.Concat).ToArray();
    }

    /// <summary>The loss and metrics over all samples (batch results weighted by batch size); one value when there are no metrics.</summary>
    public double[] evaluate(NDArray x, NDArray y, int batch_size = 32, int verbose = 1, NDArray? sample_weight = null) =>
        evaluate([x], [y], batch_size, verbose, sample_weight);

    /// <summary>The loss and metrics over all samples of several inputs or outputs.</summary>
    public double[] evaluate(NDArray[] x, NDArray[] y, int batch_size = 32, int verbose = 1, NDArray? sample_weight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        EnsureBuiltFor(x);
        CheckInputs(x);
        var ys = StandardizeTargets(y);
        return TestLoop(x, ys, SampleWeightsFor(ys, sample_weight, null), batch_size, verbose);
    }

    private double[] TestLoop(NDArray[] x, NDArray[] y, NDArray[] sw, int batchSize, int verbose)
    {
        var n = x[0].shape[0];
        double[]? sums = null;
        var bar = verbose == 1 ? new Utils.Progbar(n) : null;
        for (var start = 0; start < n; start += batchSize)
        {
            var end = Math.Min(n, start + batchSize);
            var outs = RunTest(Rows(x, start, end), Rows(y, start, end), Rows(sw, start, end));
            sums ??= new double[outs.Length];
            for (var i = 0; i < outs.Length; i++) sums[i] += outs[i] * (end - start);
            bar?.update(end);
        }
        return (sums ?? new double[metrics_names.Count]).Select(s => s / Math.Max(1, n)).ToArray();
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs (from <paramref name="initial_epoch"/>) on batches of
    /// <paramref name="batch_size"/>, shuffled each epoch, validating on <paramref name="validation_data"/> or the
    /// last <paramref name="validation_split"/> of the data after each epoch; prints Keras's progress
    /// (<paramref name="verbose"/> 1: the bar, 2: one line per epoch) and returns the <see cref="History"/>.
    /// </summary>
    public History fit(NDArray x, NDArray y, int batch_size = 32, int epochs = 1, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        double validation_split = 0.0, (NDArray x, NDArray y)? validation_data = null, bool shuffle = true,
        IReadOnlyDictionary<int, double>? class_weight = null, NDArray? sample_weight = null, int initial_epoch = 0) =>
        fit([x], [y], batch_size, epochs, verbose, callbacks, validation_split,
            validation_data is { } v ? ([v.x], [v.y]) : null, shuffle, class_weight, sample_weight, initial_epoch);

    /// <summary>Trains a model of several inputs or outputs; see the single-array overload.</summary>
    public History fit(NDArray[] x, NDArray[] y, int batch_size = 32, int epochs = 1, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        double validation_split = 0.0, (NDArray[] x, NDArray[] y)? validation_data = null, bool shuffle = true,
        IReadOnlyDictionary<int, double>? class_weight = null, NDArray? sample_weight = null, int initial_epoch = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        EnsureBuiltFor(x);
        CheckInputs(x);
        var ys = StandardizeTargets(y);
        var sw = SampleWeightsFor(ys, sample_weight, class_weight);
        NDArray[]? valX = null, valY = null, valW = null;
        if (validation_data is { } vd)
        {
            CheckInputs(vd.x);
            valX = vd.x;
            valY = StandardizeTargets(vd.y);
            valW = SampleWeightsFor(valY, null, null);
        }
        else if (validation_split > 0 && validation_split < 1)
        {
            var splitAt = (int)(x[0].shape[0] * (1.0 - validation_split));
            var n0 = x[0].shape[0];
            valX = Rows(x, splitAt, n0); valY = Rows(ys, splitAt, n0); valW = Rows(sw, splitAt, n0);
            x = Rows(x, 0, splitAt); ys = Rows(ys, 0, splitAt); sw = Rows(sw, 0, splitAt);
        }
        TrainOp();
        var n = x[0].shape[0];
        var doValidation = valX is not null;
        if (doValidation && verbose > 0) Console.WriteLine($"Train on {n} samples, validate on {valX![0].shape[0]} samples");

        var outLabels = metrics_names;
        var callbackMetrics = new List<string>(outLabels);
        if (doValidation) callbackMetrics.AddRange(outLabels.Select(l => "val_" + l));
        history = new History();
        var list = new List<Callback> { new BaseLogger() };
        if (callbacks is not null) list.AddRange(callbacks);
        list.Add(history);
        if (verbose > 0) list.Add(new ProgbarLogger());
        var cbks = new CallbackList(list);
        cbks.SetModel(this);
        cbks.SetParams(new Dictionary<string, object>
        {
            ["batch_size"] = batch_size, ["epochs"] = epochs, ["steps"] = (n + batch_size - 1) / batch_size, ["samples"] = n,
            ["verbose"] = verbose, ["do_validation"] = doValidation, ["metrics"] = callbackMetrics,
        });
        stop_training = false;
        cbks.TrainBegin();
        var seed = inputs[0].graph.seed;
        var rng = seed is { } s0 ? new Random(s0) : new Random();
        var index = Enumerable.Range(0, n).ToArray();
        for (var epoch = initial_epoch; epoch < epochs; epoch++)
        {
            var epochLogs = new Dictionary<string, double>();
            cbks.EpochBegin(epoch, epochLogs);
            if (shuffle) rng.Shuffle(index);
            var batches = (n + batch_size - 1) / batch_size;
            for (var b = 0; b < batches; b++)
            {
                var start = b * batch_size;
                var end = Math.Min(n, start + batch_size);
                var ids = index.AsSpan(start, end - start);
                var batchLogs = new Dictionary<string, double> { ["batch"] = b, ["size"] = end - start };
                cbks.BatchBegin(b, batchLogs);
                var outs = RunTrain(Rows(x, ids), Rows(ys, ids), Rows(sw, ids));
                for (var i = 0; i < outLabels.Count; i++) batchLogs[outLabels[i]] = outs[i];
                cbks.BatchEnd(b, batchLogs);
                if (stop_training) break;
                if (b == batches - 1 && doValidation)
                {
                    var valOuts = TestLoop(valX!, valY!, valW!, batch_size, 0);
                    for (var i = 0; i < outLabels.Count; i++) epochLogs["val_" + outLabels[i]] = valOuts[i];
                }
            }
            cbks.EpochEnd(epoch, epochLogs);
            if (stop_training) break;
        }
        cbks.TrainEnd();
        return history;
    }
}
