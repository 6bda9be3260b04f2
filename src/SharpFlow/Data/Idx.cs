using System.Buffers.Binary;
using System.IO.Compression;
using SharpFlow.Framework;

namespace SharpFlow.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (plain or gzipped): a magic number <c>00 00 08 n</c>
/// (unsigned bytes, n dimensions), n big-endian int32 sizes, then the bytes. Everything is checked before it is
/// trusted; a bad file is a <see cref="DataLossError"/> naming it.
/// </summary>
public static class Idx
{
    /// <summary>The most elements a file may declare (2^31 - 1 bytes).</summary>
    private const long MaxElements = int.MaxValue;

    /// <summary>Reads a uint8 IDX file as an NDArray of its shape.</summary>
    public static NDArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new NotFoundError($"{path}: no such file");
        using var file = File.OpenRead(path);
        Stream stream = file;
        var header = new byte[2];
        if (file.Read(header, 0, 2) == 2 && header[0] == 0x1f && header[1] == 0x8b)
        {
            file.Position = 0;
            stream = new GZipStream(file, CompressionMode.Decompress);
        }
        else file.Position = 0;
        try
        {
            return Read(stream, path);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e.GetType().Name == "ZLibException"))
        {
            throw new DataLossError($"{path}: corrupt gzip stream: {e.Message}", null, e);
        }
        finally
        {
            if (!ReferenceEquals(stream, file)) stream.Dispose();
        }
    }

    /// <summary>Reads an IDX stream; <paramref name="name"/> names it in errors.</summary>
    public static NDArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var magic = new byte[4];
        ReadExactly(stream, magic, name, "the magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataLossError($"{name}: not an IDX file (magic number {magic[0]:x2} {magic[1]:x2} {magic[2]:x2} {magic[3]:x2})");
        if (magic[2] != 0x08)
            throw new DataLossError($"{name}: IDX element type 0x{magic[2]:x2} is not supported (only unsigned bytes, 0x08)");
        var rank = magic[3];
        if (rank is 0 or > 4) throw new DataLossError($"{name}: IDX file declares {rank} dimensions (1 to 4 expected)");
        var dimBytes = new byte[4 * rank];
        ReadExactly(stream, dimBytes, name, "the dimensions");
        var dims = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (dims[i] < 0) throw new DataLossError($"{name}: dimension {i} is negative ({dims[i]})");
            count *= dims[i];
            if (count > MaxElements) throw new DataLossError($"{name}: declares more than {MaxElements} elements");
        }
        if (stream.CanSeek && count > stream.Length - stream.Position)
            throw new DataLossError($"{name}: truncated: declares {count} data bytes, the file holds {stream.Length - stream.Position}");
        var data = new byte[count];
        ReadExactly(stream, data, name, $"{count} data bytes");
        if (stream.ReadByte() >= 0) throw new DataLossError($"{name}: has bytes after the {count} declared data bytes");
        return NDArray.FromFlat(data, new Shape(dims));
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string name, string what)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) throw new DataLossError($"{name}: truncated: expected {what} ({buffer.Length} bytes), found {read}");
            read += n;
        }
    }
}
