using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>UnsortedSegmentProd (<c>tf.unsorted_segment_prod</c>): the element-wise product of the rows of each segment, ids in any order.</summary>
internal sealed class UnsortedSegmentProd : UnsortedSegmentReductionOp
{
    public static readonly UnsortedSegmentProd Def = new();

    public override string Type => "UnsortedSegmentProd";

    protected override SegmentReduction Reduction => SegmentReduction.Prod;

    /// <summary>TensorFlow's <c>_UnsortedSegmentProdGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [SegmentGradients.UnsortedProd(op, grads[0]!), null, null];

    /// <summary><c>tf.unsorted_segment_prod(data, segment_ids, num_segments)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, TensorLike numSegments, string? name = null) =>
        Def.Apply(data, segmentIds, numSegments, name);
}
