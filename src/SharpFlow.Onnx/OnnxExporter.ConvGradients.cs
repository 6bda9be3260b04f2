using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's convolution gradients of training graphs: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput
/// and DepthwiseConv2dNativeBackpropFilter (NHWC; SAME, VALID and EXPLICIT padding; strides and dilations), as ONNX
/// Conv and ConvTranspose over transposed values.
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

    /// <summary>The two spatial axes of a convolution gradient op over an input of <paramref name="sizes"/> with a filter of <paramref name="kernel"/>.</summary>
    private static ConvAxis[] ConvGeometry(Operation op, long[] sizes, long[] kernel)
    {
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : "NHWC";
        if (format != "NHWC")
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: data_format {format}.", op.name);
        var strides = Attr<int[]>(op, "strides");
        var dilations = op.attrs.TryGetValue("dilations", out var d) && d is int[] given ? given : [1, 1, 1, 1];
        var padding = Attr<string>(op, "padding");
        int[]? explicitPads = null;
        if (padding == "EXPLICIT")
        {
            explicitPads = op.attrs.GetValueOrDefault("explicit_paddings") as int[] is { Length: 8 } p && p[0] == 0 && p[1] == 0 && p[6] == 0 && p[7] == 0 ? p
                : throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its explicit_paddings pad the batch or channel axis, or are missing.", op.name);
        }
        else if (padding is not ("SAME" or "VALID"))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: padding {padding}.", op.name);
        var axes = new ConvAxis[2];
        for (var i = 0; i < 2; i++)
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

    /// <summary>The static sizes of axes 1 and 2 of <paramref name="shape"/>, or a refusal naming <paramref name="what"/>.</summary>
    private static long[] SpatialSizes(Operation op, Shape shape, string what)
    {
        if (!shape.IsKnownRank || shape.ndims != 4 || shape[1] < 0 || shape[2] < 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: the spatial sizes of its {what} are unknown ({shape}); the pads of its convolution need them.", op.name);
        return [shape[1], shape[2]];
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
        var axes = ConvGeometry(op, SpatialSizes(op, op.inputs[0].shape, "input"), filterSizes[..2]);
        var depthwise = op.type == "DepthwiseConv2dNativeBackpropFilter";
        var (channels, multiplier) = (filterSizes[2], filterSizes[3]);
        var images = ApplyWith("Transpose", [In(op, 0)], ("perm", new long[] { 3, 0, 1, 2 }));
        if (depthwise) images = Apply("Reshape", images, Ints([1, -1, axes[0].Size, axes[1].Size]));
        var gradient = ApplyWith("Transpose", [In(op, 2)], ("perm", new long[] { 3, 0, 1, 2 }));
        var conv = ApplyWith("Conv", [images, gradient], ("strides", axes.Select(a => a.Dilation).ToArray()), ("dilations", axes.Select(a => a.Stride).ToArray()),
            ("pads", new[] { axes[0].Before, axes[1].Before, System.Math.Max(axes[0].Beyond, 0), System.Math.Max(axes[1].Beyond, 0) }),
            ("group", depthwise ? channels : 1L));
        var sliced = Apply("Slice", conv, Ints([0, 0]), Ints([axes[0].Kernel, axes[1].Kernel]), Ints([2, 3]));
        if (depthwise) sliced = Apply("Reshape", sliced, Ints([channels, multiplier, axes[0].Kernel, axes[1].Kernel]));
        Node("Transpose", [sliced], [y], ("perm", new long[] { 2, 3, 0, 1 }));
    }

    /// <summary>
    /// DepthwiseConv2dNativeBackpropInput: ONNX ConvTranspose with <c>group = C</c> and the filter <c>[kh, kw, C, m]</c>
    /// as <c>[C·m, 1, kh, kw]</c> (the depthwise Conv's weights), padded as TensorFlow pads; where the last window ends
    /// before the input does, output_padding reaches its end. The input's spatial sizes come from the op's static
    /// shape or the constant input_sizes.
    /// </summary>
    private void DepthwiseBackpropInputOp(Operation op, string y)
    {
        var filterShape = op.inputs[1].shape;
        if (!filterShape.IsFullyDefined)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its filter's shape {filterShape} is not fully known.", op.name);
        long[] sizes = op.outputs[0].shape is { IsKnownRank: true } s && s[1] >= 0 && s[2] >= 0 ? [s[1], s[2]] : ConstantOf(op, 0, "input_sizes").Cast(DType.int64).ToArray<long>()[1..3];
        var (kh, kw, channels, multiplier) = (filterShape[0], filterShape[1], filterShape[2], filterShape[3]);
        var axes = ConvGeometry(op, sizes, [kh, kw]);
        var weights = _constants.TryGetValue(op.inputs[1], out var filter)
            ? Initializer(op.name + "/weights_oihw", OnnxTensors.Permute(filter.Reshape(new Shape(kh, kw, 1, channels * multiplier)), [3, 2, 0, 1]))
            : ApplyWith("Transpose", [Apply("Reshape", In(op, 1), Ints([kh, kw, 1, channels * multiplier]))], ("perm", new long[] { 3, 2, 0, 1 }));
        var gradient = ApplyWith("Transpose", [In(op, 2)], ("perm", ToNchw));
        var result = ApplyWith("ConvTranspose", [gradient, weights], ("kernel_shape", new long[] { kh, kw }), ("strides", axes.Select(a => a.Stride).ToArray()),
            ("dilations", axes.Select(a => a.Dilation).ToArray()), ("group", (long)channels),
            ("pads", new[] { axes[0].Before, axes[1].Before, System.Math.Max(axes[0].Beyond, 0), System.Math.Max(axes[1].Beyond, 0) }),
            ("output_padding", axes.Select(a => System.Math.Max(-a.Beyond, 0)).ToArray()));
        Node("Transpose", [result], [y], ("perm", ToNhwc));
    }
}
