using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// DecodeJpeg (<c>tf.image.decode_jpeg</c>): uint8 [height, width, channels]. Attributes <c>channels</c> (0, 1, 3),
/// <c>ratio</c> (1, 2, 4, 8: downscaling), <c>fancy_upscaling</c>, <c>try_recover_truncated</c>,
/// <c>acceptable_fraction</c> and <c>dct_method</c> ("", "INTEGER_FAST", "INTEGER_ACCURATE": accepted; the decoder
/// has one IDCT). As in TensorFlow 1.x it also reads PNG and GIF (the first frame).
/// </summary>
internal sealed class DecodeJpeg : DecodeImageOp
{
    public static readonly DecodeJpeg Def = new();

    private static readonly OpAttr<int> Ratio = new("ratio", 1);
    private static readonly OpAttr<string> DctMethod = new("dct_method", "");
    private static readonly OpAttr<bool> TryRecoverTruncated = new("try_recover_truncated", false);
    internal static readonly OpAttr<bool> FancyUpscaling = new("fancy_upscaling", true);
    internal static readonly OpAttr<float> AcceptableFraction = new("acceptable_fraction", 1f);

    public override string Type => "DecodeJpeg";

    protected override int[] AllowedChannels => [0, 1, 3];

    protected override ImageFormat[] Formats => [ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.Gif];

    public override void InferShapes(InferenceContext ctx)
    {
        var ratio = Ratio.Of(ctx);
        if (ratio is not (1 or 2 or 4 or 8)) throw ctx.Error($"ratio must be 1, 2, 4, or 8, got {ratio}");
        var dct = DctMethod.Of(ctx);
        if (dct is not ("" or "INTEGER_FAST" or "INTEGER_ACCURATE"))
            throw ctx.Error($"dct_method must be one of \"\", \"INTEGER_FAST\", \"INTEGER_ACCURATE\", got \"{dct}\"");
        base.InferShapes(ctx);
    }

    protected override DecodedImage Decode(Operation op, byte[] data, ImageFormat format, int channels) =>
        format == ImageFormat.Jpeg
            ? ImageCodecs.Decode(data, channels, format, Ratio.Of(op), TryRecoverTruncated.Of(op))
            : ImageCodecs.Decode(data, channels, format);

    /// <summary><c>tf.image.decode_jpeg(contents, channels, ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction, dct_method)</c>.</summary>
    public static Tensor Build(TensorLike contents, int channels = 0, int ratio = 1, bool fancyUpscaling = true, bool tryRecoverTruncated = false,
        float acceptableFraction = 1, string dctMethod = "", string? name = null) =>
        Def.Create(contents, new()
        {
            { ChannelsAttr, channels }, { Ratio, ratio }, { FancyUpscaling, fancyUpscaling }, { TryRecoverTruncated, tryRecoverTruncated },
            { AcceptableFraction, acceptableFraction }, { DctMethod, dctMethod },
        }, name);
}
