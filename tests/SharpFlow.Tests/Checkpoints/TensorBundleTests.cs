using System.Text;
using SharpFlow.Checkpoints;

namespace SharpFlow.Tests.Checkpoints;

/// <summary>
/// TensorFlow's checkpoint format V2: SharpFlow's reader on the bytes TensorFlow wrote, SharpFlow's writer checked by an
/// independent reader and against TensorFlow's bytes, and corrupt files.
/// </summary>
public sealed class TensorBundleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-bundle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Prefix(string name = "model.ckpt") => Path.Combine(_dir, name);

    [Fact]
    public void ReadsTheCheckpointTensorFlowWrote()
    {
        var (w, b) = TfFiles.FrozenValues();
        foreach (var prefix in new[] { TfFiles.CheckpointPrefix, TfFiles.SavedModelVariables })
        {
            var reader = tf.train.NewCheckpointReader(prefix);
            Assert.Equal(new[] { "W", "b" }, reader.Names);
            Assert.True(reader.has_tensor("W"));
            Assert.False(reader.has_tensor("W/read"));
            Assert.Equal(Shape.Scalar, reader.get_variable_to_shape_map()["W"]);
            Assert.Equal(DType.float32, reader.get_variable_to_dtype_map()["b"]);
            var wValue = reader.get_tensor("W");
            Assert.Equal(DType.float32, wValue.dtype);
            Assert.Equal(0, wValue.ndim);
            Assert.Equal(w, wValue.item<float>());
            Assert.Equal(b, reader.get_tensor("b").item<float>());
            Assert.Equal("W (float) []\nb (float) []\n", reader.debug_string());
        }
        // The values the frozen graph holds, as TensorFlow printed them.
        Assert.Equal(0.21396178f, w);
    }

    [Fact]
    public void TheIndependentReaderAgreesOnTensorFlowsFile()
    {
        var bundle = IndependentTableReader.ReadBundle(TfFiles.CheckpointPrefix);
        Assert.Equal(new[] { "W", "b" }, bundle.Keys);
        Assert.Equal(1, bundle["W"].Entry.Dtype);
        Assert.Empty(bundle["W"].Entry.Shape);
        Assert.Equal(4, bundle["b"].Entry.Offset);
    }

    [Fact]
    public void RewritingTensorFlowsCheckpointGivesItsBytes()
    {
        var reader = tf.train.NewCheckpointReader(TfFiles.CheckpointPrefix);
        using (var writer = new BundleWriter(Prefix()))
        {
            foreach (var name in reader.Names) writer.Add(name, reader.get_tensor(name));
            writer.Finish();
        }
        Assert.Equal(File.ReadAllBytes(TfFiles.CheckpointPrefix + ".index"), File.ReadAllBytes(Prefix() + ".index"));
        Assert.Equal(File.ReadAllBytes(TfFiles.CheckpointPrefix + ".data-00000-of-00001"), File.ReadAllBytes(Prefix() + ".data-00000-of-00001"));
        Assert.Empty(Directory.GetFiles(_dir, ".*tmp*")); // no temporary files left behind
    }

    private static Dictionary<string, NDArray> EveryDType() => new()
    {
        ["a/float"] = NDArray.FromArray(new float[,] { { 1.5f, -2 }, { float.NaN, float.PositiveInfinity } }),
        ["a/double"] = NDArray.FromArray(new[] { Math.PI, -0.0, double.MaxValue }),
        ["int32"] = NDArray.FromArray(new[] { int.MinValue, 0, int.MaxValue }),
        ["int64"] = NDArray.Scalar(long.MinValue + 7),
        ["uint8"] = NDArray.FromArray(new byte[] { 0, 128, 255 }),
        ["bool"] = NDArray.FromArray(new[,] { { true, false, true } }),
        ["strings"] = new NDArray(new[] { Encoding.UTF8.GetBytes("hello"), Array.Empty<byte>(), Encoding.UTF8.GetBytes("wörld"), new byte[300] }, new Shape(2, 2)),
        ["empty"] = NDArray.Zeros(DType.float32, new Shape(0, 3)),
        ["empty_strings"] = NDArray.FromStrings([], new Shape(0)),
        ["global_step"] = NDArray.Scalar(1000L),
    };

    [Fact]
    public void EveryDTypeRoundTripsAndTheIndependentReaderReadsIt()
    {
        var tensors = EveryDType();
        using (var writer = new BundleWriter(Prefix()))
        {
            foreach (var (k, v) in tensors) writer.Add(k, v);
            writer.Finish();
        }
        var reader = new CheckpointReader(Prefix());
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), reader.Names);
        foreach (var (k, v) in tensors)
        {
            var back = reader.get_tensor(k);
            Assert.Equal(v.dtype, back.dtype);
            Assert.Equal(v.shape, back.shape);
            if (v.dtype == DType.@string)
                for (var i = 0; i < v.size; i++) Assert.Equal(v.StringBytes(i), back.StringBytes(i));
            else Assert.Equal(v.AsBytes().ToArray(), back.AsBytes().ToArray());
        }

        var independent = IndependentTableReader.ReadBundle(Prefix());
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), independent.Keys);
        var dtypes = new Dictionary<string, int> { ["a/float"] = 1, ["a/double"] = 2, ["int32"] = 3, ["uint8"] = 4, ["strings"] = 7, ["int64"] = 9, ["bool"] = 10 };
        foreach (var (k, code) in dtypes) Assert.Equal(code, independent[k].Entry.Dtype);
        Assert.Equal(new long[] { 2, 2 }, independent["strings"].Entry.Shape);
        Assert.Equal(new long[] { 0, 3 }, independent["empty"].Entry.Shape);
        Assert.Equal(BitConverter.GetBytes(long.MinValue + 7), independent["int64"].Data);
        Assert.Equal(new byte[] { 1, 0, 1 }, independent["bool"].Data);
        // Strings: varint lengths 5, 0, 6, 300 (2 bytes), the masked CRC of the lengths, then the bytes.
        var s = independent["strings"].Data;
        Assert.Equal(new byte[] { 5, 0, 6, 0xAC, 0x02 }, s[..5]);
        Assert.Equal("hello", Encoding.UTF8.GetString(s, 9, 5));
        Assert.Equal(5 + 4 + 5 + 6 + 300, s.Length);
    }

    [Fact]
    public void ManyTensorsSpanSeveralDataBlocksWithShortenedIndexKeys()
    {
        // 256 KiB blocks: 12,000 entries with long names need several, and the index block's keys are separators.
        var names = Enumerable.Range(0, 12000).Select(i => $"tower_{i % 7}/layer_{i:D5}/some/long/variable/name/weights").ToList();
        using (var writer = new BundleWriter(Prefix()))
        {
            foreach (var (n, i) in names.Select((n, i) => (n, i))) writer.Add(n, NDArray.Scalar((float)i));
            writer.Finish();
        }
        var (entries, blocks) = IndependentTableReader.Read(File.ReadAllBytes(Prefix() + ".index"));
        Assert.True(blocks >= 3, $"expected several data blocks, got {blocks}");
        Assert.Equal(names.Count + 1, entries.Count);
        var reader = new CheckpointReader(Prefix());
        Assert.Equal(names.Order(StringComparer.Ordinal), reader.Names);
        Assert.Equal(4321f, reader.get_tensor(names[4321]).item<float>());
    }

    [Fact]
    public void TableBuilderWithSmallBlocksIsReadByBothReaders()
    {
        var stream = new MemoryStream();
        var table = new TableBuilder(stream, blockSize: 64);
        var keys = Enumerable.Range(0, 200).Select(i => Encoding.ASCII.GetBytes($"key{i:D4}")).ToList();
        foreach (var k in keys) table.Add(k, Encoding.ASCII.GetBytes("v" + Encoding.ASCII.GetString(k)));
        // An entry twice the block size closes the block before it (TensorFlow's kOverlyLargeBlockRatio).
        table.Add(Encoding.ASCII.GetBytes("zz"), new byte[200]);
        table.Finish();
        var bytes = stream.ToArray();
        var (entries, blocks) = IndependentTableReader.Read(bytes);
        Assert.True(blocks > 20);
        Assert.Equal(201, entries.Count);
        var ours = TableReader.Read(bytes, "t.index");
        Assert.Equal(entries.Select(e => Convert.ToHexString(e.Key) + Convert.ToHexString(e.Value)), ours.Select(e => Convert.ToHexString(e.Key) + Convert.ToHexString(e.Value)));
    }

    [Fact]
    public void SeparatorsAndSuccessorsFollowTheBytewiseComparator()
    {
        byte[] B(string s) => Encoding.Latin1.GetBytes(s);
        Assert.Equal(B("abd"), TableBuilder.ShortestSeparator(B("abcdef"), B("abzzz")));
        Assert.Equal(B("abc"), TableBuilder.ShortestSeparator(B("abc"), B("abcd"))); // a prefix stays
        Assert.Equal(B("abcx"), TableBuilder.ShortestSeparator(B("abcx"), B("abdy"))); // c+1 == d: no room
        Assert.Equal(B("c"), TableBuilder.ShortSuccessor(B("b")));
        Assert.Equal(B("\u00ff\u0001"), TableBuilder.ShortSuccessor(B("\u00ff\u0000abc")));
        Assert.Equal(B("\u00ff\u00ff"), TableBuilder.ShortSuccessor(B("\u00ff\u00ff")));
    }

    [Fact]
    public void SnappyCompressedBlocksOfOldCheckpointsAreRead()
    {
        // "abcabcabcabcX": literal "abc" (tag (3-1)<<2), copy of 9 bytes at offset 3 (2-byte offset form), literal "X".
        byte[] compressed = [13, 2 << 2, (byte)'a', (byte)'b', (byte)'c', ((9 - 1) << 2) | 2, 3, 0, 0, (byte)'X'];
        Assert.Equal("abcabcabcabcX", Encoding.ASCII.GetString(Snappy.Decompress(compressed, "f")));
        Assert.Contains("corrupted compressed block", Assert.Throws<DataLossError>(() => Snappy.Decompress(compressed.AsSpan(0, compressed.Length - 1), "f")).Message);
        byte[] badOffset = [4, ((4 - 1) << 2) | 2, 9, 0];
        Assert.Throws<DataLossError>(() => Snappy.Decompress(badOffset, "f"));
    }

    private string WriteSample()
    {
        using var writer = new BundleWriter(Prefix());
        foreach (var (k, v) in EveryDType()) writer.Add(k, v);
        writer.Finish();
        return Prefix();
    }

    [Fact]
    public void ATruncatedIndexIsDataLossNamingTheFile()
    {
        var prefix = WriteSample();
        var index = prefix + ".index";
        var bytes = File.ReadAllBytes(index);
        File.WriteAllBytes(index, bytes[..^1]);
        var e = Assert.Throws<DataLossError>(() => new CheckpointReader(prefix));
        Assert.Contains(index, e.Message);
        Assert.Contains("bad magic", e.Message);
        File.WriteAllBytes(index, bytes[..20]);
        Assert.Contains("too short", Assert.Throws<DataLossError>(() => new CheckpointReader(prefix)).Message);
    }

    [Fact]
    public void EveryFlippedBitOfTheIndexIsCaught()
    {
        var prefix = WriteSample();
        var index = prefix + ".index";
        var bytes = File.ReadAllBytes(index);
        // Blocks, trailers, the footer's two handles and its magic; the footer's zero padding is never read, as in TensorFlow.
        var handles = 0;
        for (var n = 0; n < 4; n++) IndependentTableReader.Varint(bytes.AsSpan(bytes.Length - 48), ref handles);
        var checkedBytes = Enumerable.Range(0, bytes.Length - 48 + handles).Concat(Enumerable.Range(bytes.Length - 8, 8));
        foreach (var i in checkedBytes)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[i] ^= 0x10;
            var e = Assert.ThrowsAny<OpError>(() => CheckpointReader.ParseIndex(corrupt, index));
            Assert.True(e is DataLossError, $"byte {i}: {e.GetType().Name}: {e.Message}");
            Assert.Contains(index, e.Message);
        }
    }

    [Fact]
    public void ACorruptBlockIsAChecksumMismatch()
    {
        var prefix = WriteSample();
        var index = prefix + ".index";
        var bytes = File.ReadAllBytes(index);
        bytes[10] ^= 1;
        File.WriteAllBytes(index, bytes);
        Assert.Contains("block checksum mismatch", Assert.Throws<DataLossError>(() => new CheckpointReader(prefix)).Message);
    }

    [Fact]
    public void CorruptOrTruncatedDataIsDataLossNamingTheDataFile()
    {
        var prefix = WriteSample();
        var data = prefix + ".data-00000-of-00001";
        var bytes = File.ReadAllBytes(data);
        var reader = new CheckpointReader(prefix);
        var independent = IndependentTableReader.ReadBundle(prefix);
        foreach (var name in new[] { "a/float", "strings", "int64" })
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[independent[name].Entry.Offset + independent[name].Entry.Size - 1] ^= 0x40;
            File.WriteAllBytes(data, corrupt);
            var e = Assert.Throws<DataLossError>(() => reader.get_tensor(name));
            Assert.Contains(data, e.Message);
            Assert.Contains("Checksum does not match", e.Message);
        }
        // A corrupt string length is caught by the lengths' own checksum.
        var lengths = (byte[])bytes.Clone();
        lengths[independent["strings"].Entry.Offset] = 4;
        File.WriteAllBytes(data, lengths);
        Assert.Contains("length checksum", Assert.Throws<DataLossError>(() => reader.get_tensor("strings")).Message);

        File.WriteAllBytes(data, bytes[..^3]);
        var last = independent.OrderBy(kv => kv.Value.Entry.Offset).Last(kv => kv.Value.Entry.Size > 0).Key;
        var truncated = Assert.Throws<DataLossError>(() => reader.get_tensor(last));
        Assert.Contains(data, truncated.Message);
        Assert.Contains("truncated", truncated.Message);
        File.Delete(data);
        Assert.Contains(data, Assert.Throws<NotFoundError>(() => reader.get_tensor("int32")).Message);
    }

    [Fact]
    public void MissingCheckpointsAndTensorsAreNotFound()
    {
        Assert.Throws<NotFoundError>(() => tf.train.NewCheckpointReader(Prefix("nothing")));
        var reader = new CheckpointReader(WriteSample());
        Assert.Contains("Key nope not found in checkpoint", Assert.Throws<NotFoundError>(() => reader.get_tensor("nope")).Message);
    }

    [Fact]
    public void DuplicateKeysAndAbandonedWritesLeaveNoFiles()
    {
        using (var writer = new BundleWriter(Prefix()))
        {
            writer.Add("a", NDArray.Scalar(1f));
            Assert.Contains("duplicate key: a", Assert.Throws<InvalidArgumentError>(() => writer.Add("a", NDArray.Scalar(2f))).Message);
        }
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
