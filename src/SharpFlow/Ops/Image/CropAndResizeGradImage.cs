using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>CropAndResizeGradImage: the gradient of CropAndResize with respect to the image, [batch, H, W, depth] of dtype T.</summary>
internal sealed class CropAndResizeGradImage : OpDef
{
    public static readonly CropAndResizeGradImage Def = new();

    private static readonly OpAttr<DType> TAttr = new("T");
    private static readonly OpAttr<string> Method = new("method", "bilinear");

    public override string Type => "CropAndResizeGradImage";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.float32) throw ctx.TypeError($"grads must be float32, got {ctx.InputDType(0).name}");
        CropAndResize.CheckBoxes(ctx, 1, 2);
        var t = TAttr.Of(ctx);
        if (!t.is_floating) throw ctx.TypeError($"T must be float32 or float64, got {t.name}");
        var size = ctx.ShapeFromInput(3);
        ctx.AddOutput(t, size.IsKnownRank ? size : Shape.UnknownDims(4));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var bilinear = Method.Of(op) == "bilinear";
        var t = TAttr.Of(op);
        return OpKernel.From(ctx =>
        {
            var (grads, boxes, index, size) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3));
            if (size.ndim != 1 || size.size != 4) throw ctx.InvalidArgument($"image_size must be 1-D with 4 elements, got {size.shape.ToListString()}");
            var s = size.ToArray<int>();
            if (s.Any(v => v <= 0)) throw ctx.InvalidArgument("image dimensions must be positive");
            CropAndResize.CheckBoxes(ctx, boxes, index, s[0]);
            if (grads.ndim != 4 || grads.shape[0] != boxes.shape[0] || grads.shape[3] != s[3])
                throw ctx.InvalidArgument($"grads {grads.shape.ToListString()} do not match the boxes and the image depth");
            var output = ctx.AllocateUninitializedOutput(0, t, new Shape(s));
            var g = grads.AsReadOnlySpan<float>();
            var b = boxes.AsReadOnlySpan<float>();
            var i = index.AsReadOnlySpan<int>();
            if (t == DType.float32) CropAndResizeKernels.GradImage(g, b, i, output.AsSpan<float>(), s[1], s[2], s[3], grads.shape[1], grads.shape[2], bilinear);
            else CropAndResizeKernels.GradImage(g, b, i, output.AsSpan<double>(), s[1], s[2], s[3], grads.shape[1], grads.shape[2], bilinear);
        });
    }

    public static Tensor Build(TensorLike grads, TensorLike boxes, TensorLike boxInd, TensorLike imageSize, DType t, string method, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "CropAndResizeGradImage", grads, boxes, boxInd, imageSize);
        var inputs = new[] { b.Convert(grads, "grads"), b.Convert(boxes, "boxes"), b.Convert(boxInd, "box_ind"), b.Convert(imageSize, "image_size", DType.int32) };
        return b.Create(Def, inputs, new() { { TAttr, t }, { Method, method } }).outputs[0];
    }
}
