using Google.Protobuf;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>Builds ONNX nodes with typed attributes (the exporter's, and the tests' hand-written models).</summary>
internal static class OnnxNodes
{
    /// <summary>
    /// A node named <c>TYPE_INDEX</c> with attributes from C# values: int or long (INT), float (FLOAT), string (STRING),
    /// int[] or long[] (INTS), float[] (FLOATS), string[] (STRINGS), GraphProto (GRAPH), TypeProto (TYPE_PROTO), NDArray (TENSOR).
    /// </summary>
    public static NodeProto Create(string type, int index, string[] inputs, string[] outputs, (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = type, Name = $"{type}_{index}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        return node;
    }

    public static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(v => (long)v)); break;
            case float[] floats: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(floats); break;
            case string[] strings: a.Type = AttributeProto.Types.AttributeType.Strings; a.Strings.AddRange(strings.Select(ByteString.CopyFromUtf8)); break;
            case GraphProto g: a.Type = AttributeProto.Types.AttributeType.Graph; a.G = g; break;
            case TypeProto t: a.Type = AttributeProto.Types.AttributeType.TypeProto; a.Tp = t; break;
            case NDArray t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = OnnxTensors.FromNDArray(t, name); break;
            default: throw new ArgumentException($"ONNX attribute {name}: values of type {value.GetType().Name} are not supported", nameof(value));
        }
        return a;
    }
}
