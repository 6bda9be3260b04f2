using System.Text;
using Google.Protobuf;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// Conversions between the attribute values SharpFlow's ops store (a <see cref="DType"/>, <c>long</c>,
/// <c>int[]</c>, <see cref="Shape"/>, <see cref="NDArray"/>, ...) and TensorFlow's <c>AttrValue</c> messages.
/// </summary>
internal static class AttrValues
{
    // Integer attributes that SharpFlow's op definitions read as int (every other integer attribute is a long, as
    // TensorFlow's Python API stores them).
    private static readonly HashSet<string> IntAttrs = new(StringComparer.Ordinal)
    {
        "max_attempts", "ratio", "quality", "precision", "depth_radius", "compression", "channels", "summarize",
        "Nsparse", "Ndense", "num_sparse", "Ncontext_sparse", "Ncontext_dense", "Nfeature_list_sparse",
        "Nfeature_list_dense", "width", "x_density", "y_density", "max_images",
        "OneHot.axis", "PaddedBatchDatasetV2.N",
    };

    /// <summary>The AttrValue of a stored attribute, or null for values TensorFlow has no attribute kind for.</summary>
    public static AttrValue? ToProto(object value) => value switch
    {
        DType d => new AttrValue { Type = TensorProtos.ToProto(d) },
        bool b => new AttrValue { B = b },
        int i => new AttrValue { I = i },
        long l => new AttrValue { I = l },
        float f => new AttrValue { F = f },
        double f => new AttrValue { F = (float)f },
        string s => new AttrValue { S = ByteString.CopyFromUtf8(s) },
        byte[] s => new AttrValue { S = ByteString.CopyFrom(s) },
        Shape s => new AttrValue { Shape = TensorProtos.ToProto(s) },
        NDArray a => new AttrValue { Tensor = TensorProtos.ToProto(a) },
        int[] list => List(l => l.I.AddRange(list.Select(v => (long)v))),
        long[] list => List(l => l.I.AddRange(list)),
        float[] list => List(l => l.F.AddRange(list)),
        bool[] list => List(l => l.B.AddRange(list)),
        string[] list => List(l => l.S.AddRange(list.Select(ByteString.CopyFromUtf8))),
        DType[] list => List(l => l.Type.AddRange(list.Select(TensorProtos.ToProto))),
        Shape[] list => List(l => l.Shape.AddRange(list.Select(TensorProtos.ToProto))),
        _ => null,
    };

    private static AttrValue List(Action<AttrValue.Types.ListValue> fill)
    {
        var list = new AttrValue.Types.ListValue();
        fill(list);
        return new AttrValue { List = list };
    }

    private static int Int32Of(long value, string what) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new ValueError($"{what}: {value} is out of the int32 range");

    /// <summary>
    /// The value SharpFlow's op <paramref name="opType"/> stores for attribute <paramref name="name"/>, from its
    /// AttrValue. <paramref name="node"/> names the node in messages.
    /// </summary>
    public static object FromProto(string opType, string name, AttrValue value, string node)
    {
        var what = $"Node '{node}' ({opType}), attr '{name}'";
        switch (value.ValueCase)
        {
            case AttrValue.ValueOneofCase.Type:
                return TensorProtos.FromProto(value.Type) ?? throw new UnimplementedError($"{what}: type {TensorProtos.Name(value.Type)} is not supported");
            case AttrValue.ValueOneofCase.B: return value.B;
            case AttrValue.ValueOneofCase.I:
                // (object) first: otherwise the conditional's type is long and the int is widened back.
                return IntAttrs.Contains(name) || IntAttrs.Contains(opType + "." + name) ? (object)Int32Of(value.I, what) : value.I;
            case AttrValue.ValueOneofCase.F: return value.F;
            case AttrValue.ValueOneofCase.S: return Encoding.UTF8.GetString(value.S.Span);
            case AttrValue.ValueOneofCase.Shape: return TensorProtos.FromProto(value.Shape);
            case AttrValue.ValueOneofCase.Tensor: return TensorProtos.FromProto(value.Tensor, what);
            case AttrValue.ValueOneofCase.List:
                var l = value.List;
                if (l.Type.Count > 0)
                    return l.Type.Select(t => TensorProtos.FromProto(t) ?? throw new UnimplementedError($"{what}: type {TensorProtos.Name(t)} is not supported")).ToArray();
                if (l.Shape.Count > 0) return l.Shape.Select(TensorProtos.FromProto).ToArray();
                if (l.I.Count > 0) return l.I.Select(v => Int32Of(v, what)).ToArray();
                if (l.F.Count > 0) return l.F.ToArray();
                if (l.S.Count > 0) return l.S.Select(s => Encoding.UTF8.GetString(s.Span)).ToArray();
                if (l.B.Count > 0) return l.B.ToArray();
                if (l.Tensor.Count > 0) return l.Tensor.Select(t => TensorProtos.FromProto(t, what)).ToArray();
                if (l.Func.Count > 0) throw new UnimplementedError($"{what}: function attributes are not supported");
                return EmptyList(name);
            case AttrValue.ValueOneofCase.Func:
                throw new UnimplementedError($"{what}: function attributes are not supported");
            case AttrValue.ValueOneofCase.Placeholder:
                throw new UnimplementedError($"{what}: placeholder attributes belong in functions, which are not supported");
            default:
                throw new ValueError($"{what}: the AttrValue holds no value");
        }
    }

    // An empty list carries no element kind: the attribute's name tells which list SharpFlow's ops expect.
    private static object EmptyList(string name) => name switch
    {
        _ when name.EndsWith("shapes", StringComparison.Ordinal) => System.Array.Empty<Shape>(),
        _ when name.EndsWith("types", StringComparison.Ordinal) || name.StartsWith('T') || name == "dtypes" || name == "OUT_TYPE" => System.Array.Empty<DType>(),
        _ when name.EndsWith("keys", StringComparison.Ordinal) => System.Array.Empty<string>(),
        _ when name.EndsWith("range", StringComparison.Ordinal) => System.Array.Empty<float>(),
        _ => System.Array.Empty<int>(),
    };
}
