using System.Globalization;
using System.Numerics;
using System.Text;

namespace SharpFlow.Framework;

/// <summary>
/// NumPy's default array printing (numpy/core/arrayprint.py, print options at their defaults: precision 8,
/// floatmode 'maxprec', line width 75, threshold 1000, edge items 3), so values print as a TensorFlow user sees
/// them from <c>print(sess.run(t))</c>.
/// </summary>
internal static class NDArrayFormatter
{
    private const int LineWidth = 75;
    private const int Threshold = 1000;
    private const int EdgeItems = 3;
    private const int Precision = 8;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(NDArray a)
    {
        if (a.ndim == 0) return FormatScalar(a);
        if (a.size == 0) return "[]";
        var summarize = a.size > Threshold;
        var format = ElementFormat.Create(a, CornerIndices(a, summarize));
        var sb = new StringBuilder();
        var index = new int[a.ndim];
        sb.Append(FormatAxis(a, format, index, 0, " ", LineWidth, summarize));
        return sb.ToString();
    }

    /// <summary>NumPy's repr: <c>array([3, 5], dtype=int32)</c>; float64, int64 and bool omit the dtype.</summary>
    public static string Repr(NDArray a)
    {
        var showDtype = a.dtype != DType.float64 && a.dtype != DType.int64 && a.dtype != DType.@bool;
        var suffix = showDtype ? $", dtype={a.dtype.name})" : ")";
        if (a.size == 0 && a.ndim > 0)
            return $"array([], {(a.ndim == 1 ? "" : $"shape={a.shape}, ")}dtype={a.dtype.name})";
        string body;
        if (a.ndim == 0)
        {
            var format = ElementFormat.Create(a, [0]);
            body = format.Format(0).Trim();
        }
        else
        {
            var summarize = a.size > Threshold;
            var format = ElementFormat.Create(a, CornerIndices(a, summarize));
            body = FormatAxis(a, format, new int[a.ndim], 0, ", ", LineWidth - "array(".Length, summarize, "      ");
        }
        return "array(" + body + suffix;
    }

    // ----- scalars: str(np.float32(x)) -----

    private static string FormatScalar(NDArray a) => a.dtype.Id switch
    {
        DataType.Float => FloatScalar(a.AsSpan<float>()[0], isSingle: true),
        DataType.Double => FloatScalar(a.AsSpan<double>()[0], isSingle: false),
        DataType.Half => FloatScalar((double)a.AsSpan<Half>()[0], isSingle: true, isHalf: true),
        DataType.Bool => a.AsSpan<bool>()[0] ? "True" : "False",
        DataType.Int32 => a.AsSpan<int>()[0].ToString(Inv),
        DataType.Int64 => a.AsSpan<long>()[0].ToString(Inv),
        DataType.UInt8 => a.AsSpan<byte>()[0].ToString(Inv),
        DataType.UInt16 => a.AsSpan<ushort>()[0].ToString(Inv),
        DataType.Int8 => a.AsSpan<sbyte>()[0].ToString(Inv),
        DataType.Int16 => a.AsSpan<short>()[0].ToString(Inv),
        DataType.UInt32 => a.AsSpan<uint>()[0].ToString(Inv),
        DataType.UInt64 => a.AsSpan<ulong>()[0].ToString(Inv),
        DataType.String => BytesLiteral(a.StringBytes()),
        _ => "?",
    };

    /// <summary>Python's repr of a bytes value: <c>b'text'</c> with escapes for quotes, backslashes and non-printables.</summary>
    internal static string BytesLiteral(byte[] bytes)
    {
        var s = new System.Text.StringBuilder("b'");
        foreach (var b in bytes)
        {
            if (b == (byte)'\\' || b == (byte)'\'') s.Append('\\').Append((char)b);
            else if (b == (byte)'\n') s.Append("\\n");
            else if (b == (byte)'\t') s.Append("\\t");
            else if (b == (byte)'\r') s.Append("\\r");
            else if (b is >= 0x20 and < 0x7F) s.Append((char)b);
            else s.Append("\\x").Append(b.ToString("x2", Inv));
        }
        return s.Append('\'').ToString();
    }

