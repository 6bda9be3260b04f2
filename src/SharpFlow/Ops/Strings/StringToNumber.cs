using System.Globalization;
using System.Text;
using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// StringToNumber (<c>tf.string_to_number</c>): parses each string as a float32, float64, int32 or int64, as
/// TensorFlow's safe_strto* do (surrounding spaces allowed; "inf", "nan"; integers refuse fractions and overflow).
/// </summary>
internal sealed class StringToNumber : OpDef
{
    public static readonly StringToNumber Def = new();

    private static readonly OpAttr<DType> OutType = new("out_type", DType.float32);

    public override string Type => "StringToNumber";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"string_tensor must be a string tensor, got {ctx.InputDType(0).name}");
        var outType = OutType.Of(ctx);
        if (outType != DType.float32 && outType != DType.float64 && outType != DType.int32 && outType != DType.int64)
            throw ctx.TypeError($"out_type must be float32, float64, int32 or int64, got {outType.name}");
        ctx.AddOutput(outType, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var outType = OutType.Of(op);
        return OpKernel.From(ctx =>
        {
            var input = ctx.Input(0);
            var strings = Elements.Strings(input);
            var output = ctx.AllocateUninitializedOutput(0, outType, input.shape);
            for (var i = 0; i < strings.Length; i++)
            {
                var s = Encoding.UTF8.GetString(strings[i]);
                Exception Bad() => ctx.InvalidArgument($"StringToNumberOp could not correctly convert string: {s}");
                switch (outType.Id)
                {
                    case DataType.Float: output.AsSpan<float>()[i] = TryFloat(s, out var f) ? (float)f : throw Bad(); break;
                    case DataType.Double: output.AsSpan<double>()[i] = TryFloat(s, out var d) ? d : throw Bad(); break;
                    case DataType.Int32: output.AsSpan<int>()[i] = TryInt(s, out var v) && v is >= int.MinValue and <= int.MaxValue ? (int)v : throw Bad(); break;
                    default: output.AsSpan<long>()[i] = TryInt(s, out var l) ? l : throw Bad(); break;
                }
            }
        });
    }

    /// <summary>A decimal floating-point number, "inf"/"infinity"/"nan" in any case, with optional sign and spaces.</summary>
    internal static bool TryFloat(string s, out double value)
    {
        var t = s.Trim(' ', '\t', '\n', '\r', '\f', '\v');
        var body = t.TrimStart('+', '-');
        var negative = t.StartsWith('-');
        if (t.Length - body.Length <= 1)
        {
            if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            {
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            }
            if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
            {
                value = double.NaN;
                return true;
            }
        }
        // strtod also reads hexadecimal integers ("0xF" is 15).
        if (t.Length - body.Length <= 1 && body.Length > 2 && (body.StartsWith("0x", StringComparison.Ordinal) || body.StartsWith("0X", StringComparison.Ordinal))
            && long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            value = negative ? -hex : hex;
            return true;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && t.Length > 0 && !char.IsWhiteSpace(t[0]);
    }

    /// <summary>A decimal integer with optional sign and surrounding spaces that fits in int64.</summary>
    internal static bool TryInt(string s, out long value) =>
        long.TryParse(s.Trim(' ', '\t', '\n', '\r', '\f', '\v'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary><c>tf.string_to_number(string_tensor, out_type=tf.float32)</c>.</summary>
    public static Tensor Build(TensorLike input, DType? outType = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "StringToNumber", input);
        var t = b.Convert(input, "string_tensor");
        return b.Create(Def, [t], new() { { OutType, outType ?? DType.float32 } }).outputs[0];
    }
}
