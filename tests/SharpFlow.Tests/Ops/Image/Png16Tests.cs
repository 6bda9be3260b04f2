using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// uint16 images: <c>decode_png(dtype=tf.uint16)</c>, <c>decode_image(dtype=tf.uint16)</c> and <c>encode_png</c> of a
/// uint16 image, against PNG files written independently by tools/golden/generate-png16.py (Golden/png16_samples.json:
/// 16-bit grey, grey+alpha, RGB and RGBA, every filter type, Adam7, tRNS colour keys, and 8-bit files), with
/// TensorFlow's rules from core/lib/png/png_io.cc: 16-bit samples as stored, 8-bit ones times 257 (Convert8to16), the
/// high byte when a 16-bit file is decoded as uint8 (png_set_strip_16), and libpng's RGB-to-grey weights.
/// </summary>
public class Png16Tests
{
    private sealed record PngCase(string Name, int Width, int Height, int Depth, int ColorType, int Channels, byte[] Png, int[] Samples, int[]? Trns);

    private static readonly Lazy<PngCase[]> Cases = new(() =>
    {
        using var doc = Golden.Load("png16_samples.json");
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new PngCase(
            c.GetProperty("name").GetString()!, c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(),
            c.GetProperty("depth").GetInt32(), c.GetProperty("color_type").GetInt32(), c.GetProperty("channels").GetInt32(),
            Convert.FromBase64String(c.GetProperty("png").GetString()!),
            c.GetProperty("samples").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            c.TryGetProperty("trns", out var t) ? t.EnumerateArray().Select(v => v.GetInt32()).ToArray() : null)).ToArray();
    });

    private static PngCase Case(string name) => Cases.Value.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.Value) data.Add(c.Name);
        return data;
    }

    private static Tensor Bytes(byte[] data) => tf.constant(new NDArray(new[] { data }, Shape.Scalar));

    private static NDArray Feed(byte[] b) => new(new[] { b }, Shape.Scalar);

    /// <summary>The samples as uint16 values: a 16-bit file's as they are, a shallower one's times 257.</summary>
    private static ushort[] Wide(PngCase c) => c.Samples.Select(s => (ushort)(c.Depth == 16 ? s : s * 257)).ToArray();

    /// <summary>
    /// The reference of libpng's transformations (png_io.cc's CommonInitDecode) on 16-bit samples: grey to RGB by
    /// copying, RGB to grey by <c>(9797 r + 19234 g + 3737 b + 16384) &gt;&gt; 15</c>, alpha from the file, from a
    /// tRNS key (0 where the colour equals it) or opaque.
    /// </summary>
    private static ushort[] Reference(PngCase c, int channels)
    {
        var stored = c.Channels;
        var samples = Wide(c);
        var output = new List<ushort>();
        for (var i = 0; i < c.Width * c.Height; i++)
        {
            var s = samples.AsSpan(i * stored, stored).ToArray();
            var color = stored >= 3 ? s[..3] : [s[0]];
            long alpha = stored is 2 or 4 ? s[^1]
                : c.Trns is { } key && color.Select(v => (int)v).SequenceEqual(key) ? 0 : 65535;
            if (channels >= 3) output.AddRange(color.Length == 3 ? color : [color[0], color[0], color[0]]);
            else output.Add(color.Length == 1 ? color[0] : (ushort)((9797L * color[0] + 19234L * color[1] + 3737L * color[2] + 16384) >> 15));
            if (channels is 2 or 4) output.Add((ushort)alpha);
        }
        return [.. output];
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void IndependentlyWrittenPngsDecodeToTheirSamples(string name)
    {
        using var g = TestGraph.Enter();
        var c = Case(name);
        var image = tf.image.decode_png(Bytes(c.Png), dtype: tf.uint16);
        Assert.Equal(tf.uint16, image.dtype);
        var value = g.Eval(image);
        Assert.Equal(new Shape(c.Height, c.Width, c.Channels), value.shape);
        Assert.Equal(Wide(c), value.ToArray<ushort>());
        Assert.Equal(Wide(c), g.Eval(tf.image.decode_image(Bytes(c.Png), dtype: tf.uint16)).ToArray<ushort>());
        // As uint8: 8-bit samples as they are, 16-bit ones' high byte; a tRNS key adds no channel (libpng strips it).
        var narrow = g.Eval(tf.image.decode_png(Bytes(c.Png)));
        Assert.Equal(new Shape(c.Height, c.Width, c.Channels), narrow.shape);
        Assert.Equal(c.Samples.Select(s => (byte)(c.Depth == 16 ? s >> 8 : s)).ToArray(), narrow.ToArray<byte>());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ChannelsConvertAsLibpngIsToldTo(string name)
    {
        using var g = TestGraph.Enter();
        var c = Case(name);
        if (c.Depth != 16) return; // 8-bit files convert in 8 bits first (the uint8 decoder's rule), covered by the uint8 tests
        foreach (var channels in new[] { 1, 3, 4 })
        {
            var value = g.Eval(tf.image.decode_png(Bytes(c.Png), channels: channels, dtype: tf.uint16));
            Assert.Equal(new Shape(c.Height, c.Width, channels), value.shape);
            Assert.Equal(Reference(c, channels), value.ToArray<ushort>());
        }
    }

    [Fact]
    public void SixteenBitFilesDecodedAsUint8KeepTheHighByte()
    {
        using var g = TestGraph.Enter();
        foreach (var c in Cases.Value.Where(c => c.Depth == 16))
        {
            var value = g.Eval(tf.image.decode_png(Bytes(c.Png)));
            Assert.Equal(tf.uint8, value.dtype);
            Assert.Equal(c.Samples.Select(s => (byte)(s >> 8)).ToArray(), value.ToArray<byte>());
        }
    }

    [Fact]
    public void EightBitFilesAreWidenedBy257()
    {
        using var g = TestGraph.Enter();
        var c = Case("rgb8");
        var narrow = g.Eval(tf.image.decode_png(Bytes(c.Png))).ToArray<byte>();
        var wide = g.Eval(tf.image.decode_png(Bytes(c.Png), dtype: tf.uint16)).ToArray<ushort>();
        Assert.Equal(narrow.Select(b => (ushort)(b * 257)).ToArray(), wide);
        Assert.Contains(wide, v => v == 65535);
        Assert.Contains(wide, v => v == 0);
        // decode_image widens a JPEG the same way (TensorFlow's convert_image_dtype from uint8 to uint16).
        var jpeg = g.Eval(tf.image.encode_jpeg(tf.constant(NDArray.FromFlat(ImageCodecTests.Picture(8, 8, 3), new Shape(8, 8, 3))))).StringBytes(0);
        var jpeg8 = g.Eval(tf.image.decode_image(Bytes(jpeg))).ToArray<byte>();
        var jpeg16 = g.Eval(tf.image.decode_image(Bytes(jpeg), dtype: tf.uint16));
        Assert.Equal(tf.uint16, jpeg16.dtype);
        Assert.Equal(jpeg8.Select(b => (ushort)(b * 257)).ToArray(), jpeg16.ToArray<ushort>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Uint16ImagesRoundTripThroughSixteenBitPngs(int channels)
    {
        using var g = TestGraph.Enter();
        var (h, w) = (7, 9);
        var pixels = new ushort[h * w * channels];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (ushort)((i * 40503) ^ (i >> 3));
        pixels[^1] = 65535;
        var png = g.Eval(tf.image.encode_png(tf.constant(NDArray.FromFlat(pixels, new Shape(h, w, channels))))).StringBytes(0);
        Assert.Equal(16, png[24]); // IHDR bit depth
        Assert.Equal(channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 }, png[25]); // IHDR colour type
        var back = g.Eval(tf.image.decode_png(Bytes(png), dtype: tf.uint16));
        Assert.Equal(new Shape(h, w, channels), back.shape);
        Assert.Equal(pixels, back.ToArray<ushort>());
        // Stored big-endian: the uint8 decoder sees each sample's high byte.
        Assert.Equal(pixels.Select(p => (byte)(p >> 8)).ToArray(), g.Eval(tf.image.decode_png(Bytes(png))).ToArray<byte>());
    }

    [Fact]
    public void TheSamplesInTheEncodedFileAreBigEndian()
    {
        using var g = TestGraph.Enter();
        ushort[] pixels = [0x0102, 0xA0B0];
        var png = g.Eval(tf.image.encode_png(tf.constant(NDArray.FromFlat(pixels, new Shape(1, 2, 1))), compression: 0)).StringBytes(0);
        // Read the IDAT back with the platform's zlib: one row, filter byte then the samples, as "sub" differences.
        var at = 8;
        byte[]? idat = null;
        while (idat is null)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (png.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8)) idat = png.AsSpan(at + 8, length).ToArray();
            at += 12 + length;
        }
        using var z = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        var raw = new byte[5];
        z.ReadExactly(raw);
        Assert.Equal(1, raw[0]);
        Assert.Equal(new byte[] { 0x01, 0x02 }, raw[1..3]);
        Assert.Equal(new byte[] { 0xA0 - 0x01, 0xB0 - 0x02 }, raw[3..5]);
    }

    [Fact]
    public void ConvertImageDtypeScalesUint16AsTensorFlow()
    {
        using var g = TestGraph.Enter();
        var wide = tf.constant(NDArray.FromFlat(new ushort[] { 0, 257, 32768, 65535 }, new Shape(4)));
        AssertArray.Close(NDArray.FromFlat(new[] { 0f, 257f / 65535, 32768f / 65535, 1f }, new Shape(4)), g.Eval(tf.image.convert_image_dtype(wide, tf.float32)), 1e-7);
        // To uint8: floor division by 257 ((65535 + 1) / (255 + 1) = 256 in TensorFlow's rule: scale_in + 1 over scale_out + 1).
        Assert.Equal(new byte[] { 0, 1, 128, 255 }, g.Eval(tf.image.convert_image_dtype(wide, tf.uint8)).ToArray<byte>());
        var narrow = tf.constant(NDArray.FromFlat(new byte[] { 0, 1, 255 }, new Shape(3)));
        // From uint8: times (65535 + 1) / (255 + 1) = 256.
        Assert.Equal(new ushort[] { 0, 256, 65280 }, g.Eval(tf.image.convert_image_dtype(narrow, tf.uint16)).ToArray<ushort>());
        Assert.Equal(new ushort[] { 0, 65535 }, g.Eval(tf.image.convert_image_dtype(tf.constant(new[] { 0f, 1f }), tf.uint16)).ToArray<ushort>());
        Assert.Equal("uint16", tf.uint16.name);
        Assert.Equal(new[] { 1, 2, 3 }, g.Eval(tf.cast(tf.cast(tf.constant(new[] { 1, 2, 3 }), tf.uint16), tf.int32)).ToArray<int>());
    }

    [Fact]
    public void NonPngFilesAndBadDtypesAreRefusedNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var jpeg = g.Eval(tf.image.encode_jpeg(tf.constant(NDArray.FromFlat(ImageCodecTests.Picture(8, 8, 3), new Shape(8, 8, 3))))).StringBytes(0);
        var contents = tf.placeholder(tf.@string, Shape.Scalar);
        var decode = tf.image.decode_png(contents, dtype: tf.uint16, name: "png16");
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decode, new FeedDict { [contents] = Feed(jpeg) }));
        Assert.Contains("png16", e.Message);
        Assert.Contains("JPEG does not support uint16 output", e.Message);

        var s = tf.constant(NDArray.FromStrings(["x"]));
        var te = Assert.Throws<TypeError>(() => tf.image.decode_png(s, dtype: tf.int32));
        Assert.Contains("DecodePng", te.Message);
        Assert.Contains("uint8, uint16 or float32", te.Message);
        te = Assert.Throws<TypeError>(() => tf.image.encode_png(tf.zeros(new Shape(2, 2, 1), tf.int32)));
        Assert.Contains("EncodePng", te.Message);
        Assert.Contains("uint8 or uint16, got int32", te.Message);
    }

    [Fact]
    public void CorruptSixteenBitDataIsAnErrorNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var c = Case("rgb16");
        var contents = tf.placeholder(tf.@string, Shape.Scalar);
        var decode = tf.image.decode_png(contents, dtype: tf.uint16, name: "png16");
        var zlib = Inflated(c.Png);

        // The zlib stream cut short (the chunks themselves intact, CRCs right).
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decode, new FeedDict { [contents] = Feed(Rebuild(c.Png, Deflate(zlib[..(zlib.Length / 2)]))) }));
        Assert.Contains("png16", e.Message);
        Assert.Contains("Invalid PNG data", e.Message);
        Assert.Contains("truncated", e.Message);

        // An unknown filter type in the first row.
        var badFilter = (byte[])zlib.Clone();
        badFilter[0] = 7;
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decode, new FeedDict { [contents] = Feed(Rebuild(c.Png, Deflate(badFilter))) }));
        Assert.Contains("unknown filter type 7", e.Message);

        // Not a zlib stream at all.
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decode, new FeedDict { [contents] = Feed(Rebuild(c.Png, [0x12, 0x34, 0x56, 0x78, 0x9A])) }));
        Assert.Contains("Invalid PNG data", e.Message);

        // A damaged CRC is caught before the samples are read, as for 8-bit files.
        var badCrc = (byte[])c.Png.Clone();
        badCrc[40] ^= 0xFF;
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decode, new FeedDict { [contents] = Feed(badCrc) }));
        Assert.Contains("bad CRC", e.Message);
    }

    /// <summary>The inflated IDAT data of a PNG.</summary>
    private static byte[] Inflated(byte[] png)
    {
        using var idat = new MemoryStream();
        foreach (var (type, body) in Chunks(png))
            if (type == "IDAT") idat.Write(body);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var output = new MemoryStream();
        z.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    private static List<(string Type, byte[] Body)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            chunks.Add((System.Text.Encoding.ASCII.GetString(png, at + 4, 4), png.AsSpan(at + 8, length).ToArray()));
            at += 12 + length;
        }
        return chunks;
    }

    /// <summary>The PNG with its IDAT chunks replaced by one holding <paramref name="idat"/>, every CRC right.</summary>
    private static byte[] Rebuild(byte[] png, byte[] idat)
    {
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, 8));
        var written = false;
        foreach (var (type, body) in Chunks(png))
        {
            if (type == "IDAT")
            {
                if (!written) WriteChunk(output, "IDAT", idat);
                written = true;
            }
            else WriteChunk(output, type, body);
        }
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] body)
    {
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, body.Length);
        output.Write(word);
        output.Write(typeBytes);
        output.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32([.. typeBytes, .. body]));
        output.Write(word);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
