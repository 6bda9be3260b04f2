using SharpFlow.Data.Pipeline;
using SharpFlow.Framework;
using SharpFlow.Keras.Callbacks;
using Dataset = SharpFlow.Data.DatasetHandle;
using DataIterator = SharpFlow.Data.IteratorHandle;

namespace SharpFlow.Keras.Engine;

/// <summary>
/// <c>validation_data</c> of a <c>fit</c> from a dataset: arrays <c>(x, y)</c> or <c>(x, y, sample_weight)</c>, a
/// <c>tf.data.Dataset</c> or a dataset iterator of <c>(x, y)</c> elements.
/// </summary>
public sealed class ValidationData
{
    private ValidationData() { }

    internal NDArray[]? X { get; private init; }
    internal NDArray[]? Y { get; private init; }
    internal NDArray? SampleWeight { get; private init; }
    internal Dataset? Dataset { get; private init; }
    internal DataIterator? Iterator { get; private init; }

    /// <summary>Arrays of one input and one output.</summary>
    public static implicit operator ValidationData((NDArray x, NDArray y) data) => new() { X = [data.x], Y = [data.y] };

    /// <summary>Arrays with per-sample weights.</summary>
    public static implicit operator ValidationData((NDArray x, NDArray y, NDArray sample_weight) data) =>
        new() { X = [data.x], Y = [data.y], SampleWeight = data.sample_weight };

    /// <summary>Arrays of several inputs or outputs.</summary>
    public static implicit operator ValidationData((NDArray[] x, NDArray[] y) data) => new() { X = data.x, Y = data.y };

    /// <summary>A dataset of <c>(x, y)</c> elements.</summary>
    public static implicit operator ValidationData(Dataset dataset) => new() { Dataset = dataset };

    /// <summary>An iterator of <c>(x, y)</c> elements.</summary>
    public static implicit operator ValidationData(DataIterator iterator) => new() { Iterator = iterator };
}

public partial class Model
{
    /// <summary>
    /// Where a loop reads its batches: the <c>get_next()</c> of a dataset iterator (one Keras made over a dataset
    /// and initializes, or one the caller made), and which of the element's tensors are the inputs, targets and
    /// sample weights.
    /// </summary>
    private sealed class StepSource
    {
        public required DataIterator Iterator;
        public required Dataset? Dataset;
        public required Tensor[] Next;
        public required int[][] XParts;      // per element part (x, y, sample_weight): indices into Next, in model order
        public required string Description;
        public required DatasetElement Element;

        public int Parts => XParts.Length;
    }

    private readonly Dictionary<(object Source, string Role), StepSource> _stepSources = [];

    private StepSource Source(object data, string role)
    {
        if (_stepSources.TryGetValue((data, role), out var cached)) return cached;
        var dataset = data as Dataset;
        var iterator = dataset?.MakeInitializableIterator() ?? (DataIterator)data;
        var graph = iterator.Resource.graph;
        DatasetElement next;
        using (graph.as_default())
        using (graph.name_scope(null))
            next = iterator.GetNext();
        var description = dataset?.ToString() ?? "<Iterator>";
        int[][] parts;
        if (next.is_tensor) parts = [[0]];
        else if (next.Structure.NodeKind == Nest.Kind.Dict) parts = [Enumerable.Range(0, next.flat.Count).ToArray()];
        else
        {
            if (next.Count is not (1 or 2 or 3))
                throw new ValueError($"Please provide model inputs as a list or tuple of 2 or 3 elements: (input, target) or (input, target, sample_weights) Received {description}");
            parts = new int[next.Count][];
            var start = 0;
            for (var i = 0; i < next.Count; i++)
            {
                var n = next.Structure.Children[i].Count;
                parts[i] = Enumerable.Range(start, n).ToArray();
                start += n;
            }
        }
        var source = new StepSource { Iterator = iterator, Dataset = dataset, Next = [.. next.flat], XParts = parts, Description = description, Element = next };
        _stepSources[(data, role)] = source;
        return source;
    }

