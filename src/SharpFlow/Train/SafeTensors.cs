using System.Buffers.Binary;
using System.Text.Json;
using SharpFlow.Framework;

namespace SharpFlow.Train;

/// <summary>
/// The safetensors file format (a public spec other tools read): an 8-byte little-endian header length, a JSON
/// header mapping each tensor's name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets into
/// the data that follows, which the tensors cover without holes) plus an optional <c>__metadata__</c> map of
/// strings, then the raw little-endian data. Writes go to a temporary file in the same directory that is flushed
/// to disk and then renamed over the target, so a crash never leaves a half-written file under the name. Reads
/// check every field before trusting it; a bad file is a <see cref="DataLossError"/> naming the file and tensor.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100_000_000;

    private static string Code(DType d) => d.Id switch
    {
        DataType.Float => "F32",
        DataType.Double => "F64",
        DataType.Int32 => "I32",
        DataType.Int64 => "I64",
        DataType.UInt8 => "U8",
        DataType.UInt16 => "U16",
        DataType.Int8 => "I8",
        DataType.Int16 => "I16",
        DataType.UInt32 => "U32",
        DataType.UInt64 => "U64",
        DataType.Half => "F16",
        DataType.Bool => "BOOL",
        _ => throw new TypeError($"safetensors holds numbers and booleans, not {d.name} tensors"),
    };

    private static DType? FromCode(string? code) => code switch
    {
        "F32" => DType.float32,
        "F64" => DType.float64,
        "I32" => DType.int32,
        "I64" => DType.int64,
        "U8" => DType.uint8,
        "U16" => DType.uint16,
        "I8" => DType.int8,
        "I16" => DType.int16,
        "U32" => DType.uint32,
        "U64" => DType.uint64,
        "F16" => DType.float16,
        "BOOL" => DType.@bool,
        _ => null,
    };

    /// <summary>Writes <paramref name="tensors"/> (in name order) and <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, NDArray> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                if (name == "__metadata__") throw new ValueError($"{path}: a tensor may not be named __metadata__");
                var t = tensors[name];
                json.WriteStartObject(name);
                json.WriteString("dtype", Code(t.dtype));
                json.WriteStartArray("shape");
                foreach (var d in t.shape.Dims) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += t.AsBytes().Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // The spec pads the header with spaces to a multiple of 8 bytes.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                file.Write(length);
                header.Position = 0;
                header.CopyTo(file);
                foreach (var name in names) file.Write(tensors[name].AsBytes());
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Reads every tensor of <paramref name="path"/>, with the header's metadata.</summary>
    public static (Dictionary<string, NDArray> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new NotFoundError($"{path}: no such file");
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads every tensor of a safetensors file's bytes; <paramref name="path"/> names it in errors.</summary>
    public static (Dictionary<string, NDArray> Tensors, Dictionary<string, string> Metadata) Parse(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 8) throw new DataLossError($"{path}: truncated safetensors file ({bytes.Length} bytes, the header length alone takes 8)");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
            throw new DataLossError($"{path}: header length {headerLength} does not fit a file of {bytes.Length} bytes");
        var dataStart = 8 + (long)headerLength;
        var dataLength = bytes.Length - dataStart;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw new DataLossError($"{path}: corrupt safetensors header: {e.Message}", null, e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new DataLossError($"{path}: the safetensors header is not a JSON object");
            var tensors = new Dictionary<string, NDArray>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var ranges = new List<(long Begin, long End, string Name)>();
            foreach (var entry in Entries(doc.RootElement, path))
            {
                if (entry.Name == "__metadata__")
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object) throw new DataLossError($"{path}: __metadata__ is not an object");
                    foreach (var m in entry.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw new DataLossError($"{path}: metadata '{m.Name}' is not a string");
                    continue;
                }
                if (tensors.ContainsKey(entry.Name)) throw new DataLossError($"{path}: tensor '{entry.Name}' is listed twice in the header");
                var (dtype, shape, begin, end, expected) = Entry(path, entry);
                if (begin < 0 || end < begin || end > dataLength)
                    throw new DataLossError($"{path}: tensor '{entry.Name}' has data offsets [{begin}, {end}] outside the {dataLength} data bytes (truncated file?)");
                if (end - begin != expected)
                    throw new DataLossError($"{path}: tensor '{entry.Name}' of {dtype.name} {shape} needs {expected} bytes, its offsets give {end - begin}");
                var value = NDArray.Zeros(dtype, shape);
                bytes.AsSpan((int)(dataStart + begin), (int)expected).CopyTo(value.AsWritableBytes());
                if (dtype == DType.@bool)
                    foreach (var b in value.AsBytes())
                        if (b > 1) throw new DataLossError($"{path}: tensor '{entry.Name}' holds a bool byte {b}");
                tensors[entry.Name] = value;
                ranges.Add((begin, end, entry.Name));
            }
            long covered = 0;
            foreach (var (begin, end, name) in ranges.OrderBy(r => r.Begin).ThenBy(r => r.End))
            {
                if (begin != covered) throw new DataLossError($"{path}: tensor '{name}' starts at byte {begin}, expected {covered} (overlapping or holes in the data)");
                covered = end;
            }
            if (covered != dataLength) throw new DataLossError($"{path}: {dataLength - covered} data bytes after the last tensor belong to none");
            return (tensors, metadata);
        }
    }

    /// <summary>
    /// The header's entries, names and metadata decoded: JsonDocument checks UTF-8 only when a string is read, so a
    /// corrupt name or value is found here, before any tensor is read.
    /// </summary>
    private static List<JsonProperty> Entries(JsonElement root, string path)
    {
        var entries = root.EnumerateObject().ToList();
        try
        {
            foreach (var entry in entries)
            {
                _ = entry.Name;
                if (entry.Name == "__metadata__" && entry.Value.ValueKind == JsonValueKind.Object)
                    foreach (var m in entry.Value.EnumerateObject())
                        _ = (m.Name, m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString() : null);
            }
        }
        catch (InvalidOperationException e)
        {
            throw new DataLossError($"{path}: the safetensors header holds a string that is not valid UTF-8", null, e);
        }
        return entries;
    }

    private static (DType, Shape, long, long, long) Entry(string path, JsonProperty entry)
    {
        try
        {
            var v = entry.Value;
            var code = v.GetProperty("dtype").GetString();
            var dtype = FromCode(code) ?? throw new DataLossError($"{path}: tensor '{entry.Name}' has dtype '{code}', which SharpFlow does not read");
            var dims = v.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            if (dims.Any(d => d < 0)) throw new DataLossError($"{path}: tensor '{entry.Name}' has a negative dimension: [{string.Join(", ", dims)}]");
            var offsets = v.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            if (offsets.Length != 2) throw new DataLossError($"{path}: tensor '{entry.Name}' needs two data offsets");
            var shape = new Shape(dims);
            return (dtype, shape, offsets[0], offsets[1], checked(shape.NumElements * dtype.size));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or ValueError)
        {
            throw new DataLossError($"{path}: tensor '{entry.Name}' has a malformed header entry: {e.Message}", null, e);
        }
    }
}
