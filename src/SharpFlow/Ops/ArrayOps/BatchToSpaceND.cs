namespace SharpFlow.Ops.ArrayOps;

/// <summary>BatchToSpaceND (<c>tf.batch_to_space_nd</c>): the inverse of SpaceToBatchND, then cropped.</summary>
internal sealed class BatchToSpaceND() : SpaceBatchOp(toBatch: false)
{
    public static readonly BatchToSpaceND Def = new();

    public override string Type => "BatchToSpaceND";
}
