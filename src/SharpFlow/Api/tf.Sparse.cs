#pragma warning disable CS8981
using SharpFlow.Ops.Sparse;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary><c>tf.SparseTensor(indices, values, dense_shape)</c>.</summary>
        public static SharpFlow.SparseTensor SparseTensor(TensorLike indices, TensorLike values, TensorLike dense_shape) => new(indices, values, dense_shape);

        /// <summary><c>tf.SparseTensorValue(indices, values, dense_shape)</c>: a sparse value built in code.</summary>
        public static SharpFlow.SparseTensorValue SparseTensorValue(NDArray indices, NDArray values, NDArray dense_shape) => new(indices, values, dense_shape);

        /// <summary>
        /// <c>tf.sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0, validate_indices=True)</c>.
        /// </summary>
        public static Tensor sparse_to_dense(TensorLike sparse_indices, TensorLike output_shape, TensorLike sparse_values, TensorLike? default_value = null,
            bool validate_indices = true, string? name = null) =>
            SparseToDense.Build(sparse_indices, output_shape, sparse_values, default_value, validate_indices, name);

        /// <summary><c>tf.sparse_tensor_to_dense(sp_input, default_value=0, validate_indices=True)</c>.</summary>
        public static Tensor sparse_tensor_to_dense(SharpFlow.SparseTensor sp_input, TensorLike? default_value = null, bool validate_indices = true, string? name = null)
        {
            ArgumentNullException.ThrowIfNull(sp_input);
            return SparseToDense.Build(sp_input.indices, sp_input.dense_shape, sp_input.values, default_value, validate_indices, name ?? "SparseToDense");
        }

        /// <summary>TensorFlow's <c>tf.sparse</c> namespace.</summary>
        public static partial class sparse
        {
            /// <summary><c>tf.sparse.to_dense</c>: same as <see cref="sparse_tensor_to_dense"/>.</summary>
            public static Tensor to_dense(SharpFlow.SparseTensor sp_input, TensorLike? default_value = null, bool validate_indices = true, string? name = null) =>
                sparse_tensor_to_dense(sp_input, default_value, validate_indices, name);
        }
    }
}
