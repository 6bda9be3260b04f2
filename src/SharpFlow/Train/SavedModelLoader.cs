using SharpFlow.GraphIO;
using Tensorflow;

namespace SharpFlow.Train;

/// <summary>
/// TensorFlow 1.x's SavedModel loader (saved_model/loader_impl.py), which restores with a Saver and runs the main op
/// in a session: the SavedModel files themselves are GraphIO's <see cref="SavedModels"/>.
/// </summary>
internal static class SavedModelLoader
{
    /// <summary>
    /// <c>tf.saved_model.loader.load</c>: imports the MetaGraphDef whose tags are exactly <paramref name="tags"/> into
    /// the session's graph, restores its variables, runs its main op (or legacy init op) with the asset files' paths
    /// fed, and returns the MetaGraphDef (its <c>signature_def</c> names the inputs and outputs).
    /// </summary>
    public static MetaGraphDef Load(Session sess, IReadOnlyCollection<string> tags, string exportDir, string? importScope) =>
        FileErrors.Naming(exportDir, () => LoadCore(sess, tags, exportDir, importScope));

    private static MetaGraphDef LoadCore(Session sess, IReadOnlyCollection<string> tags, string exportDir, string? importScope)
    {
        ArgumentNullException.ThrowIfNull(sess);
        ArgumentNullException.ThrowIfNull(tags);
        var model = SavedModels.Read(exportDir);
        var wanted = tags.ToHashSet(StringComparer.Ordinal);
        var meta = model.MetaGraphs.FirstOrDefault(m => m.MetaInfoDef is { } info && info.Tags.ToHashSet(StringComparer.Ordinal).SetEquals(wanted))
                   ?? throw new NotFoundError(
                       $"MetaGraphDef associated with tags {{{string.Join(", ", tags.Select(t => $"'{t}'"))}}} could not be found in SavedModel {exportDir}. " +
                       "To inspect available tag-sets in the SavedModel, please use the SavedModel CLI: `saved_model_cli`\n" +
                       $"available_tags: [{string.Join(", ", model.MetaGraphs.Select(m => "{" + string.Join(", ", m.MetaInfoDef?.Tags.Select(t => $"'{t}'") ?? []) + "}"))}]");
        Saver? saver;
        using (sess.graph.as_default())
            saver = MetaGraphImport.Import(sess.graph, meta, clearDevices: false, importScope);
        var variables = SavedModels.VariablesPrefix(exportDir);
        if (saver is not null && File.Exists(variables + ".index")) saver.restore(sess, variables);

        var prefix = string.IsNullOrEmpty(importScope) ? "" : importScope.TrimEnd('/') + "/";
        var feeds = new FeedDict();
        foreach (var asset in meta.AssetFileDef)
        {
            var tensor = sess.graph.get_tensor_by_name(prefix + asset.TensorInfo.Name);
            feeds[tensor] = NDArray.FromStrings([Path.Combine(exportDir, "assets", asset.Filename)]);
        }
        var initKey = meta.CollectionDef.ContainsKey(SavedModels.MainOpKey) ? SavedModels.MainOpKey : meta.CollectionDef.ContainsKey(SavedModels.LegacyInitOpKey) ? SavedModels.LegacyInitOpKey : null;
        if (initKey is not null)
        {
            var ops = meta.CollectionDef[initKey].NodeList.Value;
            if (ops.Count != 1) throw new ValueError($"{exportDir}: expected exactly one {initKey}, found {ops.Count}");
            sess.run(sess.graph.get_operation_by_name(prefix + ops[0]), feeds);
        }
        return meta;
    }
}
