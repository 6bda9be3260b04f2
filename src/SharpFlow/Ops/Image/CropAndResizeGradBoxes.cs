using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>CropAndResizeGradBoxes: the gradient of (bilinear) CropAndResize with respect to the boxes, float32 [num_boxes, 4].</summary>
internal sealed class CropAndResizeGradBoxes : OpDef
{
    public static readonly CropAndResizeGradBoxes Def = new();

    private static readonly OpAttr<string> Method = new("method", "bilinear");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "CropAndResizeGradBoxes";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.float32) throw ctx.TypeError($"grads must be float32, got {ctx.InputDType(0).name}");
        ResizeBilinear.CheckImages(ctx, ctx.InputShape(1), "image");
        CropAndResize.CheckBoxes(ctx, 2, 3);
        if (Method.Of(ctx) != "bilinear") throw ctx.Error($"method must be 'bilinear', got '{Method.Of(ctx)}'");
        ctx.AddOutput(DType.float32, ctx.InputShape(2));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (grads, image, boxes, index) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3));
        if (image.ndim != 4) throw ctx.InvalidArgument($"input image must be 4-D {image.shape.ToListString()}");
        var (batch, h, w, depth) = (image.shape[0], image.shape[1], image.shape[2], image.shape[3]);
        CropAndResize.CheckBoxes(ctx, boxes, index, batch);
        if (grads.ndim != 4 || grads.shape[0] != boxes.shape[0] || grads.shape[3] != depth)
            throw ctx.InvalidArgument($"grads {grads.shape.ToListString()} do not match the boxes and the image depth");
        var output = ctx.AllocateUninitializedOutput(0, DType.float32, boxes.shape);
        var g = grads.AsReadOnlySpan<float>();
        var b = boxes.AsReadOnlySpan<float>();
        var i = index.AsReadOnlySpan<int>();
        var o = output.AsSpan<float>();
        var (ch, cw) = (grads.shape[1], grads.shape[2]);
        switch (image.dtype.Id)
        {
            case DataType.Float: CropAndResizeKernels.GradBoxes(g, image.AsReadOnlySpan<float>(), b, i, o, h, w, depth, ch, cw); break;
            case DataType.Double: CropAndResizeKernels.GradBoxes(g, image.AsReadOnlySpan<double>(), b, i, o, h, w, depth, ch, cw); break;
            case DataType.Int32: CropAndResizeKernels.GradBoxes(g, image.AsReadOnlySpan<int>(), b, i, o, h, w, depth, ch, cw); break;
            case DataType.Int64: CropAndResizeKernels.GradBoxes(g, image.AsReadOnlySpan<long>(), b, i, o, h, w, depth, ch, cw); break;
            case DataType.UInt8: CropAndResizeKernels.GradBoxes(g, image.AsReadOnlySpan<byte>(), b, i, o, h, w, depth, ch, cw); break;
            default: throw ctx.InvalidArgument($"images of dtype {image.dtype.name} are not supported");
        }
    });

    public static Tensor Build(TensorLike grads, TensorLike image, TensorLike boxes, TensorLike boxInd, string method, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "CropAndResizeGradBoxes", grads, image, boxes, boxInd);
        var x = b.Convert(image, "image");
        var inputs = new[] { b.Convert(grads, "grads"), x, b.Convert(boxes, "boxes"), b.Convert(boxInd, "box_ind") };
        return b.Create(Def, inputs, new() { { T, x.dtype }, { Method, method } }).outputs[0];
    }
}
