using StbImageSharp;

namespace SharpFlow.Kernels.Image;

/// <summary>The image formats TensorFlow tells apart by their first bytes (decode_image_op.cc's ClassifyFileFormat).</summary>
internal enum ImageFormat
{
    Unknown,
    Jpeg,
    Png,
    Gif,
    Bmp,
}

/// <summary>A decoded image: <c>Frames × Height × Width × Channels</c> bytes, row-major.</summary>
internal sealed record DecodedImage(byte[] Pixels, int Frames, int Height, int Width, int Channels);

/// <summary>Why a file could not be decoded (the op turns it into an InvalidArgumentError naming itself).</summary>
internal sealed class ImageDecodeException(string message) : Exception(message);

/// <summary>
/// Decoding of JPEG, PNG, GIF and BMP bytes with StbImageSharp (a managed port of stb_image), and the checks
/// TensorFlow makes before trusting a file. stb_image's JPEG decoder is not libjpeg: its IDCT, colour conversion
/// and chroma upsampling round differently, so pixels may differ from TensorFlow's by one or two levels (PNG, GIF
/// and BMP are lossless and match exactly).
/// </summary>
internal static class ImageCodecs
{
    /// <summary>TensorFlow refuses images whose pixel count or sides overflow; so do we, before allocating.</summary>
    private const long MaxPixels = 1L << 29;

    public static ImageFormat Classify(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ImageFormat.Jpeg;
        if (data.Length >= 8 && data[..8].SequenceEqual(PngMagic)) return ImageFormat.Png;
        if (data.Length >= 4 && data[..4].SequenceEqual("GIF8"u8)) return ImageFormat.Gif;
        if (data.Length >= 2 && data[0] == (byte)'B' && data[1] == (byte)'M') return ImageFormat.Bmp;
        return ImageFormat.Unknown;
    }

