using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>SpaceToBatchND (<c>tf.space_to_batch_nd</c>): padded spatial blocks moved into the batch dimension.</summary>
internal sealed class SpaceToBatchND() : SpaceBatchOp(toBatch: true)
{
    public static readonly SpaceToBatchND Def = new();
    internal static readonly OpAttr<DType> Tpaddings = new("Tpaddings", DType.int32);

    public override string Type => "SpaceToBatchND";
}
