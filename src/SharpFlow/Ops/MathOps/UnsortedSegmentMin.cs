using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>UnsortedSegmentMin (<c>tf.unsorted_segment_min</c>): the element-wise minimum of the rows of each segment, ids in any order.</summary>
internal sealed class UnsortedSegmentMin : UnsortedSegmentReductionOp
{
    public static readonly UnsortedSegmentMin Def = new();

    public override string Type => "UnsortedSegmentMin";

    protected override SegmentReduction Reduction => SegmentReduction.Min;

    /// <summary>TensorFlow's <c>_UnsortedSegmentMinOrMaxGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [SegmentGradients.UnsortedMinOrMax(op, grads[0]!), null, null];

    /// <summary><c>tf.unsorted_segment_min(data, segment_ids, num_segments)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, TensorLike numSegments, string? name = null) =>
        Def.Apply(data, segmentIds, numSegments, name);
}
