using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>DecodeBmp (<c>tf.image.decode_bmp</c>): uint8 [height, width, channels], <c>channels</c> 0, 1, 3 or 4.</summary>
internal sealed class DecodeBmp : DecodeImageOp
{
    public static readonly DecodeBmp Def = new();

    public override string Type => "DecodeBmp";

    protected override int[] AllowedChannels => [0, 1, 3, 4];

    protected override ImageFormat[] Formats => [ImageFormat.Bmp];

    /// <summary><c>tf.image.decode_bmp(contents, channels)</c>.</summary>
    public static Tensor Build(TensorLike contents, int channels = 0, string? name = null) =>
        Def.Create(contents, new() { { ChannelsAttr, channels } }, name);
}
