using System.Text;

namespace SharpFlow.Checkpoints;

/// <summary>
/// TensorFlow's <c>checkpoint</c> state file: the newest checkpoint and the ones still kept, in the protobuf text
/// format TensorFlow writes (<c>model_checkpoint_path: "model.ckpt-1000"</c>, one
/// <c>all_model_checkpoint_paths: "…"</c> line per kept checkpoint, oldest first). Paths inside the
/// checkpoint's own directory are written relative to it, as TensorFlow does. The checkpoint utilities read it
/// here; <c>tf.train.CheckpointState</c> is its public form.
/// </summary>
internal static class CheckpointStateFile
{
    /// <summary>The state file's default name.</summary>
    public const string DefaultFileName = "checkpoint";

    /// <summary>The suffix of a checkpoint's index file (TensorFlow's V2 format).</summary>
    public const string IndexExtension = ".index";

    /// <summary>The suffix of a safetensors checkpoint.</summary>
    public const string SafetensorsExtension = ".safetensors";

    /// <summary>Reads <paramref name="directory"/>/<paramref name="fileName"/>; null when there is none.</summary>
    public static (string Latest, List<string> All)? Read(string directory, string fileName = DefaultFileName)
    {
        var path = Path.Combine(directory, fileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), directory, path) : null;
    }

    /// <summary>Whether a checkpoint of either format exists under <paramref name="prefix"/>.</summary>
    public static bool CheckpointExists(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return File.Exists(prefix + IndexExtension) || File.Exists(prefix + SafetensorsExtension);
    }

    /// <summary>
    /// Parses the text of a state file; relative paths are taken inside <paramref name="directory"/>, and
    /// <paramref name="path"/> names the file in errors.
    /// </summary>
    public static (string Latest, List<string> All) Parse(string text, string directory, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? latest = null;
        var all = new List<string>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) throw new DataLossError($"{path}:{number}: expected 'key: \"value\"', found '{raw}'");
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "model_checkpoint_path": latest = Unquote(value, path, number); break;
                case "all_model_checkpoint_paths": all.Add(Unquote(value, path, number)); break;
                case "all_model_checkpoint_timestamps" or "last_preserved_timestamp": break; // written by newer TensorFlow
                default: throw new DataLossError($"{path}:{number}: unknown field '{key}'");
            }
        }
        if (latest is null) throw new DataLossError($"{path}: no model_checkpoint_path");
        return (Absolute(directory, latest), all.Select(p => Absolute(directory, p)).ToList());
    }

    /// <summary>Writes the state file atomically (a temporary file renamed over the old one).</summary>
    public static void Write(string directory, string fileName, string latest, IReadOnlyList<string> all)
    {
        var text = new StringBuilder();
        text.Append("model_checkpoint_path: ").Append(Quote(Relative(directory, latest))).Append('\n');
        foreach (var p in all)
            text.Append("all_model_checkpoint_paths: ").Append(Quote(Relative(directory, p))).Append('\n');
        var path = Path.Combine(directory, fileName);
        var temp = Path.Combine(directory, $".{fileName}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(Encoding.UTF8.GetBytes(text.ToString()));
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

    private static string Absolute(string directory, string path) => Path.IsPathRooted(path) ? path : Path.Combine(directory, path);

    private static string Relative(string directory, string path) =>
        string.Equals(Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(path))!), Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
            ? Path.GetFileName(path)
            : path;

    /// <summary>Protobuf text format's string quoting: C escapes, non-ASCII UTF-8 bytes as octal (as TensorFlow writes).</summary>
    private static string Quote(string s)
    {
        var result = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            switch (b)
            {
                case (byte)'\\': result.Append("\\\\"); break;
                case (byte)'"': result.Append("\\\""); break;
                case (byte)'\n': result.Append("\\n"); break;
                case (byte)'\r': result.Append("\\r"); break;
                case (byte)'\t': result.Append("\\t"); break;
                default:
                    if (b is >= 0x20 and < 0x7F) result.Append((char)b);
                    else result.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    break;
            }
        }
        return result.Append('"').ToString();
    }

    /// <summary>Reads a quoted string with C escapes (octal and hex bytes decoded as UTF-8).</summary>
    private static string Unquote(string s, string path, int line)
    {
        if (s.Length < 2 || s[0] is not ('"' or '\'') || s[^1] != s[0]) throw new DataLossError($"{path}:{line}: expected a quoted string, found '{s}'");
        var bytes = new List<byte>();
        for (var i = 1; i < s.Length - 1; i++)
        {
            if (s[i] != '\\')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
                continue;
            }
            if (++i >= s.Length - 1) throw new DataLossError($"{path}:{line}: a string ends in a lone backslash");
            var c = s[i];
            if (c is >= '0' and <= '7')
            {
                var end = i;
                while (end < s.Length - 1 && end < i + 3 && s[end] is >= '0' and <= '7') end++;
                bytes.Add((byte)Convert.ToInt32(s[i..end], 8));
                i = end - 1;
            }
            else if (c == 'x')
            {
                var end = i + 1;
                while (end < s.Length - 1 && end < i + 3 && Uri.IsHexDigit(s[end])) end++;
                if (end == i + 1) throw new DataLossError($"{path}:{line}: \\x without hex digits");
                bytes.Add((byte)Convert.ToInt32(s[(i + 1)..end], 16));
                i = end - 1;
            }
            else bytes.Add(c switch { 'n' => (byte)'\n', 'r' => (byte)'\r', 't' => (byte)'\t', 'a' => 7, 'b' => 8, 'f' => 12, 'v' => 11, _ => (byte)c });
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
