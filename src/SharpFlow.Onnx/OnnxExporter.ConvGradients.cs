using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's convolution gradients of training graphs: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput,
/// DepthwiseConv2dNativeBackpropFilter (NHWC; SAME, VALID and EXPLICIT padding; strides and dilations),
/// Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 (NDHWC), as ONNX Conv and ConvTranspose over transposed values.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// One spatial axis of a convolution: the input's size, the output's, the filter's, the stride and dilation, and
    /// TensorFlow's padding before the first window (SAME: half the total, rounded down; EXPLICIT: as given).
    /// </summary>
    private readonly record struct ConvAxis(long Size, long Out, long Kernel, long Stride, long Dilation, long Before)
    {
        /// <summary>The cells past the input's end that the last window reaches (negative: cells it leaves unread).</summary>
        public long Beyond => (Out - 1) * Stride + (Kernel - 1) * Dilation + 1 - Before - Size;
    }

    /// <summary>The spatial axes (two, or three for NDHWC) of a convolution gradient op over an input of <paramref name="sizes"/> with a filter of <paramref name="kernel"/>.</summary>
    private static ConvAxis[] ConvGeometry(Operation op, long[] sizes, long[] kernel)
    {
        var rank = sizes.Length;
        var expected = rank == 3 ? "NDHWC" : "NHWC";
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : expected;
        if (format != expected)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: data_format {format}.", op.name);
        var strides = Attr<int[]>(op, "strides");
        var dilations = op.attrs.TryGetValue("dilations", out var d) && d is int[] given ? given : [.. Enumerable.Repeat(1, rank + 2)];
        var padding = Attr<string>(op, "padding");
        int[]? explicitPads = null;
        if (padding == "EXPLICIT")
        {
            explicitPads = op.attrs.GetValueOrDefault("explicit_paddings") as int[] is { Length: 8 } p && p[0] == 0 && p[1] == 0 && p[6] == 0 && p[7] == 0 ? p
                : throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its explicit_paddings pad the batch or channel axis, or are missing.", op.name);
        }
        else if (padding is not ("SAME" or "VALID"))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: padding {padding}.", op.name);
        var axes = new ConvAxis[rank];
        for (var i = 0; i < rank; i++)
        {
            long size = sizes[i], stride = strides[1 + i], dilation = dilations[1 + i], span = (kernel[i] - 1) * dilation + 1;
            var (outSize, before) = padding switch
            {
                "SAME" => ((size + stride - 1) / stride, 0L),
                "VALID" => ((size - span + stride) / stride, 0L),
                _ => ((size + explicitPads![2 + 2 * i] + explicitPads[3 + 2 * i] - span) / stride + 1, (long)explicitPads![2 + 2 * i]),
            };
            if (padding == "SAME") before = System.Math.Max((outSize - 1) * stride + span - size, 0) / 2;
            axes[i] = new(size, outSize, kernel[i], stride, dilation, before);
        }
        return axes;
    }

    /// <summary>The static sizes of the <paramref name="rank"/> spatial axes of <paramref name="shape"/>, or a refusal naming <paramref name="what"/>.</summary>
    private static long[] SpatialSizes(Operation op, Shape shape, string what, int rank = 2)
    {
        if (!shape.IsKnownRank || shape.ndims != rank + 2 || Enumerable.Range(1, rank).Any(i => shape[i] < 0))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the spatial sizes of its {what} are unknown ({shape}); the pads of its convolution need them.", op.name);
        return [.. Enumerable.Range(1, rank).Select(i => (long)shape[i])];
    }

    /// <summary>A filter's shape: the constant <c>filter_sizes</c> input, else the op's static output shape.</summary>
    private long[] FilterSizes(Operation op)
    {
        if (_constants.TryGetValue(op.inputs[1], out var sizes)) return sizes.Cast(DType.int64).ToArray<long>();
        var shape = op.outputs[0].shape;
        if (shape.IsFullyDefined) return [.. shape.Dims.Select(d => (long)d)];
        throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its filter_sizes depend on the inputs and its filter's shape {shape} is not fully known.", op.name);
    }

    /// <summary>
    /// Conv2DBackpropFilter and DepthwiseConv2dNativeBackpropFilter: <c>dW[i, j, c, o] = Σ x[n, i·d + h·s − pad, j·d + w·s − pad, c]·dy[n, h, w, o]</c>,
    /// an ONNX Conv whose input is the images with the channels as its batch (<c>[C, N, H, W]</c>) and whose filter
    /// is the gradient (<c>[O, N, OH, OW]</c>), strided by the dilation and dilated by the stride, padded at the start
    /// as TensorFlow pads and at the end as far as the last filter cell reads, then sliced to the filter's size. A
    /// depthwise filter pairs channel c only with its multipliers: the images as one batch of <c>C·N</c> channels
    /// and a Conv of <c>group = C</c>.
    /// </summary>
    private void ConvBackpropFilterOp(Operation op, string y)
    {
        var filterSizes = FilterSizes(op);
        var rank = filterSizes.Length - 2;
        var axes = ConvGeometry(op, SpatialSizes(op, op.inputs[0].shape, "input", rank), filterSizes[..rank]);
        var depthwise = op.type == "DepthwiseConv2dNativeBackpropFilter";
        var (channels, multiplier) = (filterSizes[rank], filterSizes[rank + 1]);
        long[] channelsFirst = [rank + 1, 0, .. Enumerable.Range(1, rank).Select(i => (long)i)];
        var images = ApplyWith("Transpose", [In(op, 0)], ("perm", channelsFirst));
        if (depthwise) images = Apply("Reshape", images, Ints([1, -1, .. axes.Select(a => a.Size)]));
        var gradient = ApplyWith("Transpose", [In(op, 2)], ("perm", channelsFirst));
        var conv = ApplyWith("Conv", [images, gradient], ("strides", axes.Select(a => a.Dilation).ToArray()), ("dilations", axes.Select(a => a.Stride).ToArray()),
            ("pads", (long[])[.. axes.Select(a => a.Before), .. axes.Select(a => System.Math.Max(a.Beyond, 0))]),
            ("group", depthwise ? channels : 1L));
        var sliced = Apply("Slice", conv, Ints(new long[rank]), Ints([.. axes.Select(a => a.Kernel)]), Ints([.. Enumerable.Range(2, rank).Select(i => (long)i)]));
        if (depthwise) sliced = Apply("Reshape", sliced, Ints([channels, multiplier, .. axes.Select(a => a.Kernel)]));
        Node("Transpose", [sliced], [y], ("perm", (long[])[.. Enumerable.Range(2, rank).Select(i => (long)i), 0, 1]));
    }

    /// <summary>
    /// DepthwiseConv2dNativeBackpropInput and Conv3DBackpropInputV2: ONNX ConvTranspose, padded as TensorFlow pads;
    /// where the last window ends before the input does, output_padding reaches its end. A depthwise filter
    /// <c>[kh, kw, C, m]</c> becomes <c>[C·m, 1, kh, kw]</c> (the depthwise Conv's weights) with <c>group = C</c>, a
    /// volumetric one <c>[kd, kh, kw, in, out]</c> becomes <c>[out, in, kd, kh, kw]</c>. The input's spatial sizes
    /// come from the op's static shape or the constant input_sizes.
    /// </summary>
    private void BackpropInputOp(Operation op, string y)
    {
        var filterShape = op.inputs[1].shape;
        if (!filterShape.IsFullyDefined)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its filter's shape {filterShape} is not fully known.", op.name);
        var rank = filterShape.ndims - 2;
        var depthwise = op.type == "DepthwiseConv2dNativeBackpropInput";
        var known = op.outputs[0].shape;
        long[] sizes = known.IsKnownRank && known.ndims == rank + 2 && Enumerable.Range(1, rank).All(i => known[i] >= 0) ? [.. Enumerable.Range(1, rank).Select(i => (long)known[i])]
            : ConstantOf(op, 0, "input_sizes").Cast(DType.int64).ToArray<long>()[1..(rank + 1)];
        long[] kernel = [.. Enumerable.Range(0, rank).Select(i => (long)filterShape[i])];
        var (channels, multiplier) = (filterShape[rank], filterShape[rank + 1]);
        var axes = ConvGeometry(op, sizes, kernel);
        int[] perm = depthwise ? [3, 2, 0, 1] : [4, 3, 0, 1, 2];
        var weights = _constants.TryGetValue(op.inputs[1], out var filter)
            ? Initializer(op.name + "/weights_oihw", OnnxTensors.Permute(depthwise ? filter.Reshape(new Shape(filterShape[0], filterShape[1], 1, channels * multiplier)) : filter, perm))
            : ApplyWith("Transpose", [depthwise ? Apply("Reshape", In(op, 1), Ints([.. kernel, 1, channels * multiplier])) : In(op, 1)], ("perm", perm.Select(p => (long)p).ToArray()));
        long[] channelsFirst = [0, rank + 1, .. Enumerable.Range(1, rank).Select(i => (long)i)];
        var gradient = ApplyWith("Transpose", [In(op, 2)], ("perm", channelsFirst));
        var result = ApplyWith("ConvTranspose", [gradient, weights], ("kernel_shape", kernel), ("strides", axes.Select(a => a.Stride).ToArray()),
            ("dilations", axes.Select(a => a.Dilation).ToArray()), ("group", depthwise ? (long)channels : 1L),
            ("pads", (long[])[.. axes.Select(a => a.Before), .. axes.Select(a => System.Math.Max(a.Beyond, 0))]),
            ("output_padding", axes.Select(a => System.Math.Max(-a.Beyond, 0)).ToArray()));
        Node("Transpose", [result], [y], ("perm", (long[])[0, .. Enumerable.Range(2, rank).Select(i => (long)i), 1]));
    }
}
