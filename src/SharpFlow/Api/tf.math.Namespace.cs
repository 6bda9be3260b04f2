#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow 1.x's <c>tf.math</c>: the element-wise and reduction functions under their tf.math names.</summary>
        public static class math
        {
            /// <summary>Alias of <see cref="tf.div_no_nan"/>.</summary>
            public static Tensor divide_no_nan(TensorLike x, TensorLike y, string? name = null) => DivNoNan.Build(x, y, name);
            /// <summary>Alias of <see cref="tf.sin"/>.</summary>
            public static Tensor sin(TensorLike x, string? name = null) => Sin.Build(x, name);
            /// <summary>Alias of <see cref="tf.cos"/>.</summary>
            public static Tensor cos(TensorLike x, string? name = null) => Cos.Build(x, name);
            /// <summary>Alias of <see cref="tf.tan"/>.</summary>
            public static Tensor tan(TensorLike x, string? name = null) => Tan.Build(x, name);
            /// <summary>Alias of <see cref="tf.asin"/>.</summary>
            public static Tensor asin(TensorLike x, string? name = null) => Asin.Build(x, name);
            /// <summary>Alias of <see cref="tf.acos"/>.</summary>
            public static Tensor acos(TensorLike x, string? name = null) => Acos.Build(x, name);
            /// <summary>Alias of <see cref="tf.atan"/>.</summary>
            public static Tensor atan(TensorLike x, string? name = null) => Atan.Build(x, name);
            /// <summary>Alias of <see cref="tf.atan2"/>.</summary>
            public static Tensor atan2(TensorLike y, TensorLike x, string? name = null) => Atan2.Build(y, x, name);
            /// <summary>Alias of <see cref="tf.sinh"/>.</summary>
            public static Tensor sinh(TensorLike x, string? name = null) => Sinh.Build(x, name);
            /// <summary>Alias of <see cref="tf.cosh"/>.</summary>
            public static Tensor cosh(TensorLike x, string? name = null) => Cosh.Build(x, name);
            /// <summary>Alias of <see cref="tf.rsqrt"/>.</summary>
            public static Tensor rsqrt(TensorLike x, string? name = null) => Rsqrt.Build(x, name);
            /// <summary>Alias of <see cref="tf.reciprocal"/>.</summary>
            public static Tensor reciprocal(TensorLike x, string? name = null) => Reciprocal.Build(x, name);
            /// <summary>Alias of <see cref="tf.round"/>.</summary>
            public static Tensor round(TensorLike x, string? name = null) => Round.Build(x, name);
            /// <summary>Alias of <see cref="tf.ceil"/>.</summary>
            public static Tensor ceil(TensorLike x, string? name = null) => Ceil.Build(x, name);
            /// <summary>Alias of <see cref="tf.erf"/>.</summary>
            public static Tensor erf(TensorLike x, string? name = null) => Erf.Build(x, name);
            /// <summary>Alias of <see cref="tf.erfc"/>.</summary>
            public static Tensor erfc(TensorLike x, string? name = null) => Erfc.Build(x, name);
            /// <summary>Alias of <see cref="tf.lgamma"/>.</summary>
            public static Tensor lgamma(TensorLike x, string? name = null) => Lgamma.Build(x, name);
            /// <summary>Alias of <see cref="tf.digamma"/>.</summary>
            public static Tensor digamma(TensorLike x, string? name = null) => Digamma.Build(x, name);
            /// <summary>Alias of <see cref="tf.polygamma"/>.</summary>
            public static Tensor polygamma(TensorLike a, TensorLike x, string? name = null) => Polygamma.Build(a, x, name);
            /// <summary>Alias of <see cref="tf.zeta"/>.</summary>
            public static Tensor zeta(TensorLike x, TensorLike q, string? name = null) => Zeta.Build(x, q, name);
            /// <summary>Alias of <see cref="tf.expm1"/>.</summary>
            public static Tensor expm1(TensorLike x, string? name = null) => Expm1.Build(x, name);
            /// <summary>Alias of <see cref="tf.is_nan"/>.</summary>
            public static Tensor is_nan(TensorLike x, string? name = null) => IsNan.Build(x, name);
            /// <summary>Alias of <see cref="tf.is_inf"/>.</summary>
            public static Tensor is_inf(TensorLike x, string? name = null) => IsInf.Build(x, name);
            /// <summary>Alias of <see cref="tf.is_finite"/>.</summary>
            public static Tensor is_finite(TensorLike x, string? name = null) => IsFinite.Build(x, name);
            /// <summary>Alias of <see cref="tf.reduce_any"/>.</summary>
            public static Tensor reduce_any(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null) =>
                Any.Build(input_tensor, axis, keepdims, name);
            /// <summary>Alias of <see cref="tf.reduce_all"/>.</summary>
            public static Tensor reduce_all(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null) =>
                All.Build(input_tensor, axis, keepdims, name);
            /// <summary>Alias of <see cref="tf.reduce_logsumexp"/>.</summary>
            public static Tensor reduce_logsumexp(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null) =>
                MathFunctions.ReduceLogSumExp(input_tensor, axis, keepdims, name);
            /// <summary>Alias of <see cref="tf.count_nonzero"/>.</summary>
            public static Tensor count_nonzero(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, DType? dtype = null, string? name = null) =>
                MathFunctions.CountNonzero(input_tensor, axis, keepdims, dtype, name);
            /// <summary>Alias of <see cref="tf.nn.top_k"/>.</summary>
            public static (Tensor values, Tensor indices) top_k(TensorLike input, TensorLike? k = null, bool sorted = true, string? name = null) =>
                Ops.NN.TopKV2.Build(input, k ?? 1, sorted, name);
            /// <summary>Alias of <see cref="tf.nn.in_top_k"/>.</summary>
            public static Tensor in_top_k(TensorLike predictions, TensorLike targets, TensorLike k, string? name = null) =>
                Ops.NN.InTopKV2.Build(predictions, targets, k, name);
            /// <summary>Alias of <see cref="tf.nn.l2_normalize"/>.</summary>
            public static Tensor l2_normalize(TensorLike x, TensorLike? axis = null, double epsilon = 1e-12, string? name = null) =>
                Activations.L2Normalize(x, axis, epsilon, name);
            /// <summary>Alias of <see cref="tf.nn.softplus(TensorLike, string?)"/>.</summary>
            public static Tensor softplus(TensorLike features, string? name = null) => Ops.NN.Softplus.Build(features, name);
            /// <summary>Alias of <see cref="tf.nn.softsign"/>.</summary>
            public static Tensor softsign(TensorLike features, string? name = null) => Ops.NN.Softsign.Build(features, name);
        }
    }
}
