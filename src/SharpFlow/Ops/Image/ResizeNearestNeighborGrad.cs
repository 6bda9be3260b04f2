using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>ResizeNearestNeighborGrad: the gradient of ResizeNearestNeighbor, [N, size[0], size[1], C] with each output gradient summed into its source pixel.</summary>
internal sealed class ResizeNearestNeighborGrad : OpDef
{
    public static readonly ResizeNearestNeighborGrad Def = new();

    private static readonly OpAttr<bool> AlignCorners = new("align_corners", false);
    private static readonly OpAttr<bool> HalfPixelCenters = new("half_pixel_centers", false);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "ResizeNearestNeighborGrad";

    /// <summary>The gradient is linear in <c>grads</c>: its own gradient is the forward resize (TensorFlow registers none).</summary>
    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!(d.is_floating || d.is_integer)) throw ctx.TypeError($"grads must be a real type, got {d.name}");
        if (ctx.InputDType(1) != DType.int32) throw ctx.TypeError($"size must be int32, got {ctx.InputDType(1).name}");
        var grads = ctx.InputShape(0);
        ResizeBilinear.CheckImages(ctx, grads, "grads");
        var size = ctx.ShapeFromInput(1);
        if (size.IsKnownRank && size.ndims != 2) throw ctx.Error($"size must have 2 elements (height, width), got {size.ToListString()}");
        ctx.AddOutput(d, size.IsKnownRank ? new Shape(grads.IsKnownRank ? grads[0] : -1, size[0], size[1], grads.IsKnownRank ? grads[3] : -1) : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var (align, half) = (AlignCorners.Of(op), HalfPixelCenters.Of(op));
        return OpKernel.From(ctx =>
        {
            var dy = ctx.Input(0);
            var (n, outH, outW, c, h, w) = ResizeOp.CheckSizes(ctx, dy, ctx.Input(1), align);
            var dx = ctx.AllocateUninitializedOutput(0, dy.dtype, new Shape(n, h, w, c));
            switch (dy.dtype.Id)
            {
                case DataType.Float: ResizeKernels.NearestGrad(dy.AsReadOnlySpan<float>(), dx.AsSpan<float>(), n, h, w, c, outH, outW, align, half); break;
                case DataType.Double: ResizeKernels.NearestGrad(dy.AsReadOnlySpan<double>(), dx.AsSpan<double>(), n, h, w, c, outH, outW, align, half); break;
                case DataType.Int32: ResizeKernels.NearestGrad(dy.AsReadOnlySpan<int>(), dx.AsSpan<int>(), n, h, w, c, outH, outW, align, half); break;
                case DataType.Int64: ResizeKernels.NearestGrad(dy.AsReadOnlySpan<long>(), dx.AsSpan<long>(), n, h, w, c, outH, outW, align, half); break;
                case DataType.UInt8: ResizeKernels.NearestGrad(dy.AsReadOnlySpan<byte>(), dx.AsSpan<byte>(), n, h, w, c, outH, outW, align, half); break;
                default: throw ctx.InvalidArgument($"grads of dtype {dy.dtype.name} are not supported");
            }
        });
    }

    public static Tensor Build(TensorLike grads, TensorLike size, bool alignCorners, bool halfPixelCenters, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ResizeNearestNeighborGrad", grads, size);
        var g = b.Convert(grads, "grads");
        var s = b.Convert(size, "size", DType.int32);
        return b.Create(Def, [g, s], new() { { T, g.dtype }, { AlignCorners, alignCorners }, { HalfPixelCenters, halfPixelCenters } }).outputs[0];
    }
}