    /// <summary>Part <paramref name="part"/> of the element (0: inputs, 1: targets, 2: sample weights), ordered as <paramref name="names"/> when it is a dictionary.</summary>
    private static NDArray[] PartArrays(StepSource s, NDArray[] values, int part, IReadOnlyList<string> names, string what)
    {
        var element = s.Element;
        var node = element.is_tensor ? element.Structure : element.Structure.NodeKind == Nest.Kind.Dict && part == 0 && s.Parts == 1 ? element.Structure : element.Structure.Children[part];
        var idx = s.XParts[part];
        if (node.NodeKind == Nest.Kind.Dict)
        {
            var result = new NDArray[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                var k = Array.IndexOf(node.Keys, names[i]);
                if (k < 0)
                    throw new ValueError($"No data provided for \"{names[i]}\". Need data for each key in: [{string.Join(", ", names.Select(n => "'" + n + "'"))}]");
                result[i] = values[idx[k]];
            }
            return result;
        }
        var arrays = idx.Select(i => values[i]).ToArray();
        if (arrays.Length != names.Count)
            throw new ValueError($"Error when checking model {what}: the list of Numpy arrays that you are passing to your model is not the size the model expected. Expected to see {names.Count} array(s), but instead got {arrays.Length} arrays.");
        return arrays;
    }

    private IReadOnlyList<string> InputNames => inputs.Select((t, i) => Node.History(t)?.Node.outbound_layer.name ?? $"input_{i + 1}").ToList();

    private IReadOnlyList<string> OutputNames => outputs.Select((_, i) => OutputName(i)).ToList();

    /// <summary>The next batch as arrays (inputs, targets, sample weights), or null at the end of the data.</summary>
    private (NDArray[] X, NDArray[]? Y, NDArray[]? Sw)? Pull(StepSource s, bool needTargets)
    {
        NDArray[] values;
        try { values = Backend.get_session().run(s.Next); }
        catch (OutOfRangeError) { return null; }
        var first = s.Element.is_tensor || s.Element.Structure.NodeKind == Nest.Kind.Dict ? values : s.XParts[0].Select(i => values[i]).ToArray();
        if (!HasIO) EnsureBuiltFor(first);
        var x = PartArrays(s, values, 0, InputNames, "input");
        CheckInputs(x);
        if (!needTargets) return (x, null, null);
        if (s.Parts < 2)
            throw new ValueError($"The dataset's elements hold no target: fit and evaluate need (input, target) or (input, target, sample_weights) elements. Received {s.Description}");
        var y = StandardizeTargets(PartArrays(s, values, 1, OutputNames, "target"));
        NDArray[] sw;
        if (s.Parts == 3)
        {
            var w = PartArrays(s, values, 2, OutputNames, "sample_weight");
            sw = w.Select(a => a.Cast(DType.float32)).ToArray();
        }
        else sw = SampleWeightsFor(y, null, null);
        return (x, y, sw);
    }

    private static void Initialize(StepSource s)
    {
        if (s.Dataset is not null) Backend.get_session().run(s.Iterator.Initializer);
    }

    /// <summary>TensorFlow's <c>infer_steps_for_dataset</c> (the caller gave no steps).</summary>
    private static int? InferSteps(Dataset dataset, string stepsName)
    {
        var size = DatasetCardinality.Of(dataset.VariantTensor);
        if (size == DatasetCardinality.Infinite)
            throw new ValueError($"When passing an infinitely repeating dataset, you must specify the `{stepsName}` argument.");
        return size >= 0 ? (int)size : null;
    }

    private static void RequireSteps(object data, int? steps, string stepsName)
    {
        if (data is DataIterator && steps is null)
            throw new ValueError($"When using a Dataset iterator as input to a model, you should specify the `{stepsName}` argument.");
    }

    private static void RanOut(bool isDataset, string stepsName, long total) => Logging.Log(Logging.WARN, isDataset
        ? $"Your dataset ran out of data; interrupting training. Make sure that your dataset can generate at least `{stepsName} * epochs` batches (in this case, {total} batches). You may need to use the repeat() function when building your dataset."
        : $"Your dataset iterator ran out of data; interrupting training. Make sure that your iterator can generate at least `{stepsName} * epochs` batches (in this case, {total} batches). You may need to use the repeat() function when building your dataset.");

    // ----- fit -----

    /// <summary>
    /// Trains on the <c>(x, y)</c> or <c>(x, y, sample_weight)</c> batches of a <c>tf.data.Dataset</c>, as TensorFlow
    /// 1.15's Keras does: without <paramref name="steps_per_epoch"/> an epoch is one pass over the dataset (its
    /// size read from the dataset, or its end of data) and the dataset starts again for the next; a repeated
    /// dataset needs <paramref name="steps_per_epoch"/>, and then running out of data stops training with a warning.
    /// </summary>
    public History fit(Dataset x, int epochs = 1, int verbose = 1, IEnumerable<Callback>? callbacks = null, ValidationData? validation_data = null,
        int initial_epoch = 0, int? steps_per_epoch = null, int? validation_steps = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return FitSteps(x, epochs, verbose, callbacks, validation_data, initial_epoch, steps_per_epoch, validation_steps);
    }

