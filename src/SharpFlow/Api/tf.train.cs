#pragma warning disable CS8981
using SharpFlow.Train;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow 1.x's <c>tf.train</c>: optimizers, learning-rate schedules, moving averages, the global step.</summary>
        public static partial class train
        {
            /// <summary><c>var -= lr * g</c>.</summary>
            public static SharpFlow.Train.GradientDescentOptimizer GradientDescentOptimizer(TensorLike learning_rate, bool use_locking = false, string name = "GradientDescent") =>
                new(learning_rate, use_locking, name);
            /// <summary>Adadelta (lr 0.001, rho 0.95, epsilon 1e-8).</summary>
            public static SharpFlow.Train.AdadeltaOptimizer AdadeltaOptimizer(TensorLike? learning_rate = null, double rho = 0.95, double epsilon = 1e-8, bool use_locking = false, string name = "Adadelta") =>
                new(learning_rate, rho, epsilon, use_locking, name);
            /// <summary>Adagrad (accumulators start at 0.1).</summary>
            public static SharpFlow.Train.AdagradOptimizer AdagradOptimizer(TensorLike learning_rate, double initial_accumulator_value = 0.1, bool use_locking = false, string name = "Adagrad") =>
                new(learning_rate, initial_accumulator_value, use_locking, name);
            /// <summary>Adagrad dual averaging; needs the global step.</summary>
            public static SharpFlow.Train.AdagradDAOptimizer AdagradDAOptimizer(TensorLike learning_rate, Tensor global_step, double initial_gradient_squared_accumulator_value = 0.1,
                double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "AdagradDA") =>
                new(learning_rate, global_step, initial_gradient_squared_accumulator_value, l1_regularization_strength, l2_regularization_strength, use_locking, name);
            /// <summary>Momentum, optionally Nesterov.</summary>
            public static SharpFlow.Train.MomentumOptimizer MomentumOptimizer(TensorLike learning_rate, TensorLike momentum, bool use_locking = false, string name = "Momentum", bool use_nesterov = false) =>
                new(learning_rate, momentum, use_locking, name, use_nesterov);
            /// <summary>Adam (lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-8).</summary>
            public static SharpFlow.Train.AdamOptimizer AdamOptimizer(TensorLike? learning_rate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool use_locking = false, string name = "Adam") =>
                new(learning_rate, beta1, beta2, epsilon, use_locking, name);
            /// <summary>FTRL-Proximal.</summary>
            public static SharpFlow.Train.FtrlOptimizer FtrlOptimizer(TensorLike learning_rate, double learning_rate_power = -0.5, double initial_accumulator_value = 0.1,
                double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "Ftrl",
                double l2_shrinkage_regularization_strength = 0.0) =>
                new(learning_rate, learning_rate_power, initial_accumulator_value, l1_regularization_strength, l2_regularization_strength, use_locking, name, l2_shrinkage_regularization_strength);
            /// <summary>Proximal gradient descent.</summary>
            public static SharpFlow.Train.ProximalGradientDescentOptimizer ProximalGradientDescentOptimizer(TensorLike learning_rate, double l1_regularization_strength = 0.0,
                double l2_regularization_strength = 0.0, bool use_locking = false, string name = "ProximalGradientDescent") =>
                new(learning_rate, l1_regularization_strength, l2_regularization_strength, use_locking, name);
            /// <summary>Proximal Adagrad.</summary>
            public static SharpFlow.Train.ProximalAdagradOptimizer ProximalAdagradOptimizer(TensorLike learning_rate, double initial_accumulator_value = 0.1,
                double l1_regularization_strength = 0.0, double l2_regularization_strength = 0.0, bool use_locking = false, string name = "ProximalAdagrad") =>
                new(learning_rate, initial_accumulator_value, l1_regularization_strength, l2_regularization_strength, use_locking, name);
            /// <summary>RMSProp (decay 0.9, momentum 0, epsilon 1e-10; rms starts at 1), optionally centered.</summary>
            public static SharpFlow.Train.RMSPropOptimizer RMSPropOptimizer(TensorLike learning_rate, double decay = 0.9, double momentum = 0.0, double epsilon = 1e-10,
                bool use_locking = false, bool centered = false, string name = "RMSProp") =>
                new(learning_rate, decay, momentum, epsilon, use_locking, centered, name);

            /// <summary><c>lr * decay_rate^(global_step/decay_steps)</c>, floored exponent when staircase.</summary>
            public static Tensor exponential_decay(TensorLike learning_rate, Tensor? global_step, TensorLike decay_steps, TensorLike decay_rate, bool staircase = false, string? name = null) =>
                LearningRateDecay.Exponential(learning_rate, global_step, decay_steps, decay_rate, staircase, name);
            /// <summary>Polynomial decay to <paramref name="end_learning_rate"/> over <paramref name="decay_steps"/>.</summary>
            public static Tensor polynomial_decay(TensorLike learning_rate, Tensor? global_step, TensorLike decay_steps, double end_learning_rate = 0.0001, double power = 1.0,
                bool cycle = false, string? name = null) =>
                LearningRateDecay.Polynomial(learning_rate, global_step, decay_steps, end_learning_rate, power, cycle, name);
            /// <summary><c>lr * e^(-decay_rate * global_step/decay_steps)</c>.</summary>
            public static Tensor natural_exp_decay(TensorLike learning_rate, Tensor? global_step, TensorLike decay_steps, TensorLike decay_rate, bool staircase = false, string? name = null) =>
                LearningRateDecay.NaturalExp(learning_rate, global_step, decay_steps, decay_rate, staircase, name);
            /// <summary><c>lr / (1 + decay_rate * global_step/decay_steps)</c>.</summary>
            public static Tensor inverse_time_decay(TensorLike learning_rate, Tensor? global_step, TensorLike decay_steps, TensorLike decay_rate, bool staircase = false, string? name = null) =>
                LearningRateDecay.InverseTime(learning_rate, global_step, decay_steps, decay_rate, staircase, name);
            /// <summary>A step function of <paramref name="x"/>: <c>values[i]</c> between <c>boundaries[i-1]</c> and <c>boundaries[i]</c>.</summary>
            public static Tensor piecewise_constant(Tensor x, IReadOnlyList<double> boundaries, IReadOnlyList<double> values, string? name = null) =>
                LearningRateDecay.PiecewiseConstant(x, boundaries, values, name);

            /// <summary>Moving averages of variables.</summary>
            public static SharpFlow.Train.ExponentialMovingAverage ExponentialMovingAverage(double decay, Tensor? num_updates = null, bool zero_debias = false, string name = "ExponentialMovingAverage") =>
                new(decay, num_updates, zero_debias, name);

            /// <summary>The events of an event file, in order.</summary>
            public static IEnumerable<SharpFlow.Summaries.Event> summary_iterator(string path) => SharpFlow.Summaries.FileWriter.Read(path);

            /// <summary>
            /// A saver of <paramref name="var_list"/> (default: every global variable), keeping the newest <paramref name="max_to_keep"/>
            /// checkpoints and one every <paramref name="keep_checkpoint_every_n_hours"/>; <paramref name="sharded"/> saves through
            /// TensorFlow's sharded save (a temporary shard merged by MergeV2Checkpoints).
            /// </summary>
            public static SharpFlow.Train.Saver Saver(IEnumerable<Variable>? var_list = null, int max_to_keep = 5, bool save_random_state = false,
                SharpFlow.Train.CheckpointFormat write_version = SharpFlow.Train.CheckpointFormat.V2, bool sharded = false,
                double keep_checkpoint_every_n_hours = 10000.0) =>
                new(var_list, max_to_keep, save_random_state, write_version, sharded, keep_checkpoint_every_n_hours);

            /// <summary>A saver of variables under the given checkpoint names (<c>ema.variables_to_restore()</c>).</summary>
            public static SharpFlow.Train.Saver Saver(IReadOnlyDictionary<string, Variable> var_list, int max_to_keep = 5,
                SharpFlow.Train.CheckpointFormat write_version = SharpFlow.Train.CheckpointFormat.V2, bool sharded = false,
                double keep_checkpoint_every_n_hours = 10000.0) => new(var_list, max_to_keep, write_version, sharded, keep_checkpoint_every_n_hours);

            /// <summary>The newest checkpoint recorded in <paramref name="checkpoint_dir"/>'s state file, or null when there is none.</summary>
            public static string? latest_checkpoint(string checkpoint_dir, string latest_filename = "checkpoint") =>
                SharpFlow.Checkpoints.CheckpointUtils.LatestCheckpoint(checkpoint_dir, latest_filename);

            /// <summary>The state file of <paramref name="checkpoint_dir"/>, or null when there is none.</summary>
            public static SharpFlow.Train.CheckpointState? get_checkpoint_state(string checkpoint_dir, string latest_filename = "checkpoint") =>
                SharpFlow.Train.CheckpointState.Read(checkpoint_dir, latest_filename);

            /// <summary>The global step, created when missing.</summary>
            public static Variable get_or_create_global_step(Graph? graph = null) => TrainingUtil.GetOrCreateGlobalStep(graph);
            /// <summary>The global step, or null.</summary>
            public static Variable? get_global_step(Graph? graph = null) => TrainingUtil.GetGlobalStep(graph);
            /// <summary>Creates the global step.</summary>
            public static Variable create_global_step(Graph? graph = null) => TrainingUtil.CreateGlobalStep(graph);
            /// <summary>The value of a global-step tensor in a session, as a number.</summary>
            public static long global_step(Session sess, Tensor global_step_tensor)
            {
                ArgumentNullException.ThrowIfNull(sess);
                return sess.run(global_step_tensor).Cast(DType.int64).AsReadOnlySpan<long>()[0];
            }
        }
    }
}
