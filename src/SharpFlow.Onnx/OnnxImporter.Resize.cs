using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    /// <summary>
    /// Resize (and the older Upsample), one axis at a time: every output position reads the input positions its
    /// coordinate transformation maps it to, gathered and weighted (nearest: one, linear: two, cubic: four), with the
    /// positions and weights computed at import in single precision as ONNX Runtime does.
    /// </summary>
    private void Resize(NodeProto node)
    {
        var x = X(node, 0);
        var rank = RankOf(node, x, this);
        var upsample = node.OpType == "Upsample";
        var mode = Attr(node, "mode", "nearest");
        var transform = upsample || Opset < 11 ? "asymmetric" : Attr(node, "coordinate_transformation_mode", "half_pixel");
        var nearestMode = upsample || Opset < 11 ? "simple" : Attr(node, "nearest_mode", "round_prefer_floor");
        var a = Attr(node, "cubic_coeff_a", -0.75f);
        var excludeOutside = Attr(node, "exclude_outside", 0L) != 0;
        if (Attr(node, "antialias", 0L) != 0) throw Unsupported(node, "antialias", 1);
        if (Attr(node, "keep_aspect_ratio_policy", "stretch") is var policy && policy != "stretch") throw Unsupported(node, "keep_aspect_ratio_policy", policy);
        if (transform == "tf_crop_and_resize") throw Unsupported(node, "coordinate_transformation_mode", transform);
        if (mode is not ("nearest" or "linear" or "cubic" or "bilinear")) throw Unsupported(node, "mode", mode);
        if (mode == "bilinear") mode = "linear";

        var axes = IntsOrNull(node, "axes")?.Select(v => Axis(v, rank)).ToArray() ?? [.. Enumerable.Range(0, rank)];
        float[]? scales = null;
        long[]? sizes = null;
        if (upsample)
            scales = Opset < 9 ? (AttrOf(node, "scales")?.Floats.ToArray() ?? throw Invalid(node, "it has no scales.")) : ConstantOf(node, 1, "scales").Cast(DType.float32).ToArray<float>();
        else if (Opset < 11) scales = ConstantOf(node, 1, "scales").Cast(DType.float32).ToArray<float>();
        else
        {
            if (Has(node, 3)) sizes = In(node, 3).Constant?.Cast(DType.int64).ToArray<long>() ?? ComputedSizes(node, rank);
            else if (Has(node, 2)) scales = ConstantOf(node, 2, "scales").Cast(DType.float32).ToArray<float>();
            if (scales is { Length: 0 }) scales = null;
            if (scales is null && sizes is null) throw Invalid(node, "it has neither scales nor sizes.");
        }
        var count = scales?.Length ?? sizes!.Length;
        if (count != axes.Length) throw Invalid(node, $"{count} scales or sizes for {axes.Length} axes.");

        var y = x;
        for (var k = 0; k < axes.Length; k++)
        {
            var axis = axes[k];
            var input = x.shape[axis];
            if (sizes is null ? scales![k] == 1f : sizes[k] == SameSize) continue;
            if (input < 0) throw Unsupported(node, "a resized axis whose size is unknown at import");
            float scale;
            int output;
            if (sizes is not null)
            {
                output = checked((int)sizes[k]);
                scale = (float)output / input;
            }
            else
            {
                scale = scales![k];
                output = (int)(input * scale);
            }
            if (output == input && scale == 1f) continue;
            var (indices, weights) = ResizeTaps(node, mode, transform, nearestMode, a, excludeOutside, input, output, scale);
            Tensor? sum = null;
            for (var t = 0; t < indices.Length; t++)
            {
                var gathered = tf.gather(y, tf.constant(indices[t]), axis);
                if (weights is null)
                {
                    sum = gathered;
                    break;
                }
                var shape = Enumerable.Repeat(1, rank).ToArray();
                shape[axis] = output;
                var term = gathered * tf.constant(NDArray.FromFlat(weights[t], new Shape(shape)).Cast(x.dtype));
                sum = sum is null ? term : sum + term;
            }
            y = sum!;
        }
        Set(node, ReferenceEquals(y, x) ? tf.identity(x) : y);
    }

    /// <summary>An entry of computed sizes that is the resized input's own size on that axis (the axis is left as it is).</summary>
    private const long SameSize = -1;

    /// <summary>
    /// Resize's <c>sizes</c> computed in the graph, read at import as far as the model lets (an exporter's
    /// <c>Concat(Slice(Shape(x), 0, 2), [h, w])</c> keeps the batch and channels): each entry a constant, or
    /// <see cref="SameSize"/> where it is the input's own size on its axis; an entry known only at run time is refused.
    /// </summary>
    private long[] ComputedSizes(NodeProto node, int rank)
    {
        var entries = Symbolic(node.Input[3], 0) ?? throw Unsupported(node, "a computed input 'sizes' that is not made of constants and the input's shape");
        if (entries.Length != rank) throw Invalid(node, $"{entries.Length} sizes for an input of rank {rank}.");
        var sizes = new long[rank];
        for (var k = 0; k < rank; k++)
        {
            var (value, source, dim) = entries[k];
            if (source == node.Input[0] && dim == k) sizes[k] = SameSize;
            else if (value is { } v) sizes[k] = v;
            else throw Unsupported(node, $"a computed input 'sizes' whose entry {k} is known only at run time");
        }
        return sizes;
    }

    /// <summary>The static dimensions of a value in the model's layout (NCHW for images), or null where the rank is unknown.</summary>
    private static int[]? NchwDims(Value v)
    {
        var shape = v.Constant?.shape ?? v.Tensor?.shape;
        if (shape is null || !shape.IsKnownRank) return null;
        var dims = shape.Dims.ToArray();
        return v.Nhwc && dims.Length == 4 ? [dims[0], dims[3], dims[1], dims[2]] : dims;
    }

    /// <summary>
    /// An integer vector the graph computes, entry by entry as far as import can tell: a constant, or dimension
    /// <c>Dim</c> of value <c>Source</c> (its size when known). Follows Shape, Slice, Concat, Cast, Identity,
    /// Unsqueeze and Squeeze of one-element vectors and Gather of constant indices; null for anything else.
    /// </summary>
    private (long? Value, string? Source, int Dim)[]? Symbolic(string name, int depth)
    {
        if (depth > 16 || !_values.TryGetValue(name, out var value)) return null;
        if (value.Constant is { } c)
            return c.ndim <= 1 ? [.. c.Cast(DType.int64).ToArray<long>().Select(v => ((long?)v, (string?)null, -1))] : null;
        if (!_producers.TryGetValue(name, out var node)) return null;
        switch (node.OpType)
        {
            case "Shape":
            {
                if (!_values.TryGetValue(node.Input[0], out var source) || NchwDims(source) is not { } dims) return null;
                var (start, end) = ((int)Attr(node, "start", 0L), (int)Attr(node, "end", (long)dims.Length));
                start = System.Math.Clamp(start < 0 ? start + dims.Length : start, 0, dims.Length);
                end = System.Math.Clamp(end < 0 ? end + dims.Length : end, 0, dims.Length);
                return [.. Enumerable.Range(start, System.Math.Max(0, end - start)).Select(d => (dims[d] >= 0 ? (long?)dims[d] : null, (string?)node.Input[0], d))];
            }
            case "Cast" or "Identity" or "Squeeze" or "Unsqueeze":
                return node.OpType is "Cast" && Attr(node, "to", 0L) is not (6 or 7) ? null : Symbolic(node.Input[0], depth + 1) is { } same && (node.OpType is "Cast" or "Identity" || same.Length == 1) ? same : null;
            case "Concat":
            {
                var parts = new List<(long?, string?, int)>();
                foreach (var input in node.Input)
                {
                    if (Symbolic(input, depth + 1) is not { } part) return null;
                    parts.AddRange(part);
                }
                return [.. parts];
            }
            case "Slice" when Opset >= 10:
            {
                if (Symbolic(node.Input[0], depth + 1) is not { } inner) return null;
                long One(int index, long fallback) => !Has(node, index) ? fallback
                    : In(node, index).Constant is { size: 1 } k ? k.Cast(DType.int64).ToArray<long>()[0] : long.MinValue;
                var (start, end, axis, step) = (One(1, 0), One(2, 0), One(3, 0), One(4, 1));
                if (start == long.MinValue || end == long.MinValue || axis != 0 || step != 1) return null;
                var n = inner.Length;
                start = System.Math.Clamp(start < 0 ? start + n : start, 0, n);
                end = System.Math.Clamp(end < 0 ? end + n : end, 0, n);
                return inner[(int)start..(int)System.Math.Max(start, end)];
            }
            case "Gather":
            {
                if (Attr(node, "axis", 0L) != 0 || Symbolic(node.Input[0], depth + 1) is not { } inner || In(node, 1).Constant is not { ndim: <= 1 } indices) return null;
                var picked = indices.Cast(DType.int64).ToArray<long>();
                if (picked.Any(i => i < -inner.Length || i >= inner.Length)) return null;
                return [.. picked.Select(i => inner[i < 0 ? i + inner.Length : i])];
            }
            default: return null;
        }
    }

    /// <summary>The input position an output position maps to, as ONNX's coordinate transformation modes define it.</summary>
    private float OriginalCoordinate(NodeProto node, string transform, int x, int input, int output, float scale) => transform switch
    {
        "half_pixel" => (x + 0.5f) / scale - 0.5f,
        "pytorch_half_pixel" => output > 1 ? (x + 0.5f) / scale - 0.5f : 0f,
        "align_corners" => output == 1 ? 0f : x * (float)(input - 1) / (output - 1),
        "asymmetric" => x / scale,
        "tf_half_pixel_for_nn" => (x + 0.5f) / scale,
        "half_pixel_symmetric" => HalfPixelSymmetric(x, input, output, scale),
        _ => throw Unsupported(node, "coordinate_transformation_mode", transform),
    };

    private static float HalfPixelSymmetric(int x, int input, int output, float scale)
    {
        var adjustment = output / (scale * input);
        var center = input / 2f;
        var offset = center * (1 - adjustment);
        return offset + (x + 0.5f) / scale - 0.5f;
    }

    private (long[][] Indices, float[][]? Weights) ResizeTaps(NodeProto node, string mode, string transform, string nearestMode, float a, bool excludeOutside, int input, int output, float scale)
    {
        switch (mode)
        {
            case "nearest":
                var nearest = new long[output];
                for (var i = 0; i < output; i++)
                {
                    var o = OriginalCoordinate(node, transform, i, input, output, scale);
                    double r = nearestMode switch
                    {
                        "round_prefer_floor" => o == System.Math.Floor(o) + 0.5 ? System.Math.Floor(o) : System.Math.Round(o, MidpointRounding.AwayFromZero),
                        "round_prefer_ceil" => System.Math.Round(o, MidpointRounding.AwayFromZero) is var rc && o == System.Math.Floor(o) + 0.5 ? System.Math.Ceiling(o) : rc,
                        "floor" => System.Math.Floor(o),
                        "ceil" => System.Math.Ceiling(o),
                        "simple" => scale < 1 ? System.Math.Ceiling(o) : (int)o,
                        _ => throw Unsupported(node, "nearest_mode", nearestMode),
                    };
                    nearest[i] = (long)System.Math.Clamp(r, 0, input - 1);
                }
                return ([nearest], null);
            case "linear":
                var (i0, i1) = (new long[output], new long[output]);
                var (w0, w1) = (new float[output], new float[output]);
                for (var i = 0; i < output; i++)
                {
                    var o = System.Math.Clamp(OriginalCoordinate(node, transform, i, input, output, scale), 0f, input - 1);
                    var lo = (int)o;
                    i0[i] = lo;
                    i1[i] = System.Math.Min(lo + 1, input - 1);
                    w1[i] = o - lo;
                    w0[i] = 1f - w1[i];
                }
                return ([i0, i1], [w0, w1]);
            default:
                var indices = Enumerable.Range(0, 4).Select(_ => new long[output]).ToArray();
                var weights = Enumerable.Range(0, 4).Select(_ => new float[output]).ToArray();
                for (var i = 0; i < output; i++)
                {
                    var o = OriginalCoordinate(node, transform, i, input, output, scale);
                    var lo = (int)System.Math.Floor(o);
                    var t = o - lo;
                    float[] c =
                    [
                        ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
                        ((a + 2) * t - (a + 3)) * t * t + 1,
                        ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
                        ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a,
                    ];
                    var total = 0f;
                    for (var tap = 0; tap < 4; tap++)
                    {
                        var position = lo - 1 + tap;
                        if (excludeOutside && (position < 0 || position >= input)) c[tap] = 0;
                        total += c[tap];
                        indices[tap][i] = System.Math.Clamp(position, 0, input - 1);
                    }
                    for (var tap = 0; tap < 4; tap++) weights[tap][i] = excludeOutside && total != 0 ? c[tap] / total : c[tap];
                }
                return (indices, weights);
        }
    }
}
