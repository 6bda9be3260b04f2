using SharpFlow.GraphIO;

namespace SharpFlow.Train;

/// <summary>
/// TensorFlow 1.x's SavedModel builder (saved_model/builder_impl.py), which saves the variables with a Saver next to
/// the MetaGraphDefs (<c>tf.saved_model.builder.SavedModelBuilder</c>): add the graph and its variables once with
/// <see cref="AddMetaGraphAndVariables"/>, more MetaGraphDefs of the same variables with <see cref="AddMetaGraph"/>,
/// then <see cref="Save"/>. The SavedModel files themselves are GraphIO's <see cref="SavedModels"/>.
/// </summary>
internal sealed class SavedModelBuilder
{
    /// <summary>The serving MetaGraphDef's tag (<c>tf.saved_model.tag_constants.SERVING</c>).</summary>
    public const string ServingTag = "serve";

    /// <summary>The default serving signature's key (<c>signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY</c>).</summary>
    public const string DefaultServingSignatureKey = "serving_default";

    private readonly string _exportDir;
    private readonly Tensorflow.SavedModel _model = new() { SavedModelSchemaVersion = 1 };
    private bool _hasVariables;

    /// <summary>A builder that writes into <paramref name="exportDir"/>, which must not exist or be empty.</summary>
    public SavedModelBuilder(string exportDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(exportDir);
        if (Directory.Exists(exportDir) && Directory.EnumerateFileSystemEntries(exportDir).Any())
            throw new ValueError($"Export directory already exists, and isn't empty. Please choose a different export directory, or delete all the contents of the specified directory: {exportDir}");
        Directory.CreateDirectory(exportDir);
        _exportDir = exportDir;
    }

    /// <summary>
    /// Saves the session's variables into <c>variables/variables</c> and records the graph as a MetaGraphDef tagged
    /// <paramref name="tags"/>, with <paramref name="signatureDefMap"/>, the asset files of
    /// <paramref name="assetsCollection"/> (copied into <c>assets/</c>) and <paramref name="mainOp"/> (run after
    /// restoring when loaded; <paramref name="legacyInitOp"/> is its older name).
    /// </summary>
    public void AddMetaGraphAndVariables(Session sess, IReadOnlyCollection<string> tags, IReadOnlyDictionary<string, Tensorflow.SignatureDef>? signatureDefMap,
        IReadOnlyList<Tensor>? assetsCollection, Operation? legacyInitOp, bool clearDevices, Operation? mainOp)
    {
        ArgumentNullException.ThrowIfNull(sess);
        ArgumentNullException.ThrowIfNull(tags);
        if (_hasVariables) throw new ValueError("Graph state including variables and assets has already been saved. Please invoke `add_meta_graph()` instead.");
        var graph = sess.graph;
        var variables = graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().ToList();
        if (variables.Count > 0)
        {
            Directory.CreateDirectory(Path.Combine(_exportDir, "variables"));
            new Saver(variables).save(sess, SavedModels.VariablesPrefix(_exportDir), write_state: false, write_meta_graph: false);
        }
        _model.MetaGraphs.Add(MetaGraph(graph, sess, tags, signatureDefMap, assetsCollection, mainOp ?? legacyInitOp, mainOp is null && legacyInitOp is not null, clearDevices));
        _hasVariables = true;
    }

    /// <summary>Records another MetaGraphDef of the same variables, tagged <paramref name="tags"/>.</summary>
    public void AddMetaGraph(IReadOnlyCollection<string> tags, IReadOnlyDictionary<string, Tensorflow.SignatureDef>? signatureDefMap, Operation? legacyInitOp,
        bool clearDevices, Operation? mainOp, Graph? graph)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (!_hasVariables) throw new ValueError("Variables and assets have not been saved yet. Please invoke `add_meta_graph_and_variables()` first.");
        _model.MetaGraphs.Add(MetaGraph(graph ?? Graph.get_default(), null, tags, signatureDefMap, null, mainOp ?? legacyInitOp, mainOp is null && legacyInitOp is not null, clearDevices));
    }

    private Tensorflow.MetaGraphDef MetaGraph(Graph graph, Session? sess, IReadOnlyCollection<string> tags,
        IReadOnlyDictionary<string, Tensorflow.SignatureDef>? signatures, IReadOnlyList<Tensor>? assets, Operation? initOp, bool legacy, bool clearDevices)
    {
        var meta = MetaGraphs.Export(graph, clearDevices: clearDevices);
        meta.MetaInfoDef.Tags.AddRange(tags);
        foreach (var (key, signature) in signatures ?? new Dictionary<string, Tensorflow.SignatureDef>()) meta.SignatureDef[key] = signature.Clone();
        if (initOp is not null)
        {
            var collection = new Tensorflow.CollectionDef { NodeList = new() };
            collection.NodeList.Value.Add(initOp.name);
            meta.CollectionDef[legacy ? SavedModels.LegacyInitOpKey : SavedModels.MainOpKey] = collection;
        }
        foreach (var asset in assets ?? [])
        {
            var source = System.Text.Encoding.UTF8.GetString((sess ?? throw new ValueError("assets need a session")).run(asset).StringBytes(0));
            var assetsDir = Path.Combine(_exportDir, "assets");
            Directory.CreateDirectory(assetsDir);
            var name = Path.GetFileName(source);
            File.Copy(source, Path.Combine(assetsDir, name), overwrite: true);
            meta.AssetFileDef.Add(new Tensorflow.AssetFileDef { TensorInfo = SavedModels.TensorInfoOf(asset), Filename = name });
        }
        return meta;
    }

    /// <summary>Writes <c>saved_model.pb</c> (<c>saved_model.pbtxt</c> with <paramref name="asText"/>) and returns its path.</summary>
    public string Save(bool asText)
    {
        var path = Path.Combine(_exportDir, asText ? SavedModels.TextFile : SavedModels.ProtoFile);
        ProtoFiles.Write(_model, path, asText);
        return path;
    }
}
