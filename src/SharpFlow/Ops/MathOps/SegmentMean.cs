using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.MathOps;

/// <summary>SegmentMean (<c>tf.segment_mean</c>): the mean of each segment's rows.</summary>
internal sealed class SegmentMean : SegmentReductionOp
{
    public static readonly SegmentMean Def = new();

    public override string Type => "SegmentMean";

    protected override SegmentReduction Reduction => SegmentReduction.Mean;

    /// <summary>TensorFlow's <c>_SegmentMeanGrad</c>: the incoming rows divided by their segment's size, gathered back.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var grad = grads[0]!;
        var ids = op.inputs[1];
        var inputRank = Rank.Build(op.inputs[0]);
        var onesShape = ConcatV2.Build([Shapes.Of(ids), Fill.Build(ExpandDims.Build(Sub.Build(inputRank, 1), 0), 1)], 0);
        var ones = Fill.Build(onesShape, Cast.Build(1, grad.dtype));
        var scaled = RealDiv.Build(grad, SegmentSum.Build(ones, ids));
        return [GatherV2.Build(scaled, ids), null];
    }

    /// <summary><c>tf.segment_mean(data, segment_ids)</c>.</summary>
    public static Tensor Build(TensorLike data, TensorLike segmentIds, string? name = null) => Def.Apply(data, segmentIds, name);
}
