using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.MathOps;

/// <summary>SegmentSum (<c>tf.segment_sum</c>): the sum of each segment's rows. Its gradient gathers the incoming rows back.</summary>
internal sealed class SegmentSum : SegmentReductionOp
{
    public static readonly SegmentSum Def = new();

    public override string Type => "SegmentSum";

    protected override SegmentReduction Reduction => SegmentReduction.Sum;

    /// <summary>TensorFlow's <c>_SegmentSumGrad</c>.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [GatherV2.Build(grads[0]!, op.inputs[1]), null];

    /// <summary><c>tf.segment_sum(data, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, string? name = null) => Def.Apply(data, segmentIds, name);
}
