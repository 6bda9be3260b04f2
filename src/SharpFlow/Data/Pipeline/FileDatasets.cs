using SharpFlow.FileIO;
using System.IO.Compression;
using System.Text;
using SharpFlow.Framework;
using SharpFlow.Summaries;

namespace SharpFlow.Data.Pipeline;

/// <summary>The records of files, one file after another, each record a scalar string.</summary>
internal abstract class FileRecordDataset(string[] filenames, string compression, string opName) : DatasetBase([DType.@string], [Shape.Scalar])
{
    protected string OpName => opName;

    /// <summary>The records of one opened (decompressed) file.</summary>
    protected abstract IEnumerable<byte[]> Records(Stream stream, string filename);

    public override IElementIterator MakeIterator() => new EnumeratorIterator(All().GetEnumerator());

    private IEnumerable<NDArray[]> All()
    {
        foreach (var filename in filenames)
        {
            if (!File.Exists(filename)) throw new NotFoundError($"{filename}; No such file or directory", opName);
            using var file = File.OpenRead(filename);
            using var stream = Decompressed(file, compression, opName);
            IEnumerator<byte[]> records;
            try { records = Records(stream, filename).GetEnumerator(); }
            catch (OpError e) when (e.NodeName is null) { throw Named(e); }
            using (records)
                while (true)
                {
                    bool more;
                    try { more = records.MoveNext(); }
                    catch (OpError e) when (e.NodeName is null) { throw Named(e); }
                    catch (Exception e) when (e is InvalidDataException || (e is IOException && e.GetType().Name == "ZLibException")) { throw new DataLossError($"{filename}: {e.Message}", opName); }
                    if (!more) break;
                    yield return [new NDArray(new[] { records.Current }, Shape.Scalar)];
                }
        }
    }

    private OpError Named(OpError e) => e switch
    {
        DataLossError => new DataLossError(e.RawMessage, opName),
        NotFoundError => new NotFoundError(e.RawMessage, opName),
        _ => new InvalidArgumentError(e.RawMessage, opName),
    };

    private static Stream Decompressed(Stream file, string compression, string opName) => compression switch
    {
        "" => file,
        "GZIP" => new GZipStream(file, CompressionMode.Decompress, leaveOpen: true),
        "ZLIB" => new ZLibStream(file, CompressionMode.Decompress, leaveOpen: true),
        _ => throw new InvalidArgumentError($"Unsupported compression_type: {compression}.", opName),
    };

    /// <summary>Checks a compression type when the dataset op runs.</summary>
    public static string CheckCompression(string compression, string opName) =>
        compression is "" or "GZIP" or "ZLIB" ? compression : throw new InvalidArgumentError($"Unsupported compression_type: {compression}.", opName);
}

/// <summary><c>TFRecordDataset</c>: the records of TFRecord files, CRCs checked.</summary>
internal sealed class TFRecordFileDataset(string[] filenames, string compression, string opName) : FileRecordDataset(filenames, compression, opName)
{
    protected override IEnumerable<byte[]> Records(Stream stream, string filename) => TFRecord.Read(stream, filename);
}

/// <summary><c>TextLineDataset</c>: the lines of text files, without their <c>\n</c> (or <c>\r\n</c>).</summary>
internal sealed class TextLineFileDataset(string[] filenames, string compression, string opName) : FileRecordDataset(filenames, compression, opName)
{
    protected override IEnumerable<byte[]> Records(Stream stream, string filename)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        var line = new MemoryStream();
        var any = false;
        int b;
        while ((b = buffered.ReadByte()) >= 0)
        {
            any = true;
            if (b == '\n')
            {
                yield return Line(line);
                any = false;
                continue;
            }
            line.WriteByte((byte)b);
        }
        if (any) yield return Line(line);
    }

    private static byte[] Line(MemoryStream line)
    {
        var bytes = line.ToArray();
        line.SetLength(0);
        return bytes.Length > 0 && bytes[^1] == '\r' ? bytes[..^1] : bytes;
    }
}

/// <summary>
/// <c>FixedLengthRecordDataset</c>: after <c>header_bytes</c>, records of <c>record_bytes</c> until
/// <c>footer_bytes</c> before the end; a last partial record is dropped, as TensorFlow does.
/// </summary>
internal sealed class FixedLengthFileDataset(string[] filenames, long headerBytes, long recordBytes, long footerBytes, string compression, string opName)
    : FileRecordDataset(filenames, compression, opName)
{
    protected override IEnumerable<byte[]> Records(Stream stream, string filename)
    {
        // The footer is known only at the end of a (possibly compressed) stream: keep one record and the footer ahead.
        var all = new MemoryStream();
        stream.CopyTo(all);
        var data = all.GetBuffer().AsMemory(0, (int)all.Length);
        if (data.Length < headerBytes + footerBytes) yield break;
        var end = data.Length - footerBytes;
        for (var pos = headerBytes; pos + recordBytes <= end; pos += recordBytes)
            yield return data.Slice((int)pos, (int)recordBytes).ToArray();
    }
}

/// <summary>Decoding of the file-name input of the file datasets.</summary>
internal static class FileNames
{
    public static string[] Of(NDArray value, string opName)
    {
        if (value.dtype != DType.@string) throw new InvalidArgumentError("`filenames` must be a string scalar or vector.", opName);
        if (value.ndim > 1) throw new InvalidArgumentError("`filenames` must be a scalar or a vector.", opName);
        var names = new string[value.size];
        for (var i = 0; i < names.Length; i++) names[i] = Encoding.UTF8.GetString(value.StringBytes(i));
        return names;
    }
}
