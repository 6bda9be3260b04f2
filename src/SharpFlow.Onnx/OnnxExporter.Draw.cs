using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>DrawBoundingBoxes as element-wise ONNX operators.</summary>
internal sealed partial class OnnxExporter
{
    /// <summary>TensorFlow's default colour table of draw_bounding_box_op.cc (RGBA), cycled through by box index.</summary>
    private static readonly float[] BoxColors =
    [
        1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0.5f, 0, 0.5f, 1, 0.5f, 0.5f, 0, 1, 0.5f, 0, 0, 1,
        0, 0, 0.5f, 1, 0, 1, 1, 1, 1, 0, 1, 1,
    ];

    /// <summary>
    /// DrawBoundingBoxes as TensorFlow's kernel rasterises the boxes: each box's rows and columns
    /// <c>(int64)(coordinate · (size - 1))</c> (float32 product, truncated), a box skipped when inverted or wholly
    /// outside the image, its top and bottom rows drawn over its clamped columns where they lie inside the image, its
    /// left and right columns over its clamped rows. Boxes are drawn in order, so a pixel takes the colour of the
    /// last box whose outline covers it: for every pixel the highest such box index (ReduceMax over the boxes of a
    /// Where of the outline masks, padded with -1 for none), its colour from the table (index mod 10; 1 in every
    /// channel for depth 1), Where over the image. The images' depth must be known.
    /// </summary>
    private void DrawBoundingBoxesOp(Operation op, string y)
    {
        var depth = op.inputs[0].shape.IsKnownRank ? op.inputs[0].shape[3] : -1;
        if (depth is not (1 or 3 or 4))
            throw new UnimplementedError($"Cannot export DrawBoundingBoxes \"{op.name}\" to ONNX: the images' depth is {(depth < 0 ? "unknown" : depth.ToString(System.Globalization.CultureInfo.InvariantCulture))} (the colours are chosen for depth 1, 3 or 4 when exporting).", op.name);
        var (images, boxes) = (In(op, 0), In(op, 1));
        var shape = Apply("Shape", images);
        var height = Apply("Squeeze", Apply("Slice", shape, Ints([1]), Ints([2])), Ints([0]));
        var width = Apply("Squeeze", Apply("Slice", shape, Ints([2]), Ints([3])), Ints([0]));
        // A coordinate k of every box, as [batch, boxes, 1, 1] int64: truncated coordinate · (size - 1).
        string Coordinate(long k, string size)
        {
            var c = Apply("Squeeze", Apply("Slice", boxes, Ints([k]), Ints([k + 1]), Ints([2])), Ints([2]));
            var scaled = Apply("Mul", c, ApplyWith("Cast", [Apply("Sub", size, Long(1))], ("to", 1L)));
            return Apply("Unsqueeze", ApplyWith("Cast", [scaled], ("to", 7L)), Ints([2, 3]));
        }
        var (minRow, minCol, maxRow, maxCol) = (Coordinate(0, height), Coordinate(1, width), Coordinate(2, height), Coordinate(3, width));
        var inverted = Apply("Or", Apply("Greater", minRow, maxRow), Apply("Greater", minCol, maxCol));
        var outside = Apply("Or", Apply("Or", Apply("GreaterOrEqual", minRow, height), Apply("Less", maxRow, Long(0))),
            Apply("Or", Apply("GreaterOrEqual", minCol, width), Apply("Less", maxCol, Long(0))));
        var drawn = Apply("Not", Apply("Or", inverted, outside));
        var rows = Apply("Unsqueeze", Apply("Range", Long(0), height, Long(1)), Ints([0, 1, 3])); // [1, 1, H, 1]
        var cols = Apply("Unsqueeze", Apply("Range", Long(0), width, Long(1)), Ints([0, 1, 2])); // [1, 1, 1, W]
        var inRows = Apply("And", Apply("GreaterOrEqual", rows, minRow), Apply("LessOrEqual", rows, maxRow));
        var inCols = Apply("And", Apply("GreaterOrEqual", cols, minCol), Apply("LessOrEqual", cols, maxCol));
        var horizontal = Apply("And", Apply("Or", Apply("Equal", rows, minRow), Apply("Equal", rows, maxRow)), inCols);
        var vertical = Apply("And", Apply("Or", Apply("Equal", cols, minCol), Apply("Equal", cols, maxCol)), inRows);
        var outline = Apply("And", drawn, Apply("Or", horizontal, vertical)); // [batch, boxes, H, W]
        var boxCount = Apply("Slice", Apply("Shape", boxes), Ints([1]), Ints([2]));
        var index = Apply("Unsqueeze", Apply("Range", Long(0), Apply("Squeeze", boxCount, Ints([0])), Long(1)), Ints([0, 2, 3]));
        var covering = Apply("Where", outline, index, Long(-1));
        var padded = Apply("Pad", covering, Ints([0, 1, 0, 0, 0, 0, 0, 0]), Long(-1));
        var last = Fresh();
        Reduce("ReduceMax", padded, [1], last, ("keepdims", 0L)); // [batch, H, W]
        var dtype = op.outputs[0].dtype;
        var table = NDArray.FromFlat(Enumerable.Range(0, 10).SelectMany(c => Enumerable.Range(0, depth).Select(k => depth == 1 ? 1f : BoxColors[c * 4 + k])).ToArray(), new Shape(10, depth)).Cast(dtype);
        var colors = Initializer($"{op.name}/colors_{_counter++}", table);
        var color = ApplyWith("Gather", [colors, Apply("Mod", last, Long(10))], ("axis", 0L)); // [batch, H, W, depth]
        Node("Where", [Apply("Unsqueeze", Apply("GreaterOrEqual", last, Long(0)), Ints([3])), color, images], [y]);
    }
}
