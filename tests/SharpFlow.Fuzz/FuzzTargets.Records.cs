using SharpFlow.FileIO;
using SharpFlow.Summaries;
using static SharpFlow.Binding;

namespace SharpFlow.Fuzz;

/// <summary>The TFRecord files (in their three compressions) and the Example parsing of issue 17.</summary>
public static partial class FuzzTargets
{
    private static IEnumerable<FuzzTarget> RecordsTargets() =>
    [
        new("tfrecord", () => TFRecordSeeds(""), bytes => ReadRecords(bytes, "")),
        new("tfrecord-gzip", () => TFRecordSeeds("GZIP"), bytes => ReadRecords(bytes, "GZIP")),
        new("tfrecord-zlib", () => TFRecordSeeds("ZLIB"), bytes => ReadRecords(bytes, "ZLIB")),
        // A parse error names the op (ParseExample), not a file.
        new("example", ExampleSeeds, ParseExample, ErrorsNameTheFile: false),
    ];

    private static void ReadRecords(byte[] bytes, string compression)
    {
        foreach (var record in TFRecord.Read(TFRecord.OpenRead(new MemoryStream(bytes), compression), FuzzRunner.FileName)) _ = record.Length;
    }

    private static List<byte[]> TFRecordSeeds(string compression)
    {
        var files = new List<byte[]>();
        foreach (var records in new[] { ExampleSeeds(), [[], [1, 2, 3]], [Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()] })
        {
            var memory = new MemoryStream();
            using (var stream = TFRecord.OpenWrite(new NonClosing(memory), compression))
                foreach (var r in records) TFRecord.Write(stream, r);
            files.Add(memory.ToArray());
        }
        return files;
    }

    private static Feature Int64s(params long[] v) => tf.train.Feature(int64_list: tf.train.Int64List(v));

    private static IReadOnlyList<byte[]> ExampleSeeds() =>
    [
        tf.train.Example(tf.train.Features(new Dictionary<string, Feature>
        {
            ["label"] = Int64s(3), ["image_raw"] = tf.train.Feature(bytes_list: tf.train.BytesList([1, 2, 3, 4])),
            ["pixels"] = tf.train.Feature(float_list: tf.train.FloatList(0.5f, 1.5f)), ["ids"] = Int64s(1, 2, 3),
        })).SerializeToString(),
        tf.train.Example(tf.train.Features(new Dictionary<string, Feature>
        {
            ["label"] = Int64s(-1), ["image_raw"] = tf.train.Feature(bytes_list: tf.train.BytesList([9, 9, 9, 9])), ["seq"] = Int64s(1, 2, 3, 4),
        })).SerializeToString(),
    ];

    private static readonly Lazy<(Session Session, Tensor Input, Tensor[] Outputs)> Parser = new(() =>
    {
        var graph = new Graph();
        using var _ = graph.as_default();
        var input = tf.placeholder(tf.@string, new Shape(-1));
        var parsed = tf.parse_example(input, new Dictionary<string, FeatureSpec>
        {
            ["label"] = tf.FixedLenFeature(Shape.Scalar, tf.int64),
            ["image_raw"] = tf.FixedLenFeature(Shape.Scalar, tf.@string, default_value: ""),
            ["pixels"] = tf.VarLenFeature(tf.float32),
            ["ids"] = tf.VarLenFeature(tf.int64),
            ["seq"] = tf.FixedLenSequenceFeature(new Shape(2), tf.int64, allow_missing: true),
        });
        var raw = tf.decode_raw(parsed["image_raw"], tf.uint8);
        return (new Session(graph), input, [parsed["label"], raw, parsed.sparse("pixels").values, parsed.sparse("ids").indices, parsed["seq"]]);
    });

    private static readonly Lock ParserGate = new();

    private static void ParseExample(byte[] bytes)
    {
        var (session, input, outputs) = Parser.Value;
        lock (ParserGate) session.run(outputs, new FeedDict { [input] = new NDArray(new[] { bytes }, new Shape(1)) });
    }

    /// <summary>A stream whose Dispose leaves the inner stream open (the compressors close what they wrap).</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
