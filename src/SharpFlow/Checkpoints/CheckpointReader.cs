using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using SharpFlow.Summaries;
using TfDataType = Tensorflow.DataType;

namespace SharpFlow.Checkpoints;

/// <summary>
/// <c>tf.train.NewCheckpointReader(prefix)</c>: reads a TensorFlow checkpoint (format V2: <c>PREFIX.index</c> and
/// <c>PREFIX.data-0000K-of-0000N</c>), TensorFlow's own or SharpFlow's. The index is read and checked when the reader
/// is made; each tensor's bytes are read from its shard when asked for, and their CRC-32C checked. A corrupt or
/// truncated file is a <see cref="DataLossError"/> that names it.
/// </summary>
public sealed class CheckpointReader
{
    private readonly Dictionary<string, Tensorflow.BundleEntryProto> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly int _shards;

    /// <summary>Opens the checkpoint <paramref name="prefix"/> (<c>model.ckpt-1000</c>, or its <c>.index</c> file).</summary>
    public CheckpointReader(string prefix) : this(prefix, verifyIndexChecksums: true)
    {
    }

    /// <summary>A reader that may skip the index blocks' CRCs (for the fuzzer; the tensors' CRCs are always checked).</summary>
    internal CheckpointReader(string prefix, bool verifyIndexChecksums)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.EndsWith(".index", StringComparison.Ordinal) && !File.Exists(TensorBundle.IndexFile(prefix))) prefix = prefix[..^".index".Length];
        this.prefix = prefix;
        var index = TensorBundle.IndexFile(prefix);
        if (!File.Exists(index))
            throw new NotFoundError($"Unsuccessful TensorSliceReader constructor: Failed to find any matching files for {prefix} ({index} does not exist)");
        (_shards, var entries) = ParseIndex(File.ReadAllBytes(index), index, verifyIndexChecksums);
        foreach (var (name, entry) in entries)
        {
            _entries[name] = entry;
            _names.Add(name);
        }
    }

    /// <summary>The checkpoint's prefix.</summary>
    public string prefix { get; }

    /// <summary>Whether the checkpoint holds a tensor called <paramref name="tensor_str"/>.</summary>
    public bool has_tensor(string tensor_str) => _entries.ContainsKey(tensor_str ?? throw new ArgumentNullException(nameof(tensor_str)));

    /// <summary>Every tensor's name and shape, in the checkpoint's (sorted) order.</summary>
    public Dictionary<string, Shape> get_variable_to_shape_map()
    {
        var map = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var name in _names) map[name] = ShapeOf(_entries[name], name);
        return map;
    }

    /// <summary>
    /// Every tensor's name and dtype. A tensor of a dtype SharpFlow has no values of (float16, int16...) is an
    /// <see cref="UnimplementedError"/> naming it.
    /// </summary>
    public Dictionary<string, DType> get_variable_to_dtype_map()
    {
        var map = new Dictionary<string, DType>(StringComparer.Ordinal);
        foreach (var name in _names) map[name] = DTypeOf(_entries[name], name);
        return map;
    }

    /// <summary>The tensor names, sorted as in the checkpoint.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>TensorFlow's <c>debug_string()</c>: one line per tensor, <c>name (dtype) [dims]</c>.</summary>
    public string debug_string()
    {
        var text = new StringBuilder();
        foreach (var name in _names)
        {
            var e = _entries[name];
            text.Append(name).Append(" (").Append(TensorBundle.Name(e.Dtype)).Append(") [")
                .Append(string.Join(",", e.Shape?.Dim.Select(d => d.Size) ?? [])).Append("]\n");
        }
        return text.ToString();
    }

    /// <summary>The dtype of the tensor <paramref name="name"/> (which must exist).</summary>
    internal DType DTypeOf(string name) => DTypeOf(_entries[name], name);

    /// <summary>The shape of the tensor <paramref name="name"/> (which must exist).</summary>
    internal Shape ShapeOf(string name) => ShapeOf(_entries[name], name);

    /// <summary>The value of the tensor <paramref name="tensor_str"/>, read from its data shard and checked against its CRC.</summary>
    public NDArray get_tensor(string tensor_str)
    {
        ArgumentNullException.ThrowIfNull(tensor_str);
        if (!_entries.TryGetValue(tensor_str, out var entry))
            throw new NotFoundError($"Key {tensor_str} not found in checkpoint");
        var dtype = DTypeOf(entry, tensor_str);
        var shape = ShapeOf(entry, tensor_str);
        if (entry.Slices.Count > 0)
            throw new UnimplementedError($"{TensorBundle.IndexFile(prefix)}: tensor '{tensor_str}' is partitioned into {entry.Slices.Count} slices, which SharpFlow does not read");
        if (entry.ShardId < 0 || entry.ShardId >= _shards)
            throw new DataLossError($"{TensorBundle.IndexFile(prefix)}: tensor '{tensor_str}' is in shard {entry.ShardId} of {_shards}");
        var file = TensorBundle.DataFile(prefix, entry.ShardId, _shards);
        if (!File.Exists(file)) throw new NotFoundError($"{file}: data file of checkpoint {prefix} not found");
        using var handle = File.OpenHandle(file);
        var length = RandomAccess.GetLength(handle);
        if (entry.Offset < 0 || entry.Size < 0 || entry.Offset > length || entry.Size > length - entry.Offset)
            throw new DataLossError($"{file}: tensor '{tensor_str}' lies at [{entry.Offset}, {entry.Offset + entry.Size}) past the end of the {length}-byte file (truncated?)");
        return dtype == DType.@string
            ? ReadStrings(handle, entry, shape, file, tensor_str)
            : ReadValues(handle, entry, dtype, shape, file, tensor_str);
    }

    private static NDArray ReadValues(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Tensorflow.BundleEntryProto entry, DType dtype, Shape shape, string file, string name)
    {
        long expected;
        try { expected = checked(shape.NumElements * dtype.size); }
        catch (Exception e) when (e is OverflowException or ValueError) { throw new DataLossError($"{file}: tensor '{name}' has a shape {shape.ToListString()} too large for any file", null, e); }
        if (entry.Size != expected)
            throw new DataLossError($"{file}: tensor '{name}' of {dtype.name} {shape.ToListString()} needs {expected} bytes, its entry says {entry.Size}");
        var value = NDArray.Zeros(dtype, shape);
        var bytes = value.AsWritableBytes();
        ReadExactly(handle, bytes, entry.Offset, file, name);
        Check(entry, TableFormat.Extend(0, bytes), file, name);
        if (dtype == DType.@bool)
            foreach (ref var b in bytes)
                if (b > 1) b = 1;
        return value;
    }

    private static NDArray ReadStrings(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Tensorflow.BundleEntryProto entry, Shape shape, string file, string name)
    {
        long count;
        try { count = shape.NumElements; }
        catch (ValueError e) { throw new DataLossError($"{file}: tensor '{name}' has a shape {shape.ToListString()} too large for any file", null, e); }
        if (count == 0 && entry.Size == 0) return new NDArray(System.Array.Empty<byte[]>(), shape);
        // Each string takes at least its one-byte length and the lengths' checksum takes 4 bytes.
        if (entry.Size < count + 4)
            throw new DataLossError($"{file}: tensor '{name}' of {count} strings cannot fit in {entry.Size} bytes");
        if (entry.Size > Array.MaxLength) throw new ResourceExhaustedError($"{file}: tensor '{name}' takes {entry.Size} bytes, more than one buffer holds");
        var raw = new byte[entry.Size];
        ReadExactly(handle, raw, entry.Offset, file, name);
        var strings = new byte[(int)count][];
        var lengths = new uint[(int)count];
        var pos = 0;
        uint crc = 0;
        Span<byte> four = stackalloc byte[4];
        for (var i = 0; i < lengths.Length; i++)
        {
            if (!TableFormat.TryGetVarint(raw, ref pos, 32, out var l))
                throw new DataLossError($"{file}: tensor '{name}': bad string length {i}");
            lengths[i] = (uint)l;
            BinaryPrimitives.WriteUInt32LittleEndian(four, lengths[i]);
            crc = TableFormat.Extend(crc, four);
        }
        if (raw.Length - pos < 4) throw new DataLossError($"{file}: tensor '{name}': String lengths longer than expected offset {entry.Offset + entry.Size}");
        var lengthChecksum = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(pos));
        if (TableFormat.Unmask(lengthChecksum) != crc)
            throw new DataLossError($"{file}: tensor '{name}': The length checksum does not match: expected {TableFormat.Unmask(lengthChecksum)} but actual is {crc}");
        crc = TableFormat.Extend(crc, raw.AsSpan(pos, 4));
        pos += 4;
        for (var i = 0; i < strings.Length; i++)
        {
            if (lengths[i] > (uint)(raw.Length - pos))
                throw new DataLossError($"{file}: tensor '{name}': string {i} of {lengths[i]} bytes runs past the entry's {entry.Size} bytes");
            strings[i] = raw.AsSpan(pos, (int)lengths[i]).ToArray();
            crc = TableFormat.Extend(crc, strings[i]);
            pos += (int)lengths[i];
        }
        if (pos != raw.Length) throw new DataLossError($"{file}: tensor '{name}': {raw.Length - pos} bytes after its strings");
        Check(entry, crc, file, name);
        return new NDArray(strings, shape);
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> destination, long offset, string file, string name)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[done..], offset + done);
            if (n == 0) throw new DataLossError($"{file}: tensor '{name}': Requested {destination.Length} bytes but read {done} bytes");
            done += n;
        }
    }

    private static void Check(Tensorflow.BundleEntryProto entry, uint actual, string file, string name)
    {
        if (TableFormat.Unmask(entry.Crc32C) != actual)
            throw new DataLossError($"{file}: Checksum does not match: stored {TableFormat.Unmask(entry.Crc32C)} vs. calculated on the restored bytes {actual} (tensor '{name}')");
    }

    private DType DTypeOf(Tensorflow.BundleEntryProto entry, string name) => TensorBundle.FromProto(entry.Dtype)
        ?? throw new UnimplementedError($"{TensorBundle.IndexFile(prefix)}: tensor '{name}' is {TensorBundle.Name(entry.Dtype)}, which SharpFlow has no values of");

    private Shape ShapeOf(Tensorflow.BundleEntryProto entry, string name)
    {
        var dims = entry.Shape?.Dim ?? [];
        if (entry.Shape?.UnknownRank == true || dims.Any(d => d.Size < 0 || d.Size > int.MaxValue))
            throw new DataLossError($"{TensorBundle.IndexFile(prefix)}: tensor '{name}' has an invalid shape [{string.Join(",", dims.Select(d => d.Size))}]");
        return new Shape(dims.Select(d => (int)d.Size).ToArray());
    }

    /// <summary>
    /// The header's shard count and the entries of an index file's bytes, checked as TensorFlow's BundleReader does;
    /// <paramref name="path"/> names the file in errors.
    /// </summary>
    internal static (int Shards, List<(string Name, Tensorflow.BundleEntryProto Entry)> Entries) ParseIndex(byte[] bytes, string path, bool verifyChecksums = true)
    {
        var table = TableReader.Read(bytes, path, verifyChecksums);
        if (table.Count == 0 || table[0].Key.Length != 0)
            throw new DataLossError($"{path}: the checkpoint index has no header entry (the empty key)");
        Tensorflow.BundleHeaderProto header;
        try
        {
            header = Tensorflow.BundleHeaderProto.Parser.ParseFrom(table[0].Value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataLossError($"{path}: Entry for key  not parseable (the bundle header): {e.Message}", null, e);
        }
        if (header.NumShards <= 0) throw new DataLossError($"{path}: the bundle header says {header.NumShards} data shards");
        if (header.Endianness != Tensorflow.BundleHeaderProto.Types.Endianness.Little)
            throw new UnimplementedError($"{path}: Reading a big-endian bundle is not supported");
        var version = header.Version ?? new Tensorflow.VersionDef();
        if (version.Producer < 0)
            throw new DataLossError($"{path}: checkpoint producer version {version.Producer} is below the minimum supported version 0");
        if (version.MinConsumer > TensorBundle.Version)
            throw new DataLossError($"{path}: checkpoint min consumer version {version.MinConsumer} is above the current version {TensorBundle.Version}; please upgrade");
        if (version.BadConsumers.Contains(TensorBundle.Version))
            throw new DataLossError($"{path}: checkpoint disallows consumer version {TensorBundle.Version}; please upgrade");
        var entries = new List<(string, Tensorflow.BundleEntryProto)>(table.Count - 1);
        var strict = new UTF8Encoding(false, true);
        for (var i = 1; i < table.Count; i++)
        {
            string name;
            try
            {
                name = strict.GetString(table[i].Key);
            }
            catch (DecoderFallbackException e)
            {
                throw new DataLossError($"{path}: a tensor name is not valid UTF-8", null, e);
            }
            try
            {
                entries.Add((name, Tensorflow.BundleEntryProto.Parser.ParseFrom(table[i].Value)));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new DataLossError($"{path}: Entry for key {name} not parseable: {e.Message}", null, e);
            }
        }
        return (header.NumShards, entries);
    }
}
