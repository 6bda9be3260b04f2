using Google.Protobuf;
using SharpFlow.Framework;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// TensorFlow's MetaGraphDef (meta_graph.py): a graph with its collections (variables as <c>VariableDef</c>s,
/// ops and tensors by name, numbers, strings), written by <c>tf.train.export_meta_graph</c> and
/// <c>Saver.save</c> (<c>PREFIX.meta</c>) and read back by <c>tf.train.import_meta_graph</c>, which rebuilds the
/// variables and gives what their Saver is made of (Train.MetaGraphImport builds it).
/// </summary>
internal static class MetaGraphs
{
    /// <summary>The TensorFlow version written into <c>meta_info_def</c>: the graphs use TensorFlow 1.15's ops.</summary>
    public const string TensorFlowVersion = "1.15.0";

    // Collections whose items are variables (to_proto: a serialized VariableDef each).
    private static readonly HashSet<string> VariableCollections = new(StringComparer.Ordinal)
    {
        GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES, GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES,
        GraphKeys.MOVING_AVERAGE_VARIABLES, GraphKeys.METRIC_VARIABLES, GraphKeys.GLOBAL_STEP, GraphKeys.CONCATENATED_VARIABLES,
    };

    /// <summary>The MetaGraphDef of <paramref name="graph"/> (<c>export_meta_graph</c>).</summary>
    public static MetaGraphDef Export(Graph graph, GraphDef? graphDef = null, SaverDef? saverDef = null,
        IReadOnlyList<string>? collectionList = null, bool clearDevices = false, MetaGraphDef.Types.MetaInfoDef? metaInfoDef = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var meta = new MetaGraphDef
        {
            MetaInfoDef = metaInfoDef?.Clone() ?? new MetaGraphDef.Types.MetaInfoDef(),
            GraphDef = graphDef?.Clone() ?? graph.as_graph_def(add_shapes: true),
        };
        if (meta.MetaInfoDef.TensorflowVersion.Length == 0) meta.MetaInfoDef.TensorflowVersion = TensorFlowVersion;
        if (meta.MetaInfoDef.TensorflowGitVersion.Length == 0) meta.MetaInfoDef.TensorflowGitVersion = "sharpflow";
        if (clearDevices)
            foreach (var node in meta.GraphDef.Node) node.Device = "";
        // TensorFlow's stripped_op_list_for_graph: the OpDef of every op type the graph uses (those SharpFlow knows).
        if (meta.MetaInfoDef.StrippedOpList is null || meta.MetaInfoDef.StrippedOpList.Op.Count == 0)
            meta.MetaInfoDef.StrippedOpList = TfOpDefs.StrippedOpList(meta.GraphDef);
        if (saverDef is not null) meta.SaverDef = saverDef.Clone();
        ControlFlowContexts.ValueIndex? contextValues = null;
        foreach (var key in collectionList ?? graph.get_all_collection_keys())
        {
            var items = graph.get_collection(key);
            if (items.Count > 0 && items.All(i => i is ControlFlowContext))
            {
                // CondContextDef / WhileContextDef protos (to_proto), as TensorFlow writes cond_context and while_context.
                contextValues ??= new ControlFlowContexts.ValueIndex(graph);
                var bytes = new CollectionDef.Types.BytesList();
                foreach (ControlFlowContext c in items)
                    if (ControlFlowContexts.ToBytes(c, contextValues) is { } b) bytes.Value.Add(b);
                if (bytes.Value.Count > 0) meta.CollectionDef[key] = new CollectionDef { BytesList = bytes };
                continue;
            }
            if (CollectionDefOf(key, items) is { } def) meta.CollectionDef[key] = def;
        }
        return meta;
    }

