using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// DecodeImage (<c>tf.image.decode_image</c>): JPEG, PNG, GIF or BMP told apart by their first bytes, as TensorFlow
/// does. <c>channels</c> 0, 1, 3 or 4; <c>dtype</c> uint8, uint16 (a PNG's 16-bit samples; 8-bit ones times 257, as
/// TensorFlow's convert_image_dtype widens them) or float32 (scaled to [0, 1]); with
/// <c>expand_animations</c> a GIF keeps its frames ([frames, h, w, 3]), so the rank is known only at run time.
/// </summary>
internal sealed class DecodeImage : DecodeImageOp
{
    public static readonly DecodeImage Def = new();

    private static readonly OpAttr<bool> ExpandAnimations = new("expand_animations");

    public override string Type => "DecodeImage";

    protected override int[] AllowedChannels => [0, 1, 3, 4];

    protected override ImageFormat[] Formats => [ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.Gif, ImageFormat.Bmp];

    protected override bool ReadsUInt16 => true;

    protected override bool WidensToUInt16 => true;

    protected override int OutputRank(InferenceContext ctx) => ExpandAnimations.Of(ctx) ? -1 : 3;

    protected override DecodedImage Decode(Operation op, byte[] data, ImageFormat format, int channels)
    {
        if (format == ImageFormat.Gif && ExpandAnimations.Of(op))
        {
            if (channels is not (0 or 3)) throw new ImageDecodeException($"channels must be 0 or 3 for GIF, got {channels}");
            return ImageCodecs.DecodeGifFrames(data);
        }
        return ImageCodecs.Decode(data, channels, format);
    }

    protected override bool KeepFrames(Operation op, ImageFormat format) => format == ImageFormat.Gif && ExpandAnimations.Of(op);

    /// <summary><c>tf.image.decode_image(contents, channels, dtype, expand_animations)</c>.</summary>
    public static Tensor Build(TensorLike contents, int channels = 0, DType? dtype = null, bool expandAnimations = true, string? name = null) =>
        Def.Create(contents, new() { { ChannelsAttr, channels }, { Dtype, dtype ?? DType.uint8 }, { ExpandAnimations, expandAnimations } }, name);
}
