#pragma warning disable CS8981
using SharpFlow.Functions;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow 1.x's <c>tf.losses</c>: weighted, reduced losses that join the LOSSES collection.</summary>
        public static class losses
        {
            /// <summary>How losses are reduced (<c>tf.losses.Reduction</c>).</summary>
            public static class Reduction
            {
                /// <summary>No reduction.</summary>
                public const Functions.Reduction NONE = Functions.Reduction.NONE;
                /// <summary>Sum.</summary>
                public const Functions.Reduction SUM = Functions.Reduction.SUM;
                /// <summary>Sum divided by the sum of weights.</summary>
                public const Functions.Reduction MEAN = Functions.Reduction.MEAN;
                /// <summary>Sum divided by the number of elements.</summary>
                public const Functions.Reduction SUM_OVER_BATCH_SIZE = Functions.Reduction.SUM_OVER_BATCH_SIZE;
                /// <summary>Sum divided by the number of non-zero weights (the default).</summary>
                public const Functions.Reduction SUM_BY_NONZERO_WEIGHTS = Functions.Reduction.SUM_BY_NONZERO_WEIGHTS;
            }

            /// <summary>Weights and reduces per-element losses.</summary>
            public static Tensor compute_weighted_loss(Tensor losses, TensorLike? weights = null, string? scope = null,
                string? loss_collection = SharpFlow.GraphKeys.LOSSES, Functions.Reduction reduction = Functions.Reduction.SUM_BY_NONZERO_WEIGHTS) =>
                Losses.ComputeWeightedLoss(losses, weights, scope, loss_collection, reduction);

            /// <summary>Mean squared error.</summary>
            public static Tensor mean_squared_error(TensorLike labels, TensorLike predictions, TensorLike? weights = null, string? scope = null,
                string? loss_collection = SharpFlow.GraphKeys.LOSSES, Functions.Reduction reduction = Functions.Reduction.SUM_BY_NONZERO_WEIGHTS) =>
                Losses.MeanSquaredError(labels, predictions, weights, scope, loss_collection, reduction);

            /// <summary>Mean absolute difference.</summary>
            public static Tensor absolute_difference(TensorLike labels, TensorLike predictions, TensorLike? weights = null, string? scope = null,
                string? loss_collection = SharpFlow.GraphKeys.LOSSES, Functions.Reduction reduction = Functions.Reduction.SUM_BY_NONZERO_WEIGHTS) =>
                Losses.AbsoluteDifference(labels, predictions, weights, scope, loss_collection, reduction);

            /// <summary>Softmax cross entropy of one-hot labels.</summary>
            public static Tensor softmax_cross_entropy(TensorLike onehot_labels, TensorLike logits, TensorLike? weights = null, double label_smoothing = 0,
                string? scope = null, string? loss_collection = SharpFlow.GraphKeys.LOSSES, Functions.Reduction reduction = Functions.Reduction.SUM_BY_NONZERO_WEIGHTS) =>
                Losses.SoftmaxCrossEntropy(onehot_labels, logits, weights, label_smoothing, scope, loss_collection, reduction);

            /// <summary>Softmax cross entropy of class-index labels.</summary>
            public static Tensor sparse_softmax_cross_entropy(TensorLike labels, TensorLike logits, TensorLike? weights = null, string? scope = null,
                string? loss_collection = SharpFlow.GraphKeys.LOSSES, Functions.Reduction reduction = Functions.Reduction.SUM_BY_NONZERO_WEIGHTS) =>
                Losses.SparseSoftmaxCrossEntropy(labels, logits, weights, scope, loss_collection, reduction);

            /// <summary>Sigmoid cross entropy of 0/1 labels.</summary>
            public static Tensor sigmoid_cross_entropy(TensorLike multi_class_labels, TensorLike logits, TensorLike? weights = null, double label_smoothing = 0,
                string? scope = null, string? loss_collection = SharpFlow.GraphKeys.LOSSES, Functions.Reduction reduction = Functions.Reduction.SUM_BY_NONZERO_WEIGHTS) =>
                Losses.SigmoidCrossEntropy(multi_class_labels, logits, weights, label_smoothing, scope, loss_collection, reduction);

            /// <summary>Adds a loss to the LOSSES collection.</summary>
            public static void add_loss(Tensor loss, string loss_collection = SharpFlow.GraphKeys.LOSSES) => Losses.AddLoss(loss, loss_collection);
            /// <summary>The losses collected so far.</summary>
            public static List<Tensor> get_losses(string? scope = null, string loss_collection = SharpFlow.GraphKeys.LOSSES) => Losses.GetLosses(scope, loss_collection);
            /// <summary>The regularization losses collected so far.</summary>
            public static List<Tensor> get_regularization_losses(string? scope = null) => Losses.GetRegularizationLosses(scope);
            /// <summary>Their sum (0 when there are none).</summary>
            public static Tensor get_regularization_loss(string? scope = null, string name = "total_regularization_loss") => Losses.GetRegularizationLoss(scope, name);
            /// <summary>The sum of all losses, with the regularization losses by default.</summary>
            public static Tensor get_total_loss(bool add_regularization_losses = true, string name = "total_loss", string? scope = null) =>
                Losses.GetTotalLoss(add_regularization_losses, name, scope);
        }

        /// <summary>TensorFlow 1.x's <c>tf.contrib</c> (the parts SharpFlow provides).</summary>
        public static partial class contrib
        {
            /// <summary><c>tf.contrib.layers</c>: regularizers.</summary>
            public static partial class layers
            {
                /// <summary><c>scale * sum(|w|)</c>; a scale of 0 gives no term, a negative scale is an error.</summary>
                public static Regularizer l1_regularizer(double scale, string? scope = null) => Regularizers.L1(scale, scope);
                /// <summary>TensorFlow refuses integer scales; pass a float (<c>0.1</c>, <c>1.0</c>).</summary>
                public static Regularizer l1_regularizer(long scale, string? scope = null) => throw Regularizers.IntegerScale(scale);
                /// <summary><c>scale * sum(w²)/2</c>; a scale of 0 gives no term, a negative scale is an error.</summary>
                public static Regularizer l2_regularizer(double scale, string? scope = null) => Regularizers.L2(scale, scope);
                /// <summary>TensorFlow refuses integer scales; pass a float (<c>0.1</c>, <c>1.0</c>).</summary>
                public static Regularizer l2_regularizer(long scale, string? scope = null) => throw Regularizers.IntegerScale(scale);
                /// <summary>The l1 and l2 penalties added.</summary>
                public static Regularizer? l1_l2_regularizer(double scale_l1 = 1.0, double scale_l2 = 1.0, string? scope = null) =>
                    Regularizers.L1L2(scale_l1, scale_l2, scope);
                /// <summary>The sum of several regularizers (null ones ignored; null when none is left).</summary>
                public static Regularizer? sum_regularizer(IEnumerable<Regularizer?> regularizer_list, string? scope = null) =>
                    Regularizers.Sum(regularizer_list, scope);
                /// <summary>Applies a regularizer to weights (default: the WEIGHTS collection) and adds the sum to REGULARIZATION_LOSSES.</summary>
                public static Tensor apply_regularization(Regularizer regularizer, IEnumerable<Tensor>? weights_list = null) =>
                    Regularizers.Apply(regularizer, weights_list);
            }
        }
    }
}
