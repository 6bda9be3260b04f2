using SharpFlow.Summaries;

namespace SharpFlow.Train.Monitored;

/// <summary><c>tf.summary.FileWriterCache</c>: one <see cref="FileWriter"/> per log directory, shared by the hooks.</summary>
public static class SummaryWriterCache
{
    private static readonly Dictionary<string, FileWriter> Writers = [];
    private static readonly Lock Gate = new();

    /// <summary>The writer of <paramref name="logdir"/>, created on first use (writing the default graph, as TensorFlow does).</summary>
    public static FileWriter get(string logdir)
    {
        var key = Path.GetFullPath(logdir);
        lock (Gate)
        {
            if (!Writers.TryGetValue(key, out var writer))
            {
                writer = new FileWriter(logdir, Graph.get_default());
                Writers[key] = writer;
            }
            return writer;
        }
    }

    /// <summary>Closes every cached writer and forgets them.</summary>
    public static void clear()
    {
        List<FileWriter> all;
        lock (Gate)
        {
            all = [.. Writers.Values];
            Writers.Clear();
        }
        foreach (var w in all) w.close();
    }

    /// <summary>Closes and forgets the writer of <paramref name="logdir"/>, if any.</summary>
    public static void close(string logdir)
    {
        FileWriter? writer;
        lock (Gate)
            if (Writers.Remove(Path.GetFullPath(logdir), out writer)) { }
        writer?.close();
    }
}
