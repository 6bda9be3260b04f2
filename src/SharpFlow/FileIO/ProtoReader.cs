using System.Buffers.Binary;
using System.Text;

namespace SharpFlow.FileIO;

/// <summary>One field of a decoded protocol-buffer message: its number, wire type and raw value.</summary>
/// <param name="Number">The field number.</param>
/// <param name="WireType">0 varint, 1 fixed 64, 2 length-delimited, 5 fixed 32.</param>
/// <param name="Varint">The value of a varint or fixed field (the bits of a double or float).</param>
/// <param name="Data">The bytes of a length-delimited field.</param>
public readonly record struct ProtoField(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Data)
{
    /// <summary>A double field's value.</summary>
    public double AsDouble => BitConverter.Int64BitsToDouble((long)Varint);

    /// <summary>A float field's value.</summary>
    public float AsFloat => BitConverter.Int32BitsToSingle((int)Varint);

    /// <summary>A string field's value.</summary>
    public string AsString => Encoding.UTF8.GetString(Data.Span);
}

/// <summary>
/// Decodes the fields of a protocol-buffer message (the reader of event files uses it); malformed input is a
/// <see cref="DataLossError"/>.
/// </summary>
public static class ProtoReader
{
    /// <summary>The fields of <paramref name="message"/>, in order.</summary>
    public static List<ProtoField> Fields(ReadOnlyMemory<byte> message, string what = "message")
    {
        var fields = new List<ProtoField>();
        var span = message.Span;
        var i = 0;
        while (i < span.Length)
        {
            var key = ReadVarint(span, ref i, what);
            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            if (number <= 0) throw new DataLossError($"{what}: invalid field number {number}");
            switch (wire)
            {
                case 0:
                    fields.Add(new ProtoField(number, 0, ReadVarint(span, ref i, what), default));
                    break;
                case 1:
                    if (i + 8 > span.Length) throw new DataLossError($"{what}: truncated fixed64 field {number}");
                    fields.Add(new ProtoField(number, 1, BinaryPrimitives.ReadUInt64LittleEndian(span[i..]), default));
                    i += 8;
                    break;
                case 5:
                    if (i + 4 > span.Length) throw new DataLossError($"{what}: truncated fixed32 field {number}");
                    fields.Add(new ProtoField(number, 5, BinaryPrimitives.ReadUInt32LittleEndian(span[i..]), default));
                    i += 4;
                    break;
                case 2:
                    var length = ReadVarint(span, ref i, what);
                    if (length > (ulong)(span.Length - i)) throw new DataLossError($"{what}: field {number} declares {length} bytes, {span.Length - i} remain");
                    fields.Add(new ProtoField(number, 2, length, message.Slice(i, (int)length)));
                    i += (int)length;
                    break;
                default:
                    throw new DataLossError($"{what}: unsupported wire type {wire} for field {number}");
            }
        }
        return fields;
    }

    /// <summary>The doubles of a packed (or single) repeated double field.</summary>
    public static IEnumerable<double> Doubles(ProtoField f)
    {
        if (f.WireType == 1) return [f.AsDouble];
        var data = f.Data.ToArray();
        return Enumerable.Range(0, data.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(8 * i)));
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int i, string what)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= span.Length) throw new DataLossError($"{what}: truncated varint");
            var b = span[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new DataLossError($"{what}: varint longer than 10 bytes");
    }
}
