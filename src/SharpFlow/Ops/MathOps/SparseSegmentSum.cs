using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.MathOps;

/// <summary>SparseSegmentSum (<c>tf.sparse_segment_sum</c>): the sum of the rows <c>data[indices[i]]</c> of each segment.</summary>
internal sealed class SparseSegmentSum : SparseSegmentReductionOp
{
    public static readonly SparseSegmentSum Def = new();

    public override string Type => "SparseSegmentSum";

    protected override SegmentReduction Reduction => SegmentReduction.Sum;

    /// <summary>TensorFlow's <c>_SparseSegmentSumGrad</c>: the incoming rows gathered by segment, summed back at the indices.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [UnsortedSegmentSum.Build(GatherV2.Build(grads[0]!, op.inputs[2]), op.inputs[1], Rows(op.inputs[0])), null, null];

    /// <summary><c>tf.sparse_segment_sum(data, indices, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike indices, TensorLike segmentIds, string? name = null) =>
        Def.Apply(data, indices, segmentIds, name);
}
