using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's remaining gradient ops of training graphs and area resizing: MaxPoolGradWithArgmax (a scatter-add
/// at TensorFlow's argmax indices), MaxPoolGradGrad (a gather at each window's maximum),
/// BatchNormWithGlobalNormalizationGrad (its five outputs by the kernel's formulas), BroadcastGradientArgs of shapes
/// known only at run time, ResizeArea and ResizeBicubicGrad (MatMuls by constant row and column matrices of the
/// static sizes, as the kernels weight the pixels), CropAndResizeGradImage (a scatter-add of the crops' gradients) and
/// CropAndResizeGradBoxes (the kernel's sums over each box's samples).
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// MaxPoolGradWithArgmax(input, grad, argmax): each gradient added at its argmax, as TensorFlow's kernel does:
    /// ScatterElements (<c>reduction = add</c>, opset 16) of the flattened grad at the flattened argmax into zeros of
    /// the input's size, reshaped to the input's shape. TensorFlow's index is flat over the NHWC input,
    /// <c>((b·H + y)·W + x)·C + c</c>; without include_batch_in_index it lacks <c>b·H·W·C</c>, which is added per image
    /// (from the input's shape at run time). An argmax outside the input fails the ONNX run as it fails the kernel;
    /// one that points into another image than its own (without the batch in the index the kernel refuses it) or a
    /// negative one (ONNX counts it from the end) is not checked.
    /// </summary>
    private void MaxPoolGradWithArgmaxOp(Operation op, string y)
    {
        var x = In(op, 0);
        var dtype = op.outputs[0].dtype;
        var indices = op.inputs[2].dtype == DType.int64 ? In(op, 2) : ApplyWith("Cast", [In(op, 2)], ("to", (long)DataTypeOf(DType.int64)));
        if (!AttrFlag(op, "include_batch_in_index"))
        {
            var shape = Apply("Shape", x);
            string At(long axis) => ApplyWith("Gather", [shape, Long(axis)], ("axis", 0L));
            var perImage = Apply("Mul", Apply("Mul", At(1), At(2)), At(3));
            var first = Apply("Reshape", Apply("Mul", Apply("Range", Long(0), At(0), Long(1)), perImage), Ints([-1, 1, 1, 1]));
            indices = Apply("Add", indices, first);
        }
        var zeros = ApplyWith("ConstantOfShape", [Apply("Reshape", Apply("Size", x), Ints([1]))], ("value", NDArray.FromFlat(new double[] { 0 }, new Shape(1)).Cast(dtype)));
        var flat = ApplyWith("ScatterElements", [zeros, Apply("Reshape", indices, Ints([-1])), Apply("Reshape", In(op, 1), Ints([-1]))], ("axis", 0L), ("reduction", "add"));
        Node("Reshape", [flat, Apply("Shape", x)], [y]);
    }

    /// <summary>
    /// MaxPoolGradGrad(orig_input, orig_output, grad): each pooled position takes grad at its window's first maximum
    /// of orig_input in row-major order (the kernel's pick; TensorFlow's SAME padding never wins): ONNX MaxPool's
    /// Indices on the NCHW orig_input, flat over it, Gather from the NCHW grad flattened the same way.
    /// </summary>
    private void MaxPoolGradGradOp(Operation op, string y)
    {
        var k = Attr<int[]>(op, "ksize");
        var s = Attr<int[]>(op, "strides");
        if (k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1)
            throw new UnimplementedError($"Cannot export MaxPoolGradGrad \"{op.name}\" to ONNX: it pools over the batch or channel axis.", op.name);
        long[] kernel = [k[1], k[2]];
        var padding = Padding(op, kernel, [1, 1, 1, 1]);
        var (pooled, indices) = (Fresh(), Fresh());
        Node("MaxPool", [ApplyWith("Transpose", [In(op, 0)], ("perm", ToNchw))], [pooled, indices], ("kernel_shape", kernel), ("strides", new long[] { s[1], s[2] }), padding);
        var grad = Apply("Reshape", ApplyWith("Transpose", [In(op, 2)], ("perm", ToNchw)), Ints([-1]));
        Node("Transpose", [ApplyWith("Gather", [grad, indices], ("axis", 0L))], [y], ("perm", ToNhwc));
    }

    /// <summary>
    /// BatchNormWithGlobalNormalizationGrad(t, m, v, gamma, backprop), TensorFlow's batch_norm_op.h: with
    /// <c>r = 1/√(v + ε)</c>, sums over the batch, height and width, <c>db = Σ g</c>,
    /// <c>dx = g·r·γ</c>, <c>dm = −db·r·γ</c>, <c>dv = Σ g·(t − m) · (−½·r/(v + ε))·γ</c> and
    /// <c>dg = Σ g·(t − m) · r</c>; without scale_after_normalization γ is left out and dg is zeros.
    /// </summary>
    private void BatchNormGlobalGradOp(Operation op)
    {
        var dtype = op.outputs[0].dtype;
        var (t, m, v, gamma, g) = (In(op, 0), In(op, 1), In(op, 2), In(op, 3), In(op, 4));
        var scale = AttrFlag(op, "scale_after_normalization");
        var epsilon = Convert.ToDouble(op.attrs["variance_epsilon"], System.Globalization.CultureInfo.InvariantCulture);
        var outs = op.outputs.Select(Out).ToArray();
        long[] axes = [0, 1, 2];
        var shifted = Apply("Add", v, Scalar((float)epsilon, dtype));
        var rsqrt = Apply("Reciprocal", Apply("Sqrt", shifted));
        var factor = scale ? Apply("Mul", rsqrt, gamma) : rsqrt;
        Node("ReduceSum", [g, Ints(axes)], [outs[3]], ("keepdims", 0L));
        var centered = ApplyWith("ReduceSum", [Apply("Mul", g, Apply("Sub", t, m)), Ints(axes)], ("keepdims", 0L));
        Node("Mul", [g, factor], [outs[0]]);
        Node("Mul", [Apply("Neg", outs[3]), factor], [outs[1]]);
        var half = Apply("Div", Apply("Mul", rsqrt, Scalar(-0.5, dtype)), shifted);
        Node("Mul", [centered, scale ? Apply("Mul", half, gamma) : half], [outs[2]]);
        if (scale) Node("Mul", [centered, rsqrt], [outs[4]]);
        else Node("ConstantOfShape", [Apply("Shape", v)], [outs[4]], ("value", NDArray.FromFlat(new double[] { 0 }, new Shape(1)).Cast(dtype)));
        for (var i = 0; i < 5; i++) _names[op.outputs[i]] = outs[i];
    }

    /// <summary>
    /// BroadcastGradientArgs(s0, s1) of shapes known only at run time (constant ones are evaluated at export): as
    /// TensorFlow's BCast and SharpFlow's kernel, an axis of the broadcast shape (the shorter shape padded with leading
    /// 1s) reduces side <c>i</c> where that side has 1 (lacking it counts as 1; where both have 1, both reduce). The padded shapes are Concat of
    /// ConstantOfShape ones; the axes NonZero of the mask, Cast to int32. Shapes that do not broadcast are not
    /// checked (the kernel fails on them).
    /// </summary>
    private void BroadcastGradientArgsOp(Operation op)
    {
        var shapes = new[] { 0, 1 }.Select(i => ApplyWith("Cast", [In(op, i)], ("to", (long)DataTypeOf(DType.int64)))).ToArray();
        var sizes = shapes.Select(s => Apply("Size", s)).ToArray();
        var rank = Apply("Max", sizes[0], sizes[1]);
        var one = Long(1);
        var missing = sizes.Select(n => Apply("Sub", rank, n)).ToArray();
        var padded = new string[2];
        for (var i = 0; i < 2; i++)
        {
            var ones = ApplyWith("ConstantOfShape", [Apply("Reshape", missing[i], Ints([1]))], ("value", NDArray.FromFlat(new long[] { 1 }, new Shape(1))));
            padded[i] = ApplyWith("Concat", [ones, shapes[i]], ("axis", 0L));
        }
        for (var i = 0; i < 2; i++)
        {
            // The axes where the side (padded with leading ones) has 1, as TensorFlow's BCast lists them.
            var axes = Apply("Reshape", Apply("NonZero", Apply("Equal", padded[i], one)), Ints([-1]));
            var y = Out(op.outputs[i]);
            Node("Cast", [axes], [y], ("to", (long)DataTypeOf(op.outputs[i].dtype, op)));
            _names[op.outputs[i]] = y;
        }
    }

    /// <summary>
    /// ResizeArea's matrix along one axis, <c>[resized, original]</c>: output <c>i</c> covers <c>[i·s, (i + 1)·s)</c>
    /// with <c>s</c> the kernel's scale; each input cell it cuts weighs the length covered (the last index clamped to
    /// the input as the kernel does), in float32 as the kernel computes it.
    /// </summary>
    private static double[] AreaMatrix(int original, int resized, bool alignCorners)
    {
        var scale = alignCorners && resized > 1 ? (original - 1) / (float)(resized - 1) : original / (float)resized;
        var m = new double[resized * original];
        for (var i = 0; i < resized; i++)
        {
            var (start, end) = (i * scale, (i + 1) * scale);
            for (var k = (long)MathF.Floor(start); k < (long)MathF.Ceiling(end); k++)
                m[i * original + (int)System.Math.Min(k, original - 1)] += MathF.Min(k + 1, end) - MathF.Max(k, start);
        }
        return m;
    }

    /// <summary>
    /// ResizeBicubic's matrix along one axis, <c>[resized, original]</c>: TensorFlow's four taps per output from its
    /// 1024-entry table of Keys' cubic (a = −0.5 with half-pixel centers, which drops the taps outside the image and
    /// renormalizes the rest; a = −0.75 with the edge pixels repeated otherwise), in float32 as the kernel.
    /// </summary>
    private static double[] CubicMatrix(int original, int resized, bool alignCorners, bool halfPixelCenters)
    {
        const int tableSize = 1024;
        var a = halfPixelCenters ? -0.5f : -0.75f;
        float Near(int i)
        {
            var x = i / (float)tableSize;
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        float Far(int i)
        {
            var x = i / (float)tableSize + 1;
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        var scale = alignCorners && resized > 1 ? (original - 1) / (float)(resized - 1) : original / (float)resized;
        var m = new double[resized * original];
        Span<float> w = stackalloc float[4];
        for (var i = 0; i < resized; i++)
        {
            var source = halfPixelCenters ? (i + 0.5f) * scale - 0.5f : i * scale;
            var floor = (long)MathF.Floor(source);
            var offset = (int)MathF.Round((source - floor) * tableSize, MidpointRounding.ToEven);
            (w[0], w[1], w[2], w[3]) = (Far(offset), Near(offset), Near(tableSize - offset), Far(tableSize - offset));
            var sum = 0f;
            for (var k = 0; k < 4; k++)
            {
                var src = floor - 1 + k;
                if (halfPixelCenters && (src < 0 || src >= original)) w[k] = 0;
                sum += w[k];
            }
            for (var k = 0; k < 4; k++)
            {
                var weight = halfPixelCenters && MathF.Abs(sum) >= 1000 * float.Epsilon ? w[k] / sum : w[k];
                m[i * original + (int)System.Math.Clamp(floor - 1 + k, 0, original - 1)] += weight;
            }
        }
        return m;
    }

    /// <summary>A boolean attribute of the op, false where it is not set.</summary>
    private static bool AttrFlag(Operation op, string name) => op.attrs.TryGetValue(name, out var v) && v is true;

    /// <summary>The transpose of a row-major <c>[rows, columns]</c> matrix.</summary>
    private static double[] Transposed(double[] m, int rows, int columns)
    {
        var t = new double[m.Length];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++) t[j * rows + i] = m[i * columns + j];
        return t;
    }

    /// <summary>
    /// ResizeArea(images, size) with a constant size and the images' height and width known: float32
    /// <c>A_rows · x · A_columnsᵀ · 1/(s_rows·s_columns)</c> on NCHW values (the images cast to float32), the matrices
    /// <see cref="AreaMatrix"/>'s constants: the kernel's sum of the covered pixels by their covered area, over the
    /// output pixel's area.
    /// </summary>
    private void ResizeAreaOp(Operation op, string y)
    {
        var images = op.inputs[0].shape;
        if (!images.IsKnownRank || images.ndims != 4 || images[1] < 0 || images[2] < 0)
            throw new UnimplementedError($"Cannot export ResizeArea \"{op.name}\" to ONNX: the height and width of its images are unknown ({images}); its matrices need them.", op.name);
        var size = ConstantOf(op, 1, "size").Cast(DType.int32).ToArray<int>();
        var (h, w) = (images[1], images[2]);
        var align = AttrFlag(op, "align_corners");
        float Scale(int original, int resized) => align && resized > 1 ? (original - 1) / (float)(resized - 1) : original / (float)resized;
        var rows = Initializer($"{op.name}/rows_{_counter++}", NDArray.FromFlat(AreaMatrix(h, size[0], align), new Shape(size[0], h)).Cast(DType.float32));
        var columns = Initializer($"{op.name}/columns_{_counter++}", NDArray.FromFlat(Transposed(AreaMatrix(w, size[1], align), size[1], w), new Shape(w, size[1])).Cast(DType.float32));
        var x = op.inputs[0].dtype == DType.float32 ? In(op, 0) : ApplyWith("Cast", [In(op, 0)], ("to", (long)DataTypeOf(DType.float32)));
        var summed = Apply("MatMul", Apply("MatMul", rows, ApplyWith("Transpose", [x], ("perm", ToNchw))), columns);
        var mean = Apply("Mul", summed, Scalar(1f / (Scale(h, size[0]) * Scale(w, size[1])), DType.float32));
        Node("Transpose", [mean], [y], ("perm", ToNhwc));
    }

    /// <summary>
    /// ResizeBicubicGrad(grads, original_image): the adjoint of ResizeBicubic, each resized pixel's float32 gradient
    /// spread over its sixteen source pixels with the forward's weights: <c>dx = Aᵀ_rows · dy · A_columns</c> on NCHW
    /// values with <see cref="CubicMatrix"/>'s constants of the static sizes (grads' and original_image's height and
    /// width), cast to original_image's dtype.
    /// </summary>
    private void ResizeBicubicGradOp(Operation op, string y)
    {
        var grads = op.inputs[0].shape;
        var original = op.outputs[0].shape;
        if (!grads.IsKnownRank || grads.ndims != 4 || grads[1] < 0 || grads[2] < 0)
            throw new UnimplementedError($"Cannot export ResizeBicubicGrad \"{op.name}\" to ONNX: the height and width of its grads are unknown ({grads}); its matrices need them.", op.name);
        if (!original.IsKnownRank || original.ndims != 4 || original[1] < 0 || original[2] < 0)
            throw new UnimplementedError($"Cannot export ResizeBicubicGrad \"{op.name}\" to ONNX: the height and width of its original_image are unknown ({original}); its matrices need them.", op.name);
        var (align, half) = (AttrFlag(op, "align_corners"), AttrFlag(op, "half_pixel_centers"));
        var rowsT = Initializer($"{op.name}/rows_{_counter++}", NDArray.FromFlat(Transposed(CubicMatrix(original[1], grads[1], align, half), grads[1], original[1]), new Shape(original[1], grads[1])).Cast(DType.float32));
        var columns = Initializer($"{op.name}/columns_{_counter++}", NDArray.FromFlat(CubicMatrix(original[2], grads[2], align, half), new Shape(grads[2], original[2])).Cast(DType.float32));
        var spread = Apply("MatMul", Apply("MatMul", rowsT, ApplyWith("Transpose", [In(op, 0)], ("perm", ToNchw))), columns);
        if (op.outputs[0].dtype == DType.float32) Node("Transpose", [spread], [y], ("perm", ToNhwc));
        else Node("Cast", [ApplyWith("Transpose", [spread], ("perm", ToNhwc))], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
    }

    /// <summary>The forward's sample geometry of a CropAndResize gradient, as the forward's converter computes it.</summary>
    private readonly record struct CropGeometry(string InY, string InX, string Inside, string HLast, string WLast, string RowsShape, string ColumnsShape,
        long CropH, long CropW, Func<string, string, string, string> Index, Func<string, string, string> At);

    /// <summary>
    /// The sample positions of a CropAndResize gradient op (grads input 0, boxes from input <c>boxes</c>, box_ind
    /// from input <c>boxes + 1</c>) over an image of <paramref name="size"/> (an int64 NHWC shape): rows
    /// <c>[boxes, crop_h]</c>, columns <c>[boxes, crop_w]</c>, which samples lie inside, and the GatherND/ScatterND
    /// index of <c>(box_ind, row, column)</c>.
    /// </summary>
    private CropGeometry CropSamples(Operation op, string size, int boxes = 1)
    {
        var grads = op.inputs[0].shape;
        if (!grads.IsKnownRank || grads.ndims != 4 || grads[1] < 0 || grads[2] < 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the crop height and width of its grads are unknown ({grads}); its sample positions need them.", op.name);
        var (ch, cw) = ((long)grads[1], (long)grads[2]);
        var f32 = DType.float32;
        string Last(long axis) => ApplyWith("Cast", [Apply("Sub", ApplyWith("Gather", [size, Long(axis)], ("axis", 0L)), Long(1))], ("to", (long)DataTypeOf(f32)));
        var (hLast, wLast) = (Last(1), Last(2));
        var (y1, x1, y2, x2) = (Fresh(), Fresh(), Fresh(), Fresh());
        Node("Split", [In(op, boxes), Ints([1, 1, 1, 1])], [y1, x1, y2, x2], ("axis", 1L));
        string Steps(long count) => Initializer($"{op.name}/steps_{_counter++}", NDArray.FromFlat(Enumerable.Range(0, (int)count).Select(i => (float)i).ToArray(), new Shape(1, (int)count)));
        // The sample positions along one axis, [boxes, count].
        string Positions(string start, string end, string last, long count)
        {
            if (count == 1) return Apply("Mul", Apply("Mul", Scalar(0.5, f32), Apply("Add", start, end)), last);
            var scale = Apply("Div", Apply("Mul", Apply("Sub", end, start), last), Scalar(count - 1, f32));
            return Apply("Add", Apply("Mul", start, last), Apply("Mul", Steps(count), scale));
        }
        var (inY, inX) = (Positions(y1, y2, hLast, ch), Positions(x1, x2, wLast, cw));
        string Inside(string p, string last) => Apply("And", Apply("GreaterOrEqual", p, Scalar(0, f32)), Apply("LessOrEqual", p, last));
        var rowsShape = Ints([-1, ch, 1, 1]);
        var columnsShape = Ints([-1, 1, cw, 1]);
        var inside = Apply("And", Apply("Reshape", Inside(inY, hLast), rowsShape), Apply("Reshape", Inside(inX, wLast), columnsShape));
        var target = ApplyWith("Concat", [ApplyWith("Slice", [Apply("Shape", In(op, boxes)), Ints([0]), Ints([1])]), Ints([ch, cw, 1])], ("axis", 0L));
        var box = Apply("Reshape", Int64(op.inputs[boxes + 1]), Ints([-1, 1, 1, 1]));
        // An index into the image, clamped: the samples outside it are masked by Inside.
        string Index(string p, string last, string shapeOf) =>
            Apply("Reshape", ApplyWith("Cast", [Apply("Clip", p, Scalar(0, f32), last)], ("to", 7L)), shapeOf);
        string At(string row, string column) =>
            ApplyWith("Concat", [Apply("Expand", box, target), Apply("Expand", row, target), Apply("Expand", column, target)], ("axis", -1L));
        return new(inY, inX, inside, hLast, wLast, rowsShape, columnsShape, ch, cw, Index, At);
    }

    /// <summary>
    /// CropAndResizeGradBoxes(grads, image, boxes, box_ind) with the crops' height and width known, as TensorFlow's
    /// kernel (bilinear): at each sample inside the image, with the four pixels around it gathered (GatherND) from
    /// the image cast to float32, <c>grad_y = ((1 − x_lerp)(bl − tl) + x_lerp (br − tr))·g</c> and
    /// <c>grad_x = ((1 − y_lerp)(tr − tl) + y_lerp (br − bl))·g</c>; y1 gathers <c>grad_y·(H − 1 − y·r)</c>, y2
    /// <c>grad_y·y·r</c> with <c>r = (H − 1)/(crop_h − 1)</c> (both <c>grad_y·½(H − 1)</c> for one row), and the
    /// columns likewise: ReduceSum over each box's samples and depth, Concat into <c>[boxes, 4]</c>.
    /// </summary>
    private void CropAndResizeGradBoxesOp(Operation op, string y)
    {
        var f32 = DType.float32;
        var image = InDType(op, 1, f32);
        var s = CropSamples(op, Apply("Shape", image), 2);
        var (top, left) = (Apply("Floor", s.InY), Apply("Floor", s.InX));
        var (topRow, bottomRow) = (s.Index(top, s.HLast, s.RowsShape), s.Index(Apply("Ceil", s.InY), s.HLast, s.RowsShape));
        var (leftColumn, rightColumn) = (s.Index(left, s.WLast, s.ColumnsShape), s.Index(Apply("Ceil", s.InX), s.WLast, s.ColumnsShape));
        var yLerp = Apply("Reshape", Apply("Sub", s.InY, top), s.RowsShape);
        var xLerp = Apply("Reshape", Apply("Sub", s.InX, left), s.ColumnsShape);
        string Pixels(string row, string column) => Apply("GatherND", image, s.At(row, column));
        var (tl, tr) = (Pixels(topRow, leftColumn), Pixels(topRow, rightColumn));
        var (bl, br) = (Pixels(bottomRow, leftColumn), Pixels(bottomRow, rightColumn));
        var one = Scalar(1, f32);
        var g = Apply("Where", s.Inside, In(op, 0), Scalar(0, f32));
        var gradY = Apply("Mul", Apply("Add", Apply("Mul", Apply("Sub", one, xLerp), Apply("Sub", bl, tl)), Apply("Mul", xLerp, Apply("Sub", br, tr))), g);
        var gradX = Apply("Mul", Apply("Add", Apply("Mul", Apply("Sub", one, yLerp), Apply("Sub", tr, tl)), Apply("Mul", yLerp, Apply("Sub", br, bl))), g);
        // The weights of the start and end corner along one axis, shaped [1, count, 1, 1] or [1, 1, count, 1].
        (string Start, string End) Weights(string last, long count, long[] shape)
        {
            if (count == 1)
            {
                var half = Apply("Mul", Scalar(0.5, f32), last);
                return (half, half);
            }
            var steps = Initializer($"{op.name}/steps_{_counter++}", NDArray.FromFlat(Enumerable.Range(0, (int)count).Select(i => (float)i).ToArray(), new Shape([.. shape.Select(d => (int)d)])));
            var moved = Apply("Mul", steps, Apply("Div", last, Scalar(count - 1, f32)));
            return (Apply("Sub", last, moved), moved);
        }
        var rows = Weights(s.HLast, s.CropH, [1, s.CropH, 1, 1]);
        var columns = Weights(s.WLast, s.CropW, [1, 1, s.CropW, 1]);
        string Sum(string grad, string weight) =>
            Apply("Unsqueeze", ApplyWith("ReduceSum", [Apply("Mul", grad, weight), Ints([1, 2, 3])], ("keepdims", 0L)), Ints([1]));
        Node("Concat", [Sum(gradY, rows.Start), Sum(gradX, columns.Start), Sum(gradY, rows.End), Sum(gradX, columns.End)], [y], ("axis", 1L));
    }

    /// <summary>
    /// CropAndResizeGradImage(grads, boxes, box_ind, image_size) with the crops' height and width known: each crop
    /// pixel's float32 gradient added back to the pixels it was sampled from, as TensorFlow's kernel: the sample
    /// positions of the forward (<c>in_y = y1 (H - 1) + y · (y2 - y1) (H - 1) / (crop_h - 1)</c>, the middle for one
    /// row; H and W read from image_size at run time), samples outside the image dropped; bilinear gives
    /// <c>(1 − y_lerp)(1 − x_lerp)·g</c> to the top-left pixel and so on, nearest all of <c>g</c> to the rounded one
    /// (halves away from zero). ScatterND (<c>reduction = add</c>, opset 16) of <c>(box_ind, row, column)</c> into
    /// zeros of image_size, cast to T. A box_ind outside the batch fails the ONNX run as it fails the kernel.
    /// </summary>
    private void CropAndResizeGradImageOp(Operation op, string y)
    {
        var f32 = DType.float32;
        var size = Int64(op.inputs[3]);
        var s = CropSamples(op, size);
        var (inY, inX, inside, hLast, wLast, rowsShape, columnsShape) = (s.InY, s.InX, s.Inside, s.HLast, s.WLast, s.RowsShape, s.ColumnsShape);
        var method = op.attrs.TryGetValue("method", out var m) && m is string text ? text : "bilinear";
        var g = Apply("Where", inside, In(op, 0), Scalar(0, f32));
        var image = ApplyWith("ConstantOfShape", [size], ("value", NDArray.FromFlat(new float[] { 0 }, new Shape(1))));
        string Add(string into, string indices, string updates) => ApplyWith("ScatterND", [into, indices, updates], ("reduction", "add"));
        if (method == "nearest")
        {
            string Nearest(string p)
            {
                var floor = Apply("Floor", p);
                return Apply("Where", Apply("Equal", Apply("Sub", p, floor), Scalar(0.5, f32)), Apply("Add", floor, Scalar(1, f32)), Apply("Round", p));
            }
            image = Add(image, s.At(s.Index(Nearest(inY), hLast, rowsShape), s.Index(Nearest(inX), wLast, columnsShape)), g);
        }
        else
        {
            var (top, left) = (Apply("Floor", inY), Apply("Floor", inX));
            var (topRow, bottomRow) = (s.Index(top, hLast, rowsShape), s.Index(Apply("Ceil", inY), hLast, rowsShape));
            var (leftColumn, rightColumn) = (s.Index(left, wLast, columnsShape), s.Index(Apply("Ceil", inX), wLast, columnsShape));
            var yLerp = Apply("Reshape", Apply("Sub", inY, top), rowsShape);
            var xLerp = Apply("Reshape", Apply("Sub", inX, left), columnsShape);
            var one = Scalar(1, f32);
            var (dTop, dBottom) = (Apply("Mul", Apply("Sub", one, yLerp), g), Apply("Mul", yLerp, g));
            var xKeep = Apply("Sub", one, xLerp);
            image = Add(image, s.At(topRow, leftColumn), Apply("Mul", xKeep, dTop));
            image = Add(image, s.At(topRow, rightColumn), Apply("Mul", xLerp, dTop));
            image = Add(image, s.At(bottomRow, leftColumn), Apply("Mul", xKeep, dBottom));
            image = Add(image, s.At(bottomRow, rightColumn), Apply("Mul", xLerp, dBottom));
        }
        if (op.outputs[0].dtype == f32) Node("Identity", [image], [y]);
        else Node("Cast", [image], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
    }
}
