namespace SharpFlow.Ops.MathOps;

/// <summary>
/// SparseSegmentSqrtNGrad: the gradient of SparseSegmentSqrtN, <c>output[indices[i]] += grad[segment_ids[i]] / w</c>
/// with w the square root of the segment's size; the output has <c>output_dim0</c> rows. TensorFlow registers no gradient for it.
/// </summary>
internal sealed class SparseSegmentSqrtNGrad : SparseSegmentGradOp
{
    public static readonly SparseSegmentSqrtNGrad Def = new();

    public override string Type => "SparseSegmentSqrtNGrad";

    protected override bool SqrtN => true;

    /// <summary>Builds the op (TensorFlow's <c>gen_math_ops.sparse_segment_sqrt_n_grad</c>).</summary>
    public static Tensor Build(TensorLike grad, TensorLike indices, TensorLike segmentIds, TensorLike outputDim0, string? name = null) =>
        Def.Apply(grad, indices, segmentIds, outputDim0, name);
}
