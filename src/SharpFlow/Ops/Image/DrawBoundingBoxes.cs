using SharpFlow.Framework;
using SharpFlow.Kernels.Image;

namespace SharpFlow.Ops.Image;

/// <summary>
/// DrawBoundingBoxes (<c>tf.image.draw_bounding_boxes</c>): float images [batch, H, W, depth] (depth 1, 3 or 4) and
/// boxes [batch, n, 4]; the images with each box's outline drawn in TensorFlow's colour cycle.
/// </summary>
internal sealed class DrawBoundingBoxes : OpDef
{
    public static readonly DrawBoundingBoxes Def = new();
    internal static readonly OpAttr<DType> T = new("T", DType.float32);

    public override string Type => "DrawBoundingBoxes";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var d = ctx.InputDType(0);
        if (!d.is_floating) throw ctx.TypeError($"images must be float32 or float64, got {d.name}");
        if (ctx.InputDType(1) != DType.float32) throw ctx.TypeError($"boxes must be float32, got {ctx.InputDType(1).name}");
        var images = ctx.InputShape(0);
        if (images.IsKnownRank && images.ndims != 4) throw ctx.Error($"images must be 4-D [batch, height, width, depth], got {images.ToListString()}");
        if (images.IsKnownRank && images[3] is not (-1 or 1 or 3 or 4)) throw ctx.Error($"Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA), got {images.ToListString()}");
        var boxes = ctx.InputShape(1);
        if (boxes.IsKnownRank && (boxes.ndims != 3 || boxes[2] is not (4 or -1))) throw ctx.Error($"boxes must be 3-D [batch, num_boxes, 4], got {boxes.ToListString()}");
        ctx.AddOutput(d, images);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (images, boxes) = (ctx.Input(0), ctx.Input(1));
        if (images.ndim != 4) throw ctx.InvalidArgument($"The rank of the images should be 4{images.shape.ToListString()}");
        var (n, h, w, depth) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        if (depth is not (1 or 3 or 4)) throw ctx.InvalidArgument("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)");
        if (boxes.ndim != 3 || boxes.shape[0] != n || boxes.shape[2] != 4)
            throw ctx.InvalidArgument($"boxes must be [batch, num_boxes, 4] with the images' batch, got {boxes.shape.ToListString()}");
        if (images.dtype == DType.float32)
        {
            var canvas = images.ToArray<float>();
            BoxKernels.Draw(canvas, boxes.AsReadOnlySpan<float>(), n, h, w, depth, boxes.shape[1], v => v);
            ctx.ForwardOutput(0, new NDArray(canvas, images.shape));
        }
        else
        {
            var canvas = images.ToArray<double>();
            BoxKernels.Draw(canvas, boxes.AsReadOnlySpan<float>(), n, h, w, depth, boxes.shape[1], v => (double)v);
            ctx.ForwardOutput(0, new NDArray(canvas, images.shape));
        }
    });

    /// <summary><c>tf.image.draw_bounding_boxes(images, boxes)</c>.</summary>
    public static Tensor Build(TensorLike images, TensorLike boxes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "DrawBoundingBoxes", images, boxes);
        var x = b.Convert(images, "images");
        return b.Create(Def, [x, b.Convert(boxes, "boxes", DType.float32)], new() { { T, x.dtype } }).outputs[0];
    }
}
