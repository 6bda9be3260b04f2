using SharpFlow.FileIO;
namespace SharpFlow.Summaries;

/// <summary>
/// TensorFlow's <c>Summary</c> protocol buffer (<c>tf.Summary</c>): a list of tagged values, each a scalar
/// (<c>simple_value</c>), a histogram, an image or a tensor with plugin metadata (text). Field numbers are
/// TensorFlow's (summary.proto), so TensorBoard reads what <see cref="SerializeToString"/> writes.
/// </summary>
public sealed class Summary
{
    /// <summary>A summary of the given values.</summary>
    public Summary(params IEnumerable<SummaryValue> value) => this.value = value.ToList();

    /// <summary>The tagged values.</summary>
    public List<SummaryValue> value { get; }

    /// <summary>The protocol-buffer bytes.</summary>
    public byte[] SerializeToString()
    {
        var w = new ProtoWriter();
        foreach (var v in value) w.Message(1, v.Encode());
        return w.ToArray();
    }

    /// <summary>Decodes a serialized summary.</summary>
    public static Summary FromString(ReadOnlyMemory<byte> bytes)
    {
        var values = new List<SummaryValue>();
        foreach (var f in ProtoReader.Fields(bytes, "Summary"))
            if (f.Number == 1) values.Add(SummaryValue.Decode(f.Data));
        return new Summary(values);
    }
}

/// <summary><c>Summary.Value</c>: one tagged value.</summary>
public sealed class SummaryValue
{
    /// <summary>The tag TensorBoard groups by (<c>loss</c>, <c>layer1/weights</c>).</summary>
    public required string tag { get; init; }

    /// <summary>A scalar.</summary>
    public float? simple_value { get; init; }

    /// <summary>A histogram.</summary>
    public HistogramProto? histo { get; init; }

    /// <summary>An encoded image.</summary>
    public SummaryImage? image { get; init; }

    /// <summary>A text value (a string tensor with the <c>text</c> plugin's metadata).</summary>
    public string? text { get; init; }

    /// <summary>A scalar value.</summary>
    public static SummaryValue FromScalar(string tag, double value) => new() { tag = tag, simple_value = (float)value };

    /// <summary>A histogram of the values of <paramref name="values"/> (any numeric array).</summary>
    public static SummaryValue FromHistogram(string tag, NDArray values) =>
        new() { tag = tag, histo = HistogramProto.FromValues((values ?? throw new ArgumentNullException(nameof(values))).Cast(DType.float64).AsReadOnlySpan<double>(), tag) };

    /// <summary>
    /// An image from an array <c>[height, width, channels]</c> (1, 3 or 4 channels) of uint8, or of floats in
    /// [0, 1] (scaled by 255, as <c>tf.summary.image</c> does), PNG-encoded.
    /// </summary>
    public static SummaryValue FromImage(string tag, NDArray image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.ndim != 3 || image.shape[2] is not (1 or 3 or 4))
            throw new ValueError($"an image summary needs [height, width, 1|3|4], got shape {image.shape.ToListString()}");
        byte[] pixels;
        if (image.dtype == DType.uint8) pixels = image.AsReadOnlySpan<byte>().ToArray();
        else
        {
            var values = image.Cast(DType.float64).AsReadOnlySpan<double>();
            pixels = new byte[values.Length];
            for (var i = 0; i < values.Length; i++) pixels[i] = (byte)Math.Clamp(Math.Round(values[i] * 255), 0, 255);
        }
        var (h, w, c) = (image.shape[0], image.shape[1], image.shape[2]);
        return new() { tag = tag, image = new SummaryImage(h, w, c, Png.Encode(pixels, h, w, c)) };
    }

    /// <summary>A text value for TensorBoard's text dashboard.</summary>
    public static SummaryValue FromText(string tag, string text) => new() { tag = tag, text = text };

    internal ProtoWriter Encode()
    {
        var w = new ProtoWriter().String(1, tag);
        if (simple_value is { } s) w.Float(2, s);
        if (image is not null) w.Message(4, image.Encode());
        if (histo is not null) w.Message(5, histo.Encode());
        if (text is not null)
        {
            // TensorProto { dtype: DT_STRING (7), tensor_shape: {} (a scalar), string_val } and the plugin metadata
            // TensorBoard's text dashboard looks for.
            var tensor = new ProtoWriter().Int(1, 7).Message(2, new ProtoWriter()).Bytes(8, System.Text.Encoding.UTF8.GetBytes(text));
            w.Message(8, tensor);
            w.Message(9, new ProtoWriter().Message(1, new ProtoWriter().String(1, "text")));
        }
        return w;
    }

    internal static SummaryValue Decode(ReadOnlyMemory<byte> bytes)
    {
        string tag = "";
        float? simple = null;
        HistogramProto? histo = null;
        SummaryImage? image = null;
        string? text = null;
        foreach (var f in ProtoReader.Fields(bytes, "Summary.Value"))
        {
            switch (f.Number)
            {
                case 1: tag = f.AsString; break;
                case 2: simple = f.AsFloat; break;
                case 4: image = SummaryImage.Decode(f.Data); break;
                case 5: histo = HistogramProto.Decode(f.Data); break;
                case 8:
                    foreach (var t in ProtoReader.Fields(f.Data, "TensorProto"))
                        if (t.Number == 8) text = t.AsString;
                    break;
            }
        }
        return new SummaryValue { tag = tag, simple_value = simple, histo = histo, image = image, text = text };
    }
}

/// <summary><c>Summary.Image</c>: an encoded (PNG) image.</summary>
/// <param name="height">Height in pixels.</param>
/// <param name="width">Width in pixels.</param>
/// <param name="colorspace">1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</param>
/// <param name="encoded_image_string">The PNG file's bytes.</param>
public sealed record SummaryImage(int height, int width, int colorspace, byte[] encoded_image_string)
{
    internal ProtoWriter Encode() => new ProtoWriter().Int(1, height).Int(2, width).Int(3, colorspace).Bytes(4, encoded_image_string);

    internal static SummaryImage Decode(ReadOnlyMemory<byte> bytes)
    {
        int h = 0, w = 0, c = 0;
        byte[] data = [];
        foreach (var f in ProtoReader.Fields(bytes, "Summary.Image"))
        {
            switch (f.Number)
            {
                case 1: h = (int)f.Varint; break;
                case 2: w = (int)f.Varint; break;
                case 3: c = (int)f.Varint; break;
                case 4: data = f.Data.ToArray(); break;
            }
        }
        return new SummaryImage(h, w, c, data);
    }
}
