using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// EncodeJpeg (<c>tf.image.encode_jpeg</c>): a uint8 [height, width, channels] image (1 or 3 channels) to a scalar
/// string. Attributes as TensorFlow's: <c>format</c> ("" from the channels, "grayscale", "rgb"), <c>quality</c>
/// (0..100), <c>chroma_downsampling</c>, <c>density_unit</c>, <c>x_density</c>, <c>y_density</c>; <c>progressive</c>,
/// <c>optimize_size</c> and <c>xmp_metadata</c> are accepted and the file is written baseline without XMP.
/// </summary>
internal sealed class EncodeJpeg : OpDef
{
    public static readonly EncodeJpeg Def = new();

    private static readonly OpAttr<string> Format = new("format", "");
    private static readonly OpAttr<int> Quality = new("quality", 95);
    private static readonly OpAttr<string> DensityUnit = new("density_unit", "in");
    private static readonly OpAttr<bool> ChromaDownsampling = new("chroma_downsampling", true);
    private static readonly OpAttr<int> XDensity = new("x_density", 300);
    private static readonly OpAttr<int> YDensity = new("y_density", 300);
    internal static readonly OpAttr<bool> Progressive = new("progressive", false);
    internal static readonly OpAttr<bool> OptimizeSize = new("optimize_size", false);
    internal static readonly OpAttr<string> XmpMetadata = new("xmp_metadata", "");

    public override string Type => "EncodeJpeg";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.uint8) throw ctx.TypeError($"image must be uint8, got {ctx.InputDType(0).name}");
        var image = ctx.InputShape(0);
        if (image.IsKnownRank && image.ndims != 3) throw ctx.Error($"image must be 3-dimensional, got {image.ToListString()}");
        var format = Format.Of(ctx);
        if (format is not ("" or "grayscale" or "rgb")) throw ctx.Error($"format must be one of \"\", \"grayscale\", \"rgb\", got \"{format}\"");
        var quality = Quality.Of(ctx);
        if (quality is < 0 or > 100) throw ctx.Error($"quality must be in [0,100], got {quality}");
        if (DensityUnit.Of(ctx) is not ("in" or "cm")) throw ctx.Error($"density_unit must be 'in' or 'cm', got '{DensityUnit.Of(ctx)}'");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var format = Format.Of(op);
        var quality = Quality.Of(op);
        var chroma = ChromaDownsampling.Of(op);
        var unit = DensityUnit.Of(op) == "in" ? 1 : 2;
        var (xd, yd) = (XDensity.Of(op), YDensity.Of(op));
        return OpKernel.From(ctx =>
        {
            var image = ctx.Input(0);
            if (image.ndim != 3) throw ctx.InvalidArgument($"image must be 3-dimensional{image.shape.ToListString()}");
            var (h, w, c) = (image.shape[0], image.shape[1], image.shape[2]);
            var want = format switch { "grayscale" => 1, "rgb" => 3, _ => c };
            if (format == "" && c is not (1 or 3)) throw ctx.InvalidArgument($"image must have 1 or 3 channels, got {image.shape.ToListString()}");
            if (c != want) throw ctx.InvalidArgument($"format {format} expects {want} channels, got {image.shape.ToListString()}");
            if (h == 0 || w == 0 || h > 65535 || w > 65535) throw ctx.InvalidArgument($"JPEG sides must be in [1, 65535], got {image.shape.ToListString()}");
            var bytes = JpegEncoder.Encode(image.AsReadOnlySpan<byte>(), h, w, c, System.Math.Max(quality, 1), chroma, unit, xd, yd);
            ctx.ForwardOutput(0, new NDArray(new[] { bytes }, Shape.Scalar));
        });
    }

    /// <summary><c>tf.image.encode_jpeg(image, format, quality, progressive, optimize_size, chroma_downsampling, density_unit, x_density, y_density, xmp_metadata)</c>.</summary>
    public static Tensor Build(TensorLike image, string format = "", int quality = 95, bool progressive = false, bool optimizeSize = false,
        bool chromaDownsampling = true, string densityUnit = "in", int xDensity = 300, int yDensity = 300, string xmpMetadata = "", string? name = null)
    {
        using var b = OpBuilder.Begin(name, "EncodeJpeg", image);
        var x = b.Convert(image, "image");
        return b.Create(Def, [x], new()
        {
            { Format, format }, { Quality, quality }, { Progressive, progressive }, { OptimizeSize, optimizeSize },
            { ChromaDownsampling, chromaDownsampling }, { DensityUnit, densityUnit }, { XDensity, xDensity }, { YDensity, yDensity },
            { XmpMetadata, xmpMetadata },
        }).outputs[0];
    }
}
