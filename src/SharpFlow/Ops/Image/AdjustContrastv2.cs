using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// AdjustContrastv2 (<c>tf.image.adjust_contrast</c>): images (half or float32) of at least 3 dimensions, the last
/// three <c>[height, width, channels]</c>, and a scalar float32 <c>contrast_factor</c>; every channel of every
/// image becomes <c>(x - mean) · contrast_factor + mean</c> with mean over height and width. TensorFlow 1.15
/// registers no gradient for it, so differentiating through it raises LookupError, as there.
/// </summary>
internal sealed class AdjustContrastv2 : OpDef
{
    public static readonly AdjustContrastv2 Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.float32);

    public override string Type => "AdjustContrastv2";

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (d != DType.float32 && d != DType.float16) throw ctx.TypeError($"images must be half or float32, got {d.name}");
        if (ctx.InputDType(1) != DType.float32) throw ctx.TypeError($"contrast_factor must be float32, got {ctx.InputDType(1).name}");
        var factor = ctx.InputShape(1);
        if (factor.IsKnownRank && factor.ndims != 0) throw ctx.Error($"contrast_factor: Shape must be rank 0 but is rank {factor.ndims}");
        var x = ctx.InputShape(0);
        if (x.IsKnownRank && x.ndims < 3) throw ctx.Error($"images: Shape must be at least rank 3 but is rank {x.ndims}");
        ctx.AddOutput(d, x);
    }

    /// <summary>TensorFlow 1.15 registers no gradient for this op type: differentiating through it fails as there.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        throw new LookupError($"No gradient defined for operation '{op.name}' (op type: {op.type})");

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (x, factor) = (ctx.Input(0), ctx.Input(1));
        if (x.ndim < 3) throw ctx.InvalidArgument($"input must be at least 3-D, got shape{x.shape.ToListString()}");
        if (factor.ndim != 0) throw ctx.InvalidArgument($"contrast_factor must be scalar: {factor.shape.ToListString()}");
        var (height, width, channels) = (x.shape[x.ndim - 3], x.shape[x.ndim - 2], x.shape[x.ndim - 1]);
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        if (x.size == 0) return;
        var batch = (int)(x.size / ((long)height * width * channels));
        var f = factor.ToArray<float>()[0];
        if (x.dtype == DType.float32) ContrastKernels.AdjustContrast(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), batch, height, width, channels, f);
        else ContrastKernels.AdjustContrast(x.AsReadOnlySpan<Half>(), y.AsSpan<Half>(), batch, height, width, channels, f);
    });

    /// <summary><c>gen_image_ops.adjust_contrastv2(images, contrast_factor)</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike contrastFactor, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "AdjustContrastv2", images, contrastFactor);
        var x = b.Convert(images, "images");
        var factor = b.Convert(contrastFactor, "contrast_factor", DType.float32);
        return b.Create(Def, [x, factor], new() { { T, x.dtype } }).outputs[0];
    }
}
