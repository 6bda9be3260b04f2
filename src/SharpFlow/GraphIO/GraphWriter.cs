namespace SharpFlow.GraphIO;

/// <summary>TensorFlow's graph_io.py: <c>tf.train.write_graph</c>.</summary>
internal static class GraphWriter
{
    /// <summary>
    /// Writes <paramref name="graphDef"/> to <c>logdir/name</c>, as protocol buffer text with <paramref name="asText"/>,
    /// else binary; creates <paramref name="logdir"/> when missing and returns the file's path.
    /// </summary>
    public static string WriteGraph(Tensorflow.GraphDef graphDef, string logdir, string name, bool asText)
    {
        ArgumentNullException.ThrowIfNull(graphDef);
        ArgumentException.ThrowIfNullOrEmpty(logdir);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Directory.CreateDirectory(logdir);
        var path = Path.Combine(logdir, name);
        ProtoFiles.Write(graphDef, path, asText);
        return path;
    }

    /// <summary><see cref="WriteGraph(Tensorflow.GraphDef, string, string, bool)"/> of a graph's GraphDef.</summary>
    public static string WriteGraph(Graph graph, string logdir, string name, bool asText)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return WriteGraph(graph.as_graph_def(), logdir, name, asText);
    }
}
