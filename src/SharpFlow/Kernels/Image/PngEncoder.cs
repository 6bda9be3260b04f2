using System.Buffers.Binary;
using System.IO.Compression;

namespace SharpFlow.Kernels.Image;

/// <summary>
/// PNG encoding for <c>tf.image.encode_png</c>: 8- or 16-bit grey, grey+alpha, RGB or RGBA, each row filtered with
/// "sub" (small, fast and lossless), zlib at the level TensorFlow's <c>compression</c> asks for (-1: zlib's default;
/// 0: stored; 1..9 mapped onto .NET's levels).
/// </summary>
internal static class PngEncoder
{
    private static readonly uint[] CrcTable = MakeTable();

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    internal static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc ^= 0xFFFFFFFFu;
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    public static byte[] Encode(ReadOnlySpan<byte> pixels, int height, int width, int channels, int compression = -1) =>
        Encode(pixels, height, width, channels, compression, bytesPerSample: 1);

    /// <summary>A 16-bit PNG (<c>encode_png</c> of a uint16 image): the samples big-endian, as the format stores them.</summary>
    public static byte[] Encode16(ReadOnlySpan<ushort> pixels, int height, int width, int channels, int compression = -1)
    {
        var bytes = new byte[checked(pixels.Length * 2)];
        for (var i = 0; i < pixels.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), pixels[i]);
        return Encode(bytes, height, width, channels, compression, bytesPerSample: 2);
    }

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int height, int width, int channels, int compression, int bytesPerSample)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"PNG: an image must have a positive size, got {height}x{width}");
        if (channels is < 1 or > 4) throw new ArgumentException($"PNG: 1 to 4 channels, got {channels}");
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = (byte)(8 * bytesPerSample);
        header[9] = channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };
        Chunk(output, "IHDR"u8, header);
        var level = compression switch
        {
            0 => CompressionLevel.NoCompression,
            >= 1 and <= 3 => CompressionLevel.Fastest,
            9 => CompressionLevel.SmallestSize,
            _ => CompressionLevel.Optimal,
        };
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, level, leaveOpen: true))
            {
                var bpp = channels * bytesPerSample;
                var rowBytes = width * bpp;
                var row = new byte[rowBytes + 1];
                for (var y = 0; y < height; y++)
                {
                    var source = pixels.Slice(y * rowBytes, rowBytes);
                    row[0] = 1; // filter "sub": each byte minus the same byte of the pixel to its left
                    for (var i = 0; i < rowBytes; i++) row[i + 1] = (byte)(source[i] - (i >= bpp ? source[i - bpp] : 0));
                    z.Write(row);
                }
            }
            Chunk(output, "IDAT"u8, compressed.ToArray());
        }
        Chunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(data, Crc32(type)));
        output.Write(word);
    }
}
