namespace SharpFlow.Kernels.Image;

/// <summary>
/// A baseline JPEG encoder (ITU T.81): JFIF header, libjpeg's quality scaling of the Annex K quantization tables,
/// the Annex K Huffman tables, one grey component or YCbCr with optional 4:2:0 chroma subsampling (TensorFlow's
/// <c>chroma_downsampling</c>), edge pixels replicated to fill the last blocks. The bytes differ from libjpeg's
/// (its DCT rounds differently) but any decoder reads them.
/// </summary>
internal static class JpegEncoder
{
    private static readonly byte[] LumaQuant =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly byte[] ChromaQuant =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    private static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private static readonly byte[] DcLumaBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcChromaBits = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    private static readonly byte[] DcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly byte[] AcLumaBits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
    private static readonly byte[] AcChromaBits = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];

    private static readonly byte[] AcLumaValues =
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
        0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
        0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ];

    private static readonly byte[] AcChromaValues =
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
        0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
        0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
        0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ];

    /// <summary>cos((2x + 1)uπ/16) · c(u)/2, the DCT basis.</summary>
    private static readonly double[] Basis = MakeBasis();

    private static double[] MakeBasis()
    {
        var b = new double[64];
        for (var u = 0; u < 8; u++)
            for (var x = 0; x < 8; x++)
                b[u * 8 + x] = (u == 0 ? System.Math.Sqrt(0.5) : 1.0) * 0.5 * System.Math.Cos((2 * x + 1) * u * System.Math.PI / 16);
        return b;
    }

    private sealed class Huffman
    {
        public readonly ushort[] Codes = new ushort[256];
        public readonly byte[] Lengths = new byte[256];

        public Huffman(byte[] bits, byte[] values)
        {
            var (code, k) = (0, 0);
            for (var length = 1; length <= 16; length++)
            {
                for (var i = 0; i < bits[length - 1]; i++, k++)
                {
                    Codes[values[k]] = (ushort)code++;
                    Lengths[values[k]] = (byte)length;
                }
                code <<= 1;
            }
        }
    }

    private static readonly Huffman DcLuma = new(DcLumaBits, DcValues), DcChroma = new(DcChromaBits, DcValues);
    private static readonly Huffman AcLuma = new(AcLumaBits, AcLumaValues), AcChroma = new(AcChromaBits, AcChromaValues);

    /// <summary>libjpeg's jpeg_quality_scaling and jpeg_add_quant_table (forced to baseline, 1..255).</summary>
    private static byte[] ScaledTable(byte[] table, int quality)
    {
        quality = System.Math.Clamp(quality, 1, 100);
        var scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        var t = new byte[64];
        for (var i = 0; i < 64; i++) t[i] = (byte)System.Math.Clamp((table[i] * scale + 50) / 100, 1, 255);
        return t;
    }

    private sealed class BitWriter(Stream output)
    {
        private uint _buffer;
        private int _count;

        public void Write(int code, int length)
        {
            _buffer = (_buffer << length) | (uint)(code & ((1 << length) - 1));
            _count += length;
            while (_count >= 8)
            {
                var b = (byte)(_buffer >> (_count - 8));
                output.WriteByte(b);
                if (b == 0xFF) output.WriteByte(0); // byte stuffing
                _count -= 8;
            }
        }

        public void Flush()
        {
            if (_count > 0) Write(0x7F, 8 - _count); // pad with ones
        }
    }

    /// <summary>
    /// Encodes <paramref name="pixels"/> (<paramref name="height"/> × <paramref name="width"/> × <paramref name="channels"/>,
    /// channels 1 or 3) at <paramref name="quality"/> (1..100).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int height, int width, int channels, int quality, bool chromaDownsampling = true,
        int densityUnit = 1, int xDensity = 300, int yDensity = 300)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"JPEG: 1 or 3 channels, got {channels}");
        if (height <= 0 || width <= 0 || height > 65535 || width > 65535) throw new ArgumentException($"JPEG: sides must be in 1..65535, got {height}x{width}");
        var (lq, cq) = (ScaledTable(LumaQuant, quality), ScaledTable(ChromaQuant, quality));
        var sub = channels == 3 && chromaDownsampling ? 2 : 1;
        using var output = new MemoryStream();
        void Marker(int m) { output.WriteByte(0xFF); output.WriteByte((byte)m); }
        void Word(int v) { output.WriteByte((byte)(v >> 8)); output.WriteByte((byte)v); }
        Marker(0xD8);
        Marker(0xE0); Word(16); output.Write("JFIF\0"u8); output.WriteByte(1); output.WriteByte(1);
        output.WriteByte((byte)densityUnit); Word(xDensity); Word(yDensity); output.WriteByte(0); output.WriteByte(0);
        foreach (var (table, id) in channels == 3 ? new[] { (lq, 0), (cq, 1) } : new[] { (lq, 0) })
        {
            Marker(0xDB); Word(67); output.WriteByte((byte)id);
            for (var i = 0; i < 64; i++) output.WriteByte(table[ZigZag[i]]);
        }
        Marker(0xC0); Word(8 + 3 * channels); output.WriteByte(8); Word(height); Word(width); output.WriteByte((byte)channels);
        for (var c = 0; c < channels; c++)
        {
            output.WriteByte((byte)(c + 1));
            output.WriteByte((byte)(c == 0 ? (sub << 4) | sub : 0x11));
            output.WriteByte((byte)(c == 0 ? 0 : 1));
        }
        void Dht(int cls, int id, byte[] bits, byte[] values)
        {
            Marker(0xC4); Word(3 + 16 + values.Length); output.WriteByte((byte)((cls << 4) | id)); output.Write(bits); output.Write(values);
        }
        Dht(0, 0, DcLumaBits, DcValues); Dht(1, 0, AcLumaBits, AcLumaValues);
        if (channels == 3) { Dht(0, 1, DcChromaBits, DcValues); Dht(1, 1, AcChromaBits, AcChromaValues); }
        Marker(0xDA); Word(6 + 2 * channels); output.WriteByte((byte)channels);
        for (var c = 0; c < channels; c++) { output.WriteByte((byte)(c + 1)); output.WriteByte((byte)(c == 0 ? 0x00 : 0x11)); }
        output.WriteByte(0); output.WriteByte(63); output.WriteByte(0);

        // Planes in JPEG's level-shifted YCbCr (JFIF's full-range conversion).
        var planes = new float[channels][];
        for (var c = 0; c < channels; c++) planes[c] = new float[height * width];
        for (var i = 0; i < height * width; i++)
        {
            if (channels == 1) { planes[0][i] = pixels[i] - 128f; continue; }
            float r = pixels[i * 3], g = pixels[i * 3 + 1], b = pixels[i * 3 + 2];
            planes[0][i] = 0.299f * r + 0.587f * g + 0.114f * b - 128f;
            planes[1][i] = -0.168735892f * r - 0.331264108f * g + 0.5f * b;
            planes[2][i] = 0.5f * r - 0.418687589f * g - 0.081312411f * b;
        }
        var writer = new BitWriter(output);
        var previousDc = new int[channels];
        var block = new float[64];
        var mcu = 8 * sub;
        for (var my = 0; my < height; my += mcu)
            for (var mx = 0; mx < width; mx += mcu)
            {
                for (var by = 0; by < sub; by++)
                    for (var bx = 0; bx < sub; bx++)
                    {
                        Sample(planes[0], height, width, my + by * 8, mx + bx * 8, 1, block);
                        previousDc[0] = EncodeBlock(writer, block, lq, previousDc[0], DcLuma, AcLuma);
                    }
                for (var c = 1; c < channels; c++)
                {
                    Sample(planes[c], height, width, my, mx, sub, block);
                    previousDc[c] = EncodeBlock(writer, block, cq, previousDc[c], DcChroma, AcChroma);
                }
            }
        writer.Flush();
        Marker(0xD9);
        return output.ToArray();
    }

    /// <summary>The 8×8 block at (<paramref name="y0"/>, <paramref name="x0"/>) of a plane averaged over step×step pixels, edges replicated.</summary>
    private static void Sample(float[] plane, int height, int width, int y0, int x0, int step, float[] block)
    {
        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
            {
                var sum = 0f;
                for (var dy = 0; dy < step; dy++)
                    for (var dx = 0; dx < step; dx++)
                    {
                        var sy = System.Math.Min(y0 + y * step + dy, height - 1);
                        var sx = System.Math.Min(x0 + x * step + dx, width - 1);
                        sum += plane[sy * width + sx];
                    }
                block[y * 8 + x] = sum / (step * step);
            }
    }

    private static int EncodeBlock(BitWriter writer, float[] block, byte[] quant, int previousDc, Huffman dc, Huffman ac)
    {
        Span<double> rows = stackalloc double[64];
        for (var y = 0; y < 8; y++)
            for (var u = 0; u < 8; u++)
            {
                var s = 0.0;
                for (var x = 0; x < 8; x++) s += Basis[u * 8 + x] * block[y * 8 + x];
                rows[y * 8 + u] = s;
            }
        Span<int> q = stackalloc int[64];
        for (var v = 0; v < 8; v++)
            for (var u = 0; u < 8; u++)
            {
                var s = 0.0;
                for (var y = 0; y < 8; y++) s += Basis[v * 8 + y] * rows[y * 8 + u];
                q[v * 8 + u] = (int)System.Math.Round(s / quant[v * 8 + u], MidpointRounding.AwayFromZero);
            }
        var diff = q[0] - previousDc;
        var category = Category(diff);
        writer.Write(dc.Codes[category], dc.Lengths[category]);
        if (category > 0) writer.Write(diff < 0 ? diff - 1 : diff, category);
        var run = 0;
        for (var k = 1; k < 64; k++)
        {
            var value = q[ZigZag[k]];
            if (value == 0) { run++; continue; }
            while (run > 15) { writer.Write(ac.Codes[0xF0], ac.Lengths[0xF0]); run -= 16; }
            var size = Category(value);
            var symbol = (run << 4) | size;
            writer.Write(ac.Codes[symbol], ac.Lengths[symbol]);
            writer.Write(value < 0 ? value - 1 : value, size);
            run = 0;
        }
        if (run > 0) writer.Write(ac.Codes[0], ac.Lengths[0]);
        return q[0];
    }

    private static int Category(int value)
    {
        var a = System.Math.Abs(value);
        var n = 0;
        while (a > 0) { n++; a >>= 1; }
        return n;
    }
}
