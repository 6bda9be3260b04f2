using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// CropAndResize (<c>tf.image.crop_and_resize</c>): <c>image</c> [batch, H, W, depth], <c>boxes</c> float32
/// [num_boxes, 4] ([y1, x1, y2, x2], normalized), <c>box_ind</c> int32 [num_boxes], <c>crop_size</c> int32 [2];
/// float32 [num_boxes, crop_h, crop_w, depth] out. Attributes <c>method</c> ("bilinear", "nearest") and
/// <c>extrapolation_value</c>.
/// </summary>
internal sealed class CropAndResize : OpDef
{
    public static readonly CropAndResize Def = new();

    private static readonly OpAttr<string> Method = new("method", "bilinear");
    private static readonly OpAttr<float> ExtrapolationValue = new("extrapolation_value", 0f);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "CropAndResize";

    internal static void CheckBoxes(InferenceContext ctx, int boxesInput, int indexInput)
    {
        if (ctx.InputDType(boxesInput) != DType.float32) throw ctx.TypeError($"boxes must be float32, got {ctx.InputDType(boxesInput).name}");
        if (ctx.InputDType(indexInput) != DType.int32) throw ctx.TypeError($"box_ind must be int32, got {ctx.InputDType(indexInput).name}");
        var boxes = ctx.InputShape(boxesInput);
        if (boxes.IsKnownRank && (boxes.ndims != 2 || boxes[1] is not (4 or -1))) throw ctx.Error($"boxes must be 2-D [num_boxes, 4], got {boxes.ToListString()}");
        var index = ctx.InputShape(indexInput);
        if (index.IsKnownRank && index.ndims != 1) throw ctx.Error($"box_ind must be 1-D, got {index.ToListString()}");
        if (boxes.IsKnownRank && index.IsKnownRank && boxes[0] >= 0 && index[0] >= 0 && boxes[0] != index[0])
            throw ctx.Error($"boxes and box_ind must have the same number of boxes, got {boxes.ToListString()} and {index.ToListString()}");
    }

