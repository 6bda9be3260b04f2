using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// SampleDistortedBoundingBoxV2 (<c>tf.image.sample_distorted_bounding_box</c>) as an ONNX Loop over max_attempts:
/// each attempt draws four uniforms (RandomUniform, the seed passed on as the other random ops do), takes them as the
/// kernel's draws of the aspect ratio, the crop's height and its top and left corner, applies the kernel's crop rules
/// (GenerateRandomCrop: heights from the area range, Round half to even, the one-pixel corrections) and its coverage
/// test (SatisfiesOverlapConstraints), and stops at the first crop it keeps; when none is kept the crop is the whole
/// image. The draws cannot be SharpFlow's (ONNX Runtime has its own generator), so a crop differs from SharpFlow's
/// unless the ranges and boxes leave one answer; every crop the model gives is one the kernel could give.
/// The kernel's input checks (image size, box corners, a negative min_object_covered, no boxes without
/// use_image_if_no_bounding_boxes) are not in the model: with no boxes to cover it gives the whole image.
/// </summary>
internal sealed partial class OnnxExporter
{
    private void SampleDistortedBoundingBoxOp(Operation op)
    {
        var aspectRange = Attr<float[]>(op, "aspect_ratio_range");
        var areaRange = Attr<float[]>(op, "area_range");
        var maxAttempts = Convert.ToInt64(op.get_attr("max_attempts"), System.Globalization.CultureInfo.InvariantCulture);
        var useImage = Attr<bool>(op, "use_image_if_no_bounding_boxes");
        if (aspectRange.Length != 2 || areaRange.Length != 2)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: aspect_ratio_range and area_range must have 2 elements each.", op.name);
        string F(float v) => Scalar(v, DType.float32);
        string ToFloat(string x) => ApplyWith("Cast", [x], ("to", 1L));
        string ToLong(string x) => ApplyWith("Cast", [x], ("to", 7L));
        string Vector(string scalar) => Apply("Reshape", scalar, Ints([1]));
        string Column(string x, long k) => ApplyWith("Gather", [x, Long(k)], ("axis", 1L));

        // The image's height and width (int64 and as the kernel's floats), the area bounds in pixels and the boxes in pixels.
        var imageSize = Int64(op.inputs[0]);
        var (height, width) = (ApplyWith("Gather", [imageSize, Long(0)], ("axis", 0L)), ApplyWith("Gather", [imageSize, Long(1)], ("axis", 0L)));
        var (heightF, widthF) = (ToFloat(height), ToFloat(width));
        var minArea = Apply("Mul", Apply("Mul", F(areaRange[0]), widthF), heightF);
        var maxArea = Apply("Mul", Apply("Mul", F(areaRange[1]), widthF), heightF);
        // The kernel's bound on the height when round(maxH · aspect) passes the width: (width + 0.5 - 1e-7) / aspect, truncated.
        var widthBound = Apply("Sub", Apply("Add", widthF, F(0.5f)), F(0.0000001f));
        var scale = ApplyWith("Concat", [Vector(heightF), Vector(widthF), Vector(heightF), Vector(widthF)], ("axis", 0L));
        var boxes = Apply("Mul", Apply("Reshape", In(op, 1), Ints([-1, 4])), scale);
        if (useImage)
        {
            // No boxes: the whole image is the one box to cover.
            var none = Apply("Equal", ApplyWith("Gather", [Apply("Shape", boxes), Long(0)], ("axis", 0L)), Long(0));
            var whole = Apply("Reshape", ApplyWith("Concat", [Vector(F(0)), Vector(F(0)), Vector(heightF), Vector(widthF)], ("axis", 0L)), Ints([1, 4]));
            boxes = ApplyWith("Concat", [boxes, Apply("Slice", whole, Ints([0]), Vector(ToLong(none)), Ints([0]))], ("axis", 0L));
        }
        var (boxMinY, boxMinX, boxMaxY, boxMaxX) = (Column(boxes, 0), Column(boxes, 1), Column(boxes, 2), Column(boxes, 3));
        var boxArea = Apply("Mul", Apply("Relu", Apply("Sub", boxMaxY, boxMinY)), Apply("Relu", Apply("Sub", boxMaxX, boxMinX)));
        var boxCounts = Apply("GreaterOrEqual", boxArea, F(1));
        var minCovered = In(op, 2);

        var outer = _current;
        var body = new GraphProto { Name = op.name + "/attempts" };
        _current = body;
        try
        {
            var (iteration, condIn, cropIn) = (Fresh(), Fresh(), Fresh());
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(TypedInfo(cropIn, DType.int64, op, 1));
            var u = ApplyWith("RandomUniform", [], [("dtype", 1L), ("shape", new[] { 4L }), .. SeedOf(op)]);
            string Draw(long k) => ApplyWith("Gather", [u, Long(k)], ("axis", 0L));
            // The kernel's Uniform(n) for n ≥ 1: floor(u · n), kept below n.
            string Below(string u, string n) => Apply("Min", ToLong(Apply("Floor", Apply("Mul", u, ToFloat(n)))), Apply("Sub", n, Long(1)));
            string RoundToLong(string x) => ToLong(Apply("Round", x));
            string WidthOf(string h, string aspect) => RoundToLong(Apply("Mul", ToFloat(h), aspect));

            var aspect = Apply("Add", Apply("Mul", Draw(0), F(aspectRange[1] - aspectRange[0])), F(aspectRange[0]));
            var h = RoundToLong(Apply("Sqrt", Apply("Div", minArea, aspect)));
            var maxH = RoundToLong(Apply("Sqrt", Apply("Div", maxArea, aspect)));
            maxH = Apply("Where", Apply("Greater", WidthOf(maxH, aspect), width), ToLong(Apply("Floor", Apply("Div", widthBound, aspect))), maxH);
            maxH = Apply("Min", maxH, height);
            h = Apply("Min", h, maxH);
            h = Apply("Add", h, Below(Draw(1), Apply("Add", Apply("Sub", maxH, h), Long(1))));
            var w = WidthOf(h, aspect);
            var area = ToFloat(Apply("Mul", w, h));
            // Below the area range: one pixel taller; above it: one pixel shorter.
            var small = Apply("Less", area, minArea);
            h = Apply("Where", small, Apply("Add", h, Long(1)), h);
            w = WidthOf(h, aspect);
            area = ToFloat(Apply("Mul", w, h));
            var stillSmall = Apply("Less", area, minArea);
            var large = Apply("Greater", area, maxArea);
            h = Apply("Where", large, Apply("Sub", h, Long(1)), h);
            w = WidthOf(h, aspect);
            area = ToFloat(Apply("Mul", w, h));
            var fits = Apply("Not", Apply("Or", stillSmall, Apply("Or", Apply("Less", area, minArea), Apply("Greater", area, maxArea))));
            fits = Apply("And", fits, Apply("And", Apply("LessOrEqual", w, width), Apply("LessOrEqual", h, height)));
            fits = Apply("And", fits, Apply("And", Apply("Greater", w, Long(0)), Apply("Greater", h, Long(0))));
            var y = Apply("Where", Apply("Less", h, height), Below(Draw(2), Apply("Max", Apply("Sub", height, h), Long(1))), Long(0));
            var x = Apply("Where", Apply("Less", w, width), Below(Draw(3), Apply("Max", Apply("Sub", width, w), Long(1))), Long(0));
            var (bottom, right) = (Apply("Add", y, h), Apply("Add", x, w));

            // SatisfiesOverlapConstraints: the crop has pixels and covers min_object_covered of a box of one pixel or more.
            var (yF, xF, bottomF, rightF) = (ToFloat(y), ToFloat(x), ToFloat(bottom), ToFloat(right));
            var cropArea = Apply("Mul", Apply("Relu", Apply("Sub", bottomF, yF)), Apply("Relu", Apply("Sub", rightF, xF)));
            var overlapH = Apply("Relu", Apply("Sub", Apply("Min", boxMaxY, bottomF), Apply("Max", boxMinY, yF)));
            var overlapW = Apply("Relu", Apply("Sub", Apply("Min", boxMaxX, rightF), Apply("Max", boxMinX, xF)));
            var covers = Apply("And", boxCounts, Apply("GreaterOrEqual", Apply("Div", Apply("Mul", overlapH, overlapW), boxArea), minCovered));
            var anyCovered = Apply("Greater", ApplyWith("ReduceSum", [ToLong(covers)], ("keepdims", 0L)), Long(0));
            var accepted = Apply("And", fits, Apply("And", Apply("GreaterOrEqual", cropArea, F(1)), anyCovered));
            var candidate = ApplyWith("Concat", [Vector(y), Vector(x), Vector(bottom), Vector(right)], ("axis", 0L));
            body.Output.Add(ScalarInfo(Apply("Not", accepted), DType.@bool));
            body.Output.Add(TypedInfo(Apply("Where", accepted, candidate, cropIn), DType.int64, op, 1));
        }
        finally
        {
            _current = outer;
        }
        var wholeImage = ApplyWith("Concat", [Ints([0, 0]), Vector(height), Vector(width)], ("axis", 0L));
        var crop = Fresh();
        Node("Loop", [Long(maxAttempts), Initializer($"{op.name}/true", NDArray.Scalar(true)), wholeImage], [crop], ("body", body));

        // begin [top, left, 0], size [height, width, -1] in the dtype of image_size; bboxes [[[top/H, left/W, bottom/H, right/W]]].
        var corners = (long k) => Vector(ApplyWith("Gather", [crop, Long(k)], ("axis", 0L)));
        var (top, left, bottomEdge, rightEdge) = (corners(0), corners(1), corners(2), corners(3));
        var outs = op.outputs.Select(Out).ToArray();
        var dtype = op.outputs[0].dtype;
        CastInto(ApplyWith("Concat", [top, left, Ints([0])], ("axis", 0L)), DType.int64, dtype, outs[0], op);
        CastInto(ApplyWith("Concat", [Apply("Sub", bottomEdge, top), Apply("Sub", rightEdge, left), Ints([-1])], ("axis", 0L)), DType.int64, dtype, outs[1], op);
        Node("Reshape", [Apply("Div", ToFloat(crop), scale), Ints([1, 1, 4])], [outs[2]]);
        for (var k = 0; k < 3; k++) _names[op.outputs[k]] = outs[k];
    }
}
