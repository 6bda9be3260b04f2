namespace SharpFlow.Ops.ArrayOps;

/// <summary>DepthToSpace (<c>tf.depth_to_space</c>, NHWC): the inverse of SpaceToDepth, channels become blocks of pixels.</summary>
internal sealed class DepthToSpace() : SpaceDepthOp(toDepth: false)
{
    public static readonly DepthToSpace Def = new();
}
