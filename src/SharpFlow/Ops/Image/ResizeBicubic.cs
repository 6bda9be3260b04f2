using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>ResizeBicubic (<c>tf.image.resize_bicubic</c>): NHWC images resized by cubic convolution; float32 out.</summary>
internal sealed class ResizeBicubic : ResizeOp
{
    public static readonly ResizeBicubic Def = new();

    private static readonly OpAttr<bool> AlignCorners = new("align_corners", false);
    private static readonly OpAttr<bool> HalfPixelCenters = new("half_pixel_centers", false);

    public override string Type => "ResizeBicubic";

    protected override void Run(OpKernelContext ctx, NDArray x, NDArray y, int n, int inH, int inW, int c, int h, int w, bool align, bool half)
    {
        var output = y.AsSpan<float>();
        switch (x.dtype.Id)
        {
            case DataType.Float: ResizeKernels.Bicubic(x.AsReadOnlySpan<float>(), output, n, inH, inW, c, h, w, align, half); break;
            case DataType.Double: ResizeKernels.Bicubic(x.AsReadOnlySpan<double>(), output, n, inH, inW, c, h, w, align, half); break;
            case DataType.Int32: ResizeKernels.Bicubic(x.AsReadOnlySpan<int>(), output, n, inH, inW, c, h, w, align, half); break;
            case DataType.Int64: ResizeKernels.Bicubic(x.AsReadOnlySpan<long>(), output, n, inH, inW, c, h, w, align, half); break;
            case DataType.UInt8: ResizeKernels.Bicubic(x.AsReadOnlySpan<byte>(), output, n, inH, inW, c, h, w, align, half); break;
            default: throw ctx.InvalidArgument($"images of dtype {x.dtype.name} are not supported");
        }
    }

    /// <summary>image_grad.py's <c>_ResizeBicubicGrad</c>: ResizeBicubicGrad for float images; none otherwise and for the size.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var image = op.inputs[0];
        if (!image.dtype.is_floating) return [null, null];
        return [ResizeBicubicGrad.Build(grads[0]!, image, AlignCorners.Of(op), HalfPixelCenters.Of(op)), null];
    }

    /// <summary><c>tf.image.resize_bicubic(images, size, align_corners, half_pixel_centers)</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike size, bool alignCorners = false, bool halfPixelCenters = false, string? name = null) =>
        Def.Create(images, size, alignCorners, halfPixelCenters, name);
}
