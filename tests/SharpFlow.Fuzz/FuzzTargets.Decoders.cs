using System.Buffers.Binary;
using SharpFlow.FileIO;
using static SharpFlow.Binding;

namespace SharpFlow.Fuzz;

/// <summary>
/// The parsing ops of issue 17 fed corrupt bytes: single Examples and SequenceExamples through
/// <c>parse_single_example</c>/<c>parse_single_sequence_example</c>, and the image decoders. These are ops, so their
/// errors name the op (an <see cref="InvalidArgumentError"/>), not a file. Each target keeps one session over a
/// placeholder, so an input costs one run, not a graph.
/// </summary>
public static partial class FuzzTargets
{
    private static IEnumerable<FuzzTarget> DecoderTargets() =>
    [
        new("single-example", ExampleSeeds, bytes => SingleExample.Value.Run(bytes), ErrorsNameTheFile: false),
        new("sequence-example", SequenceExampleSeeds, bytes => SequenceExample.Value.Run(bytes), ErrorsNameTheFile: false),
        new("jpeg", JpegSeeds, bytes => Jpeg.Value.Run(bytes), ErrorsNameTheFile: false),
        new("png", PngSeeds, bytes => Png.Value.Run(bytes), ErrorsNameTheFile: false),
        new("bmp", BmpSeeds, bytes => Bmp.Value.Run(bytes), ErrorsNameTheFile: false),
        new("gif", GifSeeds, bytes => Gif.Value.Run(bytes), ErrorsNameTheFile: false),
        new("image", ImageSeeds, bytes => Image.Value.Run(bytes), ErrorsNameTheFile: false),
    ];

    /// <summary>A graph of ops over one scalar string placeholder, with a session kept for all inputs.</summary>
#pragma warning disable CA1001 // the session lives as long as the process, as the Example parser's does
    private sealed class OpRunner
    {
        private readonly Session _session;
        private readonly Tensor _input;
        private readonly Tensor[] _outputs;
        private readonly Lock _gate = new();

        public OpRunner(Func<Tensor, Tensor[]> build)
        {
            var graph = new Graph();
            using var _ = graph.as_default();
            _input = tf.placeholder(tf.@string, Shape.Scalar);
            _outputs = build(_input);
            _session = new Session(graph);
        }

        public void Run(byte[] bytes)
        {
            lock (_gate) _session.run(_outputs, new FeedDict { [_input] = new NDArray(new[] { bytes }, Shape.Scalar) });
        }
    }
#pragma warning restore CA1001

    private static readonly Lazy<OpRunner> SingleExample = new(() => new OpRunner(input =>
    {
        var parsed = tf.parse_single_example(input, new Dictionary<string, FeatureSpec>
        {
            ["label"] = tf.FixedLenFeature(Shape.Scalar, tf.int64, default_value: 0L),
            ["image_raw"] = tf.FixedLenFeature(Shape.Scalar, tf.@string, default_value: ""),
            ["pixels"] = tf.VarLenFeature(tf.float32),
            ["ids"] = tf.VarLenFeature(tf.int64),
            ["pair"] = tf.FixedLenFeature(new Shape(2), tf.float32, default_value: new[] { 0f, 0f }),
        });
        return [parsed["label"], parsed["image_raw"], parsed.sparse("pixels").values, parsed.sparse("ids").indices, parsed["pair"]];
    }));

    private static readonly Lazy<OpRunner> SequenceExample = new(() => new OpRunner(input =>
    {
        var (context, sequence) = tf.parse_single_sequence_example(input,
            context_features: new Dictionary<string, FeatureSpec>
            {
                ["length"] = tf.FixedLenFeature(Shape.Scalar, tf.int64, default_value: 0L),
                ["name"] = tf.VarLenFeature(tf.@string),
            },
            sequence_features: new Dictionary<string, FeatureSpec>
            {
                ["tokens"] = tf.FixedLenSequenceFeature(Shape.Scalar, tf.int64, allow_missing: true),
                ["frames"] = tf.FixedLenSequenceFeature(new Shape(2), tf.float32, allow_missing: true),
                ["words"] = tf.VarLenFeature(tf.@string),
            });
        return [context["length"], context.sparse("name").values, sequence["tokens"], sequence["frames"], sequence.sparse("words").indices];
    }));

