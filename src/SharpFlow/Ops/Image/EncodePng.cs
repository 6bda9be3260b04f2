using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// EncodePng (<c>tf.image.encode_png</c>): a uint8 or uint16 [height, width, channels] image (1 to 4 channels) to a
/// scalar string, an 8- or 16-bit PNG; <c>compression</c> -1 (zlib's default) or 0..9.
/// </summary>
internal sealed class EncodePng : OpDef
{
    public static readonly EncodePng Def = new();

    private static readonly OpAttr<int> Compression = new("compression", -1);
    internal static readonly OpAttr<DType> T = new("T", DType.uint8);

    public override string Type => "EncodePng";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.uint8 && ctx.InputDType(0) != DType.uint16)
            throw ctx.TypeError($"image must be uint8 or uint16, got {ctx.InputDType(0).name}");
        var image = ctx.InputShape(0);
        if (image.IsKnownRank && image.ndims != 3) throw ctx.Error($"image must be 3-dimensional, got {image.ToListString()}");
        var compression = Compression.Of(ctx);
        if (compression is < -1 or > 9) throw ctx.Error($"compression should be in [-1,9], got {compression}");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var compression = Compression.Of(op);
        return OpKernel.From(ctx =>
        {
            var image = ctx.Input(0);
            if (image.ndim != 3) throw ctx.InvalidArgument($"image must be 3-dimensional{image.shape.ToListString()}");
            var (h, w, c) = (image.shape[0], image.shape[1], image.shape[2]);
            if (c is < 1 or > 4) throw ctx.InvalidArgument($"image must have 1, 2, 3, or 4 channels, got {c}");
            if (h == 0 || w == 0) throw ctx.InvalidArgument($"image must have a positive size, got {image.shape.ToListString()}");
            var bytes = image.dtype == DType.uint16
                ? PngEncoder.Encode16(image.AsReadOnlySpan<ushort>(), h, w, c, compression)
                : PngEncoder.Encode(image.AsReadOnlySpan<byte>(), h, w, c, compression);
            ctx.ForwardOutput(0, new NDArray(new[] { bytes }, Shape.Scalar));
        });
    }

    /// <summary><c>tf.image.encode_png(image, compression)</c>.</summary>
    public static Tensor Build(TensorLike image, int compression = -1, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "EncodePng", image);
        var x = b.Convert(image, "image");
        return b.Create(Def, [x], new() { { Compression, compression }, { T, x.dtype } }).outputs[0];
    }
}
