#pragma warning disable CS8981
using SharpFlow.Ops.ArrayOps;
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
                string? name = null)
            {
                // The empty statistics are float32 constants, as Python's constant_op.constant([]); float64 scale
                // (SharpFlow's float64 extension) takes float64 ones.
                var statsType = scale.AsTensor?.dtype == DType.float64 ? DType.float64 : DType.float32;
                var m = mean ?? Const.Build(NDArray.Zeros(statsType, new Shape(0)));
                var v = variance ?? Const.Build(NDArray.Zeros(statsType, new Shape(0)));
                // A minimum epsilon of 1.001e-5, which cuDNN requires; TensorFlow applies it on every device.
                const double minEpsilon = 1.001e-5;
                epsilon = epsilon > minEpsilon ? epsilon : minEpsilon;
                var r = FusedBatchNormV3.Build(x, scale, offset, m, v, epsilon, data_format, is_training, name: name);
                return (r[0], r[1], r[2]);
            }
        }
    }
}
