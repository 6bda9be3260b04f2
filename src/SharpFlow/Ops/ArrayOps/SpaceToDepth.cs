namespace SharpFlow.Ops.ArrayOps;

/// <summary>SpaceToDepth (<c>tf.space_to_depth</c>, NHWC): each block of pixels becomes one pixel's channels.</summary>
internal sealed class SpaceToDepth() : SpaceDepthOp(toDepth: true)
{
    public static readonly SpaceToDepth Def = new();
}
