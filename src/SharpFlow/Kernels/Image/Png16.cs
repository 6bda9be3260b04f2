using System.Buffers.Binary;
using System.IO.Compression;

namespace SharpFlow.Kernels.Image;

/// <summary>A decoded 16-bit image: <c>Height × Width × Channels</c> samples, row-major.</summary>
internal sealed record DecodedImage16(ushort[] Pixels, int Height, int Width, int Channels);

/// <summary>
/// 16-bit PNG decoding for <c>decode_png(dtype=tf.uint16)</c>, which stb_image does not give (it keeps the high byte
/// only). TensorFlow's png_io.cc asks libpng for 16-bit samples: a 16-bit file keeps them; a file of 8 bits or fewer
/// is decoded to 8 bits and each sample synthesized as <c>v · 257</c> (Convert8to16). Channels change as libpng is told
/// to: grey to RGB by copying, RGB to grey by libpng's <c>png_set_rgb_to_gray(1, 0.299, 0.587)</c> (its 16-bit rule
/// without gamma: <c>(9797·r + 19234·g + 3737·b + 16384) &gt;&gt; 15</c>), a <c>tRNS</c> colour key to alpha, and an
/// opaque alpha (65535) added where asked. Interlaced (Adam7) files are read too.
/// </summary>
internal static class Png16
{
    private const int RedCoefficient = 9797;   // 0.299 · 32768, truncated as png_set_rgb_to_gray_fixed does
    private const int GreenCoefficient = 19234; // 0.587 · 32768
    private const int BlueCoefficient = 32768 - RedCoefficient - GreenCoefficient;

    private static readonly (int X, int Y, int DX, int DY)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>The bit depth in the IHDR chunk (the chunks already checked), or 0 when there is none.</summary>
    public static int BitDepth(ReadOnlySpan<byte> data) =>
        data.Length >= 8 + 8 + 13 && data.Slice(12, 4).SequenceEqual("IHDR"u8) ? data[24] : 0;

    /// <summary>
    /// The channels TensorFlow decodes a PNG to when asked for 0 (png_io.cc): the file's own (grey 1, grey+alpha 2,
    /// RGB 3, RGBA 4), a palette's RGB, or RGBA when it has a tRNS chunk. A tRNS colour key of a grey or RGB file adds
    /// no channel (libpng is told to strip it), unlike stb_image, which adds one; or 0 without an IHDR.
    /// </summary>
    public static int TensorFlowChannels(ReadOnlySpan<byte> data)
    {
        if (BitDepth(data) == 0) return 0;
        var colorType = data[25];
        if (colorType != 3) return colorType is 0 or 2 or 4 or 6 ? StoredChannels(colorType) : 0;
        for (var at = 8; NextChunk(data, ref at, out var type, out _);)
        {
            if (type.SequenceEqual("tRNS"u8)) return 4;
            if (type.SequenceEqual("IDAT"u8)) break;
        }
        return 3;
    }

    /// <summary>
    /// The chunk at <paramref name="at"/> (its type and body), moving <paramref name="at"/> past it; false at the end of
    /// the data or at a chunk that would run past it.
    /// </summary>
    private static bool NextChunk(ReadOnlySpan<byte> data, ref int at, out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> body)
    {
        type = body = default;
        if (at + 12 > data.Length) return false;
        var length = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
        if (length > (uint)(data.Length - at - 12)) return false;
        type = data.Slice(at + 4, 4);
        body = data.Slice(at + 8, (int)length);
        at += 12 + (int)length;
        return true;
    }

    /// <summary>The channels a PNG stores (palette files as RGB, or RGBA with a tRNS chunk), as libpng counts them.</summary>
    private static int StoredChannels(int colorType) => colorType switch
    {
        0 => 1,
        2 => 3,
        4 => 2,
        _ => 4,
    };

    /// <summary>
    /// Decodes a 16-bit PNG whose chunks (lengths, CRCs, IEND) were checked, into <paramref name="channels"/> channels
    /// (0: as stored).
    /// </summary>
    public static DecodedImage16 Decode(ReadOnlySpan<byte> data, int channels)
    {
        if (!(data.Length >= 33 && data.Slice(12, 4).SequenceEqual("IHDR"u8) && BinaryPrimitives.ReadUInt32BigEndian(data[8..]) == 13))
            throw new ImageDecodeException("the PNG does not start with an IHDR chunk");
        var width = BinaryPrimitives.ReadInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadInt32BigEndian(data[20..]);
        var (depth, colorType, compression, filter, interlace) = (data[24], data[25], data[26], data[27], data[28]);
        if (width <= 0 || height <= 0) throw new ImageDecodeException($"the image has an invalid size {height}x{width}");
        if (depth != 16) throw new ImageDecodeException($"bit depth {depth} is not 16");
        if (colorType is not (0 or 2 or 4 or 6)) throw new ImageDecodeException($"color type {colorType} cannot have 16-bit samples");
        if (compression != 0 || filter != 0 || interlace > 1)
            throw new ImageDecodeException($"unknown compression {compression}, filter {filter} or interlace {interlace} method");

        var stored = StoredChannels(colorType);
        using var idat = new MemoryStream();
        ushort[]? key = null;
        for (var at = 8; NextChunk(data, ref at, out var type, out var body);)
        {
            if (type.SequenceEqual("IDAT"u8)) idat.Write(body);
            else if (type.SequenceEqual("tRNS"u8))
            {
                if (colorType is 4 or 6) throw new ImageDecodeException("a tRNS chunk in an image with alpha");
                if (body.Length != 2 * stored) throw new ImageDecodeException($"the tRNS chunk has {body.Length} bytes, not {2 * stored}");
                key = new ushort[stored];
                for (var i = 0; i < stored; i++) key[i] = BinaryPrimitives.ReadUInt16BigEndian(body[(2 * i)..]);
            }
            else if (type.SequenceEqual("IEND"u8)) break;
        }
        if (idat.Length == 0) throw new ImageDecodeException("the PNG has no IDAT chunk");

        var samples = Inflate(idat, width, height, stored, interlace == 1);
        var outChannels = channels == 0 ? stored : channels;
        return new DecodedImage16(Convert(samples, width * height, stored, key, outChannels), height, width, outChannels);
    }

