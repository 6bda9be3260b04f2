#pragma warning disable CS8981
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// Sums of the rows of <paramref name="data"/> grouped by <paramref name="segment_ids"/> into
        /// <paramref name="num_segments"/> rows (zero where no id points).
        /// </summary>
        public static Tensor unsorted_segment_sum(TensorLike data, TensorLike segment_ids, TensorLike num_segments, string? name = null) =>
            UnsortedSegmentSum.Build(data, segment_ids, num_segments, name);
        /// <summary><c>x + y</c> with broadcasting (op "Add").</summary>
        public static Tensor add(TensorLike x, TensorLike y, string? name = null) => Add.Build(x, y, name);
        /// <summary><c>x - y</c> with broadcasting (op "Sub").</summary>
        public static Tensor subtract(TensorLike x, TensorLike y, string? name = null) => Sub.Build(x, y, name);
        /// <summary>Alias of <see cref="subtract"/>.</summary>
        public static Tensor sub(TensorLike x, TensorLike y, string? name = null) => Sub.Build(x, y, name);
        /// <summary><c>x * y</c> with broadcasting (op "Mul").</summary>
        public static Tensor multiply(TensorLike x, TensorLike y, string? name = null) => Mul.Build(x, y, name);
        /// <summary>Alias of <see cref="multiply"/>.</summary>
        public static Tensor mul(TensorLike x, TensorLike y, string? name = null) => Mul.Build(x, y, name);
        /// <summary>True division: integers become floats first (Python 3 <c>/</c>).</summary>
        public static Tensor divide(TensorLike x, TensorLike y, string? name = null) => RealDiv.TrueDiv(x, y, name);
        /// <summary>True division (<c>tf.truediv</c>).</summary>
        public static Tensor truediv(TensorLike x, TensorLike y, string? name = null) => RealDiv.TrueDiv(x, y, name);
        /// <summary>TensorFlow 1.x's <c>tf.div</c>: float division for floats, floor division for integers.</summary>
        public static Tensor div(TensorLike x, TensorLike y, string? name = null) => RealDiv.Div(x, y, name);
        /// <summary>Floating-point division (op "RealDiv").</summary>
        public static Tensor realdiv(TensorLike x, TensorLike y, string? name = null) => RealDiv.Build(x, y, name);
        /// <summary>Division rounded down (<c>//</c>).</summary>
        public static Tensor floordiv(TensorLike x, TensorLike y, string? name = null) => FloorDiv.Build(x, y, name);
        /// <summary>Remainder of floor division (<c>%</c>).</summary>
        public static Tensor floormod(TensorLike x, TensorLike y, string? name = null) => FloorMod.Build(x, y, name);
        /// <summary>Alias of <see cref="floormod"/>.</summary>
        public static Tensor mod(TensorLike x, TensorLike y, string? name = null) => FloorMod.Build(x, y, name);
        /// <summary><c>-x</c>.</summary>
        public static Tensor negative(TensorLike x, string? name = null) => Neg.Build(x, name);
        /// <summary>Alias of <see cref="negative"/>.</summary>
        public static Tensor neg(TensorLike x, string? name = null) => Neg.Build(x, name);
        /// <summary><c>|x|</c>.</summary>
        public static Tensor abs(TensorLike x, string? name = null) => Abs.Build(x, name);
        /// <summary><c>x * x</c>.</summary>
        public static Tensor square(TensorLike x, string? name = null) => Square.Build(x, name);
        /// <summary>Square root.</summary>
        public static Tensor sqrt(TensorLike x, string? name = null) => Sqrt.Build(x, name);
        /// <summary>Natural exponential.</summary>
        public static Tensor exp(TensorLike x, string? name = null) => Exp.Build(x, name);
        /// <summary>Natural logarithm.</summary>
        public static Tensor log(TensorLike x, string? name = null) => Log.Build(x, name);
        /// <summary><c>x ** y</c>.</summary>
        public static Tensor pow(TensorLike x, TensorLike y, string? name = null) => Pow.Build(x, y, name);
        /// <summary>Element-wise maximum.</summary>
        public static Tensor maximum(TensorLike x, TensorLike y, string? name = null) => Maximum.Build(x, y, name);
        /// <summary>Element-wise minimum.</summary>
        public static Tensor minimum(TensorLike x, TensorLike y, string? name = null) => Minimum.Build(x, y, name);

        /// <summary>
        /// Matrix product, optionally transposing (or taking the adjoint of) either input: op "MatMul" for two
        /// matrices, "BatchMatMulV2" when either has rank above 2 (batch dimensions broadcast).
        /// </summary>
        public static Tensor matmul(TensorLike a, TensorLike b, bool transpose_a = false, bool transpose_b = false, bool adjoint_a = false, bool adjoint_b = false,
            bool a_is_sparse = false, bool b_is_sparse = false, string? name = null) =>
            BatchMatMulV2.MatMulOrBatch(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b, name);

        /// <summary>Sum over <paramref name="axis"/> (all axes when null).</summary>
        public static Tensor reduce_sum(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            Sum.Build(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary>Mean over <paramref name="axis"/> (all axes when null).</summary>
        public static Tensor reduce_mean(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            Mean.Build(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary>Maximum over <paramref name="axis"/> (all axes when null).</summary>
        public static Tensor reduce_max(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            Max.Build(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary>Minimum over <paramref name="axis"/> (all axes when null).</summary>
        public static Tensor reduce_min(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            Min.Build(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary>Product over <paramref name="axis"/> (all axes when null).</summary>
        public static Tensor reduce_prod(TensorLike input_tensor, TensorLike? axis = null, bool keepdims = false, string? name = null,
            TensorLike? reduction_indices = null, bool? keep_dims = null) =>
            Prod.Build(input_tensor, axis ?? reduction_indices, keep_dims ?? keepdims, name);

        /// <summary>Index of the largest value along <paramref name="axis"/> (default 0); int64 unless <paramref name="output_type"/> is int32.</summary>
        public static Tensor argmax(TensorLike input, TensorLike? axis = null, string? name = null, TensorLike? dimension = null, DType? output_type = null) =>
            ArgMax.Def.Apply(input, axis ?? dimension, output_type, name);

        /// <summary>Index of the smallest value along <paramref name="axis"/> (default 0).</summary>
        public static Tensor argmin(TensorLike input, TensorLike? axis = null, string? name = null, TensorLike? dimension = null, DType? output_type = null) =>
            ArgMin.Def.Apply(input, axis ?? dimension, output_type, name);

        /// <summary><c>x == y</c> element-wise.</summary>
        public static Tensor equal(TensorLike x, TensorLike y, string? name = null) => Equal.Build(x, y, name);
        /// <summary><c>x != y</c> element-wise.</summary>
        public static Tensor not_equal(TensorLike x, TensorLike y, string? name = null) => NotEqual.Build(x, y, name);
        /// <summary><c>x &lt; y</c> element-wise.</summary>
        public static Tensor less(TensorLike x, TensorLike y, string? name = null) => Less.Build(x, y, name);
        /// <summary><c>x &lt;= y</c> element-wise.</summary>
        public static Tensor less_equal(TensorLike x, TensorLike y, string? name = null) => LessEqual.Build(x, y, name);
        /// <summary><c>x &gt; y</c> element-wise.</summary>
        public static Tensor greater(TensorLike x, TensorLike y, string? name = null) => Greater.Build(x, y, name);
        /// <summary><c>x &gt;= y</c> element-wise.</summary>
        public static Tensor greater_equal(TensorLike x, TensorLike y, string? name = null) => GreaterEqual.Build(x, y, name);
        /// <summary>Logical and of bool tensors.</summary>
        public static Tensor logical_and(TensorLike x, TensorLike y, string? name = null) => LogicalAnd.Build(x, y, name);
        /// <summary>Logical or of bool tensors.</summary>
        public static Tensor logical_or(TensorLike x, TensorLike y, string? name = null) => LogicalOr.Build(x, y, name);
        /// <summary>Logical not of a bool tensor.</summary>
        public static Tensor logical_not(TensorLike x, string? name = null) => LogicalNot.Build(x, name);

        /// <summary>Converts to another dtype (returns the input when the dtype already matches).</summary>
        public static Tensor cast(TensorLike x, DType dtype, string? name = null) => Cast.Build(x, dtype, name);
        /// <summary>Converts to float32.</summary>
        public static Tensor to_float(TensorLike x, string name = "ToFloat") => Cast.Build(x, DType.float32, name);
        /// <summary>Converts to int32.</summary>
        public static Tensor to_int32(TensorLike x, string name = "ToInt32") => Cast.Build(x, DType.int32, name);
        /// <summary>Converts to int64.</summary>
        public static Tensor to_int64(TensorLike x, string name = "ToInt64") => Cast.Build(x, DType.int64, name);

        /// <summary>TensorFlow 1.x's three-argument <c>tf.where</c>: <paramref name="x"/> where true, <paramref name="y"/> elsewhere.</summary>
        public static Tensor where(TensorLike condition, TensorLike x, TensorLike y, string? name = null) => Select.Build(condition, x, y, name);
        /// <summary>
        /// <c>tf.where_v2(condition, x, y)</c> (TensorFlow 2's <c>tf.where</c>): like <see cref="where(TensorLike, TensorLike, TensorLike, string?)"/>
        /// with the condition, x and y broadcast against each other.
        /// </summary>
        public static Tensor where_v2(TensorLike condition, TensorLike x, TensorLike y, string? name = null) => SelectV2.Build(condition, x, y, name);
        /// <summary><c>tf.div_no_nan(x, y)</c>: <c>x / y</c>, and 0 wherever <c>y</c> is 0.</summary>
        public static Tensor div_no_nan(TensorLike x, TensorLike y, string? name = null) => DivNoNan.Build(x, y, name);
        /// <summary>One-argument <c>tf.where</c>: coordinates of the true elements.</summary>
        public static Tensor where(TensorLike condition, string? name = null) => Ops.ArrayOps.Where.Build(condition, name);

        /// <summary>Element-wise sum of a list of tensors of one shape.</summary>
        public static Tensor add_n(IEnumerable<TensorLike> inputs, string? name = null) => AddN.Build(inputs.ToList(), name);
        /// <summary>Element-wise sum of the tensors of a collection (<c>tf.add_n(tf.get_collection("losses"))</c>).</summary>
        public static Tensor add_n(IEnumerable<object> inputs, string? name = null) => AddN.Build(inputs.Select(AsInput).ToList(), name);
        /// <summary>Element-wise sum of tensors.</summary>
        public static Tensor add_n(IEnumerable<Tensor> inputs, string? name = null) => AddN.Build(inputs.Select(t => (TensorLike)t).ToList(), name);

        private static TensorLike AsInput(object value) => value switch
        {
            Tensor t => t,
            NDArray a => a,
            _ => throw new TypeError($"Expected a tensor, got {value.GetType().Name}."),
        };
    }
}
