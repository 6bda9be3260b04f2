using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>ResizeNearestNeighbor (<c>tf.image.resize_nearest_neighbor</c>): NHWC images resized by copying the nearest pixel; the dtype is kept.</summary>
internal sealed class ResizeNearestNeighbor : ResizeOp
{
    public static readonly ResizeNearestNeighbor Def = new();

    private static readonly OpAttr<bool> AlignCorners = new("align_corners", false);
    private static readonly OpAttr<bool> HalfPixelCenters = new("half_pixel_centers", false);

    public override string Type => "ResizeNearestNeighbor";

    protected override DType OutputDType(DType input) => input;

    protected override void Run(OpKernelContext ctx, NDArray x, NDArray y, int n, int inH, int inW, int c, int h, int w, bool align, bool half)
    {
        switch (x.dtype.Id)
        {
            case DataType.Float: ResizeKernels.Nearest(x.AsReadOnlySpan<float>(), y.AsSpan<float>(), n, inH, inW, c, h, w, align, half); break;
            case DataType.Double: ResizeKernels.Nearest(x.AsReadOnlySpan<double>(), y.AsSpan<double>(), n, inH, inW, c, h, w, align, half); break;
            case DataType.Int32: ResizeKernels.Nearest(x.AsReadOnlySpan<int>(), y.AsSpan<int>(), n, inH, inW, c, h, w, align, half); break;
            case DataType.Int64: ResizeKernels.Nearest(x.AsReadOnlySpan<long>(), y.AsSpan<long>(), n, inH, inW, c, h, w, align, half); break;
            case DataType.UInt8: ResizeKernels.Nearest(x.AsReadOnlySpan<byte>(), y.AsSpan<byte>(), n, inH, inW, c, h, w, align, half); break;
            default: throw ctx.InvalidArgument($"images of dtype {x.dtype.name} are not supported");
        }
    }

    /// <summary>image_grad.py's <c>_ResizeNearestNeighborGrad</c>: ResizeNearestNeighborGrad to the input's size; the size none.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var image = op.inputs[0];
        TensorLike size = image.shape.IsKnownRank && image.shape[1] >= 0 && image.shape[2] >= 0
            ? new[] { image.shape[1], image.shape[2] }
            : ArrayOps.Slice.Build(ArrayOps.Shape_.Build(image), new[] { 1 }, new[] { 2 });
        return [ResizeNearestNeighborGrad.Build(grads[0]!, size, AlignCorners.Of(op), HalfPixelCenters.Of(op)), null];
    }

    /// <summary><c>tf.image.resize_nearest_neighbor(images, size, align_corners, half_pixel_centers)</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike size, bool alignCorners = false, bool halfPixelCenters = false, string? name = null) =>
        Def.Create(images, size, alignCorners, halfPixelCenters, name);
}
