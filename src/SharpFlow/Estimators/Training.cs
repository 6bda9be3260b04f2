using SharpFlow.Checkpoints;

namespace SharpFlow.Estimators;

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
        return ckpt is null ? 0 : CheckpointUtils.LoadVariable(ckpt, GraphKeys.GLOBAL_STEP).Cast(DType.int64).item<long>();
    }
}
