using System.Collections;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SharpFlow.GraphIO;

/// <summary>
/// The protocol buffer text format (Python's <c>google.protobuf.text_format</c>, the <c>.pbtxt</c> files
/// <c>tf.train.write_graph(..., as_text=True)</c> writes) for any message: <see cref="Parse{T}"/> and
/// <see cref="Merge"/> read it, <see cref="Print(IMessage)"/> writes it as TensorFlow does (fields in number order, two-space
/// indents, map entries sorted by key, bytes outside printable ASCII as octal escapes).
/// </summary>
/// <remarks>
/// Google.Protobuf for C# has a JSON parser but no text-format parser; this one follows the grammar of
/// text_format.py: fields by name with an optional colon before scalars, messages in <c>{ }</c> or <c>&lt; &gt;</c>,
/// repeated fields repeated or as <c>[a, b]</c>, enums by name or number, strings in single or double quotes with C
/// escapes (adjacent strings concatenated), numbers in decimal, hex or octal, <c>inf</c>/<c>nan</c>, <c>#</c> comments,
/// and optional <c>;</c> or <c>,</c> separators. <c>Any</c> expansions (<c>[type.googleapis.com/...]</c>) and
/// extensions are not supported.
/// </remarks>
public static class TextFormat
{
    /// <summary>Parses <paramref name="text"/> into a new message of type <typeparamref name="T"/>.</summary>
    public static T Parse<T>(string text) where T : IMessage<T>, new()
    {
        var message = new T();
        Merge(text, message);
        return message;
    }

    /// <summary>Parses <paramref name="text"/> into <paramref name="message"/> (<c>text_format.Merge</c>).</summary>
    public static void Merge(string text, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(message);
        var parser = new Parser(text);
        parser.ParseFields(message, null);
    }

