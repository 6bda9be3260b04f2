using System.Buffers.Binary;
using System.IO.Compression;

namespace SharpFlow.FileIO;

/// <summary>
/// TFRecord framing, the one implementation behind event files and <c>tf.python_io</c>: each record is
/// <c>uint64 length</c>, <c>uint32 masked_crc32c(length bytes)</c>, the data, <c>uint32 masked_crc32c(data)</c>, all
/// little-endian (TensorFlow's record_writer.cc). A file may be compressed as a whole: GZIP is a gzip stream of the
/// framed records, ZLIB a zlib stream. The reader checks both CRCs and refuses a truncated or corrupted record with
/// a <see cref="DataLossError"/> that names the file and the record's offset (in the uncompressed stream).
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

    /// <summary>The framed bytes of one record (16 bytes more than <paramref name="data"/>).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        using var m = new MemoryStream(data.Length + 16);
        Write(m, data);
        return m.ToArray();
    }

    /// <summary>
    /// Wraps <paramref name="file"/> for writing records with <paramref name="compression"/> ("" or "NONE",
    /// "GZIP", "ZLIB"); disposing the result finishes the compressed stream and closes the file.
    /// </summary>
    public static Stream OpenWrite(Stream file, string? compression, int level = -1)
    {
        ArgumentNullException.ThrowIfNull(file);
        var l = level is >= 0 and <= 3 ? CompressionLevel.Fastest : level is > 3 and < 9 or -1 ? CompressionLevel.Optimal : CompressionLevel.SmallestSize;
        return Compression(compression) switch
        {
            "GZIP" => new GZipStream(file, l),
            "ZLIB" => new ZLibStream(file, l),
            _ => file,
        };
    }

    /// <summary>Wraps <paramref name="file"/> for reading records written with <paramref name="compression"/>.</summary>
    public static Stream OpenRead(Stream file, string? compression) => Compression(compression) switch
    {
        "GZIP" => new GZipStream(file, CompressionMode.Decompress),
        "ZLIB" => new ZLibStream(file, CompressionMode.Decompress),
        _ => file,
    };

    /// <summary>The canonical compression name ("", "GZIP", "ZLIB"); anything else is a <see cref="ValueError"/>.</summary>
    public static string Compression(string? compression) => (compression ?? "").ToUpperInvariant() switch
    {
        "" or "NONE" => "",
        "GZIP" => "GZIP",
        "ZLIB" => "ZLIB",
        _ => throw new ValueError($"Unsupported compression type '{compression}': use NONE, GZIP or ZLIB."),
    };

    /// <summary>
    /// The records of a file, in order. With <paramref name="truncatedTailIsEnd"/>, a last record cut short (a
    /// writer killed mid-write) ends the file, as TensorBoard treats it; a CRC mismatch is always an error.
    /// </summary>
    public static IEnumerable<byte[]> Read(string path, bool truncatedTailIsEnd = false) => Read(path, "", truncatedTailIsEnd);

    /// <summary>The records of a file written with <paramref name="compression"/> ("", "GZIP" or "ZLIB").</summary>
    public static IEnumerable<byte[]> Read(string path, string? compression, bool truncatedTailIsEnd = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kind = Compression(compression);
        if (!File.Exists(path)) throw new NotFoundError($"{path}; No such file or directory");
        return ReadFile(path, kind, truncatedTailIsEnd);
    }

    private static IEnumerable<byte[]> ReadFile(string path, string compression, bool truncatedTailIsEnd)
    {
        using var stream = OpenRead(File.OpenRead(path), compression);
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
            var got = ReadFully(stream, header, name, offset);
            if (got == 0) yield break;
            if (got < header.Length)
            {
                if (truncatedTailIsEnd) yield break;
                throw new DataLossError($"{name}: truncated record at offset {offset} ({got} of 12 header bytes)");
            }
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (Crc32C.Masked(header.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)))
                throw new DataLossError($"{name}: corrupted record at offset {offset}: the length's CRC does not match");
            if (length > MaxRecordBytes) throw new DataLossError($"{name}: record at offset {offset} declares {length} bytes");
            var data = new byte[length];
            if (ReadFully(stream, data, name, offset) < data.Length || ReadFully(stream, footer, name, offset) < footer.Length)
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

    private static int ReadFully(Stream stream, byte[] buffer, string name, long offset)
    {
        var read = 0;
        try
        {
            while (read < buffer.Length)
            {
                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0) break;
                read += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e.GetType().Name == "ZLibException"))
        {
            // A damaged gzip/zlib stream (zlib reports some damage as ZLibException, not InvalidDataException):
            // the records after this point cannot be recovered.
            throw new DataLossError($"{name}: corrupted compressed stream in the record at offset {offset}: {e.Message}", null, e);
        }
        return read;
    }
}
