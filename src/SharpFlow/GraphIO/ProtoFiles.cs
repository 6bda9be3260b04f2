using Google.Protobuf;

namespace SharpFlow.GraphIO;

/// <summary>
/// Reading and writing TensorFlow's protocol buffer files: binary (<c>.pb</c>, <c>.meta</c>) or text
/// (<c>.pbtxt</c>), written atomically, serialized deterministically (map entries sorted by key) as TensorFlow's
/// <c>SerializeToString(deterministic=True)</c>.
/// </summary>
public static class ProtoFiles
{
    /// <summary>The message's bytes with map entries in key order, as TensorFlow writes files.</summary>
    public static byte[] SerializeDeterministic(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true) { Deterministic = true };
        message.WriteTo(output);
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a message of type <typeparamref name="T"/> from <paramref name="path"/>: text format for a
    /// <c>.pbtxt</c> or <c>.txt</c> file, or when <paramref name="as_text"/> says so, else binary. Errors name the file.
    /// </summary>
    public static T Read<T>(string path, bool? as_text = null) where T : IMessage<T>, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new NotFoundError($"{path}: no such file");
        var text = as_text ?? (path.EndsWith(".pbtxt", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase));
        try
        {
            if (text) return TextFormat.Parse<T>(File.ReadAllText(path));
            var message = new T();
            message.MergeFrom(File.ReadAllBytes(path));
            return message;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException or InvalidOperationException)
        {
            throw new DataLossError($"{path}: not a valid {(text ? "text" : "binary")} {new T().Descriptor.Name}: {e.Message}", null, e);
        }
    }

    /// <summary>Writes <paramref name="message"/> to <paramref name="path"/> (text format with <paramref name="as_text"/>) through a temporary file and a rename.</summary>
    public static void Write(IMessage message, string path, bool as_text = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temp = path + ".tmp" + Guid.NewGuid().ToString("N");
        try
        {
            if (as_text)
            {
                // Streamed: the text of a graph with a large constant can exceed the longest .NET string.
                using var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
                TextFormat.Print(message, writer);
            }
            else
            {
                File.WriteAllBytes(temp, SerializeDeterministic(message));
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Python's <c>message.ParseFromString(data)</c>: replaces the message's contents with the parsed bytes.</summary>
    public static void ParseFromString(this IMessage message, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(data);
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder()) field.Accessor.Clear(message);
        message.MergeFrom(data);
    }

    /// <summary>Python's <c>message.SerializeToString()</c> (deterministic).</summary>
    public static byte[] SerializeToString(this IMessage message) => SerializeDeterministic(message);
}
