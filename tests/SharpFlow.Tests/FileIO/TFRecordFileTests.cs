using System.Buffers.Binary;
using System.IO.Compression;
using SharpFlow.FileIO;
using SharpFlow.Summaries;

namespace SharpFlow.Tests.FileIO;

/// <summary>tf.python_io: TFRecordWriter, TFRecordOptions and tf_record_iterator, against hand-built bytes.</summary>
public sealed class TFRecordFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sf-tfrecord-" + Guid.NewGuid().ToString("N"));

    public TFRecordFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>CRC-32C (Castagnoli, reflected 0x82F63B78) bit by bit, and TensorFlow's mask (crc32c.h).</summary>
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>record_writer.cc's framing, written out by hand.</summary>
    private static byte[] Expected(params byte[][] records)
    {
        var bytes = new List<byte>();
        foreach (var r in records)
        {
            var header = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)r.Length);
            bytes.AddRange(header);
            bytes.AddRange(BitConverter.GetBytes(MaskedCrc(header)));
            bytes.AddRange(r);
            bytes.AddRange(BitConverter.GetBytes(MaskedCrc(r)));
        }
        return [.. bytes];
    }

    [Fact]
    public void TheCrcReferenceHasTheKnownCheckValue()
    {
        // CRC-32C("123456789") = 0xE3069283 (RFC 3720's check value): unmask to compare.
        var masked = MaskedCrc("123456789"u8);
        var rot = masked - 0xa282ead8u;
        Assert.Equal(0xE3069283u, (rot >> 17) | (rot << 15));
        Assert.Equal(masked, Crc32C.Masked("123456789"u8));
    }

    [Fact]
    public void TheWriterWritesTensorFlowsFraming()
    {
        var path = PathOf("plain.tfrecord");
        using (var writer = tf.python_io.TFRecordWriter(path))
        {
            writer.write("hello"u8);
            writer.write([]);
            writer.write("record two");
        }
        Assert.Equal(Expected("hello"u8.ToArray(), [], "record two"u8.ToArray()), File.ReadAllBytes(path));
        var records = tf.python_io.tf_record_iterator(path).ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal("hello"u8.ToArray(), records[0]);
        Assert.Empty(records[1]);
        Assert.Equal(TFRecord.Frame("x"u8), Expected("x"u8.ToArray()));
    }

    [Theory]
    [InlineData(TFRecordCompressionType.GZIP)]
    [InlineData(TFRecordCompressionType.ZLIB)]
    public void CompressedFilesAreStreamsOfTheFramedRecords(TFRecordCompressionType type)
    {
        var path = PathOf($"c.{type}");
        var options = tf.python_io.TFRecordOptions(type);
        var data = Enumerable.Range(0, 50).Select(i => Enumerable.Range(0, i * 7).Select(k => (byte)(k * i)).ToArray()).ToArray();
        using (var writer = tf.python_io.TFRecordWriter(path, options))
            foreach (var d in data) writer.write(d);
        // Decompressed with the standard streams, the file is the plain framing.
        using var file = File.OpenRead(path);
        using Stream inflate = type == TFRecordCompressionType.GZIP ? new GZipStream(file, CompressionMode.Decompress) : new ZLibStream(file, CompressionMode.Decompress);
        using var plain = new MemoryStream();
        inflate.CopyTo(plain);
        Assert.Equal(Expected(data), plain.ToArray());
        Assert.Equal(data, tf.python_io.tf_record_iterator(path, options).ToArray());
        Assert.Equal(data, tf.python_io.tf_record_iterator(path, tf.python_io.TFRecordOptions(type.ToString())).ToArray());
        Assert.Equal(type.ToString(), TFRecordOptions.get_compression_type_string(options));
        // Read without the option, the compressed bytes are not records.
        Assert.Throws<DataLossError>(() => tf.python_io.tf_record_iterator(path).ToList());
    }

    [Fact]
    public void DamagedFilesAreDataLossErrorsNamingTheFileAndOffset()
    {
        var path = PathOf("bad.tfrecord");
        File.WriteAllBytes(path, Expected("first"u8.ToArray(), "second"u8.ToArray()));
        var good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, good[..^3]);
        var truncated = Assert.Throws<DataLossError>(() => tf.python_io.tf_record_iterator(path).ToList());
        Assert.Contains(path, truncated.Message);
        Assert.Contains("truncated record at offset 21", truncated.Message);

        var dataCrc = (byte[])good.Clone();
        dataCrc[21 + 12] ^= 1;
        File.WriteAllBytes(path, dataCrc);
        var e = Assert.Throws<DataLossError>(() => tf.python_io.tf_record_iterator(path).ToList());
        Assert.Contains("corrupted record at offset 21", e.Message);
        Assert.Contains("data's CRC", e.Message);

        var lengthCrc = (byte[])good.Clone();
        lengthCrc[0] ^= 1;
        File.WriteAllBytes(path, lengthCrc);
        Assert.Contains("corrupted record at offset 0: the length's CRC", Assert.Throws<DataLossError>(() => tf.python_io.tf_record_iterator(path).ToList()).Message);

        var gz = PathOf("bad.gz");
        using (var w = tf.python_io.TFRecordWriter(gz, tf.python_io.TFRecordOptions("GZIP")))
            for (var i = 0; i < 100; i++) w.write(Enumerable.Range(0, 100).Select(k => (byte)(k * i % 251)).ToArray());
        var compressed = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, compressed[..(compressed.Length / 2)]);
        var cut = Assert.Throws<DataLossError>(() => tf.python_io.tf_record_iterator(gz, tf.python_io.TFRecordOptions("GZIP")).ToList());
        Assert.Contains(gz, cut.Message);

        Assert.Throws<NotFoundError>(() => tf.python_io.tf_record_iterator(PathOf("missing")).ToList());
        Assert.Throws<ValueError>(() => tf.python_io.TFRecordOptions("LZ4"));
    }
}
