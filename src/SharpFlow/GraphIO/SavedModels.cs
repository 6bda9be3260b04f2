using SharpFlow.Train;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// TensorFlow 1.x's SavedModel (saved_model/loader_impl.py, builder_impl.py): <c>export_dir/saved_model.pb</c> (or
/// <c>.pbtxt</c>) holding MetaGraphDefs told apart by their tags, the variables in the checkpoint
/// <c>export_dir/variables/variables</c> and asset files in <c>export_dir/assets</c>.
/// </summary>
internal static class SavedModels
{
    public const string ProtoFile = "saved_model.pb";
    public const string TextFile = "saved_model.pbtxt";
    public const string MainOpKey = "saved_model_main_op";
    public const string LegacyInitOpKey = "legacy_init_op";

    /// <summary>The checkpoint prefix of a SavedModel's variables.</summary>
    public static string VariablesPrefix(string exportDir) => Path.Combine(exportDir, "variables", "variables");

    /// <summary>Reads <c>saved_model.pbtxt</c> or <c>saved_model.pb</c> of <paramref name="exportDir"/>.</summary>
    public static SavedModel Read(string exportDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(exportDir);
        var text = Path.Combine(exportDir, TextFile);
        var binary = Path.Combine(exportDir, ProtoFile);
        if (File.Exists(text)) return ProtoFiles.Read<SavedModel>(text, as_text: true);
        if (File.Exists(binary)) return ProtoFiles.Read<SavedModel>(binary, as_text: false);
        throw new NotFoundError($"SavedModel file does not exist at: {exportDir}{Path.DirectorySeparatorChar}{{{TextFile}|{ProtoFile}}}");
    }

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
        var model = Read(exportDir);
        var wanted = tags.ToHashSet(StringComparer.Ordinal);
        var meta = model.MetaGraphs.FirstOrDefault(m => m.MetaInfoDef is { } info && info.Tags.ToHashSet(StringComparer.Ordinal).SetEquals(wanted))
                   ?? throw new NotFoundError(
                       $"MetaGraphDef associated with tags {{{string.Join(", ", tags.Select(t => $"'{t}'"))}}} could not be found in SavedModel {exportDir}. " +
                       "To inspect available tag-sets in the SavedModel, please use the SavedModel CLI: `saved_model_cli`\n" +
                       $"available_tags: [{string.Join(", ", model.MetaGraphs.Select(m => "{" + string.Join(", ", m.MetaInfoDef?.Tags.Select(t => $"'{t}'") ?? []) + "}"))}]");
        Saver? saver;
        using (sess.graph.as_default())
            saver = MetaGraphs.Import(sess.graph, meta, clearDevices: false, importScope);
        var variables = VariablesPrefix(exportDir);
        if (saver is not null && File.Exists(variables + ".index")) saver.restore(sess, variables);

        var prefix = string.IsNullOrEmpty(importScope) ? "" : importScope.TrimEnd('/') + "/";
        var feeds = new FeedDict();
        foreach (var asset in meta.AssetFileDef)
        {
            var tensor = sess.graph.get_tensor_by_name(prefix + asset.TensorInfo.Name);
            feeds[tensor] = NDArray.FromStrings([Path.Combine(exportDir, "assets", asset.Filename)]);
        }
        var initKey = meta.CollectionDef.ContainsKey(MainOpKey) ? MainOpKey : meta.CollectionDef.ContainsKey(LegacyInitOpKey) ? LegacyInitOpKey : null;
        if (initKey is not null)
        {
            var ops = meta.CollectionDef[initKey].NodeList.Value;
            if (ops.Count != 1) throw new ValueError($"{exportDir}: expected exactly one {initKey}, found {ops.Count}");
            sess.run(sess.graph.get_operation_by_name(prefix + ops[0]), feeds);
        }
        return meta;
    }

    /// <summary>TensorFlow's <c>build_tensor_info</c>: a tensor's name, dtype and static shape.</summary>
    public static TensorInfo TensorInfoOf(Tensor t) => new()
    {
        Name = t.name,
        Dtype = TensorProtos.ToProto(t.dtype),
        TensorShape = TensorProtos.ToProto(t.shape),
    };

    /// <summary>A SignatureDef of named inputs and outputs with <paramref name="methodName"/>.</summary>
    public static SignatureDef Signature(IReadOnlyDictionary<string, Tensor>? inputs, IReadOnlyDictionary<string, Tensor>? outputs, string methodName)
    {
        var def = new SignatureDef { MethodName = methodName };
        foreach (var (key, t) in inputs ?? new Dictionary<string, Tensor>()) def.Inputs[key] = TensorInfoOf(t);
        foreach (var (key, t) in outputs ?? new Dictionary<string, Tensor>()) def.Outputs[key] = TensorInfoOf(t);
        return def;
    }
}
