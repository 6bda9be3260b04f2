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
                long? save_checkpoints_steps = null, double? save_checkpoints_secs = null, SharpFlow.Execution.ConfigProto? session_config = null,
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

            /// <summary>
            /// <c>tf.estimator.DNNClassifier</c>: hidden layers of <paramref name="hidden_units"/> (relu by default) on the
            /// feature columns' input layer, softmax (sigmoid for two classes) logits; Adagrad 0.05 by default
            /// (<paramref name="optimizer"/>: an Optimizer or a name such as "Adam").
            /// </summary>
            public static DNNEstimator DNNClassifier(IReadOnlyList<int> hidden_units, IEnumerable<FeatureColumns.FeatureColumn> feature_columns, string? model_dir = null,
                int n_classes = 2, object? optimizer = null, Func<Tensor, Tensor>? activation_fn = null, double? dropout = null, Estimators.RunConfig? config = null) =>
                new(CannedUtil.ClassifierHead(n_classes), hidden_units, feature_columns, model_dir, optimizer, activation_fn, dropout, config);

            /// <summary><c>tf.estimator.DNNRegressor</c>: a DNN with a mean-squared-error head of <paramref name="label_dimension"/> outputs.</summary>
            public static DNNEstimator DNNRegressor(IReadOnlyList<int> hidden_units, IEnumerable<FeatureColumns.FeatureColumn> feature_columns, string? model_dir = null,
                int label_dimension = 1, object? optimizer = null, Func<Tensor, Tensor>? activation_fn = null, double? dropout = null, Estimators.RunConfig? config = null) =>
                new(CannedUtil.RegressorHead(label_dimension), hidden_units, feature_columns, model_dir, optimizer, activation_fn, dropout, config);

            /// <summary><c>tf.estimator.LinearClassifier</c>: a linear model of the feature columns; Ftrl (learning rate min(0.2, 1/√columns)) by default.</summary>
            public static LinearEstimator LinearClassifier(IEnumerable<FeatureColumns.FeatureColumn> feature_columns, string? model_dir = null, int n_classes = 2,
                object? optimizer = null, Estimators.RunConfig? config = null, string sparse_combiner = "sum") =>
                new(CannedUtil.ClassifierHead(n_classes), feature_columns, model_dir, optimizer, config, sparse_combiner);

            /// <summary><c>tf.estimator.LinearRegressor</c>.</summary>
            public static LinearEstimator LinearRegressor(IEnumerable<FeatureColumns.FeatureColumn> feature_columns, string? model_dir = null, int label_dimension = 1,
                object? optimizer = null, Estimators.RunConfig? config = null, string sparse_combiner = "sum") =>
                new(CannedUtil.RegressorHead(label_dimension), feature_columns, model_dir, optimizer, config, sparse_combiner);

            /// <summary><c>tf.estimator.DNNLinearCombinedClassifier</c>: wide (linear, Ftrl) and deep (DNN, Adagrad 0.001) logits summed.</summary>
            public static DNNLinearCombinedEstimator DNNLinearCombinedClassifier(string? model_dir = null, IEnumerable<FeatureColumns.FeatureColumn>? linear_feature_columns = null,
                object? linear_optimizer = null, IEnumerable<FeatureColumns.FeatureColumn>? dnn_feature_columns = null, object? dnn_optimizer = null,
                IReadOnlyList<int>? dnn_hidden_units = null, Func<Tensor, Tensor>? dnn_activation_fn = null, double? dnn_dropout = null, int n_classes = 2,
                Estimators.RunConfig? config = null) =>
                new(CannedUtil.ClassifierHead(n_classes), model_dir, linear_feature_columns, linear_optimizer, dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                    dnn_activation_fn, dnn_dropout, config);

            /// <summary><c>tf.estimator.DNNLinearCombinedRegressor</c>.</summary>
            public static DNNLinearCombinedEstimator DNNLinearCombinedRegressor(string? model_dir = null, IEnumerable<FeatureColumns.FeatureColumn>? linear_feature_columns = null,
                object? linear_optimizer = null, IEnumerable<FeatureColumns.FeatureColumn>? dnn_feature_columns = null, object? dnn_optimizer = null,
                IReadOnlyList<int>? dnn_hidden_units = null, Func<Tensor, Tensor>? dnn_activation_fn = null, double? dnn_dropout = null, int label_dimension = 1,
                Estimators.RunConfig? config = null) =>
                new(CannedUtil.RegressorHead(label_dimension), model_dir, linear_feature_columns, linear_optimizer, dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                    dnn_activation_fn, dnn_dropout, config);

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
