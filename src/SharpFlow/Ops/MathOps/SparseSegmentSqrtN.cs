using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>SparseSegmentSqrtN (<c>tf.sparse_segment_sqrt_n</c>): the sum divided by the square root of the number of the rows <c>data[indices[i]]</c> of each segment.</summary>
internal sealed class SparseSegmentSqrtN : SparseSegmentReductionOp
{
    public static readonly SparseSegmentSqrtN Def = new();

    public override string Type => "SparseSegmentSqrtN";

    protected override SegmentReduction Reduction => SegmentReduction.SqrtN;

    /// <summary>TensorFlow's <c>_SparseSegmentSqrtNGrad</c>: SparseSegmentSqrtNGrad with the data's row count.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [SparseSegmentSqrtNGrad.Build(grads[0]!, op.inputs[1], op.inputs[2], Rows(op.inputs[0])), null, null];

    /// <summary><c>tf.sparse_segment_sqrt_n(data, indices, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike indices, TensorLike segmentIds, string? name = null) =>
        Def.Apply(data, indices, segmentIds, name);
}
