using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's image resizing (ResizeBilinear, ResizeBicubic, ResizeNearestNeighbor as ONNX Resize with TensorFlow's coordinate
/// rules) and transposed convolution (Conv2DBackpropInput as ONNX ConvTranspose), NHWC between Transposes.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// ResizeBilinear and ResizeNearestNeighbor: ONNX Resize of the NCHW image to <c>sizes = [N, C, height, width]</c>
    /// (a constant where the image's shape and the size are known; else N and C read from the image's Shape, the
    /// size from the op's input). The coordinate rules are TensorFlow's:
    /// align_corners as <c>align_corners</c> (nearest rounding half up), half_pixel_centers as <c>half_pixel</c> for
    /// bilinear and <c>tf_half_pixel_for_nn</c> (then floor) for nearest, neither as <c>asymmetric</c> (floor).
    /// ResizeBicubic is <c>cubic</c> with TensorFlow's Keys coefficient: -0.5 with half_pixel_centers, where the
    /// taps outside the image are dropped and the rest renormalised (<c>exclude_outside = 1</c>), else the legacy
    /// -0.75 with the edge pixels repeated. ResizeBilinear and ResizeBicubic give float32 whatever the image's type,
    /// as TensorFlow's do: the image is cast first.
    /// </summary>
    private void ResizeOp(Operation op)
    {
        var alignCorners = Attr<bool>(op, "align_corners");
        var halfPixel = Attr<bool>(op, "half_pixel_centers");
        if (alignCorners && halfPixel)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: align_corners and half_pixel_centers together (TensorFlow refuses them too).", op.name);
        var bilinear = op.type is "ResizeBilinear" or "ResizeBicubic";
        var image = Name(op.inputs[0]);
        if (bilinear && op.inputs[0].dtype != DType.float32)
        {
            var cast = Fresh();
            Node("Cast", [image], [cast], ("to", (long)TensorProto.Types.DataType.Float));
            image = cast;
        }
        var nchw = Fresh();
        Node("Transpose", [image], [nchw], ("perm", ToNchw));
        string sizes;
        var known = op.inputs[0].shape;
        if (known.IsFullyDefined && _constants.TryGetValue(op.inputs[1], out var size))
            sizes = Ints([known[0], known[3], .. size.Cast(DType.int64).ToArray<long>()]);
        else
        {
            var (shape, batchAndChannels) = (Fresh(), Fresh());
            sizes = Fresh();
            Node("Shape", [nchw], [shape]);
            Node("Slice", [shape, Ints([0]), Ints([2]), Ints([0])], [batchAndChannels]);
            Node("Concat", [batchAndChannels, Int64(op.inputs[1])], [sizes], ("axis", 0L));
        }
        var transform = alignCorners ? "align_corners" : halfPixel ? bilinear ? "half_pixel" : "tf_half_pixel_for_nn" : "asymmetric";
        var resized = Fresh();
        if (op.type == "ResizeBicubic")
            Node("Resize", [nchw, "", "", sizes], [resized], ("mode", "cubic"), ("coordinate_transformation_mode", transform),
                ("cubic_coeff_a", halfPixel ? -0.5f : -0.75f), ("exclude_outside", halfPixel ? 1L : 0L));
        else if (bilinear) Node("Resize", [nchw, "", "", sizes], [resized], ("mode", "linear"), ("coordinate_transformation_mode", transform));
        else Node("Resize", [nchw, "", "", sizes], [resized], ("mode", "nearest"), ("coordinate_transformation_mode", transform), ("nearest_mode", alignCorners ? "round_prefer_ceil" : "floor"));
        Node("Transpose", [resized], [Out(op.outputs[0])], ("perm", ToNhwc));
    }

    /// <summary>
    /// Conv2DBackpropInput (<c>tf.nn.conv2d_transpose</c>): ONNX ConvTranspose of the NCHW out_backprop with the
    /// filter as its weights (<c>[kh, kw, in, out]</c> → <c>[out, in, kh, kw]</c>). TensorFlow's result is the full
    /// transposed convolution cropped to input_sizes from the forward padding's start, so the pads are that start
    /// and whatever the full result has beyond input_sizes; where it is shorter, <c>output_padding</c> adds the rest.
    /// </summary>
    private void ConvTransposeOp(Operation op)
    {
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : "NHWC";
        if (format != "NHWC")
            throw new UnimplementedError($"Cannot export Conv2DBackpropInput \"{op.name}\" to ONNX: data_format {format}.", op.name);
        // A training graph's input_sizes is the Shape of an input of unknown batch: the static spatial sizes serve.
        var known = op.outputs[0].shape;
        long[] spatial;
        if (!_constants.ContainsKey(op.inputs[0]) && known.IsKnownRank && known.ndims == 4 && known[1] >= 0 && known[2] >= 0) spatial = [known[1], known[2]];
        else
        {
            var sizes = ConstantOf(op, 0, "input_sizes").Cast(DType.int64).ToArray<long>();
            spatial = sizes.Length == 2 ? sizes : [sizes[1], sizes[2]];
        }
        var filter = ConstantOf(op, 1, "filter");
        long[] kernel = [filter.shape[0], filter.shape[1]];
        var strides = Attr<int[]>(op, "strides");
        var dilations = op.attrs.TryGetValue("dilations", out var d) && d is int[] given ? given : [1, 1, 1, 1];
        var padding = Attr<string>(op, "padding");
        if (padding is not ("SAME" or "VALID"))
            throw new UnimplementedError($"Cannot export Conv2DBackpropInput \"{op.name}\" to ONNX: padding {padding} (SAME and VALID are exported).", op.name);
        var (begin, end, outputPadding) = (new long[2], new long[2], new long[2]);
        for (var i = 0; i < 2; i++)
        {
            long size = spatial[i], stride = strides[1 + i], span = (kernel[i] - 1) * dilations[1 + i] + 1;
            long outSize;
            switch (padding)
            {
                case "SAME":
                    outSize = (size + stride - 1) / stride;
                    begin[i] = System.Math.Max((outSize - 1) * stride + span - size, 0) / 2;
                    break;
                default:
                    outSize = (size - span + stride) / stride;
                    break;
            }
            var beyond = (outSize - 1) * stride + span - begin[i] - size;
            (end[i], outputPadding[i]) = beyond >= 0 ? (beyond, 0L) : (0L, -beyond);
        }
        var w = Initializer(op.name + "/weights_oihw", OnnxTensors.Permute(filter, [3, 2, 0, 1]));
        var (nchw, result) = (Fresh(), Fresh());
        Node("Transpose", [Name(op.inputs[2])], [nchw], ("perm", ToNchw));
        Node("ConvTranspose", [nchw, w], [result], ("kernel_shape", kernel), ("strides", new long[] { strides[1], strides[2] }),
            ("dilations", new long[] { dilations[1], dilations[2] }), ("pads", new long[] { begin[0], begin[1], end[0], end[1] }), ("output_padding", outputPadding));
        Node("Transpose", [result], [Out(op.outputs[0])], ("perm", ToNhwc));
    }
}
