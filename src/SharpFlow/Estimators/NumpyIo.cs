using static SharpFlow.Binding;
using Dataset = SharpFlow.Binding.tf.data.Dataset;

namespace SharpFlow.Estimators;

/// <summary><c>tf.estimator.inputs</c>: input functions over in-memory arrays.</summary>
public static class NumpyIo
{
    /// <summary>
    /// <c>tf.estimator.inputs.numpy_input_fn</c>: an input function giving batches of the rows of
    /// <paramref name="x"/> (a dictionary of arrays with the same first dimension) and <paramref name="y"/>, for
    /// <paramref name="num_epochs"/> epochs (null: forever), shuffled with a buffer of
    /// <paramref name="queue_capacity"/> when <paramref name="shuffle"/>. Built on tf.data over placeholders that the
    /// Estimator feeds when it initialises the input's iterator, so the arrays never enter the graph (TensorFlow
    /// feeds a queue from Python; the batches hold the same rows, the shuffled order differs). The last batch may be
    /// smaller. Outside an Estimator, run the iterator's initializer with <see cref="FedDataset.feed_dict"/>.
    /// </summary>
    public static Func<object> numpy_input_fn(IReadOnlyDictionary<string, NDArray> x, NDArray? y = null, int batch_size = 128, int? num_epochs = 1,
        bool? shuffle = null, int queue_capacity = 1000, int num_threads = 1)
    {
        if (shuffle is null) throw new ValueError("shuffle must be provided explicitly as a bool, got None.");
        if (x is null || x.Count == 0) throw new ValueError("x cannot be empty");
        if (batch_size <= 0) throw new ValueError($"batch_size must be positive, got {batch_size}");
        if (num_epochs is <= 0) throw new ValueError($"num_epochs must be > 0 or None, got {num_epochs}");
        var length = x.Values.First().shape[0];
        foreach (var (k, v) in x)
            if (v.ndim == 0 || v.shape[0] != length)
                throw new ValueError($"Length of tensors in x and y is mismatched. All elements in x and y must have the same length.\nLengths of x: {{{string.Join(", ", x.Select(kv => $"'{kv.Key}': {(kv.Value.ndim == 0 ? 0 : kv.Value.shape[0])}"))}}}");
        if (y is not null && (y.ndim == 0 || y.shape[0] != length))
            throw new ValueError($"Length of tensors in x and y is mismatched. All elements in x and y must have the same length.\nLength of y: {(y.ndim == 0 ? 0 : y.shape[0])}");
        var shuffled = shuffle.Value;
        return () =>
        {
            // The arrays stay out of the graph: each is a placeholder that the iterator's initializer is fed with
            // (TensorFlow's numpy_input_fn feeds a queue from Python for the same reason: a GraphDef holding the data
            // would be as large as the data, and so would graph.pbtxt and every event file the Estimator writes).
            var feeds = new FeedDict();
            Tensor Fed(NDArray value, string name)
            {
                var placeholder = tf.placeholder(value.dtype, value.shape, name);
                feeds.Add(placeholder, value);
                return placeholder;
            }
            Dataset ds;
            using (tf.name_scope("numpy_input_fn"))
            {
                var features = x.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => (object)Fed(kv.Value, "x"));
                ds = y is null ? Dataset.from_tensor_slices(features) : Dataset.from_tensor_slices((features, Fed(y, "y")));
            }
            if (shuffled) ds = ds.shuffle(queue_capacity);
            ds = num_epochs is null ? ds.repeat() : num_epochs == 1 ? ds : ds.repeat(num_epochs.Value);
            return new FedDataset(ds.batch(batch_size), feeds);
        };
    }

    /// <summary><see cref="numpy_input_fn(IReadOnlyDictionary{string, NDArray}, NDArray?, int, int?, bool?, int, int)"/> from .NET arrays.</summary>
    public static Func<object> numpy_input_fn(IReadOnlyDictionary<string, Array> x, Array? y = null, int batch_size = 128, int? num_epochs = 1,
        bool? shuffle = null, int queue_capacity = 1000, int num_threads = 1) =>
        numpy_input_fn(x.ToDictionary(kv => kv.Key, kv => NDArray.FromArray(kv.Value)), y is null ? null : NDArray.FromArray(y), batch_size, num_epochs, shuffle,
            queue_capacity, num_threads);
}

/// <summary><c>tf.estimator.TrainSpec</c>: the training input and length of <see cref="Training.train_and_evaluate"/>.</summary>
public sealed class TrainSpec(Func<object> input_fn, long? max_steps = null, IEnumerable<Train.Monitored.SessionRunHook>? hooks = null)
{
    /// <summary>The training input function.</summary>
    public Func<object> input_fn { get; } = input_fn ?? throw new ValueError("input_fn must be callable");

