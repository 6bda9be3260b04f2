#pragma warning disable CS8981
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary><c>tf.newaxis</c> inside <c>x[...]</c>: inserts a dimension of size 1 (Python's <c>None</c>).</summary>
        public static SliceMarker newaxis => SliceMarker.NewAxis;

        /// <summary>Python's <c>...</c> inside <c>x[...]</c>: as many whole dimensions as the other indices leave.</summary>
        public static SliceMarker ellipsis => SliceMarker.Ellipsis;

        /// <summary>
        /// A strided slice (op StridedSlice): for each index i of the spec, elements <paramref name="begin"/>[i],
        /// begin[i] + strides[i], ... up to (not including) <paramref name="end"/>[i]; negative indices count from the
        /// end and ranges clamp to the dimension. Bit i of <paramref name="begin_mask"/>/<paramref name="end_mask"/>
        /// ignores begin[i]/end[i] and takes the fullest range; of <paramref name="ellipsis_mask"/> makes index i an
        /// ellipsis; of <paramref name="new_axis_mask"/> inserts a dimension of 1; of
        /// <paramref name="shrink_axis_mask"/> takes the single element begin[i] and drops the dimension.
        /// <paramref name="strides"/> default to ones.
        /// </summary>
        public static Tensor strided_slice(TensorLike input_, TensorLike begin, TensorLike end, TensorLike? strides = null,
            int begin_mask = 0, int end_mask = 0, int ellipsis_mask = 0, int new_axis_mask = 0, int shrink_axis_mask = 0,
            string? name = null) =>
            StridedSlice.Build(input_, begin, end, strides, new StridedSliceSpec.Masks(begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask), name);

        /// <summary>Stacks tensors of one shape along a new dimension at <paramref name="axis"/> (op Pack).</summary>
        public static Tensor stack(IEnumerable<TensorLike> values, int axis = 0, string name = "stack") => Pack.Build(values.ToList(), axis, name);

        /// <summary>Stacks tensors of one shape along a new dimension at <paramref name="axis"/> (op Pack).</summary>
        public static Tensor stack(IEnumerable<Tensor> values, int axis = 0, string name = "stack") =>
            Pack.Build(values.Select(v => (TensorLike)v).ToList(), axis, name);

        /// <summary>
        /// The slices of <paramref name="value"/> along <paramref name="axis"/> (op Unpack); <paramref name="num"/>
        /// defaults to the axis' static size.
        /// </summary>
        public static Tensor[] unstack(TensorLike value, int? num = null, int axis = 0, string name = "unstack") => Unpack.Build(value, num, axis, name);
    }
}
