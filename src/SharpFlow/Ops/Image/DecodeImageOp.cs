using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// The shared rule of the decoding ops (TensorFlow's decode_image_op.cc): a scalar string in, an image out. The
/// format comes from the first bytes, as in TensorFlow 1.x (so <c>decode_jpeg</c> also reads PNG); bad bytes give
/// an InvalidArgumentError that names the op, the format and the problem.
/// </summary>
internal abstract class DecodeImageOp : OpDef
{
    internal static readonly OpAttr<int> ChannelsAttr = new("channels");
    internal static readonly OpAttr<DType> Dtype = new("dtype", DType.uint8);

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    /// <summary>The values the <c>channels</c> attribute may take (empty: the op has none).</summary>
    protected abstract int[] AllowedChannels { get; }

    /// <summary>The formats this op reads.</summary>
    protected abstract ImageFormat[] Formats { get; }

    /// <summary>The output rank: 3, or 4 for GIF frames, or -1 (unknown: decode_image with animations).</summary>
    protected virtual int OutputRank(InferenceContext ctx) => 3;

    protected static string ChannelList(int[] allowed) =>
        allowed.Length == 2 ? $"{allowed[0]} or {allowed[1]}" : string.Join(", ", allowed[..^1]) + ", or " + allowed[^1];

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"contents must be a string, got {ctx.InputDType(0).name}");
        var contents = ctx.InputShape(0);
        if (contents.IsKnownRank && contents.ndims != 0) throw ctx.Error($"contents must be scalar, got shape {contents.ToListString()}");
        var channels = AllowedChannels.Length == 0 ? 3 : ChannelsAttr.Of(ctx);
        if (AllowedChannels.Length > 0 && !AllowedChannels.Contains(channels))
            throw ctx.Error($"channels must be {ChannelList(AllowedChannels)}, got {channels}");
        var dtype = Dtype.Of(ctx);
        if (dtype != DType.uint8 && dtype != DType.float32 && !(ReadsUInt16 && dtype == DType.uint16))
            throw ctx.TypeError($"dtype must be {(ReadsUInt16 ? "uint8, uint16" : "uint8")} or float32, got {dtype.name}");
        var rank = OutputRank(ctx);
        var c = channels == 0 ? -1 : channels;
        ctx.AddOutput(dtype, rank switch { 3 => new Shape(-1, -1, c), 4 => new Shape(-1, -1, -1, c), _ => Shape.Unknown });
    }

    /// <summary>
    /// Whether <c>dtype</c> may be uint16: a PNG then keeps 16-bit samples (8-bit ones become v · 257); the other
    /// formats are refused (DecodePng: "JPEG does not support uint16 output", as TensorFlow) unless
    /// <see cref="WidensToUInt16"/>.
    /// </summary>
    protected virtual bool ReadsUInt16 => false;

    /// <summary>Whether a non-PNG file decoded as uint16 is widened (v · 257, <c>decode_image</c>'s convert_image_dtype) rather than refused.</summary>
    protected virtual bool WidensToUInt16 => false;

    /// <summary>Decodes one file; the op's own attributes (ratio, truncation) come from <paramref name="op"/>.</summary>
    protected virtual DecodedImage Decode(Operation op, byte[] data, ImageFormat format, int channels) =>
        ImageCodecs.Decode(data, channels, format);

    /// <summary>Whether the image keeps a leading frame axis.</summary>
    protected virtual bool KeepFrames(Operation op, ImageFormat format) => false;

    public override OpKernel CreateKernel(Operation op)
    {
        var channels = AllowedChannels.Length == 0 ? 0 : ChannelsAttr.Of(op);
        var dtype = Dtype.Of(op);
        return OpKernel.From(ctx =>
        {
            var contents = ctx.Input(0);
            if (contents.ndim != 0) throw ctx.InvalidArgument($"contents must be scalar, got shape {contents.shape.ToListString()}");
            var data = contents.StringBytes(0);
            var format = ImageCodecs.Classify(data);
            if (!Formats.Contains(format))
                throw ctx.InvalidArgument($"Expected image ({FormatNames()}), got {(format == ImageFormat.Unknown ? $"unknown format starting with '{ImageCodecs.Prefix(data)}'" : $"a {format.ToString().ToUpperInvariant()} file")}");
            if (dtype == DType.uint16 && format != ImageFormat.Png && !WidensToUInt16)
                throw ctx.InvalidArgument($"{format.ToString().ToUpperInvariant()} does not support uint16 output");
            DecodedImage image;
            try
            {
                if (dtype == DType.uint16 && format == ImageFormat.Png)
                {
                    var wide = ImageCodecs.DecodePng16(data, channels);
                    ctx.ForwardOutput(0, new NDArray(wide.Pixels, new Shape(wide.Height, wide.Width, wide.Channels)));
                    return;
                }
                image = Decode(op, data, format, channels);
            }
            catch (ImageDecodeException e)
            {
                throw ctx.InvalidArgument($"Invalid {format.ToString().ToUpperInvariant()} data, size {data.Length}: {e.Message}");
            }
            var shape = KeepFrames(op, format)
                ? new Shape(image.Frames, image.Height, image.Width, image.Channels)
                : new Shape(image.Height, image.Width, image.Channels);
            if (dtype == DType.uint8)
            {
                ctx.ForwardOutput(0, new NDArray(image.Pixels, shape));
                return;
            }
            if (dtype == DType.uint16)
            {
                var wide = new ushort[image.Pixels.Length];
                for (var i = 0; i < wide.Length; i++) wide[i] = (ushort)(image.Pixels[i] * 257);
                ctx.ForwardOutput(0, new NDArray(wide, shape));
                return;
            }
            var scaled = new float[image.Pixels.Length];
            for (var i = 0; i < scaled.Length; i++) scaled[i] = image.Pixels[i] * (1f / 255f);
            ctx.ForwardOutput(0, new NDArray(scaled, shape));
        });
    }

    private string FormatNames()
    {
        var names = Formats.Select(f => f.ToString().ToUpperInvariant()).ToArray();
        return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + ", or " + names[^1];
    }

    /// <summary>Creates the op with its attributes.</summary>
    protected Tensor Create(TensorLike contents, Dictionary<string, object> attrs, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, contents);
        var x = b.Convert(contents, "contents", DType.@string);
        return b.Create(this, [x], attrs).outputs[0];
    }
}
