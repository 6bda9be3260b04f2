namespace SharpFlow.Summaries;

/// <summary>
/// The PNG encoder of image summaries: 8-bit grey, grey+alpha, RGB or RGBA pixels, zlib-compressed, each chunk
/// with its CRC-32 (the IEEE polynomial, as PNG requires). It is <c>tf.image.encode_png</c>'s encoder at zlib's
/// default level.
/// </summary>
public static class Png
{
    /// <summary>CRC-32 (IEEE 802.3) of the bytes.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0) => Kernels.Image.PngEncoder.Crc32(data, crc);

    /// <summary>Encodes <paramref name="pixels"/> (row-major, <paramref name="channels"/> bytes per pixel) as a PNG file.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int height, int width, int channels)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"PNG: an image must have a positive size, got {height}×{width}");
        if (channels is < 1 or > 4) throw new ArgumentException($"PNG: 1 to 4 channels (grey, grey+alpha, RGB, RGBA), got {channels}");
        if (pixels.Length != (long)height * width * channels)
            throw new ArgumentException($"PNG: {pixels.Length} bytes for a {height}×{width}×{channels} image");
        return Kernels.Image.PngEncoder.Encode(pixels, height, width, channels);
    }
}
