#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>The sum of the rows of each segment; <c>segment_ids</c> is sorted and as long as <c>data</c>'s first dimension.</summary>
        public static Tensor segment_sum(TensorLike data, TensorLike segment_ids, string? name = null) => SegmentSum.Build(data, segment_ids, name);

        /// <summary>The mean of the rows of each segment (sorted <c>segment_ids</c>).</summary>
        public static Tensor segment_mean(TensorLike data, TensorLike segment_ids, string? name = null) => SegmentMean.Build(data, segment_ids, name);

        /// <summary>The element-wise maximum of the rows of each segment (sorted <c>segment_ids</c>; empty segments are 0).</summary>
        public static Tensor segment_max(TensorLike data, TensorLike segment_ids, string? name = null) => SegmentMax.Build(data, segment_ids, name);

        /// <summary>The element-wise minimum of the rows of each segment (sorted <c>segment_ids</c>; empty segments are 0).</summary>
        public static Tensor segment_min(TensorLike data, TensorLike segment_ids, string? name = null) => SegmentMin.Build(data, segment_ids, name);

        /// <summary>The product of the rows of each segment (sorted <c>segment_ids</c>; empty segments are 0).</summary>
        public static Tensor segment_prod(TensorLike data, TensorLike segment_ids, string? name = null) => SegmentProd.Build(data, segment_ids, name);

        /// <summary>The element-wise maximum of each segment's rows, ids in any order; empty segments hold the dtype's lowest value.</summary>
        public static Tensor unsorted_segment_max(TensorLike data, TensorLike segment_ids, TensorLike num_segments, string? name = null) =>
            UnsortedSegmentMax.Build(data, segment_ids, num_segments, name);

        /// <summary>The element-wise minimum of each segment's rows, ids in any order; empty segments hold the dtype's highest value.</summary>
        public static Tensor unsorted_segment_min(TensorLike data, TensorLike segment_ids, TensorLike num_segments, string? name = null) =>
            UnsortedSegmentMin.Build(data, segment_ids, num_segments, name);

        /// <summary>The product of each segment's rows, ids in any order; empty segments are 1.</summary>
        public static Tensor unsorted_segment_prod(TensorLike data, TensorLike segment_ids, TensorLike num_segments, string? name = null) =>
            UnsortedSegmentProd.Build(data, segment_ids, num_segments, name);

        /// <summary>The sum of the rows <c>data[indices[i]]</c> of each segment (sorted <c>segment_ids</c>).</summary>
        public static Tensor sparse_segment_sum(TensorLike data, TensorLike indices, TensorLike segment_ids, string? name = null) =>
            SparseSegmentSum.Build(data, indices, segment_ids, name);

        /// <summary>The mean of the rows <c>data[indices[i]]</c> of each segment (sorted <c>segment_ids</c>).</summary>
        public static Tensor sparse_segment_mean(TensorLike data, TensorLike indices, TensorLike segment_ids, string? name = null) =>
            SparseSegmentMean.Build(data, indices, segment_ids, name);

        /// <summary>The sum of the rows <c>data[indices[i]]</c> of each segment divided by the square root of its size.</summary>
        public static Tensor sparse_segment_sqrt_n(TensorLike data, TensorLike indices, TensorLike segment_ids, string? name = null) =>
            SparseSegmentSqrtN.Build(data, indices, segment_ids, name);
    }
}
