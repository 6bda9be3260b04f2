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
            if (Has(node, 3)) sizes = ConstantOf(node, 3, "sizes").Cast(DType.int64).ToArray<long>();
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
            if (sizes is null && scales![k] == 1f) continue;
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

    /// <summary>The input position an output position maps to, as ONNX's coordinate transformation modes define it.</summary>
    private float OriginalCoordinate(NodeProto node, string transform, int x, int input, int output, float scale) => transform switch
    {
        "half_pixel" => (x + 0.5f) / scale - 0.5f,
        "pytorch_half_pixel" => output > 1 ? (x + 0.5f) / scale - 0.5f : 0f,
        "align_corners" => output == 1 ? 0f : x * (float)(input - 1) / (output - 1),
        "asymmetric" => x / scale,
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