    /// <summary>The global step to train to (null: until the input ends).</summary>
    public long? max_steps { get; } = max_steps is <= 0 ? throw new ValueError($"Must specify max_steps > 0, given: {max_steps}") : max_steps;

    /// <summary>Extra training hooks.</summary>
    public IReadOnlyList<Train.Monitored.SessionRunHook> hooks { get; } = hooks?.ToList() ?? [];
}

/// <summary><c>tf.estimator.EvalSpec</c>: the evaluation input of <see cref="Training.train_and_evaluate"/>.</summary>
public sealed class EvalSpec(Func<object> input_fn, long? steps = 100, string? name = null, IEnumerable<Train.Monitored.SessionRunHook>? hooks = null,
    double start_delay_secs = 120, double throttle_secs = 600)
{
    /// <summary>The evaluation input function.</summary>
    public Func<object> input_fn { get; } = input_fn ?? throw new ValueError("input_fn must be callable");

    /// <summary>Evaluation batches per evaluation (null: until the input ends).</summary>
    public long? steps { get; } = steps is <= 0 ? throw new ValueError($"Must specify steps > 0, given: {steps}") : steps;

    /// <summary>The evaluation's name (events in <c>eval_NAME</c>).</summary>
    public string? name { get; } = name;

    /// <summary>Extra evaluation hooks.</summary>
    public IReadOnlyList<Train.Monitored.SessionRunHook> hooks { get; } = hooks?.ToList() ?? [];

    /// <summary>Kept for transcription (evaluation here follows training in one process).</summary>
    public double start_delay_secs { get; } = start_delay_secs;

    /// <summary>The least time between two evaluations while training.</summary>
    public double throttle_secs { get; } = throttle_secs;
}

/// <summary><c>tf.estimator.train_and_evaluate</c> for one process.</summary>
public static class Training
{
    /// <summary>
    /// Trains <paramref name="estimator"/> to the train spec's max_steps in chunks, evaluating after a chunk once
    /// <c>throttle_secs</c> have passed since the last evaluation, and always at the end (TensorFlow's local mode
    /// evaluates after checkpoints the same way). A chunk is the config's save_checkpoints_steps, or the whole run.
    /// Returns the last evaluation's result.
    /// </summary>
    public static Dictionary<string, NDArray> train_and_evaluate(Estimator estimator, TrainSpec train_spec, EvalSpec eval_spec)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        var chunk = estimator.config.save_checkpoints_steps is > 0 && train_spec.max_steps is not null ? estimator.config.save_checkpoints_steps : null;
        var lastEval = DateTime.UtcNow;
        while (true)
        {
            var current = CurrentStep(estimator);
            if (train_spec.max_steps is not null && current >= train_spec.max_steps) break;
            var target = chunk is null ? train_spec.max_steps : Math.Min(train_spec.max_steps!.Value, (current / chunk.Value + 1) * chunk.Value);
            estimator.train(train_spec.input_fn, train_spec.hooks, max_steps: target);
            if (target is null || target >= train_spec.max_steps) break;
            if ((DateTime.UtcNow - lastEval).TotalSeconds >= eval_spec.throttle_secs)
            {
                estimator.evaluate(eval_spec.input_fn, eval_spec.steps, eval_spec.hooks, name: eval_spec.name);
                lastEval = DateTime.UtcNow;
            }
            if (CurrentStep(estimator) <= current) break;
        }
        return estimator.evaluate(eval_spec.input_fn, eval_spec.steps, eval_spec.hooks, name: eval_spec.name);
    }

    private static long CurrentStep(Estimator estimator)
    {
        var ckpt = estimator.latest_checkpoint();
        return ckpt is null ? 0 : tf.train.load_variable(ckpt, GraphKeys.GLOBAL_STEP).Cast(DType.int64).item<long>();
    }
}

/// <summary>
/// A dataset over placeholders together with the values they take (what <see cref="NumpyIo.numpy_input_fn(IReadOnlyDictionary{string, NDArray}, NDArray?, int, int?, bool?, int, int)"/>
/// builds). The Estimator runs its iterator's initializer with <see cref="feed_dict"/>; elsewhere, use
/// <c>make_initializable_iterator()</c> and feed it the same way.
/// </summary>
public sealed class FedDataset : Dataset
{
    internal FedDataset(Dataset inner, FeedDict feeds) : base(inner) => feed_dict = feeds;

    /// <summary>The placeholders the dataset reads and their values, for the iterator's initializer.</summary>
    public FeedDict feed_dict { get; }
}
