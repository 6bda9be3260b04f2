using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>DecodeGif (<c>tf.image.decode_gif</c>): every frame, uint8 [frames, height, width, 3].</summary>
internal sealed class DecodeGif : DecodeImageOp
{
    public static readonly DecodeGif Def = new();

    public override string Type => "DecodeGif";

    protected override int[] AllowedChannels => [];

    protected override ImageFormat[] Formats => [ImageFormat.Gif];

    protected override int OutputRank(InferenceContext ctx) => 4;

    protected override DecodedImage Decode(Operation op, byte[] data, ImageFormat format, int channels) => ImageCodecs.DecodeGifFrames(data);

    protected override bool KeepFrames(Operation op, ImageFormat format) => true;

    /// <summary><c>tf.image.decode_gif(contents)</c>.</summary>
    public static Tensor Build(TensorLike contents, string? name = null) => Def.Create(contents, new(), name);
}
