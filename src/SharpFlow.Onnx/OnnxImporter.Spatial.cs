using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    // ----- layouts of 1-D, 2-D and 3-D spatial ops -----

    /// <summary>
    /// An N·C·spatial input as channels-last [N, spatial…, C]: a 2-D image in NHWC (kept so by the next op), other ranks
    /// transposed.
    /// </summary>
    private Tensor ChannelsLast(Value v, NodeProto node, int spatial)
    {
        if (spatial == 2) return Nhwc(v, node);
        var x = Nchw(v);
        if (x.shape.ndims != spatial + 2) throw Invalid(node, $"its input has rank {x.shape.ndims}, not {spatial + 2}.");
        return tf.transpose(x, (int[])[0, .. Enumerable.Range(2, spatial), 1]);
    }

    /// <summary>Sets a channels-last result: a 2-D image stays NHWC, other ranks go back to N·C·spatial.</summary>
    private void SetChannelsLast(NodeProto node, Tensor y, int spatial)
    {
        if (spatial == 2) Set(node, y, nhwc: true);
        else Set(node, tf.transpose(y, (int[])[0, spatial + 1, .. Enumerable.Range(1, spatial)]));
    }

    private static int[] SpatialSizes(Tensor channelsLast, int spatial) =>
        [.. Enumerable.Range(1, spatial).Select(i => channelsLast.shape.ndims > i ? channelsLast.shape[i] : -1)];

    /// <summary>
    /// The padding a window op asks for, from <c>auto_pad</c> or <c>pads</c>, as ONNX's [begin…, end…]; SAME needs the
    /// input's sizes known at import.
    /// </summary>
    private int[] RequestedPads(NodeProto node, int[] sizes, int[] kernel, int[] strides, int[] dilations)
    {
        // Every window op's pads come through here, before anything divides by a stride.
        if (strides.Any(v => v < 1)) throw Invalid(node, $"strides [{string.Join(",", strides)}] must be positive.");
        if (dilations.Any(v => v < 1)) throw Invalid(node, $"dilations [{string.Join(",", dilations)}] must be positive.");
        var n = kernel.Length;
        var auto = Attr(node, "auto_pad", "NOTSET");
        switch (auto)
        {
            case "NOTSET":
                var pads = Ints(node, "pads", new int[2 * n]);
                if (pads.Any(p => p < 0)) throw Unsupported(node, "pads", $"[{string.Join(",", pads)}]", "negative pads");
                return pads;
            case "VALID": return new int[2 * n];
            case "SAME_UPPER" or "SAME_LOWER":
                var result = new int[2 * n];
                for (var i = 0; i < n; i++)
                {
                    if (sizes[i] < 0) throw Unsupported(node, "auto_pad", auto, "on an input whose size is unknown at import");
                    var output = (sizes[i] + strides[i] - 1) / strides[i];
                    var total = System.Math.Max(0, (output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - sizes[i]);
                    var small = total / 2;
                    (result[i], result[i + n]) = auto == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }
                return result;
            default: throw Unsupported(node, "auto_pad", auto);
        }
    }

    /// <summary>Whether ONNX pads are TensorFlow's SAME split for this window (so SAME padding can be used).</summary>
    private static bool IsTensorFlowSame(int[] pads, int[] sizes, int[] kernel, int[] strides, int[] dilations)
    {
        var n = kernel.Length;
        for (var i = 0; i < n; i++)
        {
            if (sizes[i] < 0) return false;
            var output = (sizes[i] + strides[i] - 1) / strides[i];
            var total = System.Math.Max(0, (output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - sizes[i]);
            if (pads[i] != total / 2 || pads[i + n] != total - total / 2) return false;
        }
        return true;
    }

    /// <summary>
    /// A channels-last tensor padded on its spatial axes with <paramref name="fill"/> (pads as [begin…, end…]): one
    /// Pad for zeros, one PadV2 (<c>constant_values</c>) for another value of a float or 32/64-bit integer tensor. The
    /// graph optimizer folds a zero Pad before a VALID convolution, and a minus-infinity PadV2 before a VALID max
    /// pooling, into the op's explicit padding.
    /// </summary>
    private static Tensor PadSpatial(Tensor x, int[] pads, double fill)
    {
        var n = pads.Length / 2;
        var paddings = new int[n + 2, 2];
        for (var i = 0; i < n; i++) (paddings[i + 1, 0], paddings[i + 1, 1]) = (pads[i], pads[i + n]);
        if (fill != 0 && (x.dtype == DType.float32 || x.dtype == DType.float64 || ((x.dtype == DType.int32 || x.dtype == DType.int64) && double.IsFinite(fill))))
            return tf.pad(x, paddings, constant_values: S(fill, x.dtype));
        var padded = tf.pad(x, paddings);
        if (fill == 0) return padded;
        var inside = tf.cast(tf.pad(tf.ones_like(x, DType.int32), paddings), DType.@bool);
        return tf.where(inside, padded, tf.fill(tf.shape(padded), S(fill, x.dtype)));
    }

    // ----- convolution -----

    private void Conv(NodeProto node)
    {
        var xValue = In(node, 0);
        var wValue = In(node, 1);
        var wRank = wValue.Constant?.ndim ?? Nchw(wValue).shape.ndims;
        if (wRank is < 3 or > 5) throw Unsupported(node, $"a rank-{wRank} filter (1-D, 2-D and 3-D convolutions only)");
        var n = wRank - 2;
        var x = ChannelsLast(xValue, node, n);
        var wShape = wValue.Constant?.shape.Dims ?? Nchw(wValue).shape.Dims;
        var kernel = wShape.Skip(2).ToArray();
        if (kernel.Any(k => k < 0)) throw Unsupported(node, "W", "a run-time filter", "its spatial size is unknown at import");
        if (IntsOrNull(node, "kernel_shape") is { Length: > 0 } ks && !ks.SequenceEqual(kernel))
            throw Invalid(node, $"kernel_shape [{string.Join(",", ks)}] does not match the filter's [{string.Join(",", kernel)}].");
        var group = (int)Attr(node, "group", 1L);
        var strides = Ints(node, "strides", Enumerable.Repeat(1, n).ToArray());
        var dilations = Ints(node, "dilations", Enumerable.Repeat(1, n).ToArray());
        var pads = RequestedPads(node, SpatialSizes(x, n), kernel, strides, dilations);
        // OIHW → HWIO (the spatial axes first, then in and out channels).
        int[] perm = [.. Enumerable.Range(2, n), 1, 0];
        var filter = wValue.Constant is { } w ? Materialize(node.Input[1], OnnxTensors.Permute(w, perm)) : tf.transpose(Nchw(wValue), perm);
        var y = Convolve(node, x, filter, wShape[0], wShape[1], group, strides, dilations, pads, Attr(node, "auto_pad", "NOTSET") == "SAME_UPPER");
        if (Has(node, 2)) y = tf.nn.bias_add(y, X(node, 2));
        SetChannelsLast(node, y, n);
    }

    /// <summary>
    /// A channels-last convolution with ONNX's pads, groups, strides and dilations. TensorFlow refuses strides and
    /// dilations above 1 together: then the stride-1 result is subsampled, which is the same sum.
    /// </summary>
    private Tensor Convolve(NodeProto node, Tensor x, Tensor filter, int outChannels, int inPerGroup, int group, int[] strides, int[] dilations, int[] pads, bool sameUpper)
    {
        var n = strides.Length;
        var kernel = Enumerable.Range(0, n).Select(i => filter.shape[i]).ToArray();
        var both = strides.Any(s => s > 1) && dilations.Any(d => d > 1);
        string padding;
        if (!both && (sameUpper || IsTensorFlowSame(pads, SpatialSizes(x, n), kernel, strides, dilations))) padding = "SAME";
        else
        {
            padding = "VALID";
            if (pads.Any(p => p != 0)) x = PadSpatial(x, pads, 0);
        }
        var step = both ? Enumerable.Repeat(1, n).ToArray() : strides;
        var inChannels = x.shape.ndims == n + 2 ? x.shape[n + 1] : -1;
        if (group < 1 || (outChannels >= 0 && outChannels % group != 0) || (inChannels >= 0 && inPerGroup >= 0 && inChannels != inPerGroup * group))
            throw Invalid(node, $"group={group} does not fit {inChannels} input and {outChannels} output channels with a filter of {inPerGroup} inputs per group.");
        Tensor y;
        if (group == 1) y = ConvolveOnce(x, filter, step, dilations, padding);
        else if (n == 2 && inPerGroup == 1)
        {
            // Depthwise: output channel c·m + j convolves input channel c, as TensorFlow's depthwise filter [kh, kw, C, m].
            // A run-time W's output channels can be unknown at import (a graph input's first axis, with DynamicBatch).
            var depthwise = tf.reshape(filter, new[] { kernel[0], kernel[1], group, outChannels >= 0 ? outChannels / group : -1 });
            y = tf.nn.depthwise_conv2d(x, depthwise, [1, step[0], step[1], 1], padding, rate: dilations.All(d => d == 1) ? null : dilations);
        }
        else
        {
            var xs = tf.split(x, group, axis: n + 1);
            var fs = tf.split(filter, group, axis: n + 1);
            y = tf.concat(Enumerable.Range(0, group).Select(g => ConvolveOnce(xs[g], fs[g], step, dilations, padding)).ToList(), n + 1);
        }
        if (both) y = Subsample(y, strides);
        return y;
    }

    private static Tensor ConvolveOnce(Tensor x, Tensor filter, int[] strides, int[] dilations, string padding) => strides.Length switch
    {
        1 => tf.squeeze(tf.nn.conv2d(tf.expand_dims(x, 1), tf.expand_dims(filter, 0), [1, 1, strides[0], 1], padding, dilations: [1, 1, dilations[0], 1]), new[] { 1 }),
        2 => tf.nn.conv2d(x, filter, [1, strides[0], strides[1], 1], padding, dilations: [1, dilations[0], dilations[1], 1]),
        _ => tf.nn.conv3d(x, filter, [1, .. strides, 1], padding, dilations: [1, .. dilations, 1]),
    };

    /// <summary>Every stride-th element of the spatial axes of a channels-last tensor.</summary>
    private static Tensor Subsample(Tensor y, int[] strides)
    {
        var rank = strides.Length + 2;
        var mask = (1 << rank) - 1;
        return tf.strided_slice(y, new int[rank], new int[rank], (int[])[1, .. strides, 1], begin_mask: mask, end_mask: mask);
    }

    /// <summary>
    /// ConvTranspose as the convolution it is the gradient of: the input spread out by the strides (zeros between),
    /// padded by the dilated kernel's size less the pads, convolved with the flipped kernel (in and out swapped).
    /// </summary>
    private void ConvTranspose(NodeProto node)
    {
        var xValue = In(node, 0);
        var wValue = In(node, 1);
        // A constant W is permuted at import; a run-time W (a graph input, or computed) gets the same permutation as a Transpose.
        var wDims = wValue.Constant?.shape.Dims ?? Nchw(wValue).shape.Dims;
        var n = wDims.Length - 2;
        if (n is < 1 or > 3) throw Unsupported(node, $"a rank-{wDims.Length} filter (1-D, 2-D and 3-D convolutions only)");
        var x = ChannelsLast(xValue, node, n);
        var group = (int)Attr(node, "group", 1L);
        var kernel = wDims.Skip(2).ToArray();
        if (kernel.Any(k => k < 0)) throw Unsupported(node, "W", "a run-time filter", "its spatial size is unknown at import");
        if (IntsOrNull(node, "kernel_shape") is { Length: > 0 } ks && !ks.SequenceEqual(kernel))
            throw Invalid(node, $"kernel_shape [{string.Join(",", ks)}] does not match the filter's [{string.Join(",", kernel)}].");
        var strides = Ints(node, "strides", Enumerable.Repeat(1, n).ToArray());
        var dilations = Ints(node, "dilations", Enumerable.Repeat(1, n).ToArray());
        var outputPadding = Ints(node, "output_padding", new int[n]);
        var sizes = SpatialSizes(x, n);
        var effective = Enumerable.Range(0, n).Select(i => (kernel[i] - 1) * dilations[i] + 1).ToArray();
        int[] pads;
        if (IntsOrNull(node, "output_shape") is { } outputShape)
        {
            var target = outputShape.Length == n ? outputShape : outputShape.Skip(outputShape.Length - n).ToArray();
            pads = new int[2 * n];
            for (var i = 0; i < n; i++)
            {
                if (sizes[i] < 0) throw Unsupported(node, "output_shape", $"[{string.Join(",", outputShape)}]", "on an input whose size is unknown at import");
                var total = strides[i] * (sizes[i] - 1) + outputPadding[i] + effective[i] - target[i];
                // ONNX Runtime puts the larger half at the end unless auto_pad is SAME_LOWER.
                var small = total / 2;
                (pads[i], pads[i + n]) = Attr(node, "auto_pad", "NOTSET") == "SAME_LOWER" ? (total - small, small) : (small, total - small);
            }
        }
        else
        {
            var auto = Attr(node, "auto_pad", "NOTSET");
            if (auto is "SAME_UPPER" or "SAME_LOWER")
            {
                pads = new int[2 * n];
                for (var i = 0; i < n; i++)
                {
                    if (sizes[i] < 0) throw Unsupported(node, "auto_pad", auto, "on an input whose size is unknown at import");
                    var total = System.Math.Max(0, strides[i] * (sizes[i] - 1) + outputPadding[i] + effective[i] - sizes[i] * strides[i]);
                    var small = total / 2;
                    (pads[i], pads[i + n]) = auto == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }
            }
            else pads = auto == "VALID" ? new int[2 * n] : Ints(node, "pads", new int[2 * n]);
        }
        // Spread the input: s−1 zeros after every element of each spatial axis (none after the last).
        var spread = x;
        for (var i = 0; i < n; i++)
        {
            if (strides[i] == 1) continue;
            spread = Spread(spread, i + 1, strides[i]);
        }
        // Pad by the dilated kernel's size less 1 less the pads (a negative amount crops), and the output padding at the end.
        var before = Enumerable.Range(0, n).Select(i => effective[i] - 1 - pads[i]).ToArray();
        var after = Enumerable.Range(0, n).Select(i => effective[i] - 1 - pads[i + n] + outputPadding[i]).ToArray();
        spread = PadOrCrop(spread, before, after);
        // The kernel flipped on its spatial axes, as a forward filter [k…, in, out/group]: [I, O/g, k…] → [k…, I, O/g].
        int[] perm = [.. Enumerable.Range(2, n), 0, 1];
        var unflipped = wValue.Constant is { } w ? Materialize(null, OnnxTensors.Permute(w, perm)) : tf.transpose(Nchw(wValue), perm);
        var filter = tf.reverse(unflipped, Enumerable.Range(0, n).ToArray());
        Tensor y;
        var step = Enumerable.Repeat(1, n).ToArray();
        if (group == 1) y = ConvolveOnce(spread, filter, step, dilations, "VALID");
        else
        {
            // Group g reads input channels g·I/G… and writes output channels g·O/G…: the filter's in axis holds all I.
            var xs = tf.split(spread, group, axis: n + 1);
            var fs = tf.split(filter, group, axis: n);
            y = tf.concat(Enumerable.Range(0, group).Select(g => ConvolveOnce(xs[g], fs[g], step, dilations, "VALID")).ToList(), n + 1);
        }
        if (Has(node, 2)) y = tf.nn.bias_add(y, X(node, 2));
        SetChannelsLast(node, y, n);
    }

    /// <summary>Inserts <paramref name="stride"/>−1 zeros after every element of <paramref name="axis"/> except the last.</summary>
    private static Tensor Spread(Tensor x, int axis, int stride)
    {
        var rank = x.shape.ndims;
        var expanded = tf.expand_dims(x, axis + 1); // [..., d, 1, ...]
        var paddings = new int[rank + 1, 2];
        paddings[axis + 1, 1] = stride - 1;
        var padded = tf.pad(expanded, paddings); // [..., d, s, ...]
        var shape = tf.shape(x);
        var dims = Enumerable.Range(0, rank).Select(i => i == axis ? tf.reshape(shape[i] * stride, new[] { 1 }) : tf.reshape(shape[i], new[] { 1 })).ToList();
        var merged = tf.reshape(padded, tf.concat(dims, 0));
        var size = Enumerable.Repeat(-1, rank).ToArray();
        var begin = new int[rank];
        var sizeTensor = tf.concat(Enumerable.Range(0, rank).Select(i => i == axis ? tf.reshape((shape[i] - 1) * stride + 1, new[] { 1 }) : tf.constant(new[] { -1 })).ToList(), 0);
        _ = size;
        return tf.slice(merged, begin, sizeTensor);
    }

    /// <summary>Pads (or, for negative amounts, crops) the spatial axes of a channels-last tensor with zeros.</summary>
    private static Tensor PadOrCrop(Tensor x, int[] before, int[] after)
    {
        var n = before.Length;
        var paddings = new int[n + 2, 2];
        var crop = false;
        for (var i = 0; i < n; i++)
        {
            (paddings[i + 1, 0], paddings[i + 1, 1]) = (System.Math.Max(0, before[i]), System.Math.Max(0, after[i]));
            crop |= before[i] < 0 || after[i] < 0;
        }
        var y = tf.pad(x, paddings);
        if (!crop) return y;
        var rank = n + 2;
        var begin = new int[rank];
        var end = new int[rank];
        int beginMask = 0, endMask = 0;
        for (var i = 0; i < rank; i++)
        {
            if (i == 0 || i == rank - 1 || before[i - 1] >= 0) beginMask |= 1 << i;
            else begin[i] = -before[i - 1];
            if (i == 0 || i == rank - 1 || after[i - 1] >= 0) endMask |= 1 << i;
            else end[i] = after[i - 1];
        }
        return tf.strided_slice(y, begin, end, Enumerable.Repeat(1, rank).ToArray(), begin_mask: beginMask, end_mask: endMask);
    }

    // ----- pooling -----

    private void Pool(NodeProto node, string kind)
    {
        var value = In(node, 0);
        var kernel = IntsOrNull(node, "kernel_shape") ?? throw Invalid(node, "it has no kernel_shape.");
        var n = kernel.Length;
        if (n is < 1 or > 3) throw Unsupported(node, "kernel_shape", $"[{string.Join(",", kernel)}]", "1-D, 2-D and 3-D windows only");
        var x = ChannelsLast(value, node, n);
        var strides = Ints(node, "strides", Enumerable.Repeat(1, n).ToArray());
        var dilations = Ints(node, "dilations", Enumerable.Repeat(1, n).ToArray());
        if (dilations.Any(d => d != 1)) throw Unsupported(node, "dilations", $"[{string.Join(",", dilations)}]", "dilated pooling");
        var sizes = SpatialSizes(x, n);
        var pads = RequestedPads(node, sizes, kernel, strides, dilations);
        // ceil_mode: windows that start inside the (padded) input are kept, their missing part padded at the end.
        var extra = new int[n];
        if (Attr(node, "ceil_mode", 0L) != 0)
            for (var i = 0; i < n; i++)
            {
                if (sizes[i] < 0) throw Unsupported(node, "ceil_mode", 1, "on an input whose size is unknown at import");
                var padded = sizes[i] + pads[i] + pads[i + n];
                var output = (int)System.Math.Ceiling((padded - kernel[i]) / (double)strides[i]) + 1;
                if ((output - 1) * strides[i] >= sizes[i] + pads[i]) output--;
                extra[i] = System.Math.Max(0, (output - 1) * strides[i] + kernel[i] - padded);
            }
        var all = pads.Select((p, i) => i >= n ? p + extra[i - n] : p).ToArray();
        var noPads = all.All(p => p == 0);
        var same = extra.All(e => e == 0) && (Attr(node, "auto_pad", "NOTSET") == "SAME_UPPER" || IsTensorFlowSame(pads, sizes, kernel, strides, dilations));
        Tensor y;
        switch (kind)
        {
            case "MaxPool":
                if (noPads) y = PoolOnce(x, kernel, strides, "VALID", max: true);
                else if (same) y = PoolOnce(x, kernel, strides, "SAME", max: true);
                else y = PoolOnce(PadSpatial(x, all, double.NegativeInfinity), kernel, strides, "VALID", max: true);
                break;
            case "AveragePool":
                var include = Attr(node, "count_include_pad", 0L) != 0;
                if (noPads) y = PoolOnce(x, kernel, strides, "VALID", max: false);
                else if (same && !include) y = PoolOnce(x, kernel, strides, "SAME", max: false);
                else
                {
                    // The sum over each window divided by the number of its elements that count: the input's, and with
                    // count_include_pad the explicit pads' too (never ceil_mode's extra end).
                    var ones = tf.ones_like(x);
                    var counted = include ? PadSpatial(PadSpatial(ones, pads, 1), [.. new int[n], .. extra], 0) : PadSpatial(ones, all, 0);
                    y = PoolOnce(PadSpatial(x, all, 0), kernel, strides, "VALID", max: false) / PoolOnce(counted, kernel, strides, "VALID", max: false);
                }
                break;
            default:
                var p = Attr(node, "p", 2L);
                var window = kernel.Aggregate(1, (a, b) => a * b);
                var powered = p == 2 ? x * x : p == 1 ? tf.abs(x) : tf.pow(tf.abs(x), S(p, x.dtype));
                var sum = PoolOnce(noPads ? powered : PadSpatial(powered, all, 0), kernel, strides, "VALID", max: false) * S(window, x.dtype);
                y = p == 2 ? tf.sqrt(sum) : p == 1 ? sum : tf.pow(sum, S(1.0 / p, x.dtype));
                break;
        }
        SetChannelsLast(node, y, n);
        if (kind == "MaxPool" && Wants(node, 1))
        {
            var columnMajor = Attr(node, "storage_order", 0L) != 0;
            if (n == 2 && (noPads || same)) Set(node, 1, MaxPoolIndices(x, kernel, strides, noPads ? "VALID" : "SAME", columnMajor));
            else Set(node, 1, MaxPoolWindowIndices(x, kernel, strides, all, columnMajor));
        }
    }

    /// <summary>
    /// MaxPool's Indices: TensorFlow's argmax <c>(y·W + x)·C + c</c> of an NHWC image turned into ONNX's index into
    /// the flattened NCHW input, <c>((n·C + c)·H + y)·W + x</c>, or with storage_order 1 <c>((n·C + c)·W + x)·H + y</c>.
    /// </summary>
    private static Tensor MaxPoolIndices(Tensor x, int[] kernel, int[] strides, string padding, bool columnMajor)
    {
        var (_, argmax) = tf.nn.max_pool_with_argmax(x, [1, kernel[0], kernel[1], 1], [1, strides[0], strides[1], 1], padding, DType.int64);
        var shape = tf.shape(x, out_type: DType.int64);
        var (h, w, c) = (tf.gather(shape, 1), tf.gather(shape, 2), tf.gather(shape, 3));
        var channel = tf.floormod(argmax, c);
        var position = tf.floordiv(argmax, c);
        if (columnMajor) position = tf.floormod(position, w) * h + tf.floordiv(position, w);
        var batch = tf.reshape(tf.range(S(0, DType.int64), tf.gather(shape, 0), S(1, DType.int64)), new[] { -1, 1, 1, 1 });
        var index = (batch * c + channel) * h * w + position;
        return tf.transpose(index, ToNchw);
    }

    /// <summary>
    /// MaxPool's Indices for any window rank and padding: the windows' elements (one strided slice of the input padded
    /// with minus infinity per kernel offset) stacked, the first maximum of each in the window's row-major order (as
    /// ONNX Runtime picks it), its input coordinates, and ONNX's index into the flattened N·C·spatial input: the
    /// spatial coordinates row-major, or with storage_order 1 column-major. <paramref name="x"/> is channels-last,
    /// <paramref name="pads"/> ONNX's [begin…, end…]; the result is N·C·spatial.
    /// </summary>
    private static Tensor MaxPoolWindowIndices(Tensor x, int[] kernel, int[] strides, int[] pads, bool columnMajor)
    {
        var n = kernel.Length;
        var padded = PadSpatial(x, pads, double.NegativeInfinity);
        var paddedShape = tf.shape(padded);
        var outs = Enumerable.Range(0, n).Select(i =>
            tf.floordiv(tf.gather(paddedShape, i + 1) - S(kernel[i], DType.int32), S(strides[i], DType.int32)) + S(1, DType.int32)).ToArray();
        var offsets = new List<int[]> { Array.Empty<int>() };
        foreach (var k in kernel) offsets = [.. offsets.SelectMany(o => Enumerable.Range(0, k).Select(j => (int[])[.. o, j]))];
        var mask = 1 | (1 << (n + 1));
        var stride = tf.constant((int[])[1, .. strides, 1]);
        var windows = offsets.Select(o =>
        {
            var begin = tf.stack((Tensor[])[S(0, DType.int32), .. o.Select(v => S(v, DType.int32)), S(0, DType.int32)]);
            var end = tf.stack((Tensor[])[S(0, DType.int32), .. o.Select((v, i) => S(v + 1, DType.int32) + (outs[i] - S(1, DType.int32)) * S(strides[i], DType.int32)), S(0, DType.int32)]);
            return tf.strided_slice(padded, begin, end, stride, begin_mask: mask, end_mask: mask);
        }).ToList();
        var best = tf.argmax(tf.stack(windows, axis: -1), -1, output_type: DType.int64); // [N, out…, C]
        var shape = tf.shape(x, out_type: DType.int64);
        Tensor Along(Tensor values, int axis)
        {
            var dims = Enumerable.Repeat(1, n + 2).ToArray();
            dims[axis] = -1;
            return tf.reshape(values, dims);
        }
        var coords = Enumerable.Range(0, n).Select(i =>
        {
            var offset = tf.gather(tf.constant(offsets.Select(o => (long)o[i]).ToArray()), best);
            var start = Along(tf.range(S(0, DType.int64), tf.cast(outs[i], DType.int64), S(1, DType.int64)) * S(strides[i], DType.int64), i + 1);
            return start + offset - S(pads[i], DType.int64);
        }).ToArray();
        var order = columnMajor ? Enumerable.Range(0, n).Reverse().ToArray() : Enumerable.Range(0, n).ToArray();
        var spatial = coords[order[0]];
        var volume = tf.gather(shape, 1);
        for (var j = 1; j < n; j++)
        {
            spatial = spatial * tf.gather(shape, order[j] + 1) + coords[order[j]];
            volume *= tf.gather(shape, j + 1);
        }
        var channels = tf.gather(shape, n + 1);
        var batch = Along(tf.range(S(0, DType.int64), tf.gather(shape, 0), S(1, DType.int64)), 0);
        var channel = Along(tf.range(S(0, DType.int64), channels, S(1, DType.int64)), n + 1);
        var index = (batch * channels + channel) * volume + spatial;
        return tf.transpose(index, (int[])[0, n + 1, .. Enumerable.Range(1, n)]);
    }

    private static Tensor PoolOnce(Tensor x, int[] kernel, int[] strides, string padding, bool max)
    {
        switch (kernel.Length)
        {
            case 1:
                var x2 = tf.expand_dims(x, 1);
                int[] k = [1, 1, kernel[0], 1], s = [1, 1, strides[0], 1];
                return tf.squeeze(max ? tf.nn.max_pool(x2, k, s, padding) : tf.nn.avg_pool(x2, k, s, padding), new[] { 1 });
            case 2:
                int[] k2 = [1, kernel[0], kernel[1], 1], s2 = [1, strides[0], strides[1], 1];
                return max ? tf.nn.max_pool(x, k2, s2, padding) : tf.nn.avg_pool(x, k2, s2, padding);
            default:
                int[] k3 = [1, .. kernel, 1], s3 = [1, .. strides, 1];
                return max ? tf.nn.max_pool3d(x, k3, s3, padding) : tf.nn.avg_pool3d(x, k3, s3, padding);
        }
    }

    private void GlobalPool(NodeProto node, Func<Tensor, int[], Tensor> f)
    {
        var value = In(node, 0);
        if (value.Nhwc)
        {
            Set(node, f(Materialize(value), [1, 2]), nhwc: true);
            return;
        }
        var x = Materialize(value);
        var rank = RankOf(node, x, this);
        Set(node, f(x, [.. Enumerable.Range(2, rank - 2)]));
    }

    // ----- normalization -----

    private void BatchNormalization(NodeProto node)
    {
        var value = In(node, 0);
        var x = Materialize(value);
        if (Attr(node, "training_mode", 0L) != 0)
        {
            if (Opset < 14) throw Unsupported(node, "training_mode", 1, "before opset 14");
            BatchNormalizationTraining(node);
            return;
        }
        if (Enumerable.Range(1, System.Math.Max(0, node.Output.Count - 1)).Any(k => Wants(node, k)))
            throw Unsupported(node, "BatchNormalization's running statistics outputs (training mode)");
        if (Attr(node, "spatial", 1L) != 1) throw Unsupported(node, "spatial", 0);
        var epsilon = Attr(node, "epsilon", 1e-5f);
        var channelAxis = value.Nhwc ? -1 : 1;
        Tensor Param(int i)
        {
            var t = X(node, i);
            // In NCHW (a rank-3 or higher input) the per-channel vector broadcasts along axis 1.
            return channelAxis == 1 && x.shape.ndims > 2 ? tf.reshape(t, new[] { -1 }.Concat(Enumerable.Repeat(1, x.shape.ndims - 2)).ToArray()) : t;
        }
        Set(node, tf.nn.batch_normalization(x, Param(3), Param(4), Param(2), Param(1), epsilon), value.Nhwc);
    }

    /// <summary>
    /// BatchNormalization's training mode (opset 14+): normalized with the batch's mean and (population) variance,
    /// and the running statistics updated with <c>momentum</c> as outputs 1 and 2.
    /// </summary>
    private void BatchNormalizationTraining(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var epsilon = Attr(node, "epsilon", 1e-5f);
        var momentum = Attr(node, "momentum", 0.9f);
        var (mean, variance) = tf.nn.moments(x, [0, .. Enumerable.Range(2, rank - 2)]);
        Tensor Channel(Tensor t) => rank > 2 ? PerChannel(t, rank) : t;
        var y = (x - Channel(mean)) / tf.sqrt(Channel(variance) + S(epsilon, x.dtype)) * Channel(X(node, 1)) + Channel(X(node, 2));
        Set(node, 0, y);
        var (m, rest) = (S(momentum, x.dtype), S(1 - momentum, x.dtype));
        Set(node, 1, X(node, 3) * m + mean * rest);
        Set(node, 2, X(node, 4) * m + variance * rest);
    }

    /// <summary>A per-channel vector shaped to broadcast along axis 1 of a rank-<paramref name="rank"/> tensor.</summary>
    private static Tensor PerChannel(Tensor v, int rank) => tf.reshape(v, new[] { -1 }.Concat(Enumerable.Repeat(1, rank - 2)).ToArray());

    private void InstanceNormalization(NodeProto node)
    {
        var value = In(node, 0);
        var epsilon = Attr(node, "epsilon", 1e-5f);
        if (value.Nhwc)
        {
            var xh = Materialize(value);
            var (m, v) = tf.nn.moments(xh, [1, 2], keep_dims: true);
            Set(node, (xh - m) / tf.sqrt(v + S(epsilon, xh.dtype)) * X(node, 1) + X(node, 2), nhwc: true);
            return;
        }
        var x = Materialize(value);
        var rank = RankOf(node, x, this);
        var (mean, variance) = tf.nn.moments(x, [.. Enumerable.Range(2, rank - 2)], keep_dims: true);
        Set(node, (x - mean) / tf.sqrt(variance + S(epsilon, x.dtype)) * PerChannel(X(node, 1), rank) + PerChannel(X(node, 2), rank));
    }

    private void LayerNormalization(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var axis = Axis((int)Attr(node, "axis", -1L), rank);
        var epsilon = Attr(node, "epsilon", 1e-5f);
        var (mean, variance) = tf.nn.moments(x, [.. Enumerable.Range(axis, rank - axis)], keep_dims: true);
        var inv = tf.math.rsqrt(variance + S(epsilon, x.dtype));
        var y = (x - mean) * inv * X(node, 1);
        if (Has(node, 2)) y += X(node, 2);
        Set(node, 0, y);
        Set(node, 1, mean);
        Set(node, 2, inv);
    }

    private void GroupNormalization(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var groups = (int)Attr(node, "num_groups", 0L);
        var epsilon = Attr(node, "epsilon", 1e-5f);
        var channels = x.shape[1];
        if (channels < 0 || groups <= 0 || channels % groups != 0) throw Invalid(node, $"num_groups={groups} does not divide {channels} channels.");
        var shape = tf.shape(x);
        var grouped = tf.reshape(x, tf.concat(new[] { tf.reshape(shape[0], new[] { 1 }), tf.constant(new[] { groups, -1 }) }, 0));
        var (mean, variance) = tf.nn.moments(grouped, [2], keep_dims: true);
        var normalized = tf.reshape((grouped - mean) / tf.sqrt(variance + S(epsilon, x.dtype)), shape);
        Tensor Param(int i)
        {
            var p = X(node, i);
            // Opset 18 gives one scale per group, opset 21 one per channel.
            if (p.shape.ndims == 1 && p.shape[0] == groups && groups != channels)
                p = tf.reshape(tf.tile(tf.reshape(p, new[] { groups, 1 }), new[] { 1, channels / groups }), new[] { channels });
            return PerChannel(p, rank);
        }
        Set(node, normalized * Param(1) + Param(2));
    }

    private void MeanVarianceNormalization(NodeProto node)
    {
        var x = X(node, 0);
        var axes = IntsOrNull(node, "axes") ?? [0, 2, 3];
        var (mean, variance) = tf.nn.moments(x, axes, keep_dims: true);
        Set(node, (x - mean) / (tf.sqrt(variance) + S(1e-9, x.dtype)));
    }

    private Tensor LpNormalization(NodeProto node)
    {
        var x = X(node, 0);
        var axis = Axis((int)Attr(node, "axis", -1L), RankOf(node, x, this));
        var p = Attr(node, "p", 2L);
        if (p is not (1 or 2)) throw Unsupported(node, "p", p, "only 1 and 2 are defined");
        return x / LpNorm(x, [axis], p, keepdims: true);
    }

    /// <summary>ONNX LRN: each channel divided by (bias + alpha/size · the sum of squares over its window of channels)^beta.</summary>
    private void Lrn(NodeProto node)
    {
        var value = In(node, 0);
        var x = Materialize(value);
        var rank = RankOf(node, x, this);
        var axis = value.Nhwc ? 3 : 1;
        var size = (int)Attr(node, "size", 0L);
        if (size <= 0) throw Invalid(node, $"size {size} is not positive.");
        var (alpha, beta, bias) = (Attr(node, "alpha", 1e-4f), Attr(node, "beta", 0.75f), Attr(node, "bias", 1f));
        var (lo, hi) = ((size - 1) / 2, size - 1 - (size - 1) / 2);
        var squares = x * x;
        var paddings = new int[rank, 2];
        (paddings[axis, 0], paddings[axis, 1]) = (lo, hi);
        var padded = tf.pad(squares, paddings);
        var channels = tf.shape(x)[axis];
        Tensor? sum = null;
        for (var k = 0; k < size; k++)
        {
            var begin = new int[rank];
            begin[axis] = k;
            var sizeParts = Enumerable.Range(0, rank).Select(i => i == axis ? tf.reshape(channels, new[] { 1 }) : tf.constant(new[] { -1 })).ToList();
            var slice = tf.slice(padded, begin, tf.concat(sizeParts, 0));
            sum = sum is null ? slice : sum + slice;
        }
        Set(node, x / tf.pow(S(bias, x.dtype) + S(alpha / size, x.dtype) * sum!, S(beta, x.dtype)), value.Nhwc);
    }

    // ----- padding -----

    private void Pad(NodeProto node)
    {
        var value = In(node, 0);
        var x = Materialize(value);
        var rank = RankOf(node, x, this);
        var mode = Attr(node, "mode", "constant");
        int Map(int axis) => value.Nhwc ? NhwcAxis(axis) : axis;
        long[]? pads = Opset >= 11 ? In(node, 1).Constant?.Cast(DType.int64).ToArray<long>()
            : (IntsOrNull(node, "pads") ?? throw Invalid(node, "it has no pads.")).Select(v => (long)v).ToArray();
        var axes = Opset >= 18 && Has(node, 3) ? IntsOf(node, 3, "axes").Select(a => Axis(a, rank)).ToArray() : Enumerable.Range(0, rank).ToArray();
        Tensor fill = Opset >= 11 ? (Has(node, 2) ? tf.reshape(tf.cast(X(node, 2), x.dtype), Array.Empty<int>()) : S(0, x.dtype)) : S(Attr(node, "value", 0f), x.dtype);
        if (pads is null)
        {
            // Pads computed in the graph: constant mode, no cropping.
            if (mode != "constant") throw Unsupported(node, "mode", mode, "with pads computed in the graph");
            if (axes.Length != rank) throw Unsupported(node, "a computed pads with axes");
            var xn = Nchw(value);
            var p = tf.transpose(tf.reshape(tf.cast(X(node, 1), DType.int64), new[] { 2, rank }));
            var paddedDynamic = tf.pad(xn, p);
            var insideDynamic = tf.cast(tf.pad(tf.ones_like(xn, DType.int32), p), DType.@bool);
            Set(node, tf.where(insideDynamic, paddedDynamic, tf.fill(tf.shape(paddedDynamic), fill)));
            return;
        }
        if (pads.Length != 2 * axes.Length) throw Invalid(node, $"{pads.Length} pads for {axes.Length} axes.");
        var before = new int[rank];
        var after = new int[rank];
        for (var k = 0; k < axes.Length; k++)
        {
            before[Map(axes[k])] = checked((int)pads[k]);
            after[Map(axes[k])] = checked((int)pads[k + axes.Length]);
        }
        Tensor y;
        switch (mode)
        {
            case "constant":
                var paddings = new int[rank, 2];
                for (var i = 0; i < rank; i++) (paddings[i, 0], paddings[i, 1]) = (System.Math.Max(0, before[i]), System.Math.Max(0, after[i]));
                y = tf.pad(x, paddings);
                if (!(Opset < 11 ? Attr(node, "value", 0f) == 0f : !Has(node, 2) || (In(node, 2).Constant is { } c && c.Cast(DType.float64).ToArray<double>().All(v => v == 0))))
                {
                    var inside = tf.cast(tf.pad(tf.ones_like(x, DType.int32), paddings), DType.@bool);
                    y = tf.where(inside, y, tf.fill(tf.shape(y), fill));
                }
                if (before.Any(b => b < 0) || after.Any(a => a < 0))
                {
                    var begin = before.Select(b => System.Math.Max(0, -b)).ToArray();
                    var size = Enumerable.Range(0, rank).Select(i => -1).ToArray();
                    y = tf.slice(y, begin, size);
                    if (after.Any(a => a < 0))
                    {
                        var end = after.Select(a => a < 0 ? a : 0).ToArray();
                        var endMask = Enumerable.Range(0, rank).Where(i => after[i] >= 0).Aggregate(0, (m, i) => m | (1 << i));
                        y = tf.strided_slice(y, new int[rank], end, Enumerable.Repeat(1, rank).ToArray(), begin_mask: (1 << rank) - 1, end_mask: endMask);
                    }
                }
                break;
            case "edge" or "reflect" or "wrap":
                y = x;
                for (var i = 0; i < rank; i++)
                {
                    if (before[i] == 0 && after[i] == 0) continue;
                    var dim = x.shape[i];
                    if (dim < 0) throw Unsupported(node, "mode", mode, "on an axis whose size is unknown at import");
                    var indices = new long[dim + before[i] + after[i]];
                    for (var j = 0; j < indices.Length; j++)
                    {
                        long s = j - before[i];
                        indices[j] = mode switch
                        {
                            "edge" => System.Math.Clamp(s, 0, dim - 1),
                            "wrap" => ((s % dim) + dim) % dim,
                            _ => Reflect(s, dim),
                        };
                    }
                    y = tf.gather(y, tf.constant(indices), i);
                }
                break;
            default: throw Unsupported(node, "mode", mode);
        }
        Set(node, y, value.Nhwc);
    }

    private static long Reflect(long i, long n)
    {
        if (n == 1) return 0;
        var period = 2 * (n - 1);
        var m = ((i % period) + period) % period;
        return m < n ? m : period - m;
    }
}
