using SharpFlow.Execution;

namespace SharpFlow.Estimators;

/// <summary>
/// <c>tf.estimator.RunConfig</c>: where an <see cref="Estimator"/> keeps its model and how often it saves.
/// Checkpoints are saved every 600 seconds unless <see cref="save_checkpoints_steps"/> or
/// <see cref="save_checkpoints_secs"/> says otherwise (giving both is an error, as in TensorFlow).
/// </summary>
public sealed class RunConfig
{
    /// <summary>A configuration with TensorFlow's defaults.</summary>
    public RunConfig(string? model_dir = null, int? tf_random_seed = null, long? save_summary_steps = 100, long? save_checkpoints_steps = null,
        double? save_checkpoints_secs = null, ConfigProto? session_config = null, int keep_checkpoint_max = 5, double keep_checkpoint_every_n_hours = 10000,
        int? log_step_count_steps = 100)
    {
        if (save_checkpoints_steps is not null && save_checkpoints_secs is not null)
            throw new ValueError("Can not provide both save_checkpoints_steps and save_checkpoints_secs.");
        if (save_checkpoints_steps is null && save_checkpoints_secs is null) save_checkpoints_secs = 600;
        if (save_checkpoints_steps is < 0) throw new ValueError($"save_checkpoints_steps must be >= 0, given: {save_checkpoints_steps}");
        if (save_checkpoints_secs is < 0) throw new ValueError($"save_checkpoints_secs must be >= 0, given: {save_checkpoints_secs}");
        if (keep_checkpoint_max < 0) throw new ValueError($"keep_checkpoint_max must be >= 0, given: {keep_checkpoint_max}");
        this.model_dir = model_dir;
        this.tf_random_seed = tf_random_seed;
        this.save_summary_steps = save_summary_steps;
        this.save_checkpoints_steps = save_checkpoints_steps;
        this.save_checkpoints_secs = save_checkpoints_secs;
        this.session_config = session_config;
        this.keep_checkpoint_max = keep_checkpoint_max;
        this.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours;
        this.log_step_count_steps = log_step_count_steps;
    }

    /// <summary>The directory of checkpoints, the graph and event files (null: the estimator picks a temporary one).</summary>
    public string? model_dir { get; }

    /// <summary>The graph-level random seed of every graph the estimator builds.</summary>
    public int? tf_random_seed { get; }

    /// <summary>Summaries are saved every this many steps.</summary>
    public long? save_summary_steps { get; }

    /// <summary>Checkpoints are saved every this many steps (null when saving by time).</summary>
    public long? save_checkpoints_steps { get; }

    /// <summary>Checkpoints are saved every this many seconds (null when saving by steps).</summary>
    public double? save_checkpoints_secs { get; }

    /// <summary>The session configuration.</summary>
    public ConfigProto? session_config { get; }

    /// <summary>How many recent checkpoints are kept (0 or less: all).</summary>
    public int keep_checkpoint_max { get; }

    /// <summary>The Estimator's saver also keeps one checkpoint every this many hours (<see cref="Train.Saver.keep_checkpoint_every_n_hours"/>).</summary>
    public double keep_checkpoint_every_n_hours { get; }

    /// <summary>The loss and the step rate are logged every this many steps.</summary>
    public int? log_step_count_steps { get; }

    /// <summary>Always true: SharpFlow's estimators run in one process.</summary>
    public bool is_chief { get; } = true;

    /// <summary>A copy with some fields replaced (<c>RunConfig.replace</c>).</summary>
    public RunConfig replace(string? model_dir = null, int? tf_random_seed = null) =>
        new(model_dir ?? this.model_dir, tf_random_seed ?? this.tf_random_seed, save_summary_steps, save_checkpoints_steps,
            save_checkpoints_steps is null ? save_checkpoints_secs : null, session_config, keep_checkpoint_max, keep_checkpoint_every_n_hours, log_step_count_steps);
}
