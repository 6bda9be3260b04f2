using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SharpFlow.Fuzz;

/// <summary>What a <see cref="Mutation"/> does to a file.</summary>
public enum MutationKind
{
    /// <summary>Cuts the file at the position.</summary>
    Truncate,
    /// <summary>Flips one bit (<see cref="Mutation.Value"/> mod 8).</summary>
    FlipBit,
    /// <summary>Overwrites one byte with <see cref="Mutation.Value"/>.</summary>
    SetByte,
    /// <summary>Overwrites four bytes with <see cref="Mutation.Value"/>, little-endian (a length, a count).</summary>
    Int32LittleEndian,
    /// <summary>Overwrites four bytes with <see cref="Mutation.Value"/>, big-endian (IDX dimensions).</summary>
    Int32BigEndian,
    /// <summary>Overwrites eight bytes with <see cref="Mutation.Value"/>, little-endian (a record or header length).</summary>
    Int64LittleEndian,
    /// <summary>Overwrites the varint at the position with <see cref="Mutation.Value"/> (protobuf lengths, dims, tags).</summary>
    Varint,
    /// <summary>Replaces the next decimal number in the text with <see cref="Mutation.Value"/> (JSON dims and offsets).</summary>
    Number,
    /// <summary>Inserts <see cref="Mutation.Length"/> bytes derived from <see cref="Mutation.Value"/>.</summary>
    Insert,
    /// <summary>Deletes <see cref="Mutation.Length"/> bytes.</summary>
    Delete,
    /// <summary>Copies <see cref="Mutation.Length"/> bytes from the position over the place <see cref="Mutation.Value"/> points at.</summary>
    Duplicate,
}

/// <summary>
/// One change to a valid file. <see cref="Position"/> is a fraction of the file's length, so one mutation applies to
/// any file; <see cref="Value"/> is the number written (often one of <see cref="Mutator.Interesting"/>).
/// </summary>
public readonly record struct Mutation(MutationKind Kind, double Position, long Value, int Length)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind} at {Position:F4} value {Value} length {Length}";
}

/// <summary>Applies <see cref="Mutation"/>s to files, and draws random ones.</summary>
public static class Mutator
{
    /// <summary>Boundary values that break size arithmetic: zero, negatives, sign bits, powers of two, type maxima.</summary>
    public static readonly long[] Interesting =
    [
        0, 1, -1, 2, 7, 8, 127, 128, 255, 256, 4095, 4096, 32767, 65535, 65536, 1 << 20, 1 << 24,
        int.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue, 1L << 32, 1L << 40, 1L << 53, long.MaxValue, long.MinValue,
        -2, -128, -65536,
    ];

    /// <summary>The file <paramref name="seed"/> after <paramref name="mutations"/>, applied in order.</summary>
    public static byte[] Apply(byte[] seed, IEnumerable<Mutation> mutations)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(mutations);
        var data = new List<byte>(seed);
        foreach (var m in mutations) Apply(data, m);
        return [.. data];
    }

    private static void Apply(List<byte> data, Mutation m)
    {
        var at = (int)Math.Clamp(m.Position * data.Count, 0, Math.Max(0, data.Count - 1));
        var length = Math.Max(1, m.Length);
        switch (m.Kind)
        {
            case MutationKind.Truncate:
                data.RemoveRange(at, data.Count - at);
                break;
            case MutationKind.FlipBit when data.Count > 0:
                data[at] ^= (byte)(1 << (int)(m.Value & 7));
                break;
            case MutationKind.SetByte when data.Count > 0:
                data[at] = (byte)m.Value;
                break;
            case MutationKind.Int32LittleEndian:
                Overwrite(data, at, 4, span => BinaryPrimitives.WriteInt32LittleEndian(span, (int)m.Value));
                break;
            case MutationKind.Int32BigEndian:
                Overwrite(data, at, 4, span => BinaryPrimitives.WriteInt32BigEndian(span, (int)m.Value));
                break;
            case MutationKind.Int64LittleEndian:
                Overwrite(data, at, 8, span => BinaryPrimitives.WriteInt64LittleEndian(span, m.Value));
                break;
            case MutationKind.Varint:
                ReplaceVarint(data, at, (ulong)m.Value);
                break;
            case MutationKind.Number:
                ReplaceNumber(data, at, m);
                break;
            case MutationKind.Insert:
                var inserted = new byte[Math.Min(length, 64)];
                for (var i = 0; i < inserted.Length; i++) inserted[i] = (byte)(m.Value >> (8 * (i % 8)));
                data.InsertRange(at, inserted);
                break;
            case MutationKind.Delete:
                data.RemoveRange(at, Math.Min(length, data.Count - at));
                break;
            case MutationKind.Duplicate when data.Count > 0:
                var chunk = data.GetRange(at, Math.Min(length, data.Count - at));
                var to = (int)((ulong)m.Value % (ulong)data.Count);
                for (var i = 0; i < chunk.Count && to + i < data.Count; i++) data[to + i] = chunk[i];
                break;
        }
    }

    private delegate void SpanWriter(Span<byte> span);

    private static void Overwrite(List<byte> data, int at, int size, SpanWriter write)
    {
        Span<byte> bytes = stackalloc byte[8];
        write(bytes[..size]);
        for (var i = 0; i < size && at + i < data.Count; i++) data[at + i] = bytes[i];
    }

    private static void ReplaceVarint(List<byte> data, int at, ulong value)
    {
        var end = at;
        while (end < data.Count && (data[end] & 0x80) != 0 && end - at < 9) end++;
        end = Math.Min(end + 1, data.Count);
        var encoded = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            encoded.Add(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
        data.RemoveRange(at, end - at);
        data.InsertRange(at, encoded);
    }

    private static void ReplaceNumber(List<byte> data, int at, Mutation m)
    {
        var start = at;
        while (start < data.Count && !char.IsAsciiDigit((char)data[start])) start++;
        if (start == data.Count) return;
        if (start > 0 && data[start - 1] == '-') start--;
        var end = start + 1;
        while (end < data.Count && char.IsAsciiDigit((char)data[end])) end++;
        var text = (m.Length % 4) switch
        {
            1 => "99999999999999999999999",
            2 => m.Value.ToString(CultureInfo.InvariantCulture) + ".5",
            3 => "1e309",
            _ => m.Value.ToString(CultureInfo.InvariantCulture),
        };
        data.RemoveRange(start, end - start);
        data.InsertRange(start, Encoding.ASCII.GetBytes(text));
    }

    /// <summary>A random mutation: one of the kinds, a uniform position, a boundary or random value.</summary>
    public static Mutation Random(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var kind = (MutationKind)random.Next(Enum.GetValues<MutationKind>().Length);
        var value = random.Next(3) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : Interesting[random.Next(Interesting.Length)];
        return new Mutation(kind, random.NextDouble(), value, random.Next(1, 33));
    }
}