    /// <summary>A collection as TensorFlow writes it, or null for items it cannot write (TensorFlow skips them with a warning).</summary>
    private static CollectionDef? CollectionDefOf(string key, List<object> items)
    {
        if (items.Count == 0) return null;
        var def = new CollectionDef();
        switch (items[0])
        {
            case Variable:
                if (!items.All(i => i is Variable)) return null;
                def.BytesList = new CollectionDef.Types.BytesList();
                foreach (Variable v in items) def.BytesList.Value.Add(ToVariableDef(v).ToByteString());
                return def;
            case ITensorOrOperation:
                if (!items.All(i => i is ITensorOrOperation)) return null;
                def.NodeList = new CollectionDef.Types.NodeList();
                foreach (ITensorOrOperation t in items) def.NodeList.Value.Add(t.name);
                return def;
            case int or long:
                if (!items.All(i => i is int or long)) return null;
                def.Int64List = new CollectionDef.Types.Int64List();
                foreach (var i in items) def.Int64List.Value.Add(Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture));
                return def;
            case float or double:
                if (!items.All(i => i is float or double)) return null;
                def.FloatList = new CollectionDef.Types.FloatList();
                foreach (var i in items) def.FloatList.Value.Add(Convert.ToSingle(i, System.Globalization.CultureInfo.InvariantCulture));
                return def;
            case string or byte[]:
                if (!items.All(i => i is string or byte[])) return null;
                def.BytesList = new CollectionDef.Types.BytesList();
                foreach (var i in items) def.BytesList.Value.Add(i is string s ? ByteString.CopyFromUtf8(s) : ByteString.CopyFrom((byte[])i));
                return def;
            default:
                _ = key;
                return null;
        }
    }

    /// <summary>TensorFlow's <c>RefVariable.to_proto()</c> (<c>ResourceVariable.to_proto()</c> for a VarHandleOp's variable).</summary>
    public static VariableDef ToVariableDef(Variable v) => new()
    {
        VariableName = v.name,
        InitializerName = v.initializer.name,
        SnapshotName = v.value().name,
        InitialValueName = v.initial_value.name,
        Trainable = v.trainable,
        IsResource = v.op.type == "VarHandleOp",
    };

    /// <summary>Reads a MetaGraphDef file: binary, or text when it is not valid binary (as TensorFlow's read_meta_graph_file).</summary>
    public static MetaGraphDef Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new NotFoundError($"File {path} does not exist.");
        var bytes = File.ReadAllBytes(path);
        try
        {
            return MetaGraphDef.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException binaryError)
        {
            try
            {
                return TextFormat.Parse<MetaGraphDef>(System.Text.Encoding.UTF8.GetString(bytes));
            }
            catch (FormatException)
            {
                throw new DataLossError($"Cannot parse file {path}: not a binary or text MetaGraphDef ({binaryError.Message})", null, binaryError);
            }
        }
    }

    /// <summary>
    /// What a Saver of an imported MetaGraphDef is made of: the global variables under their checkpoint names (their
    /// names without the import scope), the SaverDef's settings, and its restore op and filename tensor (renamed
    /// under the import scope) when the graph has them.
    /// </summary>
    internal sealed record SaverParts(Dictionary<string, Variable> Variables, int MaxToKeep, bool Sharded, double KeepCheckpointEveryNHours,
        SaverDef? ScopedSaverDef, Tensor? Filename, Operation? RestoreOp);

    /// <summary>
    /// Imports a MetaGraphDef into <paramref name="graph"/> (the graph half of <c>import_meta_graph</c>): its graph
    /// under <paramref name="importScope"/> (none by default), its collections, its variables rebuilt as
    /// <see cref="Variable"/>s; returns what the Saver of the global variables is made of (Train builds it), or null
    /// when there are none.
    /// </summary>
    public static SaverParts? Import(Graph graph, MetaGraphDef meta, bool clearDevices, string? importScope,
        IReadOnlyDictionary<string, Tensor>? inputMap = null)
    {
        ArgumentNullException.ThrowIfNull(meta);
        var graphDef = meta.GraphDef?.Clone() ?? new GraphDef();
        if (clearDevices)
            foreach (var node in graphDef.Node) node.Device = "";
        var prefix = string.IsNullOrEmpty(importScope) ? "" : importScope.TrimEnd('/') + "/";
        var contextDefs = meta.CollectionDef
            .Where(kv => ControlFlowContexts.IsContextCollection(kv.Key) && kv.Value.KindCase == CollectionDef.KindOneofCase.BytesList)
            .ToDictionary(kv => kv.Key, kv => kv.Value.BytesList.Value.Select(b => ControlFlowContexts.Parse(kv.Key, b)).ToList(), StringComparer.Ordinal);
        ControlFlowContexts.RenameFrames(graphDef, contextDefs.Values.SelectMany(c => c), prefix);
        var nodeNames = graphDef.Node.Select(n => n.Name).ToList();
        var ops = GraphImporter.Import(graph, graphDef, inputMap, nodeNames, importScope is null ? "" : prefix)!;
        var byName = new Dictionary<string, Operation>(StringComparer.Ordinal);
        for (var i = 0; i < nodeNames.Count; i++) byName[nodeNames[i]] = (Operation)ops[i];

        Tensor TensorNamed(string name, string what)
        {
            var (op, index) = GraphImporter.ParseTensorName(name);
            if (!byName.TryGetValue(op, out var o) || index >= o.outputs.Count)
                throw new ValueError($"import_meta_graph: {what} names '{name}', which is not in the graph");
            return o.outputs[index];
        }
        Operation OpNamed(string name, string what) =>
            byName.TryGetValue(name, out var o) ? o : throw new ValueError($"import_meta_graph: {what} names '{name}', which is not in the graph");

        var variables = new Dictionary<string, Variable>(StringComparer.Ordinal);
        Variable VariableOf(VariableDef def, string collection)
        {
            if (variables.TryGetValue(def.VariableName, out var existing)) return existing;
            var reference = TensorNamed(def.VariableName, $"collection '{collection}'");
            var initializer = OpNamed(def.InitializerName, $"the variable {def.VariableName}'s initializer_name");
            var snapshot = TensorNamed(def.SnapshotName, $"the variable {def.VariableName}'s snapshot_name");
            var initial = def.InitialValueName.Length > 0
                ? TensorNamed(def.InitialValueName, $"the variable {def.VariableName}'s initial_value_name")
                : initializer.inputs.Count > 1 ? initializer.inputs[1] : snapshot;
            var v = Variable.FromGraph(reference.op, initializer, snapshot, initial, def.Trainable);
            variables[def.VariableName] = v;
            return v;
        }

        foreach (var (key, def) in meta.CollectionDef.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            switch (def.KindCase)
            {
                case CollectionDef.KindOneofCase.NodeList:
                    foreach (var name in def.NodeList.Value)
                    {
                        ITensorOrOperation item = name.Contains(':') ? TensorNamed(name, $"collection '{key}'") : OpNamed(name, $"collection '{key}'");
                        graph.add_to_collection(key, item);
                    }
                    break;
                case CollectionDef.KindOneofCase.BytesList when VariableCollections.Contains(key):
                    foreach (var bytes in def.BytesList.Value)
                    {
                        VariableDef variableDef;
                        try
                        {
                            variableDef = VariableDef.Parser.ParseFrom(bytes);
                        }
                        catch (InvalidProtocolBufferException e)
                        {
                            throw new DataLossError($"import_meta_graph: collection '{key}' holds an invalid VariableDef: {e.Message}", null, e);
                        }
                        graph.add_to_collection(key, VariableOf(variableDef, key));
                    }
                    break;
                case CollectionDef.KindOneofCase.BytesList when contextDefs.TryGetValue(key, out var contexts):
                    // CondContextDef / WhileContextDef protos (from_proto): the imported ops get their contexts back.
                    foreach (var message in contexts)
                        graph.add_to_collection(key, ControlFlowContexts.FromProto(message, null, prefix, TensorNamed));
                    break;
                case CollectionDef.KindOneofCase.BytesList:
                    foreach (var bytes in def.BytesList.Value) graph.add_to_collection(key, bytes.ToStringUtf8());
                    break;
                case CollectionDef.KindOneofCase.Int64List:
                    foreach (var v in def.Int64List.Value) graph.add_to_collection(key, v);
                    break;
                case CollectionDef.KindOneofCase.FloatList:
                    foreach (var v in def.FloatList.Value) graph.add_to_collection(key, v);
                    break;
                default:
                    break; // AnyList collections are not rebuilt
            }
        }

        var saved = graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().Where(v => variables.ContainsValue(v)).ToList();
        if (saved.Count == 0) return null;
        var names = saved.ToDictionary(v => v.op.name.StartsWith(prefix, StringComparison.Ordinal) ? v.op.name[prefix.Length..] : v.op.name, v => v, StringComparer.Ordinal);
        var maxToKeep = meta.SaverDef is { MaxToKeep: > 0 } s ? s.MaxToKeep : 5;
        var parts = new SaverParts(names, maxToKeep, meta.SaverDef?.Sharded ?? false,
            meta.SaverDef is { KeepCheckpointEveryNHours: > 0 } k ? k.KeepCheckpointEveryNHours : SaverDefs.DefaultKeepHours, null, null, null);
        // TensorFlow's import_meta_graph builds its Saver from the SaverDef: restore runs the graph's restore op.
        if (meta.SaverDef is { RestoreOpName.Length: > 0, FilenameTensorName.Length: > 0 } saverDef
            && byName.TryGetValue(saverDef.RestoreOpName, out var restoreOp)
            && byName.TryGetValue(GraphImporter.ParseTensorName(saverDef.FilenameTensorName).Op, out var filenameOp)
            && GraphImporter.ParseTensorName(saverDef.FilenameTensorName).Index < filenameOp.outputs.Count)
        {
            var scoped = saverDef.Clone();
            scoped.FilenameTensorName = prefix + saverDef.FilenameTensorName;
            scoped.SaveTensorName = saverDef.SaveTensorName.Length > 0 ? prefix + saverDef.SaveTensorName : "";
            scoped.RestoreOpName = prefix + saverDef.RestoreOpName;
            parts = parts with { ScopedSaverDef = scoped, Filename = filenameOp.outputs[GraphImporter.ParseTensorName(saverDef.FilenameTensorName).Index], RestoreOp = restoreOp };
        }
        return parts;
    }
}

/// <summary>Errors of a file's contents, made to name the file as the readers' own errors do.</summary>
internal static class FileErrors
{
    /// <summary>Runs <paramref name="read"/>; an <see cref="OpError"/> whose message lacks <paramref name="path"/> is raised again, of the same kind, with it.</summary>
    public static T Naming<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (OpError e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            var message = $"{path}: {e.RawMessage}";
            throw e switch
            {
                DataLossError => new DataLossError(message, e.NodeName, e),
                UnimplementedError => new UnimplementedError(message, e.NodeName, e),
                NotFoundError => new NotFoundError(message, e.NodeName, e),
                InvalidArgumentError => new InvalidArgumentError(message, e.NodeName, e),
                FailedPreconditionError => new FailedPreconditionError(message, e.NodeName, e),
                OutOfRangeError => new OutOfRangeError(message, e.NodeName, e),
                ResourceExhaustedError => new ResourceExhaustedError(message, e.NodeName, e),
                InternalError => new InternalError(message, e.NodeName, e),
                _ => new OpError(message, e.NodeName, e),
            };
        }
    }
}
