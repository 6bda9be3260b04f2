using System.Buffers.Binary;

namespace SharpFlow.Summaries;

/// <summary>
/// TFRecord framing, as TensorFlow's event files use it: each record is <c>uint64 length</c>,
/// <c>uint32 masked_crc32c(length bytes)</c>, the data, <c>uint32 masked_crc32c(data)</c>, all little-endian.
/// The reader checks both CRCs and refuses a truncated or corrupted record with a <see cref="DataLossError"/>
/// that names the file and the record's offset.
/// </summary>
public static class TFRecord
{
    private const long MaxRecordBytes = 1L << 31; // a length beyond this is corruption, not data

    /// <summary>Writes one record.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        stream.Write(header);
        stream.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(footer);
    }

    /// <summary>
    /// The records of a file, in order. With <paramref name="truncatedTailIsEnd"/>, a last record cut short (a
    /// writer killed mid-write) ends the file, as TensorBoard treats it; a CRC mismatch is always an error.
    /// </summary>
    public static IEnumerable<byte[]> Read(string path, bool truncatedTailIsEnd = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new NotFoundError($"{path}: no such file");
        using var stream = File.OpenRead(path);
        foreach (var record in Read(stream, path, truncatedTailIsEnd)) yield return record;
    }

    /// <summary>The records of a stream; <paramref name="name"/> names it in errors.</summary>
    public static IEnumerable<byte[]> Read(Stream stream, string name, bool truncatedTailIsEnd = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[12];
        var footer = new byte[4];
        long offset = 0;
        while (true)
        {
            var got = ReadFully(stream, header);
            if (got == 0) yield break;
            if (got < header.Length)
            {
                if (truncatedTailIsEnd) yield break;
                throw new DataLossError($"{name}: truncated record header at offset {offset} ({got} of 12 bytes)");
            }
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (Crc32C.Masked(header.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)))
                throw new DataLossError($"{name}: corrupted record at offset {offset}: the length's CRC does not match");
            if (length > MaxRecordBytes) throw new DataLossError($"{name}: record at offset {offset} declares {length} bytes");
            var data = new byte[length];
            if (ReadFully(stream, data) < data.Length || ReadFully(stream, footer) < footer.Length)
            {
                if (truncatedTailIsEnd) yield break;
                throw new DataLossError($"{name}: truncated record at offset {offset}: expected {length} data bytes and their CRC");
            }
            if (Crc32C.Masked(data) != BinaryPrimitives.ReadUInt32LittleEndian(footer))
                throw new DataLossError($"{name}: corrupted record at offset {offset}: the data's CRC does not match");
            offset += 16 + (long)length;
            yield return data;
        }
    }

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        return read;
    }
}
