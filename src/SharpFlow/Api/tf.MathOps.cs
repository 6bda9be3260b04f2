#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>Sine element-wise (op "Sin").</summary>
        public static Tensor sin(TensorLike x, string? name = null) => Sin.Build(x, name);
        /// <summary>Cosine element-wise (op "Cos").</summary>
        public static Tensor cos(TensorLike x, string? name = null) => Cos.Build(x, name);
        /// <summary>Tangent element-wise (op "Tan").</summary>
        public static Tensor tan(TensorLike x, string? name = null) => Tan.Build(x, name);
        /// <summary>Arcsine element-wise (op "Asin").</summary>
        public static Tensor asin(TensorLike x, string? name = null) => Asin.Build(x, name);
        /// <summary>Arccosine element-wise (op "Acos").</summary>
        public static Tensor acos(TensorLike x, string? name = null) => Acos.Build(x, name);
        /// <summary>Arctangent element-wise (op "Atan").</summary>
        public static Tensor atan(TensorLike x, string? name = null) => Atan.Build(x, name);
        /// <summary>atan(y/x) in (-π, π], with broadcasting (op "Atan2").</summary>
        public static Tensor atan2(TensorLike y, TensorLike x, string? name = null) => Atan2.Build(y, x, name);
        /// <summary>Hyperbolic sine element-wise (op "Sinh").</summary>
        public static Tensor sinh(TensorLike x, string? name = null) => Sinh.Build(x, name);
        /// <summary>Hyperbolic cosine element-wise (op "Cosh").</summary>
        public static Tensor cosh(TensorLike x, string? name = null) => Cosh.Build(x, name);
        /// <summary>1/√x element-wise (op "Rsqrt").</summary>
        public static Tensor rsqrt(TensorLike x, string? name = null) => Rsqrt.Build(x, name);
        /// <summary>1/x element-wise (op "Reciprocal").</summary>
        public static Tensor reciprocal(TensorLike x, string? name = null) => Reciprocal.Build(x, name);
        /// <summary>Rounds half to even element-wise, as TensorFlow (op "Round").</summary>
        public static Tensor round(TensorLike x, string? name = null) => Round.Build(x, name);
        /// <summary>The smallest integer not less than x (op "Ceil").</summary>
        public static Tensor ceil(TensorLike x, string? name = null) => Ceil.Build(x, name);
        /// <summary>The error function (op "Erf").</summary>
        public static Tensor erf(TensorLike x, string? name = null) => Erf.Build(x, name);
        /// <summary>The complementary error function 1 - erf(x) (op "Erfc").</summary>
        public static Tensor erfc(TensorLike x, string? name = null) => Erfc.Build(x, name);
        /// <summary>log|Γ(x)| (op "Lgamma").</summary>
        public static Tensor lgamma(TensorLike x, string? name = null) => Lgamma.Build(x, name);
        /// <summary>ψ(x), the derivative of lgamma (op "Digamma").</summary>
        public static Tensor digamma(TensorLike x, string? name = null) => Digamma.Build(x, name);
        /// <summary>ψ⁽ᵃ⁾(x), the a-th derivative of digamma (op "Polygamma").</summary>
        public static Tensor polygamma(TensorLike a, TensorLike x, string? name = null) => Polygamma.Build(a, x, name);
        /// <summary>The Hurwitz zeta function Σₖ (q + k)^-x (op "Zeta").</summary>
        public static Tensor zeta(TensorLike x, TensorLike q, string? name = null) => Zeta.Build(x, q, name);
        /// <summary>e^x - 1, accurate near 0 (op "Expm1").</summary>
        public static Tensor expm1(TensorLike x, string? name = null) => Expm1.Build(x, name);
        /// <summary>True where x is NaN (op "IsNan").</summary>
        public static Tensor is_nan(TensorLike x, string? name = null) => IsNan.Build(x, name);
        /// <summary>True where x is infinite (op "IsInf").</summary>
        public static Tensor is_inf(TensorLike x, string? name = null) => IsInf.Build(x, name);
        /// <summary>True where x is finite (op "IsFinite").</summary>
        public static Tensor is_finite(TensorLike x, string? name = null) => IsFinite.Build(x, name);

        /// <summary>Logical or over <paramref name="axis"/> of a bool tensor (all axes when null; op "Any").</summary>
        public static Tensor reduce_any(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            Any.Build(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary>Logical and over <paramref name="axis"/> of a bool tensor (all axes when null; op "All").</summary>
        public static Tensor reduce_all(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            All.Build(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary><c>log(sum(exp(x)))</c> over <paramref name="axis"/>, computed stably from the maximum.</summary>
        public static Tensor reduce_logsumexp(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            MathFunctions.ReduceLogSumExp(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary>The number of non-zero elements over <paramref name="axis"/>, as <paramref name="dtype"/> (int64 by default).</summary>
        public static Tensor count_nonzero(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, DType? dtype = null, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            MathFunctions.CountNonzero(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, dtype, name);

        /// <summary>The values sorted along <paramref name="axis"/>; <paramref name="direction"/> is "ASCENDING" or "DESCENDING".</summary>
        public static Tensor sort(TensorLike values, int axis = -1, string direction = "ASCENDING", string? name = null) =>
            MathFunctions.Sort(values, axis, direction, argsort: false, name);

        /// <summary>The int32 positions that sort the values along <paramref name="axis"/>; ties keep the lower index first.</summary>
        public static Tensor argsort(TensorLike values, int axis = -1, string direction = "ASCENDING", bool stable = false, string? name = null) =>
            MathFunctions.Sort(values, axis, direction, argsort: true, name);

        public static partial class nn
        {
            /// <summary>The <paramref name="k"/> largest entries of each last-axis row and their int32 indices (op "TopKV2").</summary>
            public static (Tensor values, Tensor indices) top_k(TensorLike input, TensorLike? k = null, bool sorted = true, string? name = null) =>
                Ops.NN.TopKV2.Build(input, k ?? 1, sorted, name);

            /// <summary>Whether each target's prediction is among the <paramref name="k"/> largest of its row (op "InTopKV2").</summary>
            public static Tensor in_top_k(TensorLike predictions, TensorLike targets, TensorLike k, string? name = null) =>
                Ops.NN.InTopKV2.Build(predictions, targets, k, name);
        }
    }
}
