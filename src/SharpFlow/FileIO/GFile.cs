using System.Text;

namespace SharpFlow.FileIO;

/// <summary>
/// <c>tf.gfile.GFile</c> (and <c>FastGFile</c>): a file opened with a Python mode ("r", "rb", "w", "wb", "a",
/// "ab"). <see cref="read"/> gives bytes in either mode (what <c>decode_jpeg</c> and <c>ParseFromString</c> take);
/// <see cref="readline"/> and <see cref="readlines"/> give text lines with their newline, as Python does.
/// </summary>
public sealed class GFile : IDisposable
{
    private FileStream? _stream;

    /// <summary>Opens <paramref name="name"/>.</summary>
    public GFile(string name, string mode = "r")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(mode);
        this.name = name;
        this.mode = mode;
        var m = mode.Replace("b", "", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal);
        try
        {
            _stream = m switch
            {
                "r" => File.Exists(name) ? new FileStream(name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)
                    : throw new NotFoundError($"{name}; No such file or directory"),
                "w" => new FileStream(name, FileMode.Create, FileAccess.Write, FileShare.Read),
                "a" => new FileStream(name, FileMode.Append, FileAccess.Write, FileShare.Read),
                _ => throw new ValueError($"mode '{mode}' not supported: use r, rb, w, wb, a or ab"),
            };
        }
        catch (DirectoryNotFoundException e)
        {
            throw new NotFoundError($"{name}; No such file or directory", null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PermissionDeniedError($"{name}; Permission denied", null, e);
        }
    }

    /// <summary>The path.</summary>
    public string name { get; }

    /// <summary>The mode the file was opened with.</summary>
    public string mode { get; }

    private FileStream Stream => _stream ?? throw new FailedPreconditionError($"{name}: the file is closed");

    private FileStream Readable => Stream.CanRead ? Stream : throw new PermissionDeniedError($"File isn't open for reading: {name}");

    private FileStream Writable => Stream.CanWrite ? Stream : throw new PermissionDeniedError($"File isn't open for writing: {name}");

    /// <summary>Up to <paramref name="n"/> bytes from the current position (all the rest when n is -1).</summary>
    public byte[] read(long n = -1)
    {
        var s = Readable;
        var left = s.Length - s.Position;
        var count = (int)System.Math.Min(n < 0 ? left : n, left);
        var buffer = new byte[count];
        s.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>The rest of the file as UTF-8 text.</summary>
    public string read_text() => Encoding.UTF8.GetString(read());

    /// <summary>The next line with its newline, or "" at the end of the file.</summary>
    public string readline()
    {
        var s = Readable;
        var bytes = new List<byte>();
        int b;
        while ((b = s.ReadByte()) >= 0)
        {
            bytes.Add((byte)b);
            if (b == '\n') break;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The remaining lines, each with its newline.</summary>
    public List<string> readlines()
    {
        var lines = new List<string>();
        for (var line = readline(); line.Length > 0; line = readline()) lines.Add(line);
        return lines;
    }

    /// <summary>Writes bytes.</summary>
    public void write(ReadOnlySpan<byte> data) => Writable.Write(data);

    /// <summary>Writes text as UTF-8.</summary>
    public void write(string text) => write(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))));

    /// <summary>The current position in bytes.</summary>
    public long tell() => Stream.Position;

    /// <summary>Moves to byte <paramref name="offset"/>.</summary>
    public void seek(long offset) => Stream.Position = offset;

    /// <summary>The file's size in bytes.</summary>
    public long size() => Stream.Length;

    /// <summary>Pushes written bytes to the file.</summary>
    public void flush() => Stream.Flush();

    /// <summary>Closes the file.</summary>
    public void close()
    {
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>Same as <see cref="close"/>.</summary>
    public void Dispose() => close();
}
