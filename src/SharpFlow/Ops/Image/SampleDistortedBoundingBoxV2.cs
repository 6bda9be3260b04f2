using SharpFlow.Framework;
using SharpFlow.Kernels.Image;
using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.Image;

/// <summary>
/// SampleDistortedBoundingBoxV2 (<c>tf.image.sample_distorted_bounding_box</c>): a random crop of an image of
/// <c>image_size</c> [H, W, C] that covers at least <c>min_object_covered</c> of one of <c>bounding_boxes</c>
/// [batch, n, 4], with aspect ratio and relative area in the given ranges; outputs <c>begin</c> [3] and
/// <c>size</c> [3] for tf.slice and the crop as <c>bboxes</c> [1, 1, 4]. Stateful: each run draws a new crop
/// from the session's Philox generator (seed, seed2), reserving 4·max_attempts words as TensorFlow does.
/// </summary>
internal sealed class SampleDistortedBoundingBoxV2 : OpDef
{
    public static readonly SampleDistortedBoundingBoxV2 Def = new();

    private static readonly OpAttr<float[]> AspectRatioRange = new("aspect_ratio_range");
    private static readonly OpAttr<float[]> AreaRange = new("area_range");
    private static readonly OpAttr<int> MaxAttempts = new("max_attempts", 100);
    private static readonly OpAttr<long> SeedAttr = new("seed", 0);
    private static readonly OpAttr<long> Seed2Attr = new("seed2", 0);
    private static readonly OpAttr<bool> UseImageIfNoBoundingBoxes = new("use_image_if_no_bounding_boxes", false);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "SampleDistortedBoundingBoxV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var t = ctx.InputDType(0);
        if (!t.is_integer) throw ctx.TypeError($"image_size must be an integer type, got {t.name}");
        if (ctx.InputShape(0) is { IsKnownRank: true } s && (s.ndims != 1 || s[0] is not (3 or -1))) throw ctx.Error($"image_size must be 1-D with 3 elements, got {s.ToListString()}");
        if (ctx.InputDType(1) != DType.float32) throw ctx.TypeError($"bounding_boxes must be float32, got {ctx.InputDType(1).name}");
        if (ctx.InputShape(1) is { IsKnownRank: true } b && (b.ndims != 3 || b[2] is not (4 or -1))) throw ctx.Error($"bounding_boxes must be 3-D [batch, N, 4], got {b.ToListString()}");
        if (ctx.InputShape(2) is { IsKnownRank: true, ndims: not 0 } m) throw ctx.Error($"min_object_covered must be 0-D, got {m.ToListString()}");
        var aspect = AspectRatioRange.Of(ctx);
        if (aspect.Length != 2 || aspect[0] <= 0 || aspect[1] <= 0) throw ctx.Error("aspect_ratio_range must have 2 positive elements");
        var area = AreaRange.Of(ctx);
        if (area.Length != 2 || area[0] <= 0 || area[1] <= 0 || area[0] > 1 || area[1] > 1) throw ctx.Error("area_range must have 2 elements in (0, 1]");
        if (MaxAttempts.Of(ctx) <= 0) throw ctx.Error($"max_attempts must be positive, got {MaxAttempts.Of(ctx)}");
        ctx.AddOutput(t, new Shape(3));
        ctx.AddOutput(t, new Shape(3));
        ctx.AddOutput(DType.float32, new Shape(1, 1, 4));
    }

    public override OpKernel CreateKernel(Operation op) => new Kernel(op);

    private sealed class Words(Philox generator) : BoxKernels.IWords
    {
        private SingleSampleAdapter _adapter = new(generator);

        public uint Next() => _adapter.Next();
    }

    private sealed class Kernel(Operation op) : OpKernel
    {

        private readonly GuardedPhilox _generator = new(SeedAttr.Of(op), Seed2Attr.Of(op));
        private readonly float[] _aspect = AspectRatioRange.Of(op);
        private readonly float[] _area = AreaRange.Of(op);
        private readonly int _maxAttempts = MaxAttempts.Of(op);
        private readonly bool _useImage = UseImageIfNoBoundingBoxes.Of(op);

        internal override GuardedPhilox Generator => _generator;

        public override void Compute(OpKernelContext ctx)
        {
            var (imageSize, boxes, covered) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
            if (imageSize.ndim != 1 || imageSize.size != 3) throw ctx.InvalidArgument($"image_size must be 1-dimensional with 3 elements, got {imageSize.shape.ToListString()}");
            var size = imageSize.ToArray<long>();
            if (size.Any(v => v <= 0 || v > int.MaxValue)) throw ctx.InvalidArgument($"image height and width must be positive, got [{string.Join(", ", size)}]");
            var (height, width) = ((int)size[0], (int)size[1]);
            if (boxes.ndim != 3 || boxes.shape[2] != 4) throw ctx.InvalidArgument($"input boxes must be 3-dimensional [batch, num_boxes, coords]: {boxes.shape.ToListString()}");
            if (covered.ndim != 0) throw ctx.InvalidArgument($"min_object_covered must be 0-D, got {covered.shape.ToListString()}");
            var minCovered = covered.ToArray<float>()[0];
            if (minCovered < 0) throw ctx.InvalidArgument($"min_object_covered must be non-negative: {minCovered}");
            var rects = new List<BoxKernels.Rect>();
            var b = boxes.AsReadOnlySpan<float>();
            for (var i = 0; i < b.Length; i += 4)
            {
                var (y1, x1, y2, x2) = (b[i], b[i + 1], b[i + 2], b[i + 3]);
                if (!(y1 >= 0 && x1 >= 0 && y2 <= 1 && x2 <= 1 && y1 < y2 && x1 < x2))
                    throw ctx.InvalidArgument($"Invalid bounding box [{y1}, {x1}, {y2}, {x2}]: each box must satisfy 0 <= ymin < ymax <= 1 and 0 <= xmin < xmax <= 1");
                rects.Add(new BoxKernels.Rect(y1 * height, x1 * width, y2 * height, x2 * width));
            }
            if (rects.Count == 0)
            {
                if (!_useImage)
                    throw ctx.InvalidArgument("No bounding boxes provided as input. One must enable use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.");
                rects.Add(new BoxKernels.Rect(0, 0, height, width));
            }
            var words = new Words(_generator.ReserveSamples32((ulong)(4 * _maxAttempts)));
            var crop = BoxKernels.SampleCrop(height, width, rects, minCovered, _aspect[0], _aspect[1], _area[0], _area[1], _maxAttempts, words);
            var (top, left) = ((int)crop.MinY, (int)crop.MinX);
            var (h, w) = ((int)crop.MaxY - top, (int)crop.MaxX - left);
            var begin = ctx.AllocateOutput(0, imageSize.dtype, new Shape(3));
            var sizeOut = ctx.AllocateOutput(1, imageSize.dtype, new Shape(3));
            Fill(begin, [top, left, 0]);
            Fill(sizeOut, [h, w, -1]);
            var bbox = ctx.AllocateUninitializedOutput(2, DType.float32, new Shape(1, 1, 4));
            var o = bbox.AsSpan<float>();
            (o[0], o[1], o[2], o[3]) = (top / (float)height, left / (float)width, (top + h) / (float)height, (left + w) / (float)width);
        }

        private static void Fill(NDArray target, long[] values)
        {
            var cast = new NDArray(values, new Shape(3)).Cast(target.dtype);
            switch (target.dtype.Id)
            {
                case DataType.Int32: cast.AsReadOnlySpan<int>().CopyTo(target.AsSpan<int>()); break;
                case DataType.Int64: cast.AsReadOnlySpan<long>().CopyTo(target.AsSpan<long>()); break;
                default: cast.AsReadOnlySpan<byte>().CopyTo(target.AsSpan<byte>()); break;
            }
        }
    }

    /// <summary><c>tf.image.sample_distorted_bounding_box(image_size, bounding_boxes, seed, seed2, min_object_covered, aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes)</c>.</summary>
    public static (Tensor Begin, Tensor Size, Tensor Bboxes) Build(TensorLike imageSize, TensorLike boundingBoxes, (long Seed, long Seed2) seeds, TensorLike minObjectCovered,
        float[] aspectRatioRange, float[] areaRange, int maxAttempts, bool useImageIfNoBoundingBoxes, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SampleDistortedBoundingBoxV2", imageSize, boundingBoxes, minObjectCovered);
        var size = b.Convert(imageSize, "image_size", imageSize.Value is Tensor ? null : DType.int32);
        var inputs = new[] { size, b.Convert(boundingBoxes, "bounding_boxes", DType.float32), b.Convert(minObjectCovered, "min_object_covered", DType.float32) };
        var op = b.Create(Def, inputs, new()
        {
            { T, size.dtype }, { SeedAttr, seeds.Seed }, { Seed2Attr, seeds.Seed2 }, { AspectRatioRange, aspectRatioRange }, { AreaRange, areaRange },
            { MaxAttempts, maxAttempts }, { UseImageIfNoBoundingBoxes, useImageIfNoBoundingBoxes },
        });
        return (op.outputs[0], op.outputs[1], op.outputs[2]);
    }
}
