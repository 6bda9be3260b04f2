using SharpFlow.Framework;
using SharpFlow.Summaries;

namespace SharpFlow.Ops.Summary;

/// <summary>
/// ImageSummary: PNG images from a <c>[batch, height, width, channels]</c> tensor (1, 3 or 4 channels), at most
/// <c>max_images</c> of them, tagged <c>TAG/image/i</c> (<c>TAG/image</c> when only one), as
/// <c>tf.summary.image</c>. uint8 pixels are used as they are; float pixels are scaled as TensorFlow does: by 255
/// when none is negative, else so the largest magnitude maps to 127 around 128.
/// </summary>
internal sealed class ImageSummary : SummaryOp
{
    public static readonly ImageSummary Def = new();

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
        var maxImages = op.Attr<int>("max_images");
        return OpKernel.From(ctx =>
        {
            var (tag, images) = (ctx.Input(0), ctx.Input(1));
            if (images.ndim != 4 || images.shape[3] is not (1 or 3 or 4))
                throw ctx.InvalidArgument($"images must be 4-D with last dim 1, 3, or 4: {images.shape.ToListString()}");
            var name = Text(tag);
            var (n, h, w, c) = (System.Math.Min(images.shape[0], maxImages), images.shape[1], images.shape[2], images.shape[3]);
            var pixels = images.dtype == DType.uint8 ? images : Scale(images.Cast(DType.float64));
            var values = new List<SummaryValue>();
            for (var i = 0; i < n; i++)
                values.Add(SummaryValue.FromImage(n == 1 ? $"{name}/image" : $"{name}/image/{i}", pixels[i..(i + 1)].Reshape(new Shape(h, w, c))));
            Output(ctx, new Summaries.Summary(values));
        });
    }

    private static NDArray Scale(NDArray values)
    {
        var v = values.AsReadOnlySpan<double>();
        var min = v.Length == 0 ? 0 : v.ToArray().Min();
        var max = v.Length == 0 ? 0 : v.ToArray().Select(System.Math.Abs).Max();
        var bytes = new byte[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            var scaled = min >= 0 ? v[i] * 255 : (max == 0 ? 128 : v[i] * 127 / max + 128);
            bytes[i] = (byte)System.Math.Clamp(System.Math.Round(scaled), 0, 255);
        }
        return NDArray.FromFlat(bytes, values.shape);
    }

    /// <summary><c>tf.summary.image(name, tensor, max_outputs)</c>.</summary>
    public static Tensor Build(string name, TensorLike tensor, int maxOutputs = 3, IEnumerable<string>? collections = null, string? family = null)
    {
        if (maxOutputs <= 0) throw new ValueError($"max_outputs must be positive, got {maxOutputs}");
        return Build(Def, name, family, tensor, collections, (b, tag, value) => ([tag, value], new() { ["T"] = value.dtype, ["max_images"] = maxOutputs }));
    }
}
