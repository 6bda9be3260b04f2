using SharpFlow.FileIO;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SharpFlow.Summaries;

namespace SharpFlow.Tests.Summaries;

/// <summary>
/// TensorBoard's event files: CRC-32C and its mask against known vectors, TFRecord framing and its refusal of
/// truncated or corrupted records, every summary kind round-tripped through a FileWriter, TensorFlow's histogram
/// buckets, the GraphDef fields, and PNG images.
/// </summary>
public sealed class EventFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-events-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Crc32CMatchesTheKnownVectors()
    {
        // RFC 3720 (iSCSI) B.4 and the standard check value.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0xC78AB0E5u, Crc32C.Mask(0xE3069283u)); // ((crc >> 15) | (crc << 17)) + 0xa282ead8
        Assert.Equal(0xCBF43926u, Png.Crc32("123456789"u8)); // PNG's CRC-32 (IEEE)
    }

    [Fact]
    public void TFRecordFramesEachRecordAndRefusesDamage()
    {
        var path = Path.Combine(_dir, "records");
        using (var file = File.Create(path))
        {
            TFRecord.Write(file, "hello"u8);
            TFRecord.Write(file, []);
            TFRecord.Write(file, Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());
        }
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(5UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(Crc32C.Masked(bytes.AsSpan(0, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal("hello", Encoding.ASCII.GetString(bytes, 12, 5));
        Assert.Equal(Crc32C.Masked("hello"u8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(17)));
        var records = TFRecord.Read(path).ToList();
        Assert.Equal(3, records.Count);
        Assert.Empty(records[1]);
        Assert.Equal(1000, records[2].Length);

        File.WriteAllBytes(path, bytes[..^3]);
        var truncated = Assert.Throws<DataLossError>(() => TFRecord.Read(path).ToList());
        Assert.Contains(path, truncated.Message);
        Assert.Contains("truncated record at offset 37", truncated.Message);

        var corrupt = (byte[])bytes.Clone();
        corrupt[14] ^= 1;
        File.WriteAllBytes(path, corrupt);
        Assert.Contains("offset 0: the data's CRC does not match", Assert.Throws<DataLossError>(() => TFRecord.Read(path).ToList()).Message);

        var badLength = (byte[])bytes.Clone();
        badLength[0] = 6;
        File.WriteAllBytes(path, badLength);
        Assert.Contains("the length's CRC does not match", Assert.Throws<DataLossError>(() => TFRecord.Read(path).ToList()).Message);
    }

    [Fact]
    public void AFileWriterWritesEverySummaryKindThatReadsBack()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(2f, name: "a");
        var b = tf.Variable(3f, name: "b");
        using (tf.control_dependencies([b.initializer])) tf.add(a, b, name: "sum");
        string path;
        using (var writer = tf.summary.FileWriter(_dir, g.Graph))
        {
            path = writer.path;
            writer.add_summary(tf.Summary(SummaryValue.FromScalar("loss", 0.25), SummaryValue.FromScalar("accuracy", 0.75)), global_step: 10);
            writer.add_summary(tf.Summary(SummaryValue.FromHistogram("weights", NDArray.FromFlat(new[] { -1.0, 0.5, 0.5, 2.0 }, new Shape(4)))), 10);
            writer.add_summary(tf.Summary(SummaryValue.FromImage("digit", NDArray.FromFlat(new byte[] { 0, 128, 255, 64, 32, 16 }, new Shape(2, 3, 1)))), 11);
            writer.add_summary(tf.Summary(SummaryValue.FromText("note", "trained on the sample")).SerializeToString(), 12);
            writer.flush();
        }
        Assert.Matches(@"events\.out\.tfevents\.\d{10}\.", Path.GetFileName(path));
        var events = tf.train.summary_iterator(path).ToList();
        Assert.Equal("brain.Event:2", events[0].file_version);
        Assert.True(Math.Abs(events[0].wall_time - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) < 600);

        var graph = events[1].graph_def!;
        var nodes = ProtoReader.Fields(graph).Where(f => f.Number == 1).Select(f => ProtoReader.Fields(f.Data)).ToList();
        string Str(List<ProtoField> node, int field) => node.First(f => f.Number == field).AsString;
        var sum = nodes.Single(n => Str(n, 1) == "sum");
        Assert.Equal("Add", Str(sum, 2));
        Assert.Equal(new[] { "a", "b/read", "^b/Assign" }, sum.Where(f => f.Number == 3).Select(f => f.AsString));
        var variable = nodes.Single(n => Str(n, 1) == "b");
        Assert.Equal("VariableV2", Str(variable, 2));
        var attrs = variable.Where(f => f.Number == 5).Select(f => ProtoReader.Fields(f.Data)).ToDictionary(e => e[0].AsString, e => ProtoReader.Fields(e[1].Data));
        Assert.Equal(1UL, attrs["dtype"].Single(f => f.Number == 6).Varint); // DT_FLOAT
        Assert.Contains("_output_shapes", attrs.Keys);
        var constant = nodes.Single(n => Str(n, 1) == "a").Where(f => f.Number == 5).Select(f => ProtoReader.Fields(f.Data)).Single(e => e[0].AsString == "value");
        var tensor = ProtoReader.Fields(ProtoReader.Fields(constant[1].Data).Single(f => f.Number == 8).Data);
        Assert.Equal(2f, BitConverter.ToSingle(tensor.Single(f => f.Number == 5).Data.Span)); // float_val, as TensorFlow writes a scalar
        Assert.Equal(134UL, ProtoReader.Fields(ProtoReader.Fields(graph).Single(f => f.Number == 4).Data).Single().Varint);

        var scalars = events[2].summary!.value;
        Assert.Equal(10, events[2].step);
        Assert.Equal(("loss", 0.25f), (scalars[0].tag, scalars[0].simple_value!.Value));
        Assert.Equal(("accuracy", 0.75f), (scalars[1].tag, scalars[1].simple_value!.Value));

        var histo = events[3].summary!.value[0].histo!;
        Assert.Equal((-1.0, 2.0, 4.0, 2.0, 5.5), (histo.min, histo.max, histo.num, histo.sum, histo.sum_squares));
        Assert.Equal(4.0, histo.bucket.Sum());
        Assert.Equal(histo.bucket.Count, histo.bucket_limit.Count);

        var image = events[4].summary!.value[0].image!;
        Assert.Equal((2, 3, 1), (image.height, image.width, image.colorspace));
        Assert.Equal(new byte[] { 0, 128, 255, 64, 32, 16 }, DecodeGreyPng(image.encoded_image_string, 2, 3));

        Assert.Equal("trained on the sample", events[5].summary!.value[0].text);
        Assert.Equal(12, events[5].step);
    }

    [Fact]
    public void HistogramsUseTensorFlowsBucketLayout()
    {
        // One value: the empty buckets below and above it merge, leaving three entries, the middle one holding it.
        var h = HistogramProto.FromValues([0.5]);
        Assert.Equal(3, h.bucket.Count);
        Assert.Equal(new[] { 0.0, 1.0, 0.0 }, h.bucket);
        Assert.True(h.bucket_limit[1] > 0.5 && h.bucket_limit[1] / 1.1 <= 0.5, $"limit {h.bucket_limit[1]}");
        Assert.Equal(double.MaxValue, h.bucket_limit[2]);
        // Zero falls into the bucket whose upper limit is the first positive one, 1e-12; negative values below 0.
        var z = HistogramProto.FromValues([0.0, -3.0]);
        Assert.Contains(1e-12, z.bucket_limit);
        Assert.Equal(1.0, z.bucket[z.bucket_limit.ToList().IndexOf(1e-12)]);
        // No values: one bucket (DBL_MAX, 0), as TensorFlow writes.
        var empty = HistogramProto.FromValues([]);
        Assert.Equal(new[] { double.MaxValue }, empty.bucket_limit);
        Assert.Throws<InvalidArgumentError>(() => HistogramProto.FromValues([double.NaN]));
    }

    [Fact]
    public void ClosedWritersAndDamagedEventFilesAreClearErrors()
    {
        var writer = tf.summary.FileWriter(_dir);
        writer.add_summary(tf.Summary(SummaryValue.FromScalar("x", 1)), 1);
        writer.close();
        Assert.Throws<InvalidOperationException>(() => writer.add_summary(tf.Summary(SummaryValue.FromScalar("x", 2)), 2));
        var bytes = File.ReadAllBytes(writer.path);
        File.WriteAllBytes(writer.path, bytes[..^2]);
        var e = Assert.Throws<DataLossError>(() => tf.train.summary_iterator(writer.path).ToList());
        Assert.Contains(writer.path, e.Message);
    }

    /// <summary>Reads back a grey PNG written by <see cref="Png.Encode"/>: checks the chunk CRCs and inflates the rows.</summary>
    private static byte[] DecodeGreyPng(byte[] png, int height, int width)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var idat = new MemoryStream();
        for (var i = 8; i < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            var type = Encoding.ASCII.GetString(png, i + 4, 4);
            Assert.Equal(Png.Crc32(png.AsSpan(i + 4, 4 + length)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(i + 8 + length)));
            if (type == "IHDR") Assert.Equal((width, height), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i + 8)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i + 12))));
            if (type == "IDAT") idat.Write(png, i + 8, length);
            i += 12 + length;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var rows = raw.ToArray();
        var pixels = new List<byte>();
        for (var y = 0; y < height; y++)
        {
            // Filter type 0 (none) or 1 (sub: each byte stored minus the byte to its left, one channel here).
            var filter = rows[y * (width + 1)];
            Assert.True(filter is 0 or 1, $"row {y} uses filter {filter}");
            var row = rows.AsSpan(y * (width + 1) + 1, width).ToArray();
            if (filter == 1)
                for (var x = 1; x < width; x++) row[x] = (byte)(row[x] + row[x - 1]);
            pixels.AddRange(row);
        }
        return [.. pixels];
    }
}