    internal static string FloatScalar(double value, bool isSingle, bool isHalf = false)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var d = Decimal.Shortest(value, isSingle, isHalf);
        var abs = Math.Abs(value);
        if (value == 0 || (abs >= 1e-4 && abs < 1e16))
        {
            var s = d.Positional(int.MaxValue);
            return s.EndsWith('.') ? s + "0" : s;
        }
        return d.Scientific(minFractionDigits: 0, exponentDigits: 2, keepPoint: false);
    }

    // ----- which elements decide the format -----

    private static int[] CornerIndices(NDArray a, bool summarize)
    {
        if (!summarize)
        {
            var all = new int[a.size];
            for (var i = 0; i < all.Length; i++) all[i] = i;
            return all;
        }
        var dims = a.shape.AsSpan().ToArray();
        var result = new List<int>();
        var idx = new int[dims.Length];
        Collect(0, 0);
        return [.. result];

        void Collect(int axis, int flat)
        {
            if (axis == dims.Length) { result.Add(flat); return; }
            foreach (var i in AxisIndices(dims[axis], true))
                Collect(axis + 1, flat * dims[axis] + i);
        }
    }

    private static IEnumerable<int> AxisIndices(int n, bool summarize)
    {
        if (!summarize || n <= 2 * EdgeItems)
        {
            for (var i = 0; i < n; i++) yield return i;
            yield break;
        }
        for (var i = 0; i < EdgeItems; i++) yield return i;
        for (var i = n - EdgeItems; i < n; i++) yield return i;
    }

    // ----- _formatArray -----

    private static string FormatAxis(NDArray a, ElementFormat format, int[] index, int axis, string separator,
        int width, bool summarize, string? hangingIndentOverride = null)
    {
        var dims = a.shape.AsSpan().ToArray();
        return Recurse(axis, hangingIndentOverride ?? " ", width);

        string Recurse(int ax, string hangingIndent, int currWidth)
        {
            var n = dims[ax];
            var axesLeft = dims.Length - ax;
            var nextHanging = hangingIndent + " ";
            var nextWidth = currWidth - 1;
            var showSummary = summarize && 2 * EdgeItems < n;
            var leading = showSummary ? EdgeItems : 0;
            var trailing = showSummary ? EdgeItems : n;
            var s = new StringBuilder();
            if (axesLeft == 1)
            {
                var elemWidth = currWidth - Math.Max(separator.TrimEnd().Length, 1);
                var line = new StringBuilder(hangingIndent);
                for (var i = 0; i < leading; i++)
                {
                    ExtendLine(s, line, Element(ax, i), elemWidth, hangingIndent);
                    line.Append(separator);
                }
                if (showSummary)
                {
                    ExtendLine(s, line, "...", elemWidth, hangingIndent);
                    line.Append(separator);
                }
                for (var i = trailing; i > 1; i--)
                {
                    ExtendLine(s, line, Element(ax, n - i), elemWidth, hangingIndent);
                    line.Append(separator);
                }
                ExtendLine(s, line, Element(ax, n - 1), elemWidth, hangingIndent);
                s.Append(line);
            }
            else
            {
                var lineSep = separator.TrimEnd() + new string('\n', axesLeft - 1);
                for (var i = 0; i < leading; i++)
                {
                    index[ax] = i;
                    s.Append(hangingIndent).Append(Recurse(ax + 1, nextHanging, nextWidth)).Append(lineSep);
                }
                if (showSummary) s.Append(hangingIndent).Append("...").Append(lineSep);
                for (var i = trailing; i > 1; i--)
                {
                    index[ax] = n - i;
                    s.Append(hangingIndent).Append(Recurse(ax + 1, nextHanging, nextWidth)).Append(lineSep);
                }
                index[ax] = n - 1;
                s.Append(hangingIndent).Append(Recurse(ax + 1, nextHanging, nextWidth));
            }
            return "[" + s.ToString(hangingIndent.Length, s.Length - hangingIndent.Length) + "]";
        }

        string Element(int ax, int i)
        {
            index[ax] = i;
            var flat = 0;
            for (var k = 0; k < dims.Length; k++) flat = flat * dims[k] + index[k];
            return format.Format(flat);
        }
    }

    private static void ExtendLine(StringBuilder s, StringBuilder line, string word, int lineWidth, string nextLinePrefix)
    {
        var needsWrap = line.Length + word.Length > lineWidth;
        if (needsWrap && line.Length > nextLinePrefix.Length)
        {
            s.Append(line.ToString().TrimEnd()).Append('\n');
            line.Clear().Append(nextLinePrefix);
        }
        line.Append(word);
    }

    // ----- element formats -----

    private abstract class ElementFormat
    {
        public abstract string Format(int flat);

        public static ElementFormat Create(NDArray a, int[] sample) => a.dtype.Id switch
        {
            DataType.Float => new FloatFormat(a, sample, isSingle: true),
            DataType.Double => new FloatFormat(a, sample, isSingle: false),
            DataType.Half => new FloatFormat(a, sample, isSingle: true, isHalf: true),
            DataType.Bool => new BoolFormat(a),
            DataType.String => new StringFormat(a),
            _ => new IntegerFormat(a, sample),
        };
    }

    private sealed class StringFormat(NDArray a) : ElementFormat
    {
        public override string Format(int flat) => BytesLiteral(a.StringBytes(flat));
    }

    private sealed class BoolFormat(NDArray a) : ElementFormat
    {
        private readonly bool[] _values = (bool[])a.Storage;
        public override string Format(int flat) => _values[flat] ? " True" : "False";
    }

    private sealed class IntegerFormat : ElementFormat
    {
        private readonly NDArray _a;
        private readonly int _width;

        public IntegerFormat(NDArray a, int[] sample)
        {
            _a = a;
            foreach (var i in sample) _width = Math.Max(_width, Text(i).Length);
        }

        private string Text(int flat) => _a.dtype.Id switch
        {
            DataType.Int32 => ((int[])_a.Storage)[flat].ToString(Inv),
            DataType.Int64 => ((long[])_a.Storage)[flat].ToString(Inv),
            DataType.UInt16 => ((ushort[])_a.Storage)[flat].ToString(Inv),
            DataType.Int8 => ((sbyte[])_a.Storage)[flat].ToString(Inv),
            DataType.Int16 => ((short[])_a.Storage)[flat].ToString(Inv),
            DataType.UInt32 => ((uint[])_a.Storage)[flat].ToString(Inv),
            DataType.UInt64 => ((ulong[])_a.Storage)[flat].ToString(Inv),
            _ => ((byte[])_a.Storage)[flat].ToString(Inv),
        };

        public override string Format(int flat) => Text(flat).PadLeft(_width);
    }

    private sealed class FloatFormat : ElementFormat
    {
        private readonly NDArray _a;
        private readonly bool _isSingle;
        private readonly bool _isHalf;
        private readonly bool _scientific;
        private readonly int _padLeft;
        private readonly int _padRight;
        private readonly int _precision;
        private readonly int _expSize;

        public FloatFormat(NDArray a, int[] sample, bool isSingle, bool isHalf = false)
        {
            _a = a;
            _isSingle = isSingle;
            _isHalf = isHalf;
            var finite = new List<double>();
            var hasNonFinite = false;
            var hasNegInf = false;
            foreach (var i in sample)
            {
                var v = Value(i);
                if (double.IsFinite(v)) finite.Add(v);
                else
                {
                    hasNonFinite = true;
                    if (double.IsNegativeInfinity(v)) hasNegInf = true;
                }
            }

            var nonZero = finite.Where(v => v != 0).Select(Math.Abs).ToList();
            if (nonZero.Count > 0)
            {
                var max = nonZero.Max();
                var min = nonZero.Min();
                _scientific = max >= 1e8 || min < 1e-4 || max / min > 1000.0;
            }

            if (finite.Count == 0)
            {
                _padLeft = 0;
                _padRight = 0;
                _precision = 0;
            }
            else if (_scientific)
            {
                var decimals = finite.Select(v => Decimal.Shortest(v, isSingle, isHalf).RoundSignificant(Precision + 1)).ToList();
                _precision = decimals.Max(d => d.Digits.Length - 1);
                _expSize = Math.Max(2, decimals.Max(d => Math.Abs(d.Exponent).ToString(Inv).Length));
                _padLeft = decimals.Max(d => d.Negative ? 2 : 1);
                _padRight = _expSize + 2 + _precision;
            }
            else
            {
                var texts = finite.Select(v => Decimal.Shortest(v, isSingle, isHalf).Positional(Precision)).ToList();
                _padLeft = texts.Max(t => t.IndexOf('.', StringComparison.Ordinal));
                _padRight = texts.Max(t => t.Length - t.IndexOf('.', StringComparison.Ordinal) - 1);
            }

            if (hasNonFinite)
            {
                var offset = _padRight + 1;
                _padLeft = Math.Max(_padLeft, Math.Max(3 - offset, 3 + (hasNegInf ? 1 : 0) - offset));
            }
        }

        private double Value(int flat) => _isHalf ? (double)((Half[])_a.Storage)[flat] : _isSingle ? ((float[])_a.Storage)[flat] : ((double[])_a.Storage)[flat];

        public override string Format(int flat)
        {
            var v = Value(flat);
            if (!double.IsFinite(v))
            {
                var text = double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
                return text.PadLeft(_padLeft + _padRight + 1);
            }
            var d = Decimal.Shortest(v, _isSingle, _isHalf);
            if (_scientific)
            {
                // NumPy prints exactly _precision fraction digits of the exact binary value (min_digits): further
                // digits of the value, not padding zeros.
                var s = d.RoundExactSignificant(_precision + 1).Scientific(_precision, _expSize, keepPoint: true);
                var point = s.IndexOf('.', StringComparison.Ordinal);
                return new string(' ', Math.Max(0, _padLeft - point)) + s;
            }
            var p = d.Positional(Precision);
            var dot = p.IndexOf('.', StringComparison.Ordinal);
            var frac = p.Length - dot - 1;
            return new string(' ', Math.Max(0, _padLeft - dot)) + p + new string(' ', Math.Max(0, _padRight - frac));
        }
    }

    /// <summary>
    /// A finite value as decimal digits: value = ±0.Digits × 10^(Exponent+1), i.e. the first digit sits at
    /// 10^Exponent. Built from the shortest round-trip text, rounded exactly (half to even) when fewer digits are
    /// asked for, as NumPy's Dragon4 does.
    /// </summary>
    private readonly record struct Decimal(bool Negative, string Digits, int Exponent, double Value, bool IsSingle)
    {
        public static Decimal Shortest(double value, bool isSingle, bool isHalf = false)
        {
            // .NET Core 3.0+ prints the shortest round-trip text of the half, float or double itself (NumPy prints a
            // float16 by its own shortest digits: 0.1, not float32's 0.09997559).
            var text = isHalf ? ((Half)value).ToString("R", Inv) : isSingle ? ((float)value).ToString("R", Inv) : value.ToString("R", Inv);
            var negative = text.StartsWith('-') || (value == 0 && double.IsNegative(value));
            if (text.StartsWith('-')) text = text[1..];
            var exp = 0;
            var e = text.IndexOfAny(['E', 'e']);
            if (e >= 0)
            {
                exp = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, Inv);
                text = text[..e];
            }
            var point = text.IndexOf('.', StringComparison.Ordinal);
            string intPart = point >= 0 ? text[..point] : text, fracPart = point >= 0 ? text[(point + 1)..] : "";
            var digits = (intPart + fracPart).TrimStart('0');
            var leadingZeros = (intPart + fracPart).Length - digits.Length;
            digits = digits.TrimEnd('0');
            if (digits.Length == 0) return new Decimal(negative, "0", 0, value, isSingle);
            // position of the first significant digit relative to the decimal point
            var firstExp = intPart.Length - 1 - leadingZeros + exp;
            return new Decimal(negative, digits, firstExp, value, isSingle);
        }

        /// <summary>Rounds the exact binary value to <paramref name="count"/> significant digits (half to even) if the shortest text is longer.</summary>
        public Decimal RoundSignificant(int count)
        {
            if (Digits.Length <= count) return this;
            // Keep digits down to 10^(Exponent - count + 1).
            return RoundAt(Exponent - count + 1);
        }

        /// <summary>The exact binary value rounded (half to even) to <paramref name="count"/> significant digits.</summary>
        public Decimal RoundExactSignificant(int count) => Digits == "0" ? this : RoundAt(Exponent - count + 1);

        /// <summary>Positional text with at most <paramref name="maxFraction"/> fraction digits, trailing '.' kept (trim '.').</summary>
        public string Positional(int maxFraction)
        {
            var d = this;
            var fractionDigits = Math.Max(0, Digits.Length - 1 - Exponent);
            if (maxFraction != int.MaxValue && fractionDigits > maxFraction) d = RoundAt(-maxFraction);
            return d.PositionalText();
        }

        private string PositionalText()
        {
            var sb = new StringBuilder();
            if (Negative) sb.Append('-');
            if (Digits == "0") return sb.Append("0.").ToString();
            if (Exponent >= 0)
            {
                var intDigits = Exponent + 1;
                sb.Append(Digits.Length >= intDigits ? Digits[..intDigits] : Digits + new string('0', intDigits - Digits.Length));
                sb.Append('.');
                if (Digits.Length > intDigits) sb.Append(Digits[intDigits..]);
            }
            else
            {
                sb.Append("0.").Append('0', -Exponent - 1).Append(Digits);
            }
            return sb.ToString();
        }

        public string Scientific(int minFractionDigits, int exponentDigits, bool keepPoint)
        {
            var sb = new StringBuilder();
            if (Negative) sb.Append('-');
            sb.Append(Digits[0]);
            var frac = Digits.Length > 1 ? Digits[1..] : "";
            if (frac.Length < minFractionDigits) frac += new string('0', minFractionDigits - frac.Length);
            if (frac.Length > 0 || keepPoint) sb.Append('.').Append(frac);
            var exp = Digits == "0" ? 0 : Exponent;
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString(Inv).PadLeft(exponentDigits, '0'));
            return sb.ToString();
        }

        /// <summary>Rounds the exact binary value at the digit of weight 10^<paramref name="lowestExponent"/>, half to even.</summary>
        private Decimal RoundAt(int lowestExponent)
        {
            var abs = Math.Abs(Value);
            // exact: abs = mantissa * 2^exp2
            long bits = BitConverter.DoubleToInt64Bits(abs);
            var exp2 = (int)((bits >> 52) & 0x7FF);
            var mantissa = bits & 0xFFFFFFFFFFFFFL;
            if (exp2 == 0) exp2 = 1; else mantissa |= 1L << 52;
            exp2 -= 1075;
            // scaled = abs / 10^lowestExponent = mantissa * 2^exp2 * 10^-lowestExponent
            BigInteger num = mantissa, den = BigInteger.One;
            if (exp2 >= 0) num <<= exp2; else den <<= -exp2;
            if (lowestExponent <= 0) num *= BigInteger.Pow(10, -lowestExponent);
            else den *= BigInteger.Pow(10, lowestExponent);
            var q = BigInteger.DivRem(num, den, out var rem);
            var twice = rem * 2;
            var cmp = twice.CompareTo(den);
            if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
            if (q.IsZero) return new Decimal(Negative, "0", 0, Value, IsSingle);
            var s = q.ToString(Inv);
            var firstExp = lowestExponent + s.Length - 1;
            return new Decimal(Negative, s.TrimEnd('0') is { Length: > 0 } t ? t : "0", firstExp, Value, IsSingle);
        }
    }
}
