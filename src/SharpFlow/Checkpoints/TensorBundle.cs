using SharpFlow.FileIO;
using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using SharpFlow.Summaries;
using TfDataType = Tensorflow.DataType;

namespace SharpFlow.Checkpoints;

/// <summary>
/// TensorFlow's checkpoint format V2 (tensorflow/core/util/tensor_bundle): a prefix names the files
/// <c>PREFIX.index</c>, a table (<see cref="TableBuilder"/>) mapping the empty key to a <c>BundleHeaderProto</c> and
/// each tensor's name to a <c>BundleEntryProto</c> (dtype, shape, shard, offset, size, masked CRC-32C), and the data
/// shards <c>PREFIX.data-0000K-of-0000N</c> holding the tensors' bytes: little-endian values, or for strings the
/// varint32 lengths, a masked CRC-32C of those lengths (as uint32s) and the bytes.
/// </summary>
internal static class TensorBundle
{
    /// <summary>kTensorBundleVersion: the producer version written, and the newest consumer version read.</summary>
    public const int Version = 1;

    /// <summary>The index file of <paramref name="prefix"/>.</summary>
    public static string IndexFile(string prefix) => prefix + ".index";

    /// <summary>Data shard <paramref name="shard"/> of <paramref name="shards"/>.</summary>
    public static string DataFile(string prefix, int shard, int shards) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}.data-{shard:D5}-of-{shards:D5}");

    /// <summary>TensorFlow's DataType of a SharpFlow dtype that a bundle can hold.</summary>
    public static TfDataType ToProto(DType dtype) => dtype.Id switch
    {
        DataType.Float => TfDataType.DtFloat,
        DataType.Double => TfDataType.DtDouble,
        DataType.Int32 => TfDataType.DtInt32,
        DataType.Int64 => TfDataType.DtInt64,
        DataType.UInt8 => TfDataType.DtUint8,
        DataType.UInt16 => TfDataType.DtUint16,
        DataType.Int8 => TfDataType.DtInt8,
        DataType.Int16 => TfDataType.DtInt16,
        DataType.UInt32 => TfDataType.DtUint32,
        DataType.UInt64 => TfDataType.DtUint64,
        DataType.Half => TfDataType.DtHalf,
        DataType.Bool => TfDataType.DtBool,
        DataType.String => TfDataType.DtString,
        _ => throw new TypeError($"A TensorFlow checkpoint holds numbers, booleans and strings, not {dtype.name} tensors"),
    };

    /// <summary>The SharpFlow dtype of a bundle entry's DataType, or null for one SharpFlow has no values of.</summary>
    public static DType? FromProto(TfDataType dtype) => dtype switch
    {
        TfDataType.DtFloat => DType.float32,
        TfDataType.DtDouble => DType.float64,
        TfDataType.DtInt32 => DType.int32,
        TfDataType.DtInt64 => DType.int64,
        TfDataType.DtUint8 => DType.uint8,
        TfDataType.DtUint16 => DType.uint16,
        TfDataType.DtInt8 => DType.int8,
        TfDataType.DtInt16 => DType.int16,
        TfDataType.DtUint32 => DType.uint32,
        TfDataType.DtUint64 => DType.uint64,
        TfDataType.DtHalf => DType.float16,
        TfDataType.DtBool => DType.@bool,
        TfDataType.DtString => DType.@string,
        _ => null,
    };

    /// <summary>TensorFlow's name of a DataType (<c>float</c>, <c>int16</c>...), for messages about types SharpFlow lacks.</summary>
    public static string Name(TfDataType dtype) => dtype switch
    {
        TfDataType.DtFloat => "float",
        TfDataType.DtDouble => "double",
        _ => dtype.ToString().Replace("Dt", "", StringComparison.Ordinal).ToLowerInvariant(),
    };
}

/// <summary>
/// Writes a checkpoint as TensorFlow's <c>BundleWriter</c> does (one shard, entries sorted by name, the header under
/// the empty key), byte for byte. The data file and then the index are written under temporary names, flushed to
/// disk and renamed, so a crash never leaves a half-written checkpoint under the prefix: the index, renamed last,
/// appears only when the data is complete.
/// </summary>
internal sealed class BundleWriter : IDisposable
{
    private readonly string _prefix;
    private readonly string _dataTemp;
    private readonly FileStream _data;
    private readonly SortedDictionary<byte[], Tensorflow.BundleEntryProto> _entries = new(ByteComparer.Instance);
    private long _size;
    private bool _finished;

