#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.NN;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class nn
        {
            /// <summary>e^x - 1 below 0, x above (op "Elu").</summary>
            public static Tensor elu(TensorLike features, string? name = null) => Elu.Build(features, name);
            /// <summary>Scaled ELU with TensorFlow's constants (op "Selu").</summary>
            public static Tensor selu(TensorLike features, string? name = null) => Selu.Build(features, name);
            /// <summary>x above 0, <paramref name="alpha"/>·x below (op "LeakyRelu").</summary>
            public static Tensor leaky_relu(TensorLike features, double alpha = 0.2, string? name = null) => LeakyRelu.Build(features, alpha, name);
            /// <summary>x / (1 + |x|) (op "Softsign").</summary>
            public static Tensor softsign(TensorLike features, string? name = null) => Softsign.Build(features, name);
            /// <summary>relu of [x, -x] concatenated along <paramref name="axis"/>.</summary>
            public static Tensor crelu(TensorLike features, string? name = null, int axis = -1) => Activations.CRelu(features, axis, name);
            /// <summary>x·sigmoid(x).</summary>
            public static Tensor swish(TensorLike features, string? name = null) => Activations.Swish(features, name);
            /// <summary>x / sqrt(max(sum(x²), <paramref name="epsilon"/>)) over <paramref name="axis"/> (all axes when null).</summary>
            public static Tensor l2_normalize(TensorLike x, TensorLike? axis = null, double epsilon = 1e-12, string? name = null, TensorLike? dim = null) =>
                Activations.L2Normalize(x, axis ?? dim, epsilon, name);
        }
    }
}
