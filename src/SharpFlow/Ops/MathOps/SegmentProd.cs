using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// SegmentProd (<c>tf.segment_prod</c>): the product of each segment's rows. TensorFlow 1.x registers no gradient
/// for it (math_grad.py has none), so it is marked not differentiable.
/// </summary>
internal sealed class SegmentProd : SegmentReductionOp
{
    public static readonly SegmentProd Def = new();

    public override string Type => "SegmentProd";

    public override bool NotDifferentiable => true;

    protected override SegmentReduction Reduction => SegmentReduction.Prod;

    /// <summary><c>tf.segment_prod(data, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, string? name = null) => Def.Apply(data, segmentIds, name);
}
