using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// ResizeBilinear: NHWC images (any real type) resized to <c>size = [height, width]</c> by bilinear interpolation;
/// the result is float32, as in TensorFlow. Attributes <c>align_corners</c> and <c>half_pixel_centers</c>.
/// </summary>
internal sealed class ResizeBilinear : OpDef
{
    public static readonly ResizeBilinear Def = new();

    private static readonly OpAttr<bool> AlignCorners = new("align_corners", false);
    private static readonly OpAttr<bool> HalfPixelCenters = new("half_pixel_centers", false);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "ResizeBilinear";

    internal static void CheckImages(InferenceContext ctx, Shape images, string what)
    {
        if (images.IsKnownRank && images.ndims != 4) throw ctx.Error($"{what} must be 4-dimensional (NHWC), got {images.ToListString()}");
    }

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!(d.is_floating || d.is_integer)) throw ctx.TypeError($"images must be a real type, got {d.name}");
        if (ctx.InputDType(1) != DType.int32) throw ctx.TypeError($"size must be int32, got {ctx.InputDType(1).name}");
        var images = ctx.InputShape(0);
        CheckImages(ctx, images, "images");
        var size = ctx.ShapeFromInput(1);
        if (size.IsKnownRank && size.ndims != 2) throw ctx.Error($"size must have 2 elements (height, width), got {size.ToListString()}");
        var n = images.IsKnownRank ? images[0] : -1;
        var c = images.IsKnownRank ? images[3] : -1;
        ctx.AddOutput(DType.float32, size.IsKnownRank ? new Shape(n, size[0], size[1], c) : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (align, half) = (AlignCorners.Of(op), HalfPixelCenters.Of(op));
        return OpKernel.From(ctx =>
        {
            var images = ctx.Input(0);
            if (images.ndim != 4) throw ctx.InvalidArgument($"input must be 4-dimensional {images.shape.ToListString()}");
            var size = ctx.Input(1);
            if (size.ndim != 1 || size.size != 2) throw ctx.InvalidArgument($"shape_t must be 1-dimensional with 2 elements {size.shape.ToListString()}");
            var (h, w) = (size.ToArray<int>()[0], size.ToArray<int>()[1]);
            if (h <= 0 || w <= 0) throw ctx.InvalidArgument($"output dimensions must be positive, got [{h}, {w}]");
            var (n, inH, inW, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
            if (inH == 0 || inW == 0) throw ctx.InvalidArgument($"input image must be of non-zero size, got {images.shape.ToListString()}");
            var y = ctx.AllocateUninitializedOutput(0, DType.float32, new Shape(n, h, w, c));
            var output = y.AsSpan<float>();
            switch (images.dtype.Id)
            {
                case DataType.Float: ResizeBilinearKernels.Forward(images.AsReadOnlySpan<float>(), output, n, inH, inW, c, h, w, align, half); break;
                case DataType.Double: ResizeBilinearKernels.Forward(images.AsReadOnlySpan<double>(), output, n, inH, inW, c, h, w, align, half); break;
                case DataType.Int32: ResizeBilinearKernels.Forward(images.AsReadOnlySpan<int>(), output, n, inH, inW, c, h, w, align, half); break;
                case DataType.Int64: ResizeBilinearKernels.Forward(images.AsReadOnlySpan<long>(), output, n, inH, inW, c, h, w, align, half); break;
                case DataType.UInt8: ResizeBilinearKernels.Forward(images.AsReadOnlySpan<byte>(), output, n, inH, inW, c, h, w, align, half); break;
                default: throw ctx.InvalidArgument($"images of dtype {images.dtype.name} are not supported");
            }
        });
    }

    /// <summary>TensorFlow's <c>_ResizeBilinearGrad</c>: the images receive ResizeBilinearGrad (float images only); the size none.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var images = op.inputs[0];
        if (!images.dtype.is_floating) return [null, null];
        return [ResizeBilinearGrad.Build(grads[0]!, images, AlignCorners.Of(op), HalfPixelCenters.Of(op)), null];
    }

    /// <summary><c>tf.image.resize_bilinear(images, size, align_corners, half_pixel_centers)</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike size, bool alignCorners, bool halfPixelCenters, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ResizeBilinear", images, size);
        var x = b.Convert(images, "images");
        var s = b.Convert(size, "size", DType.int32);
        return b.Create(Def, [x, s], new() { { T, x.dtype }, { AlignCorners, alignCorners }, { HalfPixelCenters, halfPixelCenters } }).outputs[0];
    }
}
