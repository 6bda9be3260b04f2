using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's remaining gradient ops of training graphs and area resizing: MaxPoolGradWithArgmax (a scatter-add
/// at TensorFlow's argmax indices), MaxPoolGradGrad (a gather at each window's maximum),
/// BatchNormWithGlobalNormalizationGrad (its five outputs by the kernel's formulas), BroadcastGradientArgs of shapes
/// known only at run time, ResizeArea and ResizeBicubicGrad (MatMuls by constant row and column matrices of the
/// static sizes, as the kernels weight the pixels).
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
    /// SharpFlow's kernel, an axis of the broadcast shape (the shorter shape padded with leading 1s) reduces side
    /// <c>i</c> where that side lacks it, or has 1 and the other side does not. The padded shapes are Concat of
    /// ConstantOfShape ones; the axes NonZero of the mask, Cast to int32. Shapes that do not broadcast are not
    /// checked (the kernel fails on them).
    /// </summary>
    private void BroadcastGradientArgsOp(Operation op)
    {
        var shapes = new[] { 0, 1 }.Select(i => ApplyWith("Cast", [In(op, i)], ("to", (long)DataTypeOf(DType.int64)))).ToArray();
        var sizes = shapes.Select(s => Apply("Size", s)).ToArray();
        var rank = Apply("Max", sizes[0], sizes[1]);
        var positions = Apply("Range", Long(0), rank, Long(1));
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
            var lacks = Apply("Less", positions, missing[i]);
            var ownOne = Apply("And", Apply("Equal", padded[i], one), Apply("Not", Apply("Equal", padded[1 - i], one)));
            var axes = Apply("Reshape", Apply("NonZero", Apply("Or", lacks, ownOne)), Ints([-1]));
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
}
