using Google.Protobuf;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// An ONNX model read from a file or bytes: its producer, operator set, inputs and outputs, ready to be imported into
/// a SharpFlow graph with <see cref="Import"/>.
/// <code>
/// var model = OnnxModel.Load("ResNet18.onnx");
/// var net = model.Import();                        // into the default graph, weights frozen
/// var features = net.Outputs["Pooling395_Output_0"];
/// sess.run(features, new FeedDict { [net.Inputs["Input247"]] = images });
/// </code>
/// </summary>
public sealed class OnnxModel
{
    private OnnxModel(ModelProto proto, string source)
    {
        Proto = proto;
        Source = source;
    }

    internal ModelProto Proto { get; }

    /// <summary>The file (or description) the model came from, as error messages name it.</summary>
    public string Source { get; }

    /// <summary>The tool that wrote the model, with its version.</summary>
    public string Producer => $"{Proto.ProducerName} {Proto.ProducerVersion}".Trim();

    /// <summary>The ONNX IR version of the file.</summary>
    public long IrVersion => Proto.IrVersion;

    /// <summary>The version of the default ONNX operator set the model uses.</summary>
    public long Opset => Proto.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain) || o.Domain == "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();

    /// <summary>The graph inputs that are not initializers, with their shapes (-1 for a symbolic dimension).</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Inputs
    {
        get
        {
            var initializers = Proto.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            return [.. Proto.Graph.Input.Where(i => !initializers.Contains(i.Name)).Select(i => (i.Name, ShapeOf(i)))];
        }
    }

    /// <summary>The graph outputs with their shapes (-1 for a symbolic dimension).</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Outputs => [.. Proto.Graph.Output.Select(o => (o.Name, ShapeOf(o)))];

    /// <summary>The operator types the graph uses, with how often each occurs.</summary>
    public IReadOnlyDictionary<string, int> Operators =>
        Proto.Graph.Node.GroupBy(n => n.OpType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Reads an ONNX model file; a file that is not a valid ONNX model is a <see cref="DataLossError"/> naming it.</summary>
    public static OnnxModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new NotFoundError($"ONNX model file {path} does not exist.", null, e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Reads an ONNX model from its serialized bytes; <paramref name="source"/> names it in errors.</summary>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes, string source = "ONNX model")
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataLossError($"{source} is not a valid ONNX model: {e.Message}", null, e);
        }
        if (proto.Graph is null || proto.Graph.Node.Count == 0)
            throw new DataLossError($"{source} is not a valid ONNX model: it has no graph nodes.");
        if (proto.IrVersion < 3)
            throw new UnimplementedError($"{source} has ONNX IR version {proto.IrVersion}; SharpFlow.Onnx reads IR version 3 and later.");
        foreach (var output in proto.Graph.Output)
            if (string.IsNullOrEmpty(output.Name)) throw new DataLossError($"{source} is not a valid ONNX model: a graph output has no name.");
        return new OnnxModel(proto, source);
    }

    /// <summary>The model's bytes, as written to a file.</summary>
    public byte[] ToByteArray() => Proto.ToByteArray();

    /// <summary>Writes the model to a file (atomically: a temporary file renamed over the target).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, ToByteArray());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Exports the computation from <paramref name="inputs"/> to <paramref name="outputs"/> (ONNX names → tensors) as an
    /// ONNX model, opset 13. Variables and everything else that does not depend on the inputs are evaluated in
    /// <paramref name="session"/> and stored as initializers. Build the graph for inference (<c>training: false</c>)
    /// first: an op SharpFlow cannot map (a random op of dropout) is an <see cref="UnimplementedError"/> naming it.
    /// </summary>
    public static OnnxModel Export(Session session, IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> outputs) =>
        Export(session, inputs, outputs, 13);

    /// <summary>
    /// <see cref="Export(Session, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, Tensor})"/> at
    /// operator set <paramref name="opset"/>, 13 to 20 (the nodes written differ only where an operator changed); another is
    /// an <see cref="UnimplementedError"/>.
    /// </summary>
    public static OnnxModel Export(Session session, IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> outputs, int opset)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (opset is < OnnxExporter.MinOpset or > OnnxExporter.MaxOpset)
            throw new UnimplementedError($"SharpFlow.Onnx exports at opsets {OnnxExporter.MinOpset} to {OnnxExporter.MaxOpset}, not opset {opset}.");
        return new OnnxModel(new OnnxExporter(session, inputs, outputs, opset).Run(), "exported model");
    }

    /// <summary>
    /// Builds the model's computation in the default graph (under a name scope when <see cref="OnnxImportOptions.Name"/>
    /// is set) and returns its input and output tensors. Every operator and attribute is checked first; one SharpFlow
    /// cannot map is an <see cref="UnimplementedError"/> naming it and its node.
    /// </summary>
    public ImportedModel Import(OnnxImportOptions? options = null)
    {
        try
        {
            return new OnnxImporter(this, options ?? new OnnxImportOptions()).Run();
        }
        catch (Exception e) when (e is ValueError or TypeError or OverflowException or ArgumentOutOfRangeException)
        {
            throw new InvalidArgumentError($"{Source}: cannot be imported: {e.Message}", null, e);
        }
    }

    internal static long[] ShapeOf(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor?.Shape is null) return [];
        return [.. tensor.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : -1)];
    }
}