    public BundleWriter(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        _prefix = prefix;
        var directory = Path.GetDirectoryName(Path.GetFullPath(prefix))!;
        Directory.CreateDirectory(directory);
        _dataTemp = TempName(TensorBundle.DataFile(prefix, 0, 1));
        _data = new FileStream(_dataTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>Appends <paramref name="value"/> under <paramref name="key"/>.</summary>
    public void Add(string key, NDArray value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Length == 0) throw new ValueError("A checkpoint tensor needs a name (the empty key holds the bundle's header)");
        var keyBytes = Encoding.UTF8.GetBytes(key);
        if (_entries.ContainsKey(keyBytes)) throw new InvalidArgumentError($"Adding duplicate key: {key}");
        var entry = new Tensorflow.BundleEntryProto { Dtype = TensorBundle.ToProto(value.dtype), Shape = new Tensorflow.TensorShapeProto(), Offset = _size };
        foreach (var d in value.shape.Dims) entry.Shape.Dim.Add(new Tensorflow.TensorShapeProto.Types.Dim { Size = d });
        uint crc;
        long written;
        if (value.dtype == DType.@string)
        {
            (written, crc) = WriteStrings(value);
        }
        else
        {
            var bytes = value.AsBytes();
            _data.Write(bytes);
            written = bytes.Length;
            crc = TableFormat.Extend(0, bytes);
        }
        entry.Size = written;
        entry.Crc32C = Crc32C.Mask(crc);
        _size += written;
        _entries.Add(keyBytes, entry);
    }

    private (long, uint) WriteStrings(NDArray value)
    {
        var strings = (byte[][])value.Storage;
        var lengths = new MemoryStream();
        uint crc = 0;
        Span<byte> four = stackalloc byte[4];
        foreach (var s in strings)
        {
            TableFormat.PutVarint(lengths, (ulong)(uint)s.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)s.Length);
            crc = TableFormat.Extend(crc, four);
        }
        _data.Write(lengths.GetBuffer().AsSpan(0, (int)lengths.Length));
        long written = lengths.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(four, Crc32C.Mask(crc));
        _data.Write(four);
        crc = TableFormat.Extend(crc, four);
        written += 4;
        foreach (var s in strings)
        {
            _data.Write(s);
            crc = TableFormat.Extend(crc, s);
            written += s.Length;
        }
        return (written, crc);
    }

    /// <summary>Writes the index and puts both files in place.</summary>
    public void Finish()
    {
        if (_finished) throw new InvalidOperationException("BundleWriter is closed");
        _finished = true;
        var indexTemp = TempName(TensorBundle.IndexFile(_prefix));
        try
        {
            _data.Flush(flushToDisk: true);
            _data.Dispose();
            using (var index = new FileStream(indexTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteIndex(index);
                index.Flush(flushToDisk: true);
            }
            File.Move(_dataTemp, TensorBundle.DataFile(_prefix, 0, 1), overwrite: true);
            File.Move(indexTemp, TensorBundle.IndexFile(_prefix), overwrite: true);
        }
        catch
        {
            Delete(indexTemp);
            Delete(_dataTemp);
            throw;
        }
    }

    /// <summary>The index table of the entries added so far (header first, then the entries in key order).</summary>
    internal void WriteIndex(Stream output)
    {
        var table = new TableBuilder(output);
        var header = new Tensorflow.BundleHeaderProto
        {
            NumShards = 1,
            Endianness = Tensorflow.BundleHeaderProto.Types.Endianness.Little,
            Version = new Tensorflow.VersionDef { Producer = TensorBundle.Version },
        };
        table.Add([], header.ToByteArray());
        foreach (var (key, entry) in _entries) table.Add(key, entry.ToByteArray());
        table.Finish();
    }

    /// <summary>Abandons an unfinished checkpoint, deleting its temporary data file.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        _data.Dispose();
        Delete(_dataTemp);
    }

    private static string TempName(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");

    private static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Bytewise key order (std::string's, the table comparator's).</summary>
internal sealed class ByteComparer : IComparer<byte[]>
{
    public static readonly ByteComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
