using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// DecodePng (<c>tf.image.decode_png</c>): [height, width, channels] with <c>channels</c> 0 (as stored), 1, 3 or 4,
/// <c>dtype</c> uint8 (16-bit files keep their high byte, as libpng's png_set_strip_16) or uint16 (16-bit files as
/// stored, shallower ones times 257). As in TensorFlow 1.x it also reads JPEG and GIF (the first frame), as uint8 only.
/// </summary>
internal sealed class DecodePng : DecodeImageOp
{
    public static readonly DecodePng Def = new();

    public override string Type => "DecodePng";

    protected override int[] AllowedChannels => [0, 1, 3, 4];

    protected override ImageFormat[] Formats => [ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.Gif];

    protected override bool ReadsUInt16 => true;

    /// <summary><c>tf.image.decode_png(contents, channels, dtype)</c>.</summary>
    public static Tensor Build(TensorLike contents, int channels = 0, DType? dtype = null, string? name = null) =>
        Def.Create(contents, new() { { ChannelsAttr, channels }, { Dtype, dtype ?? DType.uint8 } }, name);
}
