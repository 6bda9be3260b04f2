using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SharpFlow.FileIO;

/// <summary>
/// A small protocol-buffer encoder for the messages SharpFlow writes (events, summaries, graphs): varints, 64- and
/// 32-bit fixed values, length-delimited bytes and nested messages, packed repeated numbers. Fields equal to
/// their default are still written when the caller asks; proto3 readers accept both.
/// </summary>
public sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    /// <summary>An int32/int64/uint/enum/bool field (varint; negative numbers take ten bytes, as protobuf's int64).</summary>
    public ProtoWriter Int(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
        return this;
    }

    /// <summary>A bool field.</summary>
    public ProtoWriter Bool(int field, bool value) => Int(field, value ? 1 : 0);

    /// <summary>A double field (fixed 64).</summary>
    public ProtoWriter Double(int field, double value)
    {
        Tag(field, 1);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    /// <summary>A float field (fixed 32).</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _buffer.Write(b);
        return this;
    }

    /// <summary>A bytes field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>A string field (UTF-8).</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A nested message field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, (message ?? throw new ArgumentNullException(nameof(message))).ToArray());

    /// <summary>A packed repeated double field.</summary>
    public ProtoWriter PackedDoubles(int field, IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Count * 8];
        var i = 0;
        foreach (var v in values) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i++), v);
        return Bytes(field, bytes);
    }

    /// <summary>A packed repeated varint field.</summary>
    public ProtoWriter PackedInts(int field, IEnumerable<long> values)
    {
        var inner = new ProtoWriter();
        foreach (var v in values) inner.Varint((ulong)v);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>A packed repeated float field.</summary>
    public ProtoWriter PackedFloats(int field, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return Bytes(field, bytes);
    }
}
