using SharpFlow.FileIO;
namespace SharpFlow.Summaries;

/// <summary>
/// TensorFlow's <c>Event</c> protocol buffer (event.proto): a wall time in seconds, a step, and one of a file
/// version (<c>brain.Event:2</c>, the first record of every file), a serialized GraphDef or a summary.
/// </summary>
public sealed class Event
{
    /// <summary>Seconds since the Unix epoch.</summary>
    public double wall_time { get; init; }

    /// <summary>The global step.</summary>
    public long step { get; init; }

    /// <summary>The event file's version (first record only).</summary>
    public string? file_version { get; init; }

    /// <summary>A serialized GraphDef.</summary>
    public byte[]? graph_def { get; init; }

    /// <summary>A summary.</summary>
    public Summary? summary { get; init; }

    /// <summary>A run's metadata under a tag (TaggedRunMetadata{tag = 1, run_metadata = 2}).</summary>
    public (string Tag, byte[] RunMetadata)? tagged_run_metadata { get; init; }

    /// <summary>The protocol-buffer bytes.</summary>
    public byte[] SerializeToString()
    {
        var w = new ProtoWriter().Double(1, wall_time);
        if (step != 0) w.Int(2, step);
        if (file_version is not null) w.String(3, file_version);
        if (graph_def is not null) w.Bytes(4, graph_def);
        if (summary is not null) w.Bytes(5, summary.SerializeToString());
        if (tagged_run_metadata is { } tagged) w.Message(8, new ProtoWriter().String(1, tagged.Tag).Bytes(2, tagged.RunMetadata));
        return w.ToArray();
    }

    /// <summary>Decodes a serialized event.</summary>
    public static Event FromString(ReadOnlyMemory<byte> bytes)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        byte[]? graph = null;
        Summary? summary = null;
        (string, byte[])? tagged = null;
        foreach (var f in ProtoReader.Fields(bytes, "Event"))
        {
            switch (f.Number)
            {
                case 1: wall = f.AsDouble; break;
                case 2: step = (long)f.Varint; break;
                case 3: version = f.AsString; break;
                case 4: graph = f.Data.ToArray(); break;
                case 5: summary = Summary.FromString(f.Data); break;
                case 8: tagged = TaggedRunMetadata(f.Data); break;
            }
        }
        return new Event { wall_time = wall, step = step, file_version = version, graph_def = graph, summary = summary, tagged_run_metadata = tagged };
    }

    private static (string, byte[]) TaggedRunMetadata(ReadOnlyMemory<byte> bytes)
    {
        var (tag, data) = ("", Array.Empty<byte>());
        foreach (var f in ProtoReader.Fields(bytes, "TaggedRunMetadata"))
        {
            if (f.Number == 1) tag = f.AsString;
            else if (f.Number == 2) data = f.Data.ToArray();
        }
        return (tag, data);
    }
}
