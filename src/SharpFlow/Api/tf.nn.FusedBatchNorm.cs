#pragma warning disable CS8981
using SharpFlow.Ops.NN;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class nn
        {
            /// <summary>
            /// <c>tf.nn.fused_batch_norm</c> (nn_impl.py): batch normalization of a 4-D <paramref name="x"/> (5-D with
            /// NDHWC/NCDHW) in one FusedBatchNormV3 op. While <paramref name="is_training"/>, the batch's mean and variance
            /// normalize and <paramref name="mean"/> and <paramref name="variance"/> must be left out (they become empty
            /// constants); otherwise they are the population statistics. <paramref name="epsilon"/> is raised to at least
            /// 1.001e-5, as TensorFlow does for cuDNN. Returns y, the batch mean and the batch variance (unbiased while
            /// training); the op's reserve spaces stay in the graph for the gradient.
            /// </summary>
            public static (Tensor y, Tensor batch_mean, Tensor batch_var) fused_batch_norm(TensorLike x, TensorLike scale, TensorLike offset,
                TensorLike? mean = null, TensorLike? variance = null, double epsilon = 0.001, string data_format = "NHWC", bool is_training = true,
                string? name = null) =>
                FusedBatchNormV3.Function(x, scale, offset, mean, variance, epsilon, data_format, is_training, name);
        }
    }
}
