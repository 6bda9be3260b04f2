using SharpFlow.Framework;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>BatchToSpaceND (<c>tf.batch_to_space_nd</c>): the inverse of SpaceToBatchND, then cropped.</summary>
internal sealed class BatchToSpaceND() : SpaceBatchOp(toBatch: false)
{
    public static readonly BatchToSpaceND Def = new();
    internal static readonly OpAttr<DType> Tcrops = new("Tcrops", DType.int32);

    public override string Type => "BatchToSpaceND";
}
