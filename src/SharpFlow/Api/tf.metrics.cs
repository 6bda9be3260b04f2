#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Metrics;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// <c>tf.confusion_matrix</c>: a <c>[num_classes, num_classes]</c> matrix whose row is the label and column the
        /// prediction; <paramref name="num_classes"/> defaults to one more than the largest label or prediction.
        /// </summary>
        public static Tensor confusion_matrix(TensorLike labels, TensorLike predictions, TensorLike? num_classes = null, TensorLike? weights = null,
            DType? dtype = null, string? name = null) =>
            MetricsImpl.ConfusionMatrix(labels, predictions, num_classes, weights, dtype ?? DType.int32, name);

        /// <summary>
        /// TensorFlow 1.x's <c>tf.metrics</c>: each returns <c>(value, update_op)</c> over local variables (collections
        /// LOCAL_VARIABLES and METRIC_VARIABLES): run <c>update_op</c> per batch, read <c>value</c> at the end, and
        /// reset with <c>tf.local_variables_initializer()</c>.
        /// </summary>
        public static class metrics
        {
            /// <summary>The (weighted) mean of <paramref name="values"/>: variables <c>mean/total</c> and <c>mean/count</c>.</summary>
            public static (Tensor value, Tensor update_op) mean(TensorLike values, TensorLike? weights = null, IEnumerable<string>? metrics_collections = null,
                IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.Mean(values, weights, metrics_collections, updates_collections, name);

            /// <summary>The element-wise (weighted) mean of <paramref name="values"/> over the updates.</summary>
            public static (Tensor value, Tensor update_op) mean_tensor(TensorLike values, TensorLike? weights = null, IEnumerable<string>? metrics_collections = null,
                IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.MeanTensor(values, weights, metrics_collections, updates_collections, name);

            /// <summary>How often <paramref name="predictions"/> equals <paramref name="labels"/>.</summary>
            public static (Tensor value, Tensor update_op) accuracy(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.Accuracy(labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>The mean of <c>|predictions - labels|</c>.</summary>
            public static (Tensor value, Tensor update_op) mean_absolute_error(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.MeanAbsoluteError(labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>The mean of <c>(predictions - labels)²</c>.</summary>
            public static (Tensor value, Tensor update_op) mean_squared_error(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.MeanSquaredError(labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>The square root of the mean squared error.</summary>
            public static (Tensor value, Tensor update_op) root_mean_squared_error(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.RootMeanSquaredError(labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>The fraction of <paramref name="values"/> below <paramref name="threshold"/>.</summary>
            public static (Tensor value, Tensor update_op) percentage_below(TensorLike values, double threshold, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.PercentageBelow(values, threshold, weights, metrics_collections, updates_collections, name);

            /// <summary>The (weighted) number of true labels predicted true.</summary>
            public static (Tensor value, Tensor update_op) true_positives(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.Count("true_positives", labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>The (weighted) number of false labels predicted true.</summary>
            public static (Tensor value, Tensor update_op) false_positives(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.Count("false_positives", labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>The (weighted) number of false labels predicted false.</summary>
            public static (Tensor value, Tensor update_op) true_negatives(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.Count("true_negatives", labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>The (weighted) number of true labels predicted false.</summary>
            public static (Tensor value, Tensor update_op) false_negatives(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.Count("false_negatives", labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>True positives per threshold (a prediction above the threshold counts as positive).</summary>
            public static (Tensor value, Tensor update_op) true_positives_at_thresholds(TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
                TensorLike? weights = null, IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.CountAtThresholds("tp", labels, predictions, thresholds, weights, metrics_collections, updates_collections, name);

            /// <summary>False positives per threshold.</summary>
            public static (Tensor value, Tensor update_op) false_positives_at_thresholds(TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
                TensorLike? weights = null, IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.CountAtThresholds("fp", labels, predictions, thresholds, weights, metrics_collections, updates_collections, name);

            /// <summary>True negatives per threshold.</summary>
            public static (Tensor value, Tensor update_op) true_negatives_at_thresholds(TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
                TensorLike? weights = null, IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.CountAtThresholds("tn", labels, predictions, thresholds, weights, metrics_collections, updates_collections, name);

            /// <summary>False negatives per threshold.</summary>
            public static (Tensor value, Tensor update_op) false_negatives_at_thresholds(TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
                TensorLike? weights = null, IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.CountAtThresholds("fn", labels, predictions, thresholds, weights, metrics_collections, updates_collections, name);

            /// <summary><c>tp / (tp + fp)</c> of boolean predictions (0 when nothing was predicted true).</summary>
            public static (Tensor value, Tensor update_op) precision(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.PrecisionOrRecall(false, labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary><c>tp / (tp + fn)</c> of boolean predictions (0 when no label was true).</summary>
            public static (Tensor value, Tensor update_op) recall(TensorLike labels, TensorLike predictions, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.PrecisionOrRecall(true, labels, predictions, weights, metrics_collections, updates_collections, name);

            /// <summary>Precision per threshold: <c>tp / (tp + fp + 1e-7)</c>.</summary>
            public static (Tensor value, Tensor update_op) precision_at_thresholds(TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
                TensorLike? weights = null, IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.PrecisionOrRecallAtThresholds(false, labels, predictions, thresholds, weights, metrics_collections, updates_collections, name);

            /// <summary>Recall per threshold: <c>tp / (tp + fn + 1e-7)</c>.</summary>
            public static (Tensor value, Tensor update_op) recall_at_thresholds(TensorLike labels, TensorLike predictions, IReadOnlyList<double> thresholds,
                TensorLike? weights = null, IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.PrecisionOrRecallAtThresholds(true, labels, predictions, thresholds, weights, metrics_collections, updates_collections, name);

            /// <summary>
            /// The area under the ROC or PR curve, from a Riemann sum over <paramref name="num_thresholds"/> thresholds
            /// (<c>summation_method</c>: trapezoidal, careful_interpolation, minoring, majoring), as TensorFlow 1.15.
            /// </summary>
            public static (Tensor value, Tensor update_op) auc(TensorLike labels, TensorLike predictions, TensorLike? weights = null, int num_thresholds = 200,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string curve = "ROC", string? name = null,
                string summation_method = "trapezoidal", IReadOnlyList<double>? thresholds = null) =>
                MetricsImpl.Auc(labels, predictions, weights, num_thresholds, metrics_collections, updates_collections, curve, name, summation_method, thresholds);

            /// <summary>The mean intersection-over-union of the classes that occur, from a streamed confusion matrix (update_op returns the matrix).</summary>
            public static (Tensor value, Tensor update_op) mean_iou(TensorLike labels, TensorLike predictions, int num_classes, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.MeanIou(labels, predictions, num_classes, weights, metrics_collections, updates_collections, name);

            /// <summary>The mean over classes of each class's accuracy (update_op returns the per-class accuracies).</summary>
            public static (Tensor value, Tensor update_op) mean_per_class_accuracy(TensorLike labels, TensorLike predictions, int num_classes, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.MeanPerClassAccuracy(labels, predictions, num_classes, weights, metrics_collections, updates_collections, name);

            /// <summary>
            /// Of the top-<paramref name="k"/> classes of each row of <paramref name="predictions"/>, the fraction among the
            /// row's labels (dense class ids, <c>[batch]</c> or <c>[batch, num_labels]</c>); NaN before any update.
            /// </summary>
            public static (Tensor value, Tensor update_op) precision_at_k(TensorLike labels, TensorLike predictions, int k, int? class_id = null, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.AtK(false, labels, predictions, k, class_id, weights, metrics_collections, updates_collections, name);

            /// <summary>Of each row's labels, the fraction among the top-<paramref name="k"/> predicted classes; NaN before any update.</summary>
            public static (Tensor value, Tensor update_op) recall_at_k(TensorLike labels, TensorLike predictions, int k, int? class_id = null, TensorLike? weights = null,
                IEnumerable<string>? metrics_collections = null, IEnumerable<string>? updates_collections = null, string? name = null) =>
                MetricsImpl.AtK(true, labels, predictions, k, class_id, weights, metrics_collections, updates_collections, name);
        }
    }
}
