using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>SegmentMin (<c>tf.segment_min</c>): the element-wise minimum of each segment's rows.</summary>
internal sealed class SegmentMin : SegmentReductionOp
{
    public static readonly SegmentMin Def = new();

    public override string Type => "SegmentMin";

    protected override SegmentReduction Reduction => SegmentReduction.Min;

    /// <summary>TensorFlow's <c>_SegmentMinOrMaxGrad</c>: the gradient shared among the rows that attain the minimum.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [SegmentGradients.MinOrMax(op, grads[0]!), null];

    /// <summary><c>tf.segment_min(data, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, string? name = null) => Def.Apply(data, segmentIds, name);
}
