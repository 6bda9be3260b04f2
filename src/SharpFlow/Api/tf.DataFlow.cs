#pragma warning disable CS8981
using SharpFlow.Ops.DataFlow;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// <c>tf.IndexedSlices(values, indices, dense_shape)</c>: the rows <paramref name="values"/> of a dense tensor
        /// at rows <paramref name="indices"/> (what <c>tf.gather</c>'s gradient is).
        /// </summary>
        public static IndexedSlices IndexedSlices(Tensor values, Tensor indices, Tensor? dense_shape = null) => new(values, indices, dense_shape);

        /// <summary>
        /// <c>tf.dynamic_partition(data, partitions, num_partitions)</c>: the slices of <paramref name="data"/> split
        /// into <paramref name="num_partitions"/> tensors by the int32 <paramref name="partitions"/>.
        /// </summary>
        public static Tensor[] dynamic_partition(TensorLike data, TensorLike partitions, int num_partitions, string? name = null) =>
            DynamicPartition.Build(data, partitions, num_partitions, name);

        /// <summary>
        /// <c>tf.dynamic_stitch(indices, data)</c>: interleaves the slices of <paramref name="data"/> into one tensor,
        /// slice <c>data[m][i]</c> at row <c>indices[m][i]</c> (later slices win on repeated indices).
        /// </summary>
        public static Tensor dynamic_stitch(IReadOnlyList<TensorLike> indices, IReadOnlyList<TensorLike> data, string? name = null) =>
            DynamicStitch.Build(indices, data, parallel: false, name);

        /// <summary><c>tf.parallel_dynamic_stitch(indices, data)</c>: <see cref="dynamic_stitch"/> as TensorFlow's parallel kernel.</summary>
        public static Tensor parallel_dynamic_stitch(IReadOnlyList<TensorLike> indices, IReadOnlyList<TensorLike> data, string? name = null) =>
            DynamicStitch.Build(indices, data, parallel: true, name);
    }
}
