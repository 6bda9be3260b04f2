#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Estimators;
using SharpFlow.Train.Monitored;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary><c>tf.estimator</c>: Estimators, their specs and configuration, and the canned models.</summary>
        public static partial class estimator
        {
            /// <summary><c>tf.estimator.ModeKeys</c>.</summary>
            public static class ModeKeys
            {
                /// <summary>"train".</summary>
                public const string TRAIN = Estimators.ModeKeys.TRAIN;

                /// <summary>"eval".</summary>
                public const string EVAL = Estimators.ModeKeys.EVAL;

                /// <summary>"infer".</summary>
                public const string PREDICT = Estimators.ModeKeys.PREDICT;
            }

            /// <summary><c>tf.estimator.Estimator(model_fn, model_dir, config, params)</c>.</summary>
            public static Estimators.Estimator Estimator(ModelFn model_fn, string? model_dir = null, Estimators.RunConfig? config = null,
                IReadOnlyDictionary<string, object>? @params = null) => new(model_fn, model_dir, config, @params);

            /// <summary><c>tf.estimator.Estimator</c> with a model_fn of (features, labels, mode).</summary>
            public static Estimators.Estimator Estimator(Func<Dictionary<string, Tensor>, Tensor?, string, Estimators.EstimatorSpec> model_fn, string? model_dir = null,
                Estimators.RunConfig? config = null, IReadOnlyDictionary<string, object>? @params = null) => new(model_fn, model_dir, config, @params);

            /// <summary><c>tf.estimator.Estimator</c> with a model_fn of (features, labels, mode, params).</summary>
            public static Estimators.Estimator Estimator(Func<Dictionary<string, Tensor>, Tensor?, string, IReadOnlyDictionary<string, object>, Estimators.EstimatorSpec> model_fn,
                string? model_dir = null, Estimators.RunConfig? config = null, IReadOnlyDictionary<string, object>? @params = null) => new(model_fn, model_dir, config, @params);

            /// <summary><c>tf.estimator.EstimatorSpec</c>.</summary>
            public static Estimators.EstimatorSpec EstimatorSpec(string mode, object? predictions = null, Tensor? loss = null, ITensorOrOperation? train_op = null,
                IReadOnlyDictionary<string, (Tensor value, Tensor update_op)>? eval_metric_ops = null,
                IReadOnlyDictionary<string, ExportOutput>? export_outputs = null, IEnumerable<SessionRunHook>? training_hooks = null,
                IEnumerable<SessionRunHook>? evaluation_hooks = null, IEnumerable<SessionRunHook>? prediction_hooks = null, Scaffold? scaffold = null) =>
                new(mode, predictions, loss, train_op, eval_metric_ops, export_outputs, training_hooks, evaluation_hooks, prediction_hooks, scaffold);

            /// <summary><c>tf.estimator.RunConfig</c>.</summary>
            public static Estimators.RunConfig RunConfig(string? model_dir = null, int? tf_random_seed = null, long? save_summary_steps = 100,
                long? save_checkpoints_steps = null, double? save_checkpoints_secs = null, SharpFlow.Runtime.ConfigProto? session_config = null,
                int keep_checkpoint_max = 5, double keep_checkpoint_every_n_hours = 10000, int? log_step_count_steps = 100) =>
                new(model_dir, tf_random_seed, save_summary_steps, save_checkpoints_steps, save_checkpoints_secs, session_config, keep_checkpoint_max,
                    keep_checkpoint_every_n_hours, log_step_count_steps);

            /// <summary><c>tf.estimator.TrainSpec</c>.</summary>
            public static Estimators.TrainSpec TrainSpec(Func<object> input_fn, long? max_steps = null, IEnumerable<SessionRunHook>? hooks = null) =>
                new(input_fn, max_steps, hooks);

            /// <summary><c>tf.estimator.EvalSpec</c>.</summary>
            public static Estimators.EvalSpec EvalSpec(Func<object> input_fn, long? steps = 100, string? name = null, IEnumerable<SessionRunHook>? hooks = null,
                double start_delay_secs = 120, double throttle_secs = 600) => new(input_fn, steps, name, hooks, start_delay_secs, throttle_secs);

            /// <summary><c>tf.estimator.train_and_evaluate</c>: returns the final evaluation.</summary>
            public static Dictionary<string, NDArray> train_and_evaluate(Estimators.Estimator estimator, Estimators.TrainSpec train_spec, Estimators.EvalSpec eval_spec) =>
                Training.train_and_evaluate(estimator, train_spec, eval_spec);

            /// <summary><c>tf.estimator.inputs</c>.</summary>
            public static class inputs
            {
                /// <summary><c>tf.estimator.inputs.numpy_input_fn</c> (see <see cref="NumpyIo.numpy_input_fn(IReadOnlyDictionary{string, NDArray}, NDArray?, int, int?, bool?, int, int)"/>).</summary>
                public static Func<object> numpy_input_fn(IReadOnlyDictionary<string, NDArray> x, NDArray? y = null, int batch_size = 128, int? num_epochs = 1,
                    bool? shuffle = null, int queue_capacity = 1000, int num_threads = 1) =>
                    NumpyIo.numpy_input_fn(x, y, batch_size, num_epochs, shuffle, queue_capacity, num_threads);

                /// <summary><c>tf.estimator.inputs.numpy_input_fn</c> over .NET arrays.</summary>
                public static Func<object> numpy_input_fn(IReadOnlyDictionary<string, Array> x, Array? y = null, int batch_size = 128, int? num_epochs = 1,
                    bool? shuffle = null, int queue_capacity = 1000, int num_threads = 1) =>
                    NumpyIo.numpy_input_fn(x, y, batch_size, num_epochs, shuffle, queue_capacity, num_threads);
            }

            /// <summary><c>tf.estimator.export</c>.</summary>
            public static class export
            {
                /// <summary><c>tf.estimator.export.ServingInputReceiver</c>.</summary>
                public static Estimators.ServingInputReceiver ServingInputReceiver(IReadOnlyDictionary<string, Tensor> features, IReadOnlyDictionary<string, Tensor> receiver_tensors) =>
                    new(features, receiver_tensors);

                /// <summary><c>tf.estimator.export.ServingInputReceiver</c> with one feature tensor and one receiver tensor.</summary>
                public static Estimators.ServingInputReceiver ServingInputReceiver(Tensor features, Tensor receiver_tensors) => new(features, receiver_tensors);

                /// <summary><c>tf.estimator.export.build_raw_serving_input_receiver_fn</c>: placeholders like <paramref name="features"/>.</summary>
                public static Func<Estimators.ServingInputReceiver> build_raw_serving_input_receiver_fn(IReadOnlyDictionary<string, Tensor> features, int? default_batch_size = null) =>
                    Estimators.ServingInputReceiver.build_raw_serving_input_receiver_fn(features, default_batch_size);

                /// <summary><c>tf.estimator.export.PredictOutput</c>.</summary>
                public static Estimators.PredictOutput PredictOutput(IReadOnlyDictionary<string, Tensor> outputs) => new(outputs);

                /// <summary><c>tf.estimator.export.ClassificationOutput</c>.</summary>
                public static Estimators.ClassificationOutput ClassificationOutput(Tensor? scores = null, Tensor? classes = null) => new(scores, classes);

                /// <summary><c>tf.estimator.export.RegressionOutput</c>.</summary>
                public static Estimators.RegressionOutput RegressionOutput(Tensor value) => new(value);
            }
        }
    }
}
