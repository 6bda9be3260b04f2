namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// decode_jpeg / decode_png / decode_bmp / decode_gif / decode_image / encode_jpeg / encode_png: round trips, channel
/// conversion, format detection and the errors for bad bytes. JPEG is lossy and SharpFlow's decoder (stb_image) is
/// not libjpeg, so JPEG values are compared with tolerances; PNG, BMP and GIF are exact.
/// </summary>
public class ImageCodecTests
{
    /// <summary>A smooth test picture (gradients and a disc), [h, w, c] bytes.</summary>
    internal static byte[] Picture(int h, int w, int c)
    {
        var p = new byte[h * w * c];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var inside = (y - h / 2.0) * (y - h / 2.0) + (x - w / 2.0) * (x - w / 2.0) < h * w / 10.0;
                for (var ch = 0; ch < c; ch++)
                    p[(y * w + x) * c + ch] = (byte)(ch switch
                    {
                        0 => 255 * x / System.Math.Max(1, w - 1),
                        1 => 255 * y / System.Math.Max(1, h - 1),
                        2 => inside ? 200 : 40,
                        _ => 128 + (x + y) % 100,
                    });
            }
        return p;
    }

    private static Tensor Bytes(byte[] data) => tf.constant(new NDArray(new[] { data }, Shape.Scalar));

    private static byte[] Run(Tensor t)
    {
        using var sess = tf.Session();
        return sess.run(t).StringBytes(0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void PngRoundTripsExactlyWithEveryChannelCount(int channels)
    {
        using var g = TestGraph.Enter();
        var pixels = Picture(13, 17, channels);
        var image = tf.constant(NDArray.FromFlat(pixels, new Shape(13, 17, channels)));
        var png = Run(tf.image.encode_png(image));
        Assert.Equal(0x89, png[0]);
        var decoded = tf.image.decode_png(Bytes(png));
        Assert.Equal(new Shape(-1, -1, -1), decoded.shape);
        var back = g.Eval(decoded);
        Assert.Equal(new Shape(13, 17, channels), back.shape);
        Assert.Equal(pixels, back.ToArray<byte>());
        var viaImage = g.Eval(tf.image.decode_image(Bytes(png)));
        Assert.Equal(pixels, viaImage.ToArray<byte>());
    }

    [Fact]
    public void PngCompressionLevelsAllDecodeToTheSamePixels()
    {
        using var g = TestGraph.Enter();
        var pixels = Picture(32, 32, 3);
        var image = tf.constant(NDArray.FromFlat(pixels, new Shape(32, 32, 3)));
        var sizes = new List<int>();
        foreach (var level in new[] { -1, 0, 1, 6, 9 })
        {
            var png = Run(tf.image.encode_png(image, compression: level));
            sizes.Add(png.Length);
            Assert.Equal(pixels, g.Eval(tf.image.decode_png(Bytes(png), channels: 3)).ToArray<byte>());
        }
        Assert.True(sizes[1] > sizes[4], $"stored ({sizes[1]} bytes) should be larger than level 9 ({sizes[4]} bytes)");
    }

    [Fact]
    public void PngChannelsAreConvertedAsTensorFlowDoes()
    {
        using var g = TestGraph.Enter();
        var rgb = Picture(6, 5, 3);
        var png = Run(tf.image.encode_png(tf.constant(NDArray.FromFlat(rgb, new Shape(6, 5, 3)))));
        var rgba = g.Eval(tf.image.decode_png(Bytes(png), channels: 4)).ToArray<byte>();
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(rgb.AsSpan(i * 3, 3).ToArray(), rgba.AsSpan(i * 4, 3).ToArray());
            Assert.Equal(255, rgba[i * 4 + 3]);
        }
        // stb_image's grey is (77 R + 150 G + 29 B) >> 8, libpng's the ITU-R 601 weights: within one level of each other.
        var grey = g.Eval(tf.image.decode_png(Bytes(png), channels: 1));
        Assert.Equal(new Shape(6, 5, 1), grey.shape);
        var gv = grey.ToArray<byte>();
        for (var i = 0; i < 30; i++)
            Assert.InRange(gv[i], 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2] - 1.5, 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2] + 1.5);
    }

    /// <summary>Mean and largest absolute difference of two byte images.</summary>
    private static (double Mean, int Max) Difference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var (sum, max) = (0L, 0);
        for (var i = 0; i < a.Length; i++)
        {
            var d = System.Math.Abs(a[i] - b[i]);
            sum += d;
            max = System.Math.Max(max, d);
        }
        return (sum / (double)a.Length, max);
    }

    [Theory]
    [InlineData(95, true, 4.0)]
    [InlineData(95, false, 1.5)]
    [InlineData(75, true, 6.0)]
    public void JpegRoundTripsWithinTheLossOfTheQuality(int quality, bool chroma, double meanTolerance)
    {
        using var g = TestGraph.Enter();
        var pixels = Picture(40, 48, 3);
        var jpeg = Run(tf.image.encode_jpeg(tf.constant(NDArray.FromFlat(pixels, new Shape(40, 48, 3))), quality: quality, chroma_downsampling: chroma));
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, jpeg[..3]);
        var decoded = g.Eval(tf.image.decode_jpeg(Bytes(jpeg)));
        Assert.Equal(new Shape(40, 48, 3), decoded.shape);
        var (mean, _) = Difference(pixels, decoded.ToArray<byte>());
        Assert.True(mean < meanTolerance, $"mean absolute error {mean:F2} at quality {quality}");
    }

    [Fact]
    public void GreyJpegsStayGreyAndChannelsConvert()
    {
        using var g = TestGraph.Enter();
        var grey = Picture(16, 24, 1);
        var jpeg = Run(tf.image.encode_jpeg(tf.constant(NDArray.FromFlat(grey, new Shape(16, 24, 1))), format: "grayscale", quality: 100));
        var decoded = g.Eval(tf.image.decode_jpeg(Bytes(jpeg)));
        Assert.Equal(new Shape(16, 24, 1), decoded.shape);
        Assert.True(Difference(grey, decoded.ToArray<byte>()).Max <= 3);
        var asRgb = g.Eval(tf.image.decode_jpeg(Bytes(jpeg), channels: 3)).ToArray<byte>();
        for (var i = 0; i < grey.Length; i++) Assert.True(asRgb[i * 3] == asRgb[i * 3 + 1] && asRgb[i * 3 + 1] == asRgb[i * 3 + 2]);

        var colour = Run(tf.image.encode_jpeg(tf.constant(NDArray.FromFlat(Picture(16, 24, 3), new Shape(16, 24, 3))), format: "rgb"));
        Assert.Equal(new Shape(16, 24, 1), g.Eval(tf.image.decode_jpeg(Bytes(colour), channels: 1)).shape);
        Assert.Equal(new Shape(16, 24, 3), g.Eval(tf.image.decode_image(Bytes(colour))).shape);
    }

    [Fact]
    public void RatioShrinksByBlockMeans()
    {
        using var g = TestGraph.Enter();
        var pixels = Picture(33, 50, 3);
        var jpeg = Run(tf.image.encode_jpeg(tf.constant(NDArray.FromFlat(pixels, new Shape(33, 50, 3))), quality: 100));
        foreach (var (ratio, h, w) in new[] { (2, 17, 25), (4, 9, 13), (8, 5, 7) })
            Assert.Equal(new Shape(h, w, 3), g.Eval(tf.image.decode_jpeg(Bytes(jpeg), ratio: ratio, dct_method: "INTEGER_ACCURATE")).shape);
    }

    /// <summary>A 24-bit bottom-up BMP, as Windows writes them.</summary>
    internal static byte[] Bmp(byte[] rgb, int h, int w)
    {
        var row = (w * 3 + 3) / 4 * 4;
        var data = new byte[54 + row * h];
        void U32(int at, int v) => BitConverter.GetBytes(v).CopyTo(data, at);
        data[0] = (byte)'B';
        data[1] = (byte)'M';
        U32(2, data.Length);
        U32(10, 54);
        U32(14, 40);
        U32(18, w);
        U32(22, h);
        data[26] = 1;
        data[28] = 24;
        U32(34, row * h);
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var c = 0; c < 3; c++)
                    data[54 + (h - 1 - y) * row + x * 3 + c] = rgb[(y * w + x) * 3 + (2 - c)];
        return data;
    }

    [Fact]
    public void BmpDecodesExactlyAndOnlyAsBmp()
    {
        using var g = TestGraph.Enter();
        var pixels = Picture(7, 5, 3);
        var bmp = Bmp(pixels, 7, 5);
        Assert.Equal(pixels, g.Eval(tf.image.decode_bmp(Bytes(bmp))).ToArray<byte>());
        Assert.Equal(pixels, g.Eval(tf.image.decode_image(Bytes(bmp), channels: 3)).ToArray<byte>());
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.image.decode_jpeg(Bytes(bmp), name: "jpeg")));
        Assert.Contains("jpeg", e.Message);
        Assert.Contains("Expected image (JPEG, PNG, or GIF), got a BMP file", e.Message);
    }

    /// <summary>The classic one-pixel GIF89a: a red pixel (palette entry 0).</summary>
    internal static readonly byte[] RedPixelGif =
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    [Fact]
    public void GifKeepsItsFrameAxis()
    {
        using var g = TestGraph.Enter();
        var gif = tf.image.decode_gif(Bytes(RedPixelGif));
        Assert.Equal(new Shape(-1, -1, -1, 3), gif.shape);
        var frames = g.Eval(gif);
        Assert.Equal(new Shape(1, 1, 1, 3), frames.shape);
        Assert.Equal(new byte[] { 255, 0, 0 }, frames.ToArray<byte>());
        Assert.False(tf.image.decode_image(Bytes(RedPixelGif)).shape.IsKnownRank);
        Assert.Equal(new Shape(1, 1, 1, 3), g.Eval(tf.image.decode_image(Bytes(RedPixelGif))).shape);
        Assert.Equal(new Shape(1, 1, 3), g.Eval(tf.image.decode_image(Bytes(RedPixelGif), channels: 3, expand_animations: false)).shape);
    }

    [Fact]
    public void DecodeImageAsFloatScalesToTheUnitInterval()
    {
        using var g = TestGraph.Enter();
        var pixels = Picture(3, 4, 3);
        var png = Run(tf.image.encode_png(tf.constant(NDArray.FromFlat(pixels, new Shape(3, 4, 3)))));
        var f = g.Eval(tf.image.decode_image(Bytes(png), dtype: tf.float32));
        AssertArray.Close(NDArray.FromFlat(pixels.Select(p => p / 255f).ToArray(), new Shape(3, 4, 3)), f, 1e-6);
    }

    [Fact]
    public void CorruptAndTruncatedFilesGiveErrorsNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var jpeg = Run(tf.image.encode_jpeg(tf.constant(NDArray.FromFlat(Picture(32, 32, 3), new Shape(32, 32, 3)))));
        var png = Run(tf.image.encode_png(tf.constant(NDArray.FromFlat(Picture(32, 32, 3), new Shape(32, 32, 3)))));
        var contents = tf.placeholder(tf.@string, Shape.Scalar);
        var decodeJpeg = tf.image.decode_jpeg(contents, name: "my_jpeg");
        var decodePng = tf.image.decode_png(contents, name: "my_png");
        var recover = tf.image.decode_jpeg(contents, try_recover_truncated: true, name: "recover");
        NDArray Feed(byte[] b) => new(new[] { b }, Shape.Scalar);

        // Cut inside the scan data (the headers take the first 623 bytes): an error, unless recovering.
        var truncated = jpeg[..(jpeg.Length * 3 / 4)];
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decodeJpeg, new FeedDict { [contents] = Feed(truncated) }));
        Assert.Contains("my_jpeg", e.Message);
        Assert.Contains("Invalid JPEG data", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(new Shape(32, 32, 3), g.Eval(recover, new FeedDict { [contents] = Feed(truncated) }).shape);
        // Cut inside the headers: an error even when recovering, as libjpeg cannot read the frame without them.
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(recover, new FeedDict { [contents] = Feed(jpeg[..(jpeg.Length / 2)]) }));
        Assert.Contains("truncated", e.Message);

        var badPng = (byte[])png.Clone();
        for (var i = 40; i < badPng.Length - 12; i += 7) badPng[i] ^= 0x5A;
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decodePng, new FeedDict { [contents] = Feed(badPng) }));
        Assert.Contains("my_png", e.Message);
        Assert.Contains("Invalid PNG data", e.Message);

        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decodePng, new FeedDict { [contents] = Feed("hello"u8.ToArray()) }));
        Assert.Contains("unknown format starting with 'hell'", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decodePng, new FeedDict { [contents] = Feed(png[..20]) }));
        Assert.Contains("Invalid PNG data", e.Message);
        e = Assert.Throws<InvalidArgumentError>(() => g.Eval(decodeJpeg, new FeedDict { [contents] = Feed([]) }));
        Assert.Contains("unknown format", e.Message);
    }

    [Fact]
    public void BadAttributesAndShapesFailAtBuildTime()
    {
        using var g = TestGraph.Enter();
        var s = tf.constant(NDArray.FromStrings(["x"]));
        Assert.Contains("DecodeJpeg", Assert.Throws<ValueError>(() => tf.image.decode_jpeg(s, channels: 4)).Message);
        Assert.Contains("channels must be 0, 1, or 3, got 4", Assert.Throws<ValueError>(() => tf.image.decode_jpeg(s, channels: 4)).Message);
        Assert.Contains("channels must be 0, 1, 3, or 4, got 2", Assert.Throws<ValueError>(() => tf.image.decode_png(s, channels: 2)).Message);
        Assert.Contains("ratio must be 1, 2, 4, or 8", Assert.Throws<ValueError>(() => tf.image.decode_jpeg(s, ratio: 3)).Message);
        Assert.Contains("dct_method", Assert.Throws<ValueError>(() => tf.image.decode_jpeg(s, dct_method: "FLOAT_SLOW")).Message);
        Assert.Contains("contents must be scalar", Assert.Throws<ValueError>(() => tf.image.decode_png(tf.constant(NDArray.FromStrings(["a", "b"])))).Message);
        Assert.Contains("EncodeJpeg", Assert.Throws<ValueError>(() => tf.image.encode_jpeg(tf.zeros(new Shape(4, 4), tf.uint8))).Message);
        Assert.Contains("quality", Assert.Throws<ValueError>(() => tf.image.encode_jpeg(tf.zeros(new Shape(4, 4, 3), tf.uint8), quality: 101)).Message);
        Assert.Contains("EncodePng", Assert.Throws<TypeError>(() => tf.image.encode_png(tf.zeros(new Shape(4, 4, 3)))).Message);
        Assert.Contains("compression", Assert.Throws<ValueError>(() => tf.image.encode_png(tf.zeros(new Shape(4, 4, 3), tf.uint8), compression: 10)).Message);
    }

    [Fact]
    public void EncodersCheckChannelsAtRunTime()
    {
        using var g = TestGraph.Enter();
        var image = tf.placeholder(tf.uint8, Shape.UnknownDims(3));
        var five = new FeedDict { [image] = NDArray.Zeros(tf.uint8, new Shape(2, 2, 5)) };
        Assert.Contains("1, 2, 3, or 4 channels", Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.image.encode_png(image, name: "png"), five)).Message);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.image.encode_jpeg(image, name: "jpg"), five));
        Assert.Contains("jpg", e.Message);
        Assert.Contains("1 or 3 channels", e.Message);
        var grey = new FeedDict { [image] = NDArray.Zeros(tf.uint8, new Shape(2, 2, 3)) };
        Assert.Contains("format grayscale expects 1 channels", Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.image.encode_jpeg(image, format: "grayscale"), grey)).Message);
    }
}