    /// <summary>Trains on the batches of a dataset iterator the caller made and initialized; <paramref name="steps_per_epoch"/> is required.</summary>
    public History fit(DataIterator x, int epochs = 1, int verbose = 1, IEnumerable<Callback>? callbacks = null, ValidationData? validation_data = null,
        int initial_epoch = 0, int? steps_per_epoch = null, int? validation_steps = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return FitSteps(x, epochs, verbose, callbacks, validation_data, initial_epoch, steps_per_epoch, validation_steps);
    }

    private History FitSteps(object data, int epochs, int verbose, IEnumerable<Callback>? callbacks, ValidationData? validation,
        int initialEpoch, int? stepsPerEpoch, int? validationSteps)
    {
        RequireSteps(data, stepsPerEpoch, "steps_per_epoch");
        var isDataset = data is Dataset;
        var reset = false;
        if (data is Dataset ds && stepsPerEpoch is null)
        {
            reset = true;
            stepsPerEpoch = InferSteps(ds, "steps_per_epoch");
        }
        var source = Source(data, "train");
        Initialize(source);
        // The first batch builds an unbuilt model (a Sequential without input_shape, a subclass) before the training graph.
        var first = Pull(source, needTargets: true);
        if (first is null && !HasIO) throw new ValueError($"The dataset {source.Description} holds no batch: the model cannot be built from it.");

        StepSource? valSource = null;
        NDArray[]? valX = null, valY = null, valW = null;
        if (validation is not null)
        {
            if (validation.Dataset is { } vds)
            {
                validationSteps ??= InferSteps(vds, "validation_steps");
                valSource = Source(vds, "validation");
            }
            else if (validation.Iterator is { } vit)
            {
                RequireSteps(vit, validationSteps, "validation_steps");
                valSource = Source(vit, "validation");
            }
            else
            {
                CheckInputs(validation.X!);
                valX = validation.X;
                valY = StandardizeTargets(validation.Y!);
                valW = SampleWeightsFor(valY, validation.SampleWeight, null);
            }
        }
        else if (validationSteps is not null)
            throw new ValueError("`validation_steps` should not be specified if `validation_data` is None.");
        var doValidation = validation is not null;
        TrainOp();

        if (verbose > 0)
        {
            // TensorFlow's _print_train_info: "steps" for a dataset, "samples" for an iterator (whatever is counted).
            var increment = isDataset ? "steps" : "samples";
            var msg = $"Train on {StepsText(stepsPerEpoch)} {increment}";
            var valCount = valSource is not null ? validationSteps : valX?[0].shape[0];
            if (valCount is { } vc && vc > 0) msg += $", validate on {vc} {increment}";
            Console.WriteLine(msg);
        }

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
        var p = new Dictionary<string, object>
        {
            ["epochs"] = epochs, ["verbose"] = verbose, ["do_validation"] = doValidation, ["metrics"] = callbackMetrics, ["count_mode"] = "steps",
        };
        if (stepsPerEpoch is { } spe) { p["steps"] = spe; p["samples"] = spe; }
        cbks.SetParams(p);
        stop_training = false;
        cbks.TrainBegin();
        var pending = first;
        var pulledFirst = true;
        for (var epoch = initialEpoch; epoch < epochs; epoch++)
        {
            if (stop_training) break;
            var epochLogs = new Dictionary<string, double>();
            cbks.EpochBegin(epoch, epochLogs);
            for (var step = 0; stepsPerEpoch is null || step < stepsPerEpoch; step++)
            {
                var batchLogs = new Dictionary<string, double> { ["batch"] = step, ["size"] = 1 };
                cbks.BatchBegin(step, batchLogs);
                var batch = pulledFirst ? pending : Pull(source, needTargets: true);
                pulledFirst = false;
                pending = null;
                if (batch is not { } b)
                {
                    if (stepsPerEpoch is { } total)
                    {
                        stop_training = true;
                        RanOut(isDataset, "steps_per_epoch", (long)total * epochs);
                    }
                    else if (!isDataset)
                        stop_training = true;
                    else if (step > 0)
                        stepsPerEpoch = step;
                    break;
                }
                var outs = RunTrain(b.X, b.Y!, b.Sw!);
                for (var i = 0; i < outLabels.Count; i++) batchLogs[outLabels[i]] = outs[i];
                cbks.BatchEnd(step, batchLogs);
                if (stop_training) break;
            }
            if (doValidation && !stop_training)
            {
                var valOuts = valSource is not null
                    ? TestSteps(valSource, validationSteps, "validation_steps", initialize: epoch == initialEpoch)
                    : TestLoop(valX!, valY!, valW!, 32, 0);
                for (var i = 0; i < outLabels.Count; i++) epochLogs["val_" + outLabels[i]] = valOuts[i];
                if (valSource?.Dataset is not null && epoch < epochs - 1) Initialize(valSource);
            }
            cbks.EpochEnd(epoch, epochLogs);
            if (reset && epoch < epochs - 1) Initialize(source);
        }
        cbks.TrainEnd();
        return history;
    }

