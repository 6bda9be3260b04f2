using System.Globalization;
using System.Text;
using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// AsString (<c>tf.as_string</c>): numbers to strings with C's printf conversions, as TensorFlow's as_string_op.cc
/// builds them: floats <c>%f</c> (<c>%e</c> with <c>scientific</c>, <c>%g</c> with <c>shortest</c>, <c>.precision</c>
/// when given), integers <c>%d</c>, booleans "true"/"false"; <c>width</c> pads on the left with <c>fill</c>.
/// </summary>
internal sealed class AsString : OpDef
{
    public static readonly AsString Def = new();

    private static readonly OpAttr<bool> Scientific = new("scientific", false);
    private static readonly OpAttr<bool> Shortest = new("shortest", false);
    private static readonly OpAttr<int> Precision = new("precision", -1);
    private static readonly OpAttr<string> Fill = new("fill", "");
    private static readonly OpAttr<int> Width = new("width", -1);
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "AsString";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var t = ctx.InputDType(0);
        if (t == DType.resource) throw ctx.TypeError($"Value for attr 'T' of {t.name} is not in the list of allowed values");
        var scientific = Scientific.Of(ctx);
        var shortest = Shortest.Of(ctx);
        var precision = Precision.Of(ctx);
        var fill = Fill.Of(ctx);
        if (scientific && shortest) throw ctx.Error("Cannot select both scientific and shortest notation");
        if (fill.Length > 1) throw ctx.Error($"Fill string must be one or fewer characters, got '{fill}'");
        if (!t.is_floating && (scientific || shortest)) throw ctx.Error($"scientific and shortest format not supported for datatype {t.name}");
        if (!t.is_floating && precision > -1) throw ctx.Error($"precision not supported for datatype {t.name}");
        ctx.AddOutput(DType.@string, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var precision = Precision.Of(op);
        var conversion = Scientific.Of(op) ? 'e' : Shortest.Of(op) ? 'g' : 'f';
        var width = Width.Of(op);
        var fill = Fill.Of(op);
        var zeroPad = fill == "0";
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(0);
            var output = ctx.AllocateUninitializedOutput(0, DType.@string, x.shape);
            var strings = Elements.Strings(output);
            for (var i = 0; i < x.size; i++)
            {
                var text = x.dtype.Id switch
                {
                    DataType.Float => CFormat.Float(x.AsReadOnlySpan<float>()[i], conversion, precision),
                    DataType.Double => CFormat.Float(x.AsReadOnlySpan<double>()[i], conversion, precision),
                    DataType.Int32 => x.AsReadOnlySpan<int>()[i].ToString(CultureInfo.InvariantCulture),
                    DataType.Int64 => x.AsReadOnlySpan<long>()[i].ToString(CultureInfo.InvariantCulture),
                    DataType.UInt8 => x.AsReadOnlySpan<byte>()[i].ToString(CultureInfo.InvariantCulture),
                    DataType.Bool => x.AsReadOnlySpan<bool>()[i] ? "true" : "false",
                    _ => throw ctx.InvalidArgument($"Type not supported: {x.dtype.name}"),
                };
                strings[i] = Encoding.UTF8.GetBytes(CFormat.Pad(text, width, zeroPad && x.dtype != DType.@bool));
            }
        });
    }

    /// <summary><c>tf.as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill='')</c>.</summary>
    public static Tensor Build(TensorLike input, int precision = -1, bool scientific = false, bool shortest = false, int width = -1, string fill = "", string? name = null)
    {
        using var b = OpBuilder.Begin(name, "AsString", input);
        var t = b.Convert(input, "input");
        return b.Create(Def, [t], new()
        {
            { T, t.dtype }, { Precision, precision }, { Scientific, scientific }, { Shortest, shortest }, { Width, width }, { Fill, fill },
        }).outputs[0];
    }
}

/// <summary>C's printf conversions <c>%f</c>, <c>%e</c>, <c>%g</c> and width padding, for the string ops.</summary>
internal static class CFormat
{
    /// <summary><c>%.{precision}{conversion}</c> of <paramref name="v"/> (precision -1: C's default of 6).</summary>
    public static string Float(double v, char conversion, int precision)
    {
        if (double.IsNaN(v)) return "nan"; // .NET's NaN has the sign bit set, where NumPy's has not: both print as TF prints np.nan
        if (double.IsInfinity(v)) return v < 0 ? "-inf" : "inf";
        var p = precision < 0 ? 6 : precision;
        switch (conversion)
        {
            case 'f': return v.ToString("F" + p.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case 'e': return Exponent(v, p);
            default:
                var g = p == 0 ? 1 : p;
                var e = Exponent(v, g - 1);
                var x = int.Parse(e[(e.IndexOf('e') + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                var text = x < g && x >= -4 ? v.ToString("F" + (g - 1 - x).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : e;
                return TrimZeros(text);
        }
    }

    private static string Exponent(double v, int p)
    {
        var s = v.ToString("E" + p.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var at = s.IndexOf('E');
        var exp = int.Parse(s[(at + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return s[..at] + "e" + (exp < 0 ? "-" : "+") + System.Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string TrimZeros(string s)
    {
        var e = s.IndexOf('e');
        var mantissa = e < 0 ? s : s[..e];
        if (mantissa.Contains('.')) mantissa = mantissa.TrimEnd('0').TrimEnd('.');
        return e < 0 ? mantissa : mantissa + s[e..];
    }

    /// <summary>Pads on the left to <paramref name="width"/>: with zeros after the sign, or with spaces.</summary>
    public static string Pad(string s, int width, bool zeros)
    {
        if (width <= s.Length) return s;
        if (!zeros || s.EndsWith("inf", StringComparison.Ordinal) || s.EndsWith("nan", StringComparison.Ordinal)) return s.PadLeft(width);
        var sign = s.StartsWith('-') || s.StartsWith('+') ? s[..1] : "";
        return sign + s[sign.Length..].PadLeft(width - sign.Length, '0');
    }
}
