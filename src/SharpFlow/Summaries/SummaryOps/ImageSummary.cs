using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Summaries;

namespace SharpFlow.Summaries.SummaryOps;

/// <summary>
/// ImageSummary: PNG images from a <c>[batch, height, width, channels]</c> tensor (1, 3 or 4 channels), at most
/// <c>max_images</c> of them, tagged <c>TAG/image/i</c> (<c>TAG/image</c> when max_images is 1), as
/// <c>tf.summary.image</c>. uint8 pixels are used as they are; float pixels are scaled per image as TensorFlow's
/// kernel does (<see cref="Normalize"/>).
/// </summary>
internal sealed class ImageSummary : SummaryOp
{
    public static readonly ImageSummary Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.float32);
    internal static readonly OpAttr<int> MaxImages = new("max_images", 3);

    public override string Type => "ImageSummary";

    public override void InferShapes(InferenceContext ctx)
    {
        CheckString(ctx, 0, "tag");
        var d = ctx.InputDType(1);
        if (!(d.is_floating || d == DType.uint8)) throw ctx.TypeError($"images must be float32, float64 or uint8, got {d.name}");
        var s = ctx.InputShape(1);
        if (s.IsKnownRank && (s.ndims != 4 || (s[3] >= 0 && s[3] is not (1 or 3 or 4))))
            throw ctx.Error($"images must be [batch, height, width, channels] with 1, 3 or 4 channels, got {s.ToListString()}");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var maxImages = MaxImages.Of(op);
        return OpKernel.From(ctx =>
        {
            var (tag, images) = (ctx.Input(0), ctx.Input(1));
            if (images.ndim != 4 || images.shape[3] is not (1 or 3 or 4))
                throw ctx.InvalidArgument($"images must be 4-D with last dim 1, 3, or 4: {images.shape.ToListString()}");
            var name = Text(tag);
            var (n, h, w, c) = (System.Math.Min(images.shape[0], maxImages), images.shape[1], images.shape[2], images.shape[3]);
            var values = new List<SummaryValue>();
            for (var i = 0; i < n; i++)
            {
                var image = images[i..(i + 1)].Reshape(new Shape(h, w, c));
                var pixels = image.dtype == DType.uint8 ? image : Normalize(image.Cast(DType.float64), c);
                // TensorFlow numbers the tags whenever more than one image was asked for.
                values.Add(SummaryValue.FromImage(maxImages == 1 ? $"{name}/image" : $"{name}/image/{i}", pixels));
            }
            Output(ctx, new Summaries.Summary(values));
        });
    }

    /// <summary>
    /// TensorFlow's <c>NormalizeFloatImage</c>, per image: min and max over the finite pixels; without negative
    /// values the pixels are scaled by 255/max, else by 127/max|v| around 128 (a max under 1e-6 scales by 0);
    /// the result is truncated; non-finite pixels take the bad color (red: 255 in the first channel, 0 in the
    /// others, 255 alpha).
    /// </summary>
    private static NDArray Normalize(NDArray image, int channels)
    {
        var v = image.AsReadOnlySpan<double>();
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var x in v)
            if (double.IsFinite(x))
            {
                min = System.Math.Min(min, x);
                max = System.Math.Max(max, x);
            }
        const double ZeroThreshold = 1e-6;
        double scale, offset;
        if (min < 0)
        {
            var magnitude = System.Math.Max(System.Math.Abs(min), System.Math.Abs(max));
            (scale, offset) = (magnitude < ZeroThreshold ? 0 : 127 / magnitude, 128);
        }
        else (scale, offset) = (max < ZeroThreshold ? 0 : 255 / max, 0);
        var bytes = new byte[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            var channel = i % channels;
            bytes[i] = double.IsFinite(v[i])
                ? (byte)System.Math.Clamp(v[i] * scale + offset, 0, 255)
                : (byte)(channel == 0 || channel == 3 ? 255 : 0);
        }
        return NDArray.FromFlat(bytes, image.shape);
    }

    /// <summary><c>tf.summary.image(name, tensor, max_outputs)</c>.</summary>
    public static Tensor Build(string name, TensorLike tensor, int maxOutputs = 3, IEnumerable<string>? collections = null, string? family = null)
    {
        if (maxOutputs <= 0) throw new ValueError($"max_outputs must be positive, got {maxOutputs}");
        return Build(Def, name, family, tensor, collections, (b, tag, value) => ([tag, value], new() { { T, value.dtype }, { MaxImages, maxOutputs } }));
    }
}
