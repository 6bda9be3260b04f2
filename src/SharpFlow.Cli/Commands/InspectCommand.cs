using System.CommandLine;
using System.Globalization;
using SharpFlow.GraphIO;
using Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow inspect PATH</c>: what a TensorFlow file holds, as <c>saved_model_cli show --all</c> and
/// <c>inspect_checkpoint</c> tell it: a SavedModel directory (tag sets, signatures, variables, op types), a GraphDef
/// (<c>.pb</c>, <c>.pbtxt</c>), a MetaGraph (<c>.meta</c>) or a checkpoint (a prefix, its <c>.index</c>, or a
/// directory with a <c>checkpoint</c> file). Op types SharpFlow cannot import are listed.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "a SavedModel directory, a .pb/.pbtxt GraphDef, a .meta MetaGraph, or a checkpoint prefix or directory" };
        var command = new Command("inspect", "Say what a TensorFlow SavedModel, GraphDef, MetaGraph or checkpoint holds.") { path };
        command.SetAction(result => TrainCommand.Run(() => Inspect(result.GetValue(path)!)));
        return command;
    }

    private static void Inspect(string path)
    {
        if (Directory.Exists(path) && tf.saved_model.loader.maybe_saved_model_directory(path)) SavedModel(path);
        else if (File.Exists(path) && path.EndsWith(".meta", StringComparison.Ordinal)) MetaGraph(ProtoFiles.Read<MetaGraphDef>(path), path);
        else if (File.Exists(path) && (path.EndsWith(".pb", StringComparison.Ordinal) || path.EndsWith(".pbtxt", StringComparison.Ordinal)))
            Graph(ProtoFiles.Read<GraphDef>(path), $"{path}: a GraphDef");
        else if (CheckpointPrefix(path) is { } prefix) Checkpoint(prefix);
        else throw new IOException($"{path}: not a SavedModel directory, a .pb/.pbtxt/.meta file or a checkpoint");
    }

    private static string? CheckpointPrefix(string path)
    {
        if (Directory.Exists(path)) return tf.train.latest_checkpoint(path);
        if (path.EndsWith(".index", StringComparison.Ordinal) && File.Exists(path)) return path[..^".index".Length];
        return File.Exists(path + ".index") ? path : null;
    }

    private static void SavedModel(string dir)
    {
        var model = tf.saved_model.utils.read_saved_model(dir);
        Console.WriteLine($"{dir}: a SavedModel with {model.MetaGraphs.Count} MetaGraph(s)");
        foreach (var meta in model.MetaGraphs)
        {
            Console.WriteLine();
            Console.WriteLine($"MetaGraphDef with tag-set: '{string.Join(", ", meta.MetaInfoDef?.Tags ?? [])}' contains the following SignatureDefs:");
            foreach (var (key, signature) in meta.SignatureDef.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Console.WriteLine();
                Console.WriteLine($"signature_def['{key}']:");
                Console.WriteLine("  The given SavedModel SignatureDef contains the following input(s):");
                foreach (var (name, info) in signature.Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal)) TensorInfo(name, info, "inputs");
                Console.WriteLine("  The given SavedModel SignatureDef contains the following output(s):");
                foreach (var (name, info) in signature.Outputs.OrderBy(kv => kv.Key, StringComparer.Ordinal)) TensorInfo(name, info, "outputs");
                Console.WriteLine($"  Method name is: {signature.MethodName}");
            }
            Console.WriteLine();
            Graph(meta.GraphDef, "the graph");
        }
        var variables = tf.saved_model.utils.get_variables_path(dir);
        if (File.Exists(variables + ".index"))
        {
            Console.WriteLine();
            Checkpoint(variables);
        }
    }

    private static void TensorInfo(string key, Tensorflow.TensorInfo info, string kind)
    {
        Console.WriteLine($"    {kind}['{key}'] tensor_info:");
        Console.WriteLine($"        dtype: {DTypeName(info.Dtype)}");
        var dims = info.TensorShape is null || info.TensorShape.UnknownRank ? "unknown_rank" : $"({string.Join(", ", info.TensorShape.Dim.Select(d => d.Size.ToString(CultureInfo.InvariantCulture)))}{(info.TensorShape.Dim.Count == 1 ? "," : "")})";
        Console.WriteLine($"        shape: {dims}");
        Console.WriteLine($"        name: {info.Name}");
    }

    private static string DTypeName(Tensorflow.DataType dtype) => "DT_" + dtype.ToString()[2..].ToUpperInvariant();

    private static void MetaGraph(MetaGraphDef meta, string path)
    {
        Console.WriteLine($"{path}: a MetaGraphDef (TensorFlow {meta.MetaInfoDef?.TensorflowVersion ?? "?"})");
        if (meta.SaverDef is { } saver)
            Console.WriteLine($"saver: save {saver.SaveTensorName}, restore {saver.RestoreOpName}, format {saver.Version}, max_to_keep {saver.MaxToKeep}");
        foreach (var (name, collection) in meta.CollectionDef.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var count = collection.KindCase switch
            {
                CollectionDef.KindOneofCase.NodeList => collection.NodeList.Value.Count,
                CollectionDef.KindOneofCase.BytesList => collection.BytesList.Value.Count,
                CollectionDef.KindOneofCase.Int64List => collection.Int64List.Value.Count,
                CollectionDef.KindOneofCase.FloatList => collection.FloatList.Value.Count,
                CollectionDef.KindOneofCase.AnyList => collection.AnyList.Value.Count,
                _ => 0,
            };
            Console.WriteLine($"collection {name}: {count} item(s)");
        }
        Graph(meta.GraphDef, "the graph");
    }

    private static void Graph(GraphDef graph, string what)
    {
        var types = graph.Node.GroupBy(n => n.Op).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        Console.WriteLine($"{what}: {graph.Node.Count} nodes of {types.Count} op types{(graph.Versions is { } v ? $" (producer {v.Producer})" : "")}");
        Console.WriteLine("  " + string.Join(", ", types.Select(g => $"{g.Key} {g.Count()}")));
        foreach (var placeholder in graph.Node.Where(n => n.Op is "Placeholder" or "PlaceholderWithDefault"))
        {
            var shape = placeholder.Attr.TryGetValue("shape", out var s) && s.Shape is { } p && !p.UnknownRank
                ? $"[{string.Join(", ", p.Dim.Select(d => d.Size < 0 ? "?" : d.Size.ToString(CultureInfo.InvariantCulture)))}]"
                : "unknown shape";
            var dtype = placeholder.Attr.TryGetValue("dtype", out var t) ? DTypeName(t.Type) : "?";
            Console.WriteLine($"  input {placeholder.Name}: {dtype} {shape}");
        }
        var missing = types.Select(g => g.Key).Where(t => tf.op_def_registry.get(t) is null).ToList();
        Console.WriteLine(missing.Count == 0
            ? "  every op type imports into SharpFlow"
            : $"  op types SharpFlow cannot import yet: {string.Join(", ", missing)}");
    }

    private static void Checkpoint(string prefix)
    {
        var reader = tf.train.NewCheckpointReader(prefix);
        var shapes = reader.get_variable_to_shape_map();
        var dtypes = reader.get_variable_to_dtype_map();
        Console.WriteLine($"{prefix}: a checkpoint of {shapes.Count} tensors ({shapes.Values.Sum(s => s.NumElements):N0} values)");
        foreach (var name in shapes.Keys.Order(StringComparer.Ordinal))
            Console.WriteLine($"  {name} ({dtypes[name].name}) {shapes[name].ToListString()}");
    }
}
