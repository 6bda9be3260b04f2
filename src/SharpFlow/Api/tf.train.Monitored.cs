#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Execution;
using SharpFlow.Train.Monitored;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class train
        {
            /// <summary>
            /// The "use TensorFlow's default" marker of <see cref="MonitoredTrainingSession"/>'s save arguments (null
            /// turns a saver off, as Python's None does).
            /// </summary>
            public const int USE_DEFAULT = SharpFlow.Train.Monitored.MonitoredTrainingSession.UseDefault;

            /// <summary>
            /// <c>tf.train.MonitoredTrainingSession</c>: a <see cref="SharpFlow.Train.Monitored.MonitoredSession"/> for training.
            /// The chief restores the newest checkpoint of <paramref name="checkpoint_dir"/> (or initialises), and gets a
            /// StepCounterHook (every <paramref name="log_step_count_steps"/> steps), a SummarySaverHook (every 100 steps by
            /// default) and a CheckpointSaverHook (every 600 seconds by default) writing into <paramref name="checkpoint_dir"/>,
            /// then <paramref name="chief_only_hooks"/> and <paramref name="hooks"/>; other workers only wait for the model
            /// and run <paramref name="hooks"/>.
            /// </summary>
            public static MonitoredSession MonitoredTrainingSession(string master = "", bool is_chief = true, string? checkpoint_dir = null,
                Scaffold? scaffold = null, IEnumerable<SessionRunHook>? hooks = null, IEnumerable<SessionRunHook>? chief_only_hooks = null,
                double? save_checkpoint_secs = USE_DEFAULT, long? save_summaries_steps = USE_DEFAULT, double? save_summaries_secs = USE_DEFAULT,
                ConfigProto? config = null, double stop_grace_period_secs = 120, int? log_step_count_steps = 100, double max_wait_secs = 7200,
                long? save_checkpoint_steps = USE_DEFAULT, string? summary_dir = null) =>
                SharpFlow.Train.Monitored.MonitoredTrainingSession.Create(master, is_chief, checkpoint_dir, scaffold, hooks, chief_only_hooks,
                    save_checkpoint_secs, save_summaries_steps, save_summaries_secs, config, stop_grace_period_secs, log_step_count_steps, max_wait_secs,
                    save_checkpoint_steps, summary_dir);

            /// <summary><c>tf.train.MonitoredSession</c>: a session made by <paramref name="session_creator"/> (a chief's by default) that calls <paramref name="hooks"/>.</summary>
            public static MonitoredSession MonitoredSession(SessionCreator? session_creator = null, IEnumerable<SessionRunHook>? hooks = null,
                double stop_grace_period_secs = 120) => new(session_creator, hooks, stop_grace_period_secs);

            /// <summary><c>tf.train.SingularMonitoredSession</c>: a monitored session for one process, with <c>raw_session()</c>.</summary>
            public static SingularMonitoredSession SingularMonitoredSession(IEnumerable<SessionRunHook>? hooks = null, Scaffold? scaffold = null,
                string master = "", ConfigProto? config = null, string? checkpoint_dir = null, double stop_grace_period_secs = 120,
                string? checkpoint_filename_with_path = null) =>
                new(hooks, scaffold, master, config, checkpoint_dir, stop_grace_period_secs, checkpoint_filename_with_path);

            /// <summary><c>tf.train.Scaffold</c>: the init, ready, local-init and summary ops and the saver of a monitored session.</summary>
            public static Scaffold Scaffold(Operation? init_op = null, FeedDict? init_feed_dict = null, Action<Scaffold, Session>? init_fn = null,
                Tensor? ready_op = null, Tensor? ready_for_local_init_op = null, Operation? local_init_op = null, Tensor? summary_op = null,
                SharpFlow.Train.Saver? saver = null, Scaffold? copy_from_scaffold = null) =>
                new(init_op, init_feed_dict, init_fn, ready_op, ready_for_local_init_op, local_init_op, summary_op, saver, copy_from_scaffold);

            /// <summary><c>tf.train.ChiefSessionCreator</c>.</summary>
            public static ChiefSessionCreator ChiefSessionCreator(Scaffold? scaffold = null, string master = "", ConfigProto? config = null,
                string? checkpoint_dir = null, string? checkpoint_filename_with_path = null) =>
                new(scaffold, master, config, checkpoint_dir, checkpoint_filename_with_path);

            /// <summary><c>tf.train.WorkerSessionCreator</c>.</summary>
            public static WorkerSessionCreator WorkerSessionCreator(Scaffold? scaffold = null, string master = "", ConfigProto? config = null, double max_wait_secs = 30 * 60) =>
                new(scaffold, master, config, max_wait_secs);

            /// <summary><c>tf.train.SessionRunArgs</c>: fetches and feeds a hook adds to a run.</summary>
            public static SessionRunArgs SessionRunArgs(object? fetches, FeedDict? feed_dict = null, SharpFlow.Execution.RunOptions? options = null) =>
                new(fetches, feed_dict, options);

            /// <summary><c>tf.train.StopAtStepHook</c>.</summary>
            public static StopAtStepHook StopAtStepHook(long? num_steps = null, long? last_step = null) => new(num_steps, last_step);

            /// <summary><c>tf.train.CheckpointSaverHook</c>.</summary>
            public static CheckpointSaverHook CheckpointSaverHook(string checkpoint_dir, double? save_secs = null, long? save_steps = null,
                SharpFlow.Train.Saver? saver = null, string checkpoint_basename = "model.ckpt", Scaffold? scaffold = null) =>
                new(checkpoint_dir, save_secs, save_steps, saver, checkpoint_basename, scaffold);

            /// <summary><c>tf.train.SummarySaverHook</c>.</summary>
            public static SummarySaverHook SummarySaverHook(long? save_steps = null, double? save_secs = null, string? output_dir = null,
                SharpFlow.Summaries.FileWriter? summary_writer = null, Scaffold? scaffold = null, Tensor? summary_op = null) =>
                new(save_steps, save_secs, output_dir, summary_writer, scaffold, summary_op);

            /// <summary><c>tf.train.StepCounterHook</c>.</summary>
            public static StepCounterHook StepCounterHook(long? every_n_steps = 100, double? every_n_secs = null, string? output_dir = null,
                SharpFlow.Summaries.FileWriter? summary_writer = null, int steps_per_run = 1) =>
                new(every_n_steps, every_n_secs, output_dir, summary_writer, steps_per_run);

            /// <summary><c>tf.train.LoggingTensorHook</c> with tags: <c>new Dictionary&lt;string, Tensor&gt; { ["loss"] = loss, ["step"] = global_step }</c>.</summary>
            public static LoggingTensorHook LoggingTensorHook(IReadOnlyDictionary<string, Tensor> tensors, int? every_n_iter = null, double? every_n_secs = null,
                bool at_end = false, Func<IReadOnlyDictionary<string, NDArray>, string>? formatter = null) =>
                new(tensors, every_n_iter, every_n_secs, at_end, formatter);

            /// <summary><c>tf.train.LoggingTensorHook</c> with the tensors' names as tags.</summary>
            public static LoggingTensorHook LoggingTensorHook(IEnumerable<Tensor> tensors, int? every_n_iter = null, double? every_n_secs = null,
                bool at_end = false, Func<IReadOnlyDictionary<string, NDArray>, string>? formatter = null) =>
                new(tensors, every_n_iter, every_n_secs, at_end, formatter);

            /// <summary><c>tf.train.NanTensorHook</c>.</summary>
            public static NanTensorHook NanTensorHook(Tensor loss_tensor, bool fail_on_nan_loss = true) => new(loss_tensor, fail_on_nan_loss);

            /// <summary><c>tf.train.FinalOpsHook</c>.</summary>
            public static FinalOpsHook FinalOpsHook(object final_ops, FeedDict? final_ops_feed_dict = null) => new(final_ops, final_ops_feed_dict);

            /// <summary><c>tf.train.FeedFnHook</c>.</summary>
            public static FeedFnHook FeedFnHook(Func<FeedDict> feed_fn) => new(feed_fn);

            /// <summary><c>tf.train.GlobalStepWaiterHook</c>.</summary>
            public static GlobalStepWaiterHook GlobalStepWaiterHook(long wait_until_step) => new(wait_until_step);

            /// <summary><c>tf.train.SecondOrStepTimer</c>.</summary>
            public static SecondOrStepTimer SecondOrStepTimer(double? every_secs = null, long? every_steps = null) => new(every_secs, every_steps);
        }
    }
}
