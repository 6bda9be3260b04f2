using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's pooling gradients of training graphs: MaxPoolGrad, AvgPoolGrad, MaxPool3DGrad and AvgPool3DGrad
/// (NHWC and NDHWC, SAME and VALID), composed of ONNX's MaxPool, ConvTranspose and ScatterElements so that each
/// window's gradient lands where TensorFlow's kernel puts it.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// One spatial axis of a pooling window: the input's size, the pooled size, the window, the stride, TensorFlow's
    /// padding before the first window (SAME: half the total, rounded down) and the ONNX pads after the last window
    /// or, where the last window ends before the input does, the ConvTranspose output_padding that reaches its end.
    /// </summary>
    private readonly record struct PoolAxis(long Size, long Out, long Kernel, long Stride, long Before, long After, long OutputPadding)
    {
        /// <summary>The first cell (before the padding: may be negative) of window <paramref name="o"/>.</summary>
        public long Start(long o) => o * Stride - Before;

        /// <summary>How many cells of window <paramref name="o"/> lie inside the input: AvgPool's divisor.</summary>
        public long Count(long o) => System.Math.Min(Start(o) + Kernel, Size) - System.Math.Max(Start(o), 0);
    }

    /// <summary>
    /// The window geometry of a pooling gradient op over <paramref name="input"/> (NHWC or NDHWC, its spatial sizes
    /// and channels known at export: the pads and the ConvTranspose filters depend on them), and its channel count.
    /// </summary>
    private static (PoolAxis[] Axes, long Channels) PoolGeometry(Operation op, Shape input, string what)
    {
        var k = Attr<int[]>(op, "ksize");
        var s = Attr<int[]>(op, "strides");
        var rank = k.Length - 2;
        var expected = rank == 3 ? "NDHWC" : "NHWC";
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : expected;
        if (format != expected)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: data_format {format}.", op.name);
        if (k[0] != 1 || k[^1] != 1 || s[0] != 1 || s[^1] != 1)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: it pools over the batch or channel axis.", op.name);
        if (!input.IsKnownRank || input.ndims != rank + 2 || Enumerable.Range(1, rank + 1).Any(i => input[i] < 0))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the spatial sizes and channels of its {what} are unknown ({input}); the pads and filters of its ConvTranspose need them.", op.name);
        var padding = Attr<string>(op, "padding");
        if (padding is not ("SAME" or "VALID"))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: padding {padding} (SAME and VALID are exported).", op.name);
        var axes = new PoolAxis[rank];
        for (var i = 0; i < rank; i++)
        {
            long size = input[1 + i], kernel = k[1 + i], stride = s[1 + i], before = 0;
            var outSize = padding == "SAME" ? (size + stride - 1) / stride : (size - kernel + stride) / stride;
            if (padding == "SAME") before = System.Math.Max((outSize - 1) * stride + kernel - size, 0) / 2;
            var beyond = (outSize - 1) * stride + kernel - before - size;
            axes[i] = beyond >= 0 ? new(size, outSize, kernel, stride, before, beyond, 0) : new(size, outSize, kernel, stride, before, 0, -beyond);
        }
        return (axes, input[rank + 1]);
    }

    /// <summary>
    /// MaxPoolGrad and MaxPool3DGrad: ONNX MaxPool's Indices (the first maximum of each window in row-major order,
    /// as TensorFlow's kernel picks it; TensorFlow's pads, whose cells never win) say where each window's gradient
    /// goes, and windows that share a cell add up there. From opset 16 the gradient is ScatterElements
    /// (<c>reduction = add</c>) at those indices; before, each gradient is spread to a one-hot channel per window
    /// cell (Equal of the index's offset in its window) and a ConvTranspose with one-hot filters (one group per
    /// channel) adds it at that cell. AvgPoolGrad and AvgPool3DGrad: the gradient divided by each window's count
    /// of cells inside the input (TensorFlow's SAME does not count the padding), then a ConvTranspose with a filter
    /// of ones per channel. NHWC values between Transposes.
    /// </summary>
    private void PoolGradOp(Operation op, string y)
    {
        var max = op.type is "MaxPoolGrad" or "MaxPool3DGrad";
        var (axes, channels) = max ? PoolGeometry(op, op.inputs[0].shape, "orig_input") : PoolGeometry(op, op.outputs[0].shape, "orig_input_shape");
        var rank = axes.Length;
        var dtype = op.outputs[0].dtype;
        long[] toFirst = [0, rank + 1, .. Enumerable.Range(1, rank).Select(i => (long)i)];
        long[] toLast = [0, .. Enumerable.Range(2, rank).Select(i => (long)i), 1];
        var kernel = axes.Select(a => a.Kernel).ToArray();
        var strides = axes.Select(a => a.Stride).ToArray();
        long[] pads = [.. axes.Select(a => a.Before), .. axes.Select(a => a.After)];
        var dy = ApplyWith("Transpose", [In(op, max ? 2 : 1)], ("perm", toFirst));
        // A tensor shaped [1, 1, out...] of one value per window, from its index on each axis.
        string PerWindow(string name, DType type, Func<long[], double> value)
        {
            var count = axes.Aggregate(1L, (n, a) => n * a.Out);
            var values = new double[count];
            var at = new long[rank];
            for (var flat = 0L; flat < count; flat++)
            {
                for (long i = rank - 1, rest = flat; i >= 0; rest /= axes[i].Out, i--) at[i] = rest % axes[i].Out;
                values[flat] = value(at);
            }
            return Initializer($"{op.name}/{name}_{_counter++}", NDArray.FromFlat(values, new Shape([1, 1, .. axes.Select(a => (int)a.Out)])).Cast(type));
        }
        string SpreadBack(string x, long perChannel, Func<long, double> weight)
        {
            // A filter [channels·perChannel, 1, kernel...]: input channel c·perChannel + j adds weight(j, cell) to channel c.
            var cells = kernel.Aggregate(1L, (n, k) => n * k);
            var w = new double[channels * perChannel * cells];
            for (var c = 0L; c < channels * perChannel; c++)
                for (var cell = 0L; cell < cells; cell++) w[c * cells + cell] = weight(c % perChannel * cells + cell);
            var filter = Initializer($"{op.name}/spread_{_counter++}", NDArray.FromFlat(w, new Shape([(int)(channels * perChannel), 1, .. kernel.Select(k => (int)k)])).Cast(dtype));
            return ApplyWith("ConvTranspose", [x, filter], ("kernel_shape", kernel), ("strides", strides), ("pads", pads),
                ("output_padding", axes.Select(a => a.OutputPadding).ToArray()), ("group", channels));
        }
        string dx;
        if (!max)
        {
            var count = PerWindow("window_count", dtype, at => Enumerable.Range(0, rank).Aggregate(1L, (n, i) => n * axes[i].Count(at[i])));
            dx = SpreadBack(Apply("Div", dy, count), 1, _ => 1);
        }
        else
        {
            var x = ApplyWith("Transpose", [In(op, 0)], ("perm", toFirst));
            var (pooled, indices) = (Fresh(), Fresh());
            Node("MaxPool", [x], [pooled, indices], ("kernel_shape", kernel), ("strides", strides), ("pads", pads));
            if (_opset >= 16)
            {
                var zeros = ApplyWith("ConstantOfShape", [Apply("Reshape", Apply("Size", x), Ints([1]))], ("value", NDArray.FromFlat(new double[] { 0 }, new Shape(1)).Cast(dtype)));
                var flat = ApplyWith("ScatterElements", [zeros, Apply("Reshape", indices, Ints([-1])), Apply("Reshape", dy, Ints([-1]))], ("axis", 0L), ("reduction", "add"));
                dx = Apply("Reshape", flat, Apply("Shape", x));
            }
            else
            {
                // The maximum's offset in its window, row-major: its coordinate on each axis less the window's start.
                string? offset = null;
                var (planeStride, cellStride) = (1L, 1L);
                for (var i = rank - 1; i >= 0; i--)
                {
                    var axis = i;
                    var coordinate = ApplyWith("Mod", [Apply("Div", indices, Long(planeStride)), Long(axes[i].Size)], ("fmod", 0L));
                    var local = Apply("Sub", coordinate, PerWindow("window_start", DType.int64, at => axes[axis].Start(at[axis])));
                    var term = cellStride == 1 ? local : Apply("Mul", local, Long(cellStride));
                    offset = offset is null ? term : Apply("Add", offset, term);
                    (planeStride, cellStride) = (planeStride * axes[i].Size, cellStride * axes[i].Kernel);
                }
                var cells = cellStride;
                var positions = Initializer($"{op.name}/window_cells_{_counter++}", NDArray.FromFlat(Enumerable.Range(0, (int)cells).Select(c => (long)c).ToArray(), new Shape([1, 1, (int)cells, .. Enumerable.Repeat(1, rank)])));
                var oneHot = Apply("Equal", Apply("Unsqueeze", offset!, Ints([2])), positions);
                var spread = Apply("Where", oneHot, Apply("Unsqueeze", dy, Ints([2])), Scalar(0, dtype));
                var merged = Apply("Reshape", spread, Ints([0, channels * cells, .. axes.Select(a => a.Out)]));
                // Input channel c·cells + j carries the gradient of the windows whose maximum is at cell j.
                dx = SpreadBack(merged, cells, j => j / cells == j % cells ? 1 : 0);
            }
        }
        Node("Transpose", [dx], [y], ("perm", toLast));
    }
}
