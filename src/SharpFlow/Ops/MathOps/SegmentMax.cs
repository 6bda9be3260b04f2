using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>SegmentMax (<c>tf.segment_max</c>): the element-wise maximum of each segment's rows.</summary>
internal sealed class SegmentMax : SegmentReductionOp
{
    public static readonly SegmentMax Def = new();

    public override string Type => "SegmentMax";

    protected override SegmentReduction Reduction => SegmentReduction.Max;

    /// <summary>TensorFlow's <c>_SegmentMinOrMaxGrad</c>: the gradient shared among the rows that attain the maximum.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [SegmentGradients.MinOrMax(op, grads[0]!), null];

    /// <summary><c>tf.segment_max(data, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, string? name = null) => Def.Apply(data, segmentIds, name);
}
