using Google.Protobuf;
using SharpFlow.Checkpoints;
using Tf = Tensorflow;

namespace SharpFlow.Tests.Checkpoints;

/// <summary>
/// The checks of the bundle header and entries, on index files built by hand (TableBuilder and TensorFlow's
/// messages): each bad header or entry is refused with an error that names the file and, for an entry, the tensor.
/// </summary>
public sealed class BundleHeaderAndEntryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-bundle-entries-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Prefix => Path.Combine(_dir, "ckpt");

    private static Tf.BundleHeaderProto Header(int shards = 1) => new() { NumShards = shards, Version = new Tf.VersionDef { Producer = 1 } };

    private static Tf.BundleEntryProto Entry(Tf.DataType dtype, long size, params long[] dims)
    {
        var entry = new Tf.BundleEntryProto { Dtype = dtype, Shape = new Tf.TensorShapeProto(), Size = size };
        foreach (var d in dims) entry.Shape.Dim.Add(new Tf.TensorShapeProto.Types.Dim { Size = d });
        return entry;
    }

    /// <summary>Writes an index of the given (key, value) pairs and a data file of <paramref name="data"/>.</summary>
    private string Write(IEnumerable<(string Key, byte[] Value)> entries, byte[]? data = null)
    {
        using (var file = File.Create(Prefix + ".index"))
        {
            var table = new TableBuilder(file);
            foreach (var (k, v) in entries) table.Add(System.Text.Encoding.UTF8.GetBytes(k), v);
            table.Finish();
        }
        File.WriteAllBytes(Prefix + ".data-00000-of-00001", data ?? new byte[16]);
        return Prefix + ".index";
    }

    private string Write(Tf.BundleHeaderProto header, params (string Key, Tf.BundleEntryProto Entry)[] entries) =>
        Write(new[] { ("", header.ToByteArray()) }.Concat(entries.Select(e => (e.Key, e.Entry.ToByteArray()))));

    [Fact]
    public void BadHeadersAreRefused()
    {
        var index = Write([("w", Entry(Tf.DataType.DtFloat, 4).ToByteArray())]);
        Assert.Contains($"{index}: the checkpoint index has no header entry", Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix)).Message);

        Write([("", [0xff, 0xff])]);
        Assert.Contains("Entry for key  not parseable", Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix)).Message);

        Write(Header(0));
        Assert.Contains("says 0 data shards", Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix)).Message);

        var big = Header();
        big.Endianness = Tf.BundleHeaderProto.Types.Endianness.Big;
        Write(big);
        Assert.Contains("big-endian", Assert.Throws<UnimplementedError>(() => new CheckpointReader(Prefix)).Message);

        var newer = Header();
        newer.Version.MinConsumer = 2;
        Write(newer);
        var e = Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix));
        Assert.Contains(index, e.Message);
        Assert.Contains("min consumer version 2 is above the current version 1", e.Message);

        var bad = Header();
        bad.Version.BadConsumers.Add(1);
        Write(bad);
        Assert.Contains("disallows consumer version 1", Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix)).Message);

        var old = Header();
        old.Version.Producer = -1;
        Write(old);
        Assert.Contains("producer version -1", Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix)).Message);
    }

    [Fact]
    public void BadEntriesAreRefusedNamingTheTensor()
    {
        var index = Write([("", Header().ToByteArray()), ("w", [0x0a, 0x05])]);
        var parse = Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix));
        Assert.Contains($"{index}: Entry for key w not parseable", parse.Message);

        var sliced = Entry(Tf.DataType.DtFloat, 0, 4);
        sliced.Slices.Add(new Tf.TensorSliceProto());
        var wrongShard = Entry(Tf.DataType.DtFloat, 4);
        wrongShard.ShardId = 3;
        Write(Header(),
            ("complex", Entry(Tf.DataType.DtComplex64, 8)),
            ("negative", Entry(Tf.DataType.DtFloat, 4, -1)),
            ("short", Entry(Tf.DataType.DtDouble, 4)),
            ("sliced", sliced),
            ("strings", Entry(Tf.DataType.DtString, 2, 3)),
            ("wrong_shard", wrongShard));
        var reader = new CheckpointReader(Prefix);
        var complex = Assert.Throws<UnimplementedError>(() => reader.get_tensor("complex"));
        Assert.Contains("tensor 'complex' is complex64, which SharpFlow has no values of", complex.Message);
        Assert.Contains(index, complex.Message);
        Assert.Throws<UnimplementedError>(() => reader.get_variable_to_dtype_map());
        Assert.Contains("'negative' has an invalid shape [-1]", Assert.Throws<DataLossError>(() => reader.get_tensor("negative")).Message);
        Assert.Contains("'short' of float64 [] needs 8 bytes, its entry says 4", Assert.Throws<DataLossError>(() => reader.get_tensor("short")).Message);
        Assert.Contains("'sliced' is partitioned into 1 slices", Assert.Throws<UnimplementedError>(() => reader.get_tensor("sliced")).Message);
        Assert.Contains("'strings' of 3 strings cannot fit in 2 bytes", Assert.Throws<DataLossError>(() => reader.get_tensor("strings")).Message);
        Assert.Contains("'wrong_shard' is in shard 3 of 1", Assert.Throws<DataLossError>(() => reader.get_tensor("wrong_shard")).Message);
    }

    [Fact]
    public void AMissingShardIsNotFoundNamingIt()
    {
        var second = Entry(Tf.DataType.DtFloat, 4);
        second.ShardId = 1;
        Write(Header(2), ("a", Entry(Tf.DataType.DtFloat, 4)), ("b", second));
        var reader = new CheckpointReader(Prefix);
        Assert.Contains(Prefix + ".data-00001-of-00002", Assert.Throws<NotFoundError>(() => reader.get_tensor("b")).Message);
    }

    [Fact]
    public void ATensorPastTheEndOfItsShardIsTruncation()
    {
        var entry = Entry(Tf.DataType.DtInt64, 8, 1);
        entry.Offset = 12;
        Write(Header(), ("step", entry));
        var e = Assert.Throws<DataLossError>(() => new CheckpointReader(Prefix).get_tensor("step"));
        Assert.Contains(Prefix + ".data-00000-of-00001", e.Message);
        Assert.Contains("past the end of the 16-byte file", e.Message);
    }
}
