using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>UnsortedSegmentMax (<c>tf.unsorted_segment_max</c>): the element-wise maximum of the rows of each segment, ids in any order.</summary>
internal sealed class UnsortedSegmentMax : UnsortedSegmentReductionOp
{
    public static readonly UnsortedSegmentMax Def = new();

    public override string Type => "UnsortedSegmentMax";

    protected override SegmentReduction Reduction => SegmentReduction.Max;

    /// <summary>TensorFlow's <c>_UnsortedSegmentMinOrMaxGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [SegmentGradients.UnsortedMinOrMax(op, grads[0]!), null, null];

    /// <summary><c>tf.unsorted_segment_max(data, segment_ids, num_segments)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, TensorLike numSegments, string? name = null) =>
        Def.Apply(data, segmentIds, numSegments, name);
}
