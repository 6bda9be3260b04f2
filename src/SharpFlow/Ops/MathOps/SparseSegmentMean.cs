using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>SparseSegmentMean (<c>tf.sparse_segment_mean</c>): the mean of the rows <c>data[indices[i]]</c> of each segment.</summary>
internal sealed class SparseSegmentMean : SparseSegmentReductionOp
{
    public static readonly SparseSegmentMean Def = new();

    public override string Type => "SparseSegmentMean";

    protected override SegmentReduction Reduction => SegmentReduction.Mean;

    /// <summary>TensorFlow's <c>_SparseSegmentMeanGrad</c>: SparseSegmentMeanGrad with the data's row count.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [SparseSegmentMeanGrad.Build(grads[0]!, op.inputs[1], op.inputs[2], Rows(op.inputs[0])), null, null];

    /// <summary><c>tf.sparse_segment_mean(data, indices, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike indices, TensorLike segmentIds, string? name = null) =>
        Def.Apply(data, indices, segmentIds, name);
}
