using SharpFlow.GraphIO;
using Tensorflow;

namespace SharpFlow.Train;

/// <summary>
/// TensorFlow's <c>import_meta_graph</c> (training/saver.py): GraphIO imports the MetaGraphDef's graph,
/// collections and variables; the Saver of its global variables is built here, from its SaverDef.
/// </summary>
internal static class MetaGraphImport
{
    /// <summary>
    /// Imports <paramref name="meta"/> into <paramref name="graph"/> under <paramref name="importScope"/>; returns a
    /// Saver of the global variables under their checkpoint names (their names without the import scope), whose
    /// restore runs the graph's restore op when the SaverDef names one, or null when there are no variables.
    /// </summary>
    public static Saver? Import(Graph graph, MetaGraphDef meta, bool clearDevices, string? importScope,
        IReadOnlyDictionary<string, Tensor>? inputMap = null)
    {
        if (MetaGraphs.Import(graph, meta, clearDevices, importScope, inputMap) is not { } parts) return null;
        var saver = new Saver(parts.Variables, parts.MaxToKeep, sharded: parts.Sharded, keep_checkpoint_every_n_hours: parts.KeepCheckpointEveryNHours);
        if (parts is { ScopedSaverDef: { } def, Filename: { } filename, RestoreOp: { } restoreOp }) saver.WithSaverDef(def, filename, restoreOp);
        return saver;
    }
}