    /// <summary>The image's samples in the file's channels: inflated, unfiltered and, if interlaced, put in place.</summary>
    private static ushort[] Inflate(MemoryStream idat, int width, int height, int stored, bool interlaced)
    {
        var bpp = 2 * stored; // bytes per pixel
        var passes = interlaced
            ? Adam7.Select(p => (p.X, p.Y, p.DX, p.DY, W: (width - p.X + p.DX - 1) / p.DX, H: (height - p.Y + p.DY - 1) / p.DY)).ToArray()
            : [(X: 0, Y: 0, DX: 1, DY: 1, W: width, H: height)];
        long needed = 0;
        foreach (var p in passes)
            if (p.W > 0 && p.H > 0) needed += (long)p.H * (1 + (long)p.W * bpp);
        if (needed > Array.MaxLength) throw new ImageDecodeException($"the image is too large: {height}x{width}");
        var raw = new byte[needed];
        idat.Position = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress, leaveOpen: true);
            var read = 0;
            while (read < raw.Length)
            {
                var n = z.Read(raw, read, raw.Length - read);
                if (n == 0) throw new ImageDecodeException($"the image data is truncated ({read} of {raw.Length} bytes)");
                read += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException) // zlib reports some damage as ZLibException, an IOException
        {
            throw new ImageDecodeException($"the image data is corrupt ({e.Message})");
        }

        var samples = new ushort[(long)width * height * stored];
        var offset = 0;
        foreach (var p in passes)
        {
            if (p.W <= 0 || p.H <= 0) continue;
            var rowBytes = p.W * bpp;
            Span<byte> previous = new byte[rowBytes];
            for (var y = 0; y < p.H; y++)
            {
                var filterType = raw[offset];
                var row = raw.AsSpan(offset + 1, rowBytes);
                Unfilter(filterType, row, previous, bpp);
                var target = ((p.Y + y * p.DY) * width + p.X) * stored;
                for (var x = 0; x < p.W; x++)
                    for (var c = 0; c < stored; c++)
                        samples[target + x * p.DX * stored + c] = BinaryPrimitives.ReadUInt16BigEndian(row[((x * stored + c) * 2)..]);
                previous = row;
                offset += 1 + rowBytes;
            }
        }
        return samples;
    }

    private static void Unfilter(byte filterType, Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        switch (filterType)
        {
            case 0: break;
            case 1:
                for (var i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                break;
            case 2:
                for (var i = 0; i < row.Length; i++) row[i] += previous[i];
                break;
            case 3:
                for (var i = 0; i < row.Length; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + previous[i]) >> 1);
                break;
            case 4:
                for (var i = 0; i < row.Length; i++) row[i] += Paeth(i >= bpp ? row[i - bpp] : (byte)0, previous[i], i >= bpp ? previous[i - bpp] : (byte)0);
                break;
            default: throw new ImageDecodeException($"unknown filter type {filterType}");
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (System.Math.Abs(p - a), System.Math.Abs(p - b), System.Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>The samples in <paramref name="outChannels"/> channels, as libpng's transformations give them.</summary>
    private static ushort[] Convert(ushort[] samples, int pixels, int stored, ushort[]? key, int outChannels)
    {
        if (outChannels == stored && key is null) return samples;
        var output = new ushort[(long)pixels * outChannels];
        var storedColor = stored >= 3;
        var storedAlpha = stored is 2 or 4;
        var colorCount = storedColor ? 3 : 1;
        for (var i = 0; i < pixels; i++)
        {
            var s = samples.AsSpan(i * stored, stored);
            var o = output.AsSpan(i * outChannels, outChannels);
            ushort alpha = storedAlpha ? s[stored - 1]
                : key is not null && s[..colorCount].SequenceEqual(key) ? (ushort)0 : ushort.MaxValue;
            if (outChannels >= 3)
            {
                if (storedColor) s[..3].CopyTo(o);
                else o[0] = o[1] = o[2] = s[0];
            }
            else
            {
                o[0] = storedColor ? Gray(s[0], s[1], s[2]) : s[0];
            }
            if (outChannels is 2 or 4) o[outChannels - 1] = alpha;
        }
        return output;
    }

    private static ushort Gray(ushort r, ushort g, ushort b) =>
        r == g && r == b ? r : (ushort)((RedCoefficient * r + GreenCoefficient * g + BlueCoefficient * b + 16384) >> 15);
}