    /// <summary>TensorFlow's run-time checks of boxes and box_ind against the batch.</summary>
    internal static void CheckBoxes(OpKernelContext ctx, NDArray boxes, NDArray boxIndex, int batch)
    {
        if (boxes.ndim != 2 || boxes.shape[1] != 4) throw ctx.InvalidArgument($"boxes must be 2-D [num_boxes, 4], got {boxes.shape.ToListString()}");
        if (boxIndex.ndim != 1 || boxIndex.shape[0] != boxes.shape[0]) throw ctx.InvalidArgument($"box_index has incompatible shape {boxIndex.shape.ToListString()}");
        foreach (var b in boxIndex.AsReadOnlySpan<int>())
            if (b < 0 || b >= batch) throw ctx.InvalidArgument("box_index has values outside [0, batch_size)");
    }

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!(d.is_floating || d.is_integer)) throw ctx.TypeError($"image must be a real type, got {d.name}");
        var image = ctx.InputShape(0);
        ResizeBilinear.CheckImages(ctx, image, "image");
        CheckBoxes(ctx, 1, 2);
        var method = Method.Of(ctx);
        if (method is not ("bilinear" or "nearest")) throw ctx.Error($"method must be 'bilinear' or 'nearest', got '{method}'");
        if (ctx.InputDType(3) != DType.int32) throw ctx.TypeError($"crop_size must be int32, got {ctx.InputDType(3).name}");
        var size = ctx.ShapeFromInput(3);
        if (size.IsKnownRank && size.ndims != 2) throw ctx.Error($"crop_size must have 2 elements, got {size.ToListString()}");
        var n = ctx.InputShape(1).IsKnownRank ? ctx.InputShape(1)[0] : -1;
        ctx.AddOutput(DType.float32, new Shape(n, size.IsKnownRank ? size[0] : -1, size.IsKnownRank ? size[1] : -1, image.IsKnownRank ? image[3] : -1));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var bilinear = Method.Of(op) == "bilinear";
        var extrapolation = ExtrapolationValue.Of(op);
        return OpKernel.From(ctx =>
        {
            var (image, boxes, index, size) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3));
            if (image.ndim != 4) throw ctx.InvalidArgument($"input image must be 4-D {image.shape.ToListString()}");
            var (batch, h, w, depth) = (image.shape[0], image.shape[1], image.shape[2], image.shape[3]);
            if (h <= 0 || w <= 0) throw ctx.InvalidArgument("image dimensions must be positive");
            CheckBoxes(ctx, boxes, index, batch);
            if (size.ndim != 1 || size.size != 2) throw ctx.InvalidArgument($"crop_size must be a 1-D tensor of length 2, got {size.shape.ToListString()}");
            var (ch, cw) = (size.ToArray<int>()[0], size.ToArray<int>()[1]);
            if (ch <= 0 || cw <= 0) throw ctx.InvalidArgument("crop dimensions must be positive");
            var crops = ctx.AllocateUninitializedOutput(0, DType.float32, new Shape(boxes.shape[0], ch, cw, depth));
            var b = boxes.AsReadOnlySpan<float>();
            var i = index.AsReadOnlySpan<int>();
            var o = crops.AsSpan<float>();
            switch (image.dtype.Id)
            {
                case DataType.Float: CropAndResizeKernels.Forward(image.AsReadOnlySpan<float>(), b, i, o, h, w, depth, ch, cw, bilinear, extrapolation); break;
                case DataType.Double: CropAndResizeKernels.Forward(image.AsReadOnlySpan<double>(), b, i, o, h, w, depth, ch, cw, bilinear, extrapolation); break;
                case DataType.Int32: CropAndResizeKernels.Forward(image.AsReadOnlySpan<int>(), b, i, o, h, w, depth, ch, cw, bilinear, extrapolation); break;
                case DataType.Int64: CropAndResizeKernels.Forward(image.AsReadOnlySpan<long>(), b, i, o, h, w, depth, ch, cw, bilinear, extrapolation); break;
                case DataType.UInt8: CropAndResizeKernels.Forward(image.AsReadOnlySpan<byte>(), b, i, o, h, w, depth, ch, cw, bilinear, extrapolation); break;
                default: throw ctx.InvalidArgument($"images of dtype {image.dtype.name} are not supported");
            }
        });
    }

    /// <summary>image_grad.py's <c>_CropAndResizeGrad</c>: the image (float only) and the boxes; none for box_ind and crop_size.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var image = op.inputs[0];
        var method = Method.Of(op);
        TensorLike imageSize = image.shape.IsFullyDefined ? image.shape.Dims : ArrayOps.Shape_.Build(image);
        var gradImage = image.dtype.is_floating ? CropAndResizeGradImage.Build(grads[0]!, op.inputs[1], op.inputs[2], imageSize, image.dtype, method) : null;
        // As image_grad.py: the boxes' gradient is the bilinear one whatever the method (the attribute keeps its default).
        var gradBoxes = CropAndResizeGradBoxes.Build(grads[0]!, image, op.inputs[1], op.inputs[2], "bilinear");
        return [gradImage, gradBoxes, null, null];
    }

    /// <summary><c>tf.image.crop_and_resize(image, boxes, box_ind, crop_size, method, extrapolation_value)</c>.</summary>
    public static Tensor Build(TensorLike image, TensorLike boxes, TensorLike boxInd, TensorLike cropSize, string method = "bilinear", float extrapolationValue = 0, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "CropAndResize", image, boxes, boxInd, cropSize);
        var x = b.Convert(image, "image");
        var bx = b.Convert(boxes, "boxes", DType.float32);
        var bi = b.Convert(boxInd, "box_ind", DType.int32);
        var cs = b.Convert(cropSize, "crop_size", DType.int32);
        return b.Create(Def, [x, bx, bi, cs], new() { { T, x.dtype }, { Method, method }, { ExtrapolationValue, extrapolationValue } }).outputs[0];
    }
}