    /// <summary>The text format of <paramref name="message"/> (<c>text_format.MessageToString</c>).</summary>
    public static string Print(IMessage message)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        Print(message, writer);
        return writer.ToString();
    }

    /// <summary>
    /// Writes the text format of <paramref name="message"/> to <paramref name="writer"/> as it is printed, so a graph
    /// whose text exceeds the longest .NET string (a large constant's tensor_content, escaped byte by byte) is written
    /// whole, as TensorFlow writes it.
    /// </summary>
    public static void Print(IMessage message, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        PrintFields(new Output(writer), message, 0);
    }

    /// <summary>The printer's output: StringBuilder-style chained appends onto a <see cref="TextWriter"/>.</summary>
    private sealed class Output(TextWriter writer)
    {
        public Output Append(string? s) { writer.Write(s); return this; }

        public Output Append(char c) { writer.Write(c); return this; }

        public Output Append(char c, int count) { for (var i = 0; i < count; i++) writer.Write(c); return this; }
    }

    // ----- printing -----

    private static void PrintFields(Output sb, IMessage message, int indent)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                var keys = map.Keys.Cast<object>().OrderBy(k => k, MapKeyOrder.Instance).ToList();
                var keyField = field.MessageType.FindFieldByNumber(1);
                var valueField = field.MessageType.FindFieldByNumber(2);
                foreach (var key in keys)
                {
                    Indent(sb, indent).Append(field.Name).Append(" {\n");
                    PrintValue(sb, keyField, key, indent + 2);
                    PrintValue(sb, valueField, map[key]!, indent + 2);
                    Indent(sb, indent).Append("}\n");
                }
            }
            else if (field.IsRepeated)
            {
                foreach (var item in (IList)value) PrintValue(sb, field, item!, indent);
            }
            else if (IsSet(message, field, value))
            {
                PrintValue(sb, field, value, indent);
            }
        }
    }

    private static bool IsSet(IMessage message, FieldDescriptor field, object? value)
    {
        if (field.RealContainingOneof is { } oneof) return oneof.Accessor.GetCaseFieldDescriptor(message) == field;
        if (field.HasPresence) return field.Accessor.HasValue(message);
        return value switch
        {
            null => false,
            IMessage => true,
            string s => s.Length > 0,
            ByteString b => !b.IsEmpty,
            bool b => b,
            Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture) != 0,
            float f => f != 0 || float.IsNegative(f),
            double d => d != 0 || double.IsNegative(d),
            _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture) != 0,
        };
    }

    private static void PrintValue(Output sb, FieldDescriptor field, object value, int indent)
    {
        Indent(sb, indent).Append(field.Name);
        if (field.FieldType is FieldType.Message or FieldType.Group)
        {
            sb.Append(" {\n");
            PrintFields(sb, (IMessage)value, indent + 2);
            Indent(sb, indent).Append("}\n");
            return;
        }
        sb.Append(": ");
        switch (value)
        {
            case string s: AppendQuoted(sb, Encoding.UTF8.GetBytes(s)); break;
            case ByteString b: AppendQuoted(sb, b.Span); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case float f: sb.Append(FormatFloat(f)); break;
            case double d: sb.Append(FormatDouble(d)); break;
            case Enum e:
                var number = Convert.ToInt32(e, CultureInfo.InvariantCulture);
                sb.Append(field.EnumType.FindValueByNumber(number)?.Name ?? number.ToString(CultureInfo.InvariantCulture));
                break;
            default: sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
        sb.Append('\n');
    }

    private static Output Indent(Output sb, int indent) => sb.Append(' ', indent);

    private static string FormatFloat(float f) =>
        float.IsPositiveInfinity(f) ? "inf" : float.IsNegativeInfinity(f) ? "-inf" : float.IsNaN(f) ? "nan" : WithPoint(f.ToString("R", CultureInfo.InvariantCulture));

    private static string FormatDouble(double d) =>
        double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : double.IsNaN(d) ? "nan" : WithPoint(d.ToString("R", CultureInfo.InvariantCulture));

    // Python prints 1.0, not 1.
    private static string WithPoint(string s) => s.Contains('.') || s.Contains('E') || s.Contains('e') ? s : s + ".0";

    private static void AppendQuoted(Output sb, ReadOnlySpan<byte> bytes)
    {
        sb.Append('"');
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\'': sb.Append("\\'"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                default:
                    if (b < 0x20 || b >= 0x7f) sb.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    else sb.Append((char)b);
                    break;
            }
        }
        sb.Append('"');
    }

    // Map entries print in key order: strings by their bytes (ordinal), numbers and bools by value.
    private sealed class MapKeyOrder : IComparer<object>
    {
        public static readonly MapKeyOrder Instance = new();

        public int Compare(object? x, object? y) => x is string a && y is string b
            ? string.CompareOrdinal(a, b)
            : Comparer<object>.Default.Compare(x, y);
    }

    // ----- parsing -----

    private sealed class Parser(string text)
    {
        private const int MaxDepth = 100;
        private int _pos;
        private int _line = 1;
        private int _depth;

        private FormatException Error(string message) => new($"Text format, line {_line}: {message}");

        private void SkipSpace()
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '#')
                {
                    while (_pos < text.Length && text[_pos] != '\n') _pos++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (c == '\n') _line++;
                    _pos++;
                }
                else break;
            }
        }

        private bool TryConsume(char c)
        {
            SkipSpace();
            if (_pos < text.Length && text[_pos] == c) { _pos++; return true; }
            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c)) throw Error(_pos < text.Length ? $"expected '{c}', found '{text[_pos]}'" : $"expected '{c}', found the end");
        }

        private string Identifier()
        {
            SkipSpace();
            var start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.' or '-' or '+')) _pos++;
            if (_pos == start) throw Error(_pos < text.Length ? $"expected an identifier or number, found '{text[_pos]}'" : "expected an identifier, found the end");
            return text[start.._pos];
        }

        /// <summary>Parses fields until the end of the text or <paramref name="close"/>.</summary>
        public void ParseFields(IMessage message, char? close)
        {
            if (++_depth > MaxDepth) throw Error($"messages nested more than {MaxDepth} deep");
            while (true)
            {
                SkipSpace();
                if (_pos >= text.Length)
                {
                    if (close is { } c) throw Error($"expected '{c}', found the end");
                    return;
                }
                if (close is { } cl && text[_pos] == cl) { _pos++; _depth--; return; }
                if (text[_pos] == '[') throw Error("extensions and Any expansions are not supported");
                var name = Identifier();
                var field = message.Descriptor.FindFieldByName(name)
                            ?? throw Error($"message type \"{message.Descriptor.FullName}\" has no field named \"{name}\"");
                ParseField(message, field);
                if (!TryConsume(';')) TryConsume(',');
            }
        }

        private void ParseField(IMessage message, FieldDescriptor field)
        {
            var isMessage = field.FieldType is FieldType.Message or FieldType.Group;
            var colon = TryConsume(':');
            if (!isMessage && !colon) throw Error($"expected ':' after field \"{field.Name}\"");
            if (field.IsRepeated && TryConsume('['))
            {
                if (TryConsume(']')) return;
                do ParseOne(message, field);
                while (TryConsume(','));
                Expect(']');
                return;
            }
            ParseOne(message, field);
        }

        private void ParseOne(IMessage message, FieldDescriptor field)
        {
            if (field.IsMap)
            {
                var close = OpenMessage();
                var keyField = field.MessageType.FindFieldByNumber(1);
                var valueField = field.MessageType.FindFieldByNumber(2);
                object? key = null, value = null;
                while (!TryConsume(close))
                {
                    var name = Identifier();
                    if (name == keyField.Name)
                    {
                        if (!TryConsume(':')) throw Error("expected ':' after key");
                        key = Scalar(keyField);
                    }
                    else if (name == valueField.Name)
                    {
                        var isMessage = valueField.FieldType == FieldType.Message;
                        if (!TryConsume(':') && !isMessage) throw Error("expected ':' after value");
                        value = isMessage ? NestedMessage(valueField) : Scalar(valueField);
                    }
                    else throw Error($"a map entry of \"{field.Name}\" has no field named \"{name}\"");
                    if (!TryConsume(';')) TryConsume(',');
                }
                key ??= DefaultOf(keyField);
                value ??= valueField.FieldType == FieldType.Message ? Activator.CreateInstance(valueField.MessageType.ClrType)! : DefaultOf(valueField);
                ((IDictionary)field.Accessor.GetValue(message))[key] = value;
                return;
            }
            var item = field.FieldType is FieldType.Message or FieldType.Group ? NestedMessage(field) : Scalar(field);
            if (field.IsRepeated) ((IList)field.Accessor.GetValue(message)).Add(item);
            else if (field.FieldType == FieldType.Message && field.Accessor.GetValue(message) is IMessage existing)
                existing.MergeFrom(((IMessage)item).ToByteArray());
            else field.Accessor.SetValue(message, item);
        }

        private char OpenMessage()
        {
            if (TryConsume('{')) return '}';
            if (TryConsume('<')) return '>';
            throw Error("expected '{' or '<'");
        }

        private IMessage NestedMessage(FieldDescriptor field)
        {
            var close = OpenMessage();
            var nested = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
            ParseFields(nested, close);
            return nested;
        }

        private static object DefaultOf(FieldDescriptor field) => field.FieldType switch
        {
            FieldType.String => "",
            FieldType.Bytes => ByteString.Empty,
            FieldType.Bool => false,
            FieldType.Double => 0.0,
            FieldType.Float => 0f,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 0L,
            FieldType.UInt64 or FieldType.Fixed64 => 0UL,
            FieldType.UInt32 or FieldType.Fixed32 => 0U,
            FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, 0),
            _ => 0,
        };

        private object Scalar(FieldDescriptor field)
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error($"expected a value for \"{field.Name}\", found the end");
            switch (field.FieldType)
            {
                case FieldType.String:
                    return Encoding.UTF8.GetString(QuotedBytes());
                case FieldType.Bytes:
                    return ByteString.CopyFrom(QuotedBytes());
                case FieldType.Bool:
                {
                    var id = Identifier();
                    return id switch
                    {
                        "true" or "True" or "t" or "1" => true,
                        "false" or "False" or "f" or "0" => false,
                        _ => throw Error($"\"{id}\" is not a bool (field \"{field.Name}\")"),
                    };
                }
                case FieldType.Enum:
                {
                    var id = Identifier();
                    if (long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                        return Enum.ToObject(field.EnumType.ClrType, checked((int)n));
                    var value = field.EnumType.FindValueByName(id) ?? throw Error($"enum type \"{field.EnumType.FullName}\" has no value named \"{id}\"");
                    return Enum.ToObject(field.EnumType.ClrType, value.Number);
                }
                case FieldType.Float: return (float)Real(field);
                case FieldType.Double: return Real(field);
                default:
                {
                    var id = Identifier();
                    try
                    {
                        return field.FieldType switch
                        {
                            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => checked((int)Integer(id)),
                            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => checked((long)Integer(id)),
                            FieldType.UInt32 or FieldType.Fixed32 => checked((uint)Integer(id)),
                            FieldType.UInt64 or FieldType.Fixed64 => checked((ulong)Integer(id)),
                            _ => throw Error($"field \"{field.Name}\" has an unsupported type {field.FieldType}"),
                        };
                    }
                    catch (OverflowException)
                    {
                        throw Error($"{id} is out of range for field \"{field.Name}\"");
                    }
                }
            }
        }

        private Int128 Integer(string id)
        {
            var negative = id.StartsWith('-');
            var digits = negative || id.StartsWith('+') ? id[1..] : id;
            Int128 value;
            bool ok;
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                ok = UInt128.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var u) && u <= (UInt128)Int128.MaxValue;
                value = ok ? (Int128)u : 0;
            }
            else if (digits.Length > 1 && digits[0] == '0' && digits.All(c => c is >= '0' and <= '7'))
            {
                value = 0;
                foreach (var c in digits) value = checked(value * 8 + (c - '0'));
                ok = true;
            }
            else ok = Int128.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if (!ok) throw Error($"\"{id}\" is not an integer");
            return negative ? -value : value;
        }

        private double Real(FieldDescriptor field)
        {
            var id = Identifier();
            var s = id.ToLowerInvariant();
            var negative = s.StartsWith('-');
            var body = negative || s.StartsWith('+') ? s[1..] : s;
            double v;
            if (body is "inf" or "infinity" or "inff" or "infinityf") v = double.PositiveInfinity;
            else if (body is "nan" or "nanf") v = double.NaN;
            else
            {
                if (body.EndsWith('f') && !body.StartsWith("0x", StringComparison.Ordinal)) body = body[..^1];
                if (!double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out v))
                    throw Error($"\"{id}\" is not a number (field \"{field.Name}\")");
            }
            return negative ? -v : v;
        }

        private byte[] QuotedBytes()
        {
            var bytes = new List<byte>();
            SkipSpace();
            if (_pos >= text.Length || text[_pos] is not ('"' or '\'')) throw Error("expected a quoted string");
            while (_pos < text.Length && text[_pos] is '"' or '\'')
            {
                var quote = text[_pos++];
                while (true)
                {
                    if (_pos >= text.Length || text[_pos] == '\n') throw Error("string literal not terminated");
                    var c = text[_pos++];
                    if (c == quote) break;
                    if (c != '\\')
                    {
                        if (c < 0x80) bytes.Add((byte)c);
                        else
                        {
                            var n = char.IsHighSurrogate(c) && _pos < text.Length ? 2 : 1;
                            bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(_pos - 1, n)));
                            _pos += n - 1;
                        }
                        continue;
                    }
                    if (_pos >= text.Length) throw Error("string literal not terminated");
                    var e = text[_pos++];
                    switch (e)
                    {
                        case 'n': bytes.Add((byte)'\n'); break;
                        case 'r': bytes.Add((byte)'\r'); break;
                        case 't': bytes.Add((byte)'\t'); break;
                        case 'a': bytes.Add(7); break;
                        case 'b': bytes.Add(8); break;
                        case 'f': bytes.Add(12); break;
                        case 'v': bytes.Add(11); break;
                        case '\\' or '\'' or '"' or '?': bytes.Add((byte)e); break;
                        case 'x' or 'X':
                        {
                            var start = _pos;
                            while (_pos < text.Length && _pos - start < 2 && char.IsAsciiHexDigit(text[_pos])) _pos++;
                            if (_pos == start) throw Error("\\x must be followed by hex digits");
                            bytes.Add(byte.Parse(text.AsSpan(start, _pos - start), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                            break;
                        }
                        case >= '0' and <= '7':
                        {
                            var v = e - '0';
                            for (var k = 0; k < 2 && _pos < text.Length && text[_pos] is >= '0' and <= '7'; k++) v = v * 8 + (text[_pos++] - '0');
                            if (v > 255) throw Error($"octal escape \\{Convert.ToString(v, 8)} is over 255");
                            bytes.Add((byte)v);
                            break;
                        }
                        default: throw Error($"invalid escape \\{e}");
                    }
                }
                SkipSpace();
            }
            return [.. bytes];
        }
    }
}
