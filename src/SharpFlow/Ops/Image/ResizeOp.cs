using SharpFlow.Framework;

namespace SharpFlow.Ops.Image;

/// <summary>
/// The shared rule of the resize ops (image_ops.cc's ResizeShapeFn): <c>images</c> [N, H, W, C] of a real type,
/// <c>size</c> an int32 [2] = [new_height, new_width]; attributes <c>align_corners</c> and <c>half_pixel_centers</c>.
/// </summary>
internal abstract class ResizeOp : OpDef
{
    private static readonly OpAttr<bool> AlignCorners = new("align_corners");
    private static readonly OpAttr<bool> HalfPixelCenters = new("half_pixel_centers", false);
    internal static readonly OpAttr<DType> T = new("T");

    /// <summary>The output dtype for images of <paramref name="input"/>'s dtype (float32 but for nearest neighbour).</summary>
    protected virtual DType OutputDType(DType input) => DType.float32;

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!(d.is_floating || d.is_integer)) throw ctx.TypeError($"images must be a real type, got {d.name}");
        if (ctx.InputDType(1) != DType.int32) throw ctx.TypeError($"size must be int32, got {ctx.InputDType(1).name}");
        var images = ctx.InputShape(0);
        ResizeBilinear.CheckImages(ctx, images, "images");
        var size = ctx.ShapeFromInput(1);
        if (size.IsKnownRank && size.ndims != 2) throw ctx.Error($"size must have 2 elements (height, width), got {size.ToListString()}");
        var n = images.IsKnownRank ? images[0] : -1;
        var c = images.IsKnownRank ? images[3] : -1;
        ctx.AddOutput(OutputDType(d), size.IsKnownRank ? new Shape(n, size[0], size[1], c) : Shape.UnknownDims(4));
    }

    /// <summary>Runs the resize: input, output and the geometry.</summary>
    protected abstract void Run(OpKernelContext ctx, NDArray images, NDArray output, int n, int inH, int inW, int c, int h, int w, bool align, bool half);

    public override OpKernel CreateKernel(Operation op)
    {
        var align = AlignCorners.Of(op);
        var half = HasHalfPixelCenters && HalfPixelCenters.Of(op);
        return OpKernel.From(ctx =>
        {
            var images = ctx.Input(0);
            var (n, inH, inW, c, h, w) = CheckSizes(ctx, images, ctx.Input(1), align);
            var y = ctx.AllocateUninitializedOutput(0, OutputDType(images.dtype), new Shape(n, h, w, c));
            Run(ctx, images, y, n, inH, inW, c, h, w, align, half);
        });
    }

    /// <summary>TensorFlow's ImageResizerState checks.</summary>
    internal static (int N, int InH, int InW, int C, int H, int W) CheckSizes(OpKernelContext ctx, NDArray images, NDArray size, bool align)
    {
        if (images.ndim != 4) throw ctx.InvalidArgument($"input must be 4-dimensional{images.shape.ToListString()}");
        if (size.ndim != 1 || size.size != 2) throw ctx.InvalidArgument($"shape_t must be 1-dimensional with 2 elements {size.shape.ToListString()}");
        var (h, w) = (size.ToArray<int>()[0], size.ToArray<int>()[1]);
        if (h <= 0 || w <= 0) throw ctx.InvalidArgument($"output dimensions must be positive, got [{h}, {w}]");
        var (n, inH, inW, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        if (inH == 0 || inW == 0) throw ctx.InvalidArgument($"input image must be of non-zero size, got {images.shape.ToListString()}");
        return (n, inH, inW, c, h, w);
    }

    /// <summary>
    /// Whether TensorFlow's OpDef has the attribute <c>half_pixel_centers</c> (ResizeArea has only
    /// <c>align_corners</c>, and TensorFlow's importer refuses a node with an attribute its OpDef lacks).
    /// </summary>
    protected virtual bool HasHalfPixelCenters => true;

    /// <summary>Creates the op.</summary>
    protected Tensor Create(TensorLike images, TensorLike size, bool alignCorners, bool halfPixelCenters, string? name)
    {
        using var b = OpBuilder.Begin(name, Type, images, size);
        var x = b.Convert(images, "images");
        var s = b.Convert(size, "size", DType.int32);
        var attrs = new Dictionary<string, object> { { T, x.dtype }, { AlignCorners, alignCorners } };
        if (HasHalfPixelCenters) HalfPixelCenters.Set(attrs, halfPixelCenters);
        return b.Create(this, [x, s], attrs).outputs[0];
    }
}
