using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>ResizeBicubicGrad: the gradient of ResizeBicubic with respect to its (float) images, shaped like them.</summary>
internal sealed class ResizeBicubicGrad : OpDef
{
    public static readonly ResizeBicubicGrad Def = new();

    private static readonly OpAttr<bool> AlignCorners = new("align_corners", false);
    private static readonly OpAttr<bool> HalfPixelCenters = new("half_pixel_centers", false);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "ResizeBicubicGrad";

    /// <summary>As in TensorFlow, the gradient op has no gradient of its own.</summary>
    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.float32) throw ctx.TypeError($"grads must be float32, got {ctx.InputDType(0).name}");
        var d = ctx.InputDType(1);
        if (!d.is_floating) throw ctx.TypeError($"original_image must be float32 or float64, got {d.name}");
        ResizeBilinear.CheckImages(ctx, ctx.InputShape(0), "grads");
        ResizeBilinear.CheckImages(ctx, ctx.InputShape(1), "original_image");
        ctx.AddOutput(d, ctx.InputShape(1));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (align, half) = (AlignCorners.Of(op), HalfPixelCenters.Of(op));
        return OpKernel.From(ctx =>
        {
            var (dy, image) = (ctx.Input(0), ctx.Input(1));
            if (dy.ndim != 4 || image.ndim != 4 || dy.shape[0] != image.shape[0] || dy.shape[3] != image.shape[3])
                throw ctx.InvalidArgument($"grads {dy.shape.ToListString()} and original_image {image.shape.ToListString()} must be NHWC with the same batch and channels");
            var (n, inH, inW, c, h, w) = (image.shape[0], image.shape[1], image.shape[2], image.shape[3], dy.shape[1], dy.shape[2]);
            var dx = ctx.AllocateUninitializedOutput(0, image.dtype, image.shape);
            if (image.dtype == DType.float32) ResizeKernels.BicubicGrad(dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), n, inH, inW, c, h, w, align, half);
            else ResizeKernels.BicubicGrad(dy.AsReadOnlySpan<float>(), dx.AsSpan<double>(), n, inH, inW, c, h, w, align, half);
        });
    }

    public static Tensor Build(Tensor grads, Tensor originalImage, bool alignCorners, bool halfPixelCenters, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ResizeBicubicGrad", grads, originalImage);
        return b.Create(Def, [grads, originalImage], new() { { T, originalImage.dtype }, { AlignCorners, alignCorners }, { HalfPixelCenters, halfPixelCenters } }).outputs[0];
    }
}
