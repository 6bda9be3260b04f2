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