    private static ReadOnlySpan<byte> PngMagic => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The first bytes of a file, escaped as TensorFlow's error message shows them.</summary>
    public static string Prefix(ReadOnlySpan<byte> data)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var b in data[..System.Math.Min(4, data.Length)])
            sb.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' and not (byte)'\'' ? ((char)b).ToString() : $"\\{System.Convert.ToString(b, 8).PadLeft(3, '0')}");
        return sb.ToString();
    }

    /// <summary>
    /// One still image with <paramref name="channels"/> channels (0: as stored). A JPEG must end with its EOI marker
    /// unless <paramref name="tryRecoverTruncated"/>; <paramref name="ratio"/> (1, 2, 4, 8) shrinks a JPEG by averaging
    /// ratio×ratio blocks, as libjpeg's scaled IDCT does to within rounding.
    /// </summary>
    public static DecodedImage Decode(byte[] data, int channels, ImageFormat format, int ratio = 1, bool tryRecoverTruncated = false)
    {
        if (format == ImageFormat.Png)
        {
            CheckPngChunks(data);
            // TensorFlow's channel count for 0, told to stb_image (which would add an alpha channel for a tRNS key).
            if (channels == 0) channels = Png16.TensorFlowChannels(data);
        }
        if (format == ImageFormat.Jpeg) CheckJpegSegments(data);
        var (height, width, stored) = Info(data, format);
        if (format == ImageFormat.Jpeg && !tryRecoverTruncated && !EndsWithEoi(data))
            throw new ImageDecodeException("the JPEG data is truncated (no end-of-image marker)");
        var result = Load(data, channels);
        if (result.Width != width || result.Height != height)
            throw new ImageDecodeException("the decoder disagrees with the header about the size");
        var c = channels == 0 ? stored : channels;
        var image = new DecodedImage(result.Data, 1, result.Height, result.Width, c);
        return ratio > 1 ? Shrink(image, ratio) : image;
    }

    /// <summary>
    /// A PNG as 16-bit samples (<c>decode_png(dtype=tf.uint16)</c>): a 16-bit file's own samples, a shallower one's
    /// 8-bit samples times 257, as TensorFlow's png_io.cc synthesizes them (see <see cref="Png16"/>).
    /// </summary>
    public static DecodedImage16 DecodePng16(byte[] data, int channels)
    {
        CheckPngChunks(data);
        Info(data, ImageFormat.Png);
        if (Png16.BitDepth(data) == 16) return Png16.Decode(data, channels);
        var image = Decode(data, channels, ImageFormat.Png);
        var wide = new ushort[image.Pixels.Length];
        for (var i = 0; i < wide.Length; i++) wide[i] = (ushort)(image.Pixels[i] * 257);
        return new DecodedImage16(wide, image.Height, image.Width, image.Channels);
    }

    /// <summary>Every frame of a GIF as RGB, composited as stb_image does (TensorFlow's DecodeGif gives [frames, h, w, 3]).</summary>
    public static DecodedImage DecodeGifFrames(byte[] data)
    {
        var (height, width, _) = Info(data, ImageFormat.Gif);
        var frames = new List<byte[]>();
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            foreach (var frame in ImageResult.AnimatedGifFramesFromStream(stream, ColorComponents.RedGreenBlue))
            {
                if (frame.Width != width || frame.Height != height) throw new ImageDecodeException("a GIF frame's size differs from the screen's");
                frames.Add((byte[])frame.Data.Clone());
                if ((long)frames.Count * width * height * 3 > MaxPixels * 3) throw new ImageDecodeException("the GIF has too many frames");
            }
        }
        catch (Exception e) when (e is not ImageDecodeException)
        {
            throw new ImageDecodeException(Reason(e));
        }
        if (frames.Count == 0) throw new ImageDecodeException("the GIF has no frames");
        var pixels = new byte[frames.Count * width * height * 3];
        for (var i = 0; i < frames.Count; i++) frames[i].AsSpan(0, width * height * 3).CopyTo(pixels.AsSpan(i * width * height * 3));
        return new DecodedImage(pixels, frames.Count, height, width, 3);
    }

    private static (int Height, int Width, int Channels) Info(byte[] data, ImageFormat format)
    {
        ImageInfo? info;
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            info = ImageInfo.FromStream(stream);
        }
        catch (Exception e)
        {
            throw new ImageDecodeException(Reason(e));
        }
        if (info is not { } i) throw new ImageDecodeException($"the {format} header cannot be read");
        if (i.Width <= 0 || i.Height <= 0) throw new ImageDecodeException($"the image has an invalid size {i.Height}x{i.Width}");
        if ((long)i.Width * i.Height > MaxPixels) throw new ImageDecodeException($"the image is too large: {i.Height}x{i.Width}");
        // No format compresses much past 1000 pixels a byte (deflate's limit is 1032:1): a header claiming more is
        // corrupt, and is refused before the decoder allocates for it.
        if ((long)i.Width * i.Height > 2048L * data.Length + (1 << 20))
            throw new ImageDecodeException($"the header claims {i.Height}x{i.Width} pixels, more than {data.Length} bytes can hold");
        return (i.Height, i.Width, (int)i.ColorComponents);
    }

    private static ImageResult Load(byte[] data, int channels)
    {
        try
        {
            return ImageResult.FromMemory(data, channels switch
            {
                0 => ColorComponents.Default,
                1 => ColorComponents.Grey,
                2 => ColorComponents.GreyAlpha,
                3 => ColorComponents.RedGreenBlue,
                _ => ColorComponents.RedGreenBlueAlpha,
            });
        }
        catch (Exception e)
        {
            throw new ImageDecodeException(Reason(e));
        }
    }

    private static string Reason(Exception e) => e is InvalidOperationException && !string.IsNullOrEmpty(e.Message)
        ? e.Message
        : $"the data is corrupt ({e.GetType().Name})";

    /// <summary>
    /// Walks a PNG's chunks before stb_image sees them, as libpng would: every chunk lies within the file and has a
    /// correct CRC, and the file reaches IEND. (stb_image checks no CRC, and sizes its buffer from a chunk's length
    /// before it reads the chunk, so a corrupt length would cost memory first.)
    /// </summary>
    private static void CheckPngChunks(ReadOnlySpan<byte> data)
    {
        var at = 8;
        while (true)
        {
            if (at + 12 > data.Length) throw new ImageDecodeException("the PNG data is truncated (no IEND chunk)");
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
            var type = data.Slice(at + 4, 4);
            var name = System.Text.Encoding.ASCII.GetString(type);
            if (length > (uint)(data.Length - at - 12)) throw new ImageDecodeException($"chunk {name} claims {length} bytes, past the end of the file");
            var body = data.Slice(at + 8, (int)length);
            var crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[(at + 8 + (int)length)..]);
            if (PngEncoder.Crc32(body, PngEncoder.Crc32(type)) != crc) throw new ImageDecodeException($"bad CRC in chunk {name}");
            if (type.SequenceEqual("IEND"u8)) return;
            at += 12 + (int)length;
        }
    }

    /// <summary>
    /// Walks a JPEG's marker segments up to its first scan, as libjpeg reads them: each segment lies within the file
    /// and a frame header (SOFn) comes before the scan. (stb_image's header reader, fed a stream, never sees the end of
    /// a truncated header and loops for ever looking for the next marker.)
    /// </summary>
    private static void CheckJpegSegments(ReadOnlySpan<byte> data)
    {
        var at = 2; // after SOI
        var frame = false;
        while (true)
        {
            // libjpeg skips stray bytes before a marker (with a warning), and so does this walk.
            while (at < data.Length && data[at] != 0xFF) at++;
            if (at >= data.Length) throw new ImageDecodeException(frame ? "the JPEG data is truncated (no scan)" : "the JPEG data is truncated (no frame header)");
            while (at < data.Length && data[at] == 0xFF) at++; // fill bytes
            if (at >= data.Length) throw new ImageDecodeException("the JPEG data is truncated (no frame header)");
            var marker = data[at++];
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) continue; // SOI, TEM, RSTn: no length
            if (marker == 0xD9) throw new ImageDecodeException("the JPEG ends before its first scan");
            if (at + 2 > data.Length) throw new ImageDecodeException("the JPEG data is truncated (in a marker segment)");
            var length = (data[at] << 8) | data[at + 1];
            if (length < 2 || at + length > data.Length)
                throw new ImageDecodeException($"the JPEG data is truncated: the marker 0x{marker:X2} segment claims {length} bytes, past the end of the file");
            if (marker is (>= 0xC0 and <= 0xC3) or (>= 0xC5 and <= 0xC7) or (>= 0xC9 and <= 0xCB) or (>= 0xCD and <= 0xCF)) frame = true;
            if (marker == 0xDA)
            {
                if (!frame) throw new ImageDecodeException("the JPEG has a scan before its frame header (SOF)");
                return;
            }
            at += length;
        }
    }

    /// <summary>A JPEG ends with FF D9 (trailing zero padding, which some writers add, allowed).</summary>
    private static bool EndsWithEoi(ReadOnlySpan<byte> data)
    {
        var end = data.Length;
        while (end > 0 && data[end - 1] == 0) end--;
        return end >= 2 && data[end - 2] == 0xFF && data[end - 1] == 0xD9;
    }

    /// <summary>ceil(h/ratio) × ceil(w/ratio) pixels, each the rounded mean of its block.</summary>
    private static DecodedImage Shrink(DecodedImage image, int ratio)
    {
        var (h, w, c) = (image.Height, image.Width, image.Channels);
        var (oh, ow) = ((h + ratio - 1) / ratio, (w + ratio - 1) / ratio);
        var output = new byte[oh * ow * c];
        for (var y = 0; y < oh; y++)
            for (var x = 0; x < ow; x++)
                for (var ch = 0; ch < c; ch++)
                {
                    var (sum, count) = (0, 0);
                    for (var dy = 0; dy < ratio && y * ratio + dy < h; dy++)
                        for (var dx = 0; dx < ratio && x * ratio + dx < w; dx++)
                        {
                            sum += image.Pixels[((y * ratio + dy) * w + x * ratio + dx) * c + ch];
                            count++;
                        }
                    output[(y * ow + x) * c + ch] = (byte)((sum + count / 2) / count);
                }
        return new DecodedImage(output, 1, oh, ow, c);
    }
}