    private static IReadOnlyList<byte[]> SequenceExampleSeeds() =>
    [
        tf.train.SequenceExample(
            tf.train.Features(new Dictionary<string, Feature> { ["length"] = Int64s(3), ["name"] = tf.train.Feature(bytes_list: tf.train.BytesList([(byte)'a', (byte)'b'])) }),
            tf.train.FeatureLists(new Dictionary<string, FeatureList>
            {
                ["tokens"] = tf.train.FeatureList([Int64s(4), Int64s(5), Int64s(6)]),
                ["frames"] = tf.train.FeatureList([tf.train.Feature(float_list: tf.train.FloatList(1f, 2f)), tf.train.Feature(float_list: tf.train.FloatList(3f, 4f))]),
                ["words"] = tf.train.FeatureList([tf.train.Feature(bytes_list: tf.train.BytesList([(byte)'x'])), tf.train.Feature(bytes_list: tf.train.BytesList([(byte)'y'], [(byte)'z']))]),
            })).SerializeToString(),
        tf.train.SequenceExample(tf.train.Features(new Dictionary<string, Feature> { ["length"] = Int64s(0) })).SerializeToString(),
    ];

    private static readonly Lazy<OpRunner> Jpeg = new(() => new OpRunner(c => [tf.image.decode_jpeg(c), tf.image.decode_jpeg(c, channels: 1, ratio: 2)]));

    private static readonly Lazy<OpRunner> Png = new(() => new OpRunner(c => [tf.image.decode_png(c), tf.image.decode_png(c, channels: 3, dtype: tf.uint8),
        tf.image.decode_png(c, dtype: tf.uint16), tf.image.decode_png(c, channels: 1, dtype: tf.uint16)]));

    private static readonly Lazy<OpRunner> Bmp = new(() => new OpRunner(c => [tf.image.decode_bmp(c)]));

    private static readonly Lazy<OpRunner> Gif = new(() => new OpRunner(c => [tf.image.decode_gif(c)]));

    private static readonly Lazy<OpRunner> Image = new(() => new OpRunner(c => [tf.image.decode_image(c), tf.image.decode_image(c, channels: 3)]));

    /// <summary>Encodes a small picture with SharpFlow's own encoder.</summary>
    private static byte[] Encode(int h, int w, int c, Func<Tensor, Tensor> encode)
    {
        var pixels = new byte[h * w * c];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i * 37) ^ (i / (w * c) * 11));
        var graph = new Graph();
        using (graph.as_default())
        {
            var bytes = encode(tf.constant(NDArray.FromFlat(pixels, new Shape(h, w, c))));
            using var sess = tf.Session();
            return sess.run(bytes).StringBytes(0);
        }
    }

    private static IReadOnlyList<byte[]> JpegSeeds() =>
    [
        Encode(16, 24, 3, x => tf.image.encode_jpeg(x)), Encode(9, 13, 1, x => tf.image.encode_jpeg(x, quality: 50)),
        Encode(20, 20, 3, x => tf.image.encode_jpeg(x, chroma_downsampling: false)),
    ];

    private static IReadOnlyList<byte[]> PngSeeds() =>
        [Encode(8, 12, 3, x => tf.image.encode_png(x)), Encode(5, 7, 1, x => tf.image.encode_png(x, compression: 0)), Encode(6, 6, 4, x => tf.image.encode_png(x)),
         Encode(7, 5, 3, x => tf.image.encode_png(tf.cast(x, tf.uint16) * tf.constant((ushort)257)))]; // a 16-bit PNG

    /// <summary>An uncompressed bottom-up BMP of <paramref name="bits"/> (24 or 32) bits per pixel.</summary>
    private static byte[] BmpFile(int w, int h, int bits)
    {
        var bytesPerPixel = bits / 8;
        var stride = (w * bytesPerPixel + 3) & ~3;
        var bytes = new byte[54 + stride * h];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), h);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), (short)bits);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), stride * h);
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w * bytesPerPixel; x++) bytes[54 + y * stride + x] = (byte)(x * 29 + y * 53);
        return bytes;
    }

    private static IReadOnlyList<byte[]> BmpSeeds() => [BmpFile(2, 2, 24), BmpFile(5, 3, 24), BmpFile(4, 4, 32)];

    /// <summary>A one-pixel GIF, and a two-frame 2×2 GIF (global palette of 4, LZW minimum code size 2).</summary>
    private static IReadOnlyList<byte[]> GifSeeds() =>
    [
        [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B],
        [
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x02, 0x00, 0x02, 0x00, 0x81, 0x00, 0x00,
            0xFF, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
            0x2C, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x02, 0x03, 0x44, 0x34, 0x05, 0x00,
            0x2C, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x02, 0x03, 0x9C, 0x02, 0x05, 0x00,
            0x3B,
        ],
    ];

    /// <summary>One of each format for decode_image.</summary>
    private static IReadOnlyList<byte[]> ImageSeeds() => [.. JpegSeeds().Take(1), .. PngSeeds().Take(1), .. GifSeeds(), .. BmpSeeds().Take(1)];
}
