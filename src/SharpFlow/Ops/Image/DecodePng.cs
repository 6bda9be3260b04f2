using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// DecodePng (<c>tf.image.decode_png</c>): [height, width, channels] with <c>channels</c> 0 (as stored), 1, 3 or 4,
/// <c>dtype</c> uint8 (SharpFlow has no uint16 dtype, so 16-bit files are reduced to 8 bits). As in TensorFlow 1.x it
/// also reads JPEG and GIF (the first frame).
/// </summary>
internal sealed class DecodePng : DecodeImageOp
{
    public static readonly DecodePng Def = new();

    public override string Type => "DecodePng";

    protected override int[] AllowedChannels => [0, 1, 3, 4];

    protected override ImageFormat[] Formats => [ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.Gif];

    /// <summary><c>tf.image.decode_png(contents, channels, dtype)</c>.</summary>
    public static Tensor Build(TensorLike contents, int channels = 0, DType? dtype = null, string? name = null) =>
        Def.Create(contents, new() { ["channels"] = channels, ["dtype"] = dtype ?? DType.uint8 }, name);
}
