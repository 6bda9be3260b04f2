using SharpFlow.Summaries;

namespace SharpFlow.FileIO;

/// <summary>
/// <c>tf.python_io.TFRecordWriter</c>: writes records to a TFRecord file (compressed as its options say).
/// Dispose it (or call <see cref="close"/>) to finish the file.
/// </summary>
public sealed class TFRecordWriter : IDisposable
{
    private readonly Stream _file;
    private Stream? _stream;

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    public TFRecordWriter(string path, TFRecordOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        this.path = path;
        try
        {
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new NotFoundError($"{path}; No such file or directory", null, e);
        }
        _stream = TFRecord.OpenWrite(_file, TFRecordOptions.get_compression_type_string(options), options?.compression_level ?? -1);
    }

    /// <summary>The file's path.</summary>
    public string path { get; }

    /// <summary>Appends one record.</summary>
    public void write(ReadOnlySpan<byte> record)
    {
        if (_stream is null) throw new FailedPreconditionError($"{path}: the TFRecordWriter is closed");
        TFRecord.Write(_stream, record);
    }

    /// <summary>Appends one record holding the UTF-8 bytes of <paramref name="record"/>.</summary>
    public void write(string record) => write(System.Text.Encoding.UTF8.GetBytes(record ?? throw new ArgumentNullException(nameof(record))));

    /// <summary>Pushes buffered records to the file (a compressed stream is flushed at its current block).</summary>
    public void flush()
    {
        _stream?.Flush();
        _file.Flush();
    }

    /// <summary>Finishes and closes the file.</summary>
    public void close()
    {
        if (_stream is null) return;
        _stream.Dispose();
        _file.Dispose();
        _stream = null;
    }

    /// <summary>Same as <see cref="close"/>.</summary>
    public void Dispose() => close();
}
