namespace SharpFlow.Ops.MathOps;

/// <summary>
/// SparseSegmentMeanGrad: the gradient of SparseSegmentMean, <c>output[indices[i]] += grad[segment_ids[i]] / w</c>
/// with w the segment's size; the output has <c>output_dim0</c> rows. TensorFlow registers no gradient for it.
/// </summary>
internal sealed class SparseSegmentMeanGrad : SparseSegmentGradOp
{
    public static readonly SparseSegmentMeanGrad Def = new();

    public override string Type => "SparseSegmentMeanGrad";

    protected override bool SqrtN => false;

    /// <summary>Builds the op (TensorFlow's <c>gen_math_ops.sparse_segment_mean_grad</c>).</summary>
    public static Tensor Build(TensorLike grad, TensorLike indices, TensorLike segmentIds, TensorLike outputDim0, string? name = null) =>
        Def.Apply(grad, indices, segmentIds, outputDim0, name);
}
