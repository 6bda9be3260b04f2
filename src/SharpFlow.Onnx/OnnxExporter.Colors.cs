using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of the colour-space ops (RGBToHSV, HSVToRGB, AdjustHue, AdjustSaturation): the kernels'
/// arithmetic written out in element-wise ONNX operators over the three channels of the last axis.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The three channels of <paramref name="x"/>'s last axis (Split, each keeping the axis as size 1).</summary>
    private (string A, string B, string C) Channels(string x)
    {
        var (a, b, c) = (Fresh(), Fresh(), Fresh());
        Node("Split", [x, Ints([1, 1, 1])], [a, b, c], ("axis", -1L));
        return (a, b, c);
    }

    /// <summary>
    /// RGB to HSV as TensorFlow's kernel computes it: <c>v = max(r, g, b)</c>, <c>range = v - min(r, g, b)</c>,
    /// <c>s = range / v</c> (0 where v is 0), <c>norm = 1 / (6 range)</c>, the hue <c>norm (g - b)</c> where r is the
    /// maximum, else <c>norm (b - r) + 2/6</c> where g is, else <c>norm (r - g) + 4/6</c>; 0 where range is 0, plus 1
    /// where negative.
    /// </summary>
    private (string H, string S, string V) RgbToHsv(string x, DType dtype)
    {
        var (r, g, b) = Channels(x);
        var zero = Scalar(0, dtype);
        var v = Apply("Max", r, g, b);
        var range = Apply("Sub", v, Apply("Min", r, g, b));
        var s = Apply("Where", Apply("Greater", v, zero), Apply("Div", range, v), zero);
        var norm = Apply("Div", Scalar(1, dtype), Apply("Mul", Scalar(6, dtype), range));
        var fromR = Apply("Mul", norm, Apply("Sub", g, b));
        var fromG = Apply("Add", Apply("Mul", norm, Apply("Sub", b, r)), Scalar(2.0 / 6.0, dtype));
        var fromB = Apply("Add", Apply("Mul", norm, Apply("Sub", r, g)), Scalar(4.0 / 6.0, dtype));
        var h = Apply("Where", Apply("Equal", r, v), fromR, Apply("Where", Apply("Equal", g, v), fromG, fromB));
        h = Apply("Where", Apply("Greater", range, zero), h, zero);
        h = Apply("Where", Apply("Less", h, zero), Apply("Add", h, Scalar(1, dtype)), h);
        return (h, s, v);
    }

    /// <summary>
    /// HSV to RGB as TensorFlow's kernel computes it: <c>dh = 6 h</c>, <c>dr = clamp(|dh - 3| - 1)</c>,
    /// <c>dg = clamp(2 - |dh - 2|)</c>, <c>db = clamp(2 - |dh - 4|)</c> into [0, 1], each channel
    /// <c>((1 - s) + s d) v</c>; concatenated into <paramref name="y"/>.
    /// </summary>
    private void HsvToRgb(string h, string s, string v, DType dtype, string y)
    {
        var (zero, one, two) = (Scalar(0, dtype), Scalar(1, dtype), Scalar(2, dtype));
        var dh = Apply("Mul", h, Scalar(6, dtype));
        var dr = Apply("Clip", Apply("Sub", Apply("Abs", Apply("Sub", dh, Scalar(3, dtype))), one), zero, one);
        var dg = Apply("Clip", Apply("Sub", two, Apply("Abs", Apply("Sub", dh, two))), zero, one);
        var db = Apply("Clip", Apply("Sub", two, Apply("Abs", Apply("Sub", dh, Scalar(4, dtype)))), zero, one);
        var oneMinusS = Apply("Sub", one, s);
        string Channel(string d) => Apply("Mul", Apply("Add", oneMinusS, Apply("Mul", s, d)), v);
        Node("Concat", [Channel(dr), Channel(dg), Channel(db)], [y], ("axis", -1L));
    }

    /// <summary>RGBToHSV, HSVToRGB, AdjustHue (the hue plus delta, wrapped by subtracting its floor) and AdjustSaturation (the saturation times the scale, clamped into [0, 1]).</summary>
    private void ColorOp(Operation op, string y)
    {
        var dtype = op.outputs[0].dtype;
        if (dtype != DType.float32 && dtype != DType.float64)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: images of {dtype.name} (float32 and float64 export).", op.name);
        if (op.type == "HSVToRGB")
        {
            var (hue, saturation, value) = Channels(In(op, 0));
            HsvToRgb(hue, saturation, value, dtype, y);
            return;
        }
        var (h, s, v) = RgbToHsv(In(op, 0), dtype);
        switch (op.type)
        {
            case "RGBToHSV":
                Node("Concat", [h, s, v], [y], ("axis", -1L));
                return;
            case "AdjustHue":
                h = Apply("Add", h, InDType(op, 1, dtype));
                h = Apply("Sub", h, Apply("Floor", h));
                break;
            default:
                s = Apply("Clip", Apply("Mul", s, InDType(op, 1, dtype)), Scalar(0, dtype), Scalar(1, dtype));
                break;
        }
        HsvToRgb(h, s, v, dtype, y);
    }

    /// <summary>Input <paramref name="i"/> of the op in <paramref name="dtype"/>: itself, or a Cast.</summary>
    private string InDType(Operation op, int i, DType dtype) =>
        op.inputs[i].dtype == dtype ? In(op, i) : ApplyWith("Cast", [In(op, i)], ("to", (long)DataTypeOf(dtype, op)));
}
