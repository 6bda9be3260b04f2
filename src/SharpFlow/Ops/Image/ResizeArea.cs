using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// ResizeArea (<c>tf.image.resize_area</c>): each output pixel the mean of the input area it covers; float32 out.
/// TensorFlow registers no gradient for it.
/// </summary>
internal sealed class ResizeArea : ResizeOp
{
    public static readonly ResizeArea Def = new();

    public override string Type => "ResizeArea";

    public override bool NotDifferentiable => true;

    protected override bool HasHalfPixelCenters => false;

    protected override void Run(OpKernelContext ctx, NDArray x, NDArray y, int n, int inH, int inW, int c, int h, int w, bool align, bool half)
    {
        var output = y.AsSpan<float>();
        switch (x.dtype.Id)
        {
            case DataType.Float: ResizeKernels.Area(x.AsReadOnlySpan<float>(), output, n, inH, inW, c, h, w, align); break;
            case DataType.Double: ResizeKernels.Area(x.AsReadOnlySpan<double>(), output, n, inH, inW, c, h, w, align); break;
            case DataType.Int32: ResizeKernels.Area(x.AsReadOnlySpan<int>(), output, n, inH, inW, c, h, w, align); break;
            case DataType.Int64: ResizeKernels.Area(x.AsReadOnlySpan<long>(), output, n, inH, inW, c, h, w, align); break;
            case DataType.UInt8: ResizeKernels.Area(x.AsReadOnlySpan<byte>(), output, n, inH, inW, c, h, w, align); break;
            default: throw ctx.InvalidArgument($"images of dtype {x.dtype.name} are not supported");
        }
    }

    /// <summary><c>tf.image.resize_area(images, size, align_corners)</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike size, bool alignCorners = false, string? name = null) =>
        Def.Create(images, size, alignCorners, false, name);
}