    private static string StepsText(int? steps) => steps is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None";

    // ----- evaluate and predict -----

    /// <summary>
    /// The loss and metrics over the batches of a dataset (all of them, or <paramref name="steps"/>): the losses
    /// averaged over the steps, the metrics over the samples, as TensorFlow 1.15's Keras reports them.
    /// </summary>
    public double[] evaluate(Dataset x, int verbose = 1, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        steps ??= InferSteps(x, "steps");
        return TestSteps(Source(x, "evaluate"), steps, "steps", initialize: true, verbose);
    }

    /// <summary>The loss and metrics over <paramref name="steps"/> batches of a dataset iterator.</summary>
    public double[] evaluate(DataIterator x, int? steps = null, int verbose = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireSteps(x, steps, "steps");
        return TestSteps(Source(x, "evaluate"), steps, "steps", initialize: false, verbose);
    }

    private double[] TestSteps(StepSource source, int? steps, string stepsName, bool initialize, int verbose = 0)
    {
        if (initialize) Initialize(source);
        double[]? sums = null;
        long samples = 0;
        var step = 0;
        var bar = verbose == 1 ? new Utils.Progbar(steps) : null;
        int lossCount = 0;
        for (; steps is null || step < steps; step++)
        {
            var batch = Pull(source, needTargets: true);
            if (batch is not { } b)
            {
                if (steps is { } total) RanOut(source.Dataset is not null, stepsName, total);
                break;
            }
            var outs = RunTest(b.X, b.Y!, b.Sw!);
            var n = b.X[0].shape[0];
            sums ??= new double[outs.Length];
            lossCount = outputs.Count > 1 ? 1 + outputs.Count : 1;
            for (var i = 0; i < outs.Length; i++) sums[i] += i < lossCount ? outs[i] : outs[i] * n;
            samples += n;
            bar?.update(step + 1);
        }
        if (sums is null) return new double[metrics_names.Count];
        return sums.Select((s, i) => i < lossCount ? s / Math.Max(1, step) : s / Math.Max(1, samples)).ToArray();
    }

    /// <summary>The model's output for every batch of a dataset (all of them, or <paramref name="steps"/>), joined.</summary>
    public NDArray predict(Dataset x, int verbose = 0, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        steps ??= InferSteps(x, "steps");
        var source = Source(x, "predict");
        Initialize(source);
        return Layer.SingleArray(PredictSteps(source, steps, verbose));
    }

    /// <summary>The model's output for <paramref name="steps"/> batches of a dataset iterator, joined.</summary>
    public NDArray predict(DataIterator x, int? steps = null, int verbose = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireSteps(x, steps, "steps");
        return Layer.SingleArray(PredictSteps(Source(x, "predict"), steps, verbose));
    }

    private NDArray[] PredictSteps(StepSource source, int? steps, int verbose)
    {
        var bar = verbose == 1 ? new Utils.Progbar(steps) : null;
        List<NDArray>[]? parts = null;
        for (var step = 0; steps is null || step < steps; step++)
        {
            var batch = Pull(source, needTargets: false);
            if (batch is not { } b)
            {
                if (steps is { } total) RanOut(source.Dataset is not null, "steps", total);
                break;
            }
            var outs = Backend.get_session().run(outputs, Feed(b.X, null, null, training: false));
            parts ??= outs.Select(_ => new List<NDArray>()).ToArray();
            for (var i = 0; i < outs.Length; i++) parts[i].Add(outs[i]);
            bar?.update(step + 1);
        }
        if (parts is null) throw new ValueError("The dataset held no batch to predict on.");
        return parts.Select(ArrayRows.Concat).ToArray();
    }
}
