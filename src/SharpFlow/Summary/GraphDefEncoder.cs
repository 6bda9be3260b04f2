using SharpFlow.Framework;

namespace SharpFlow.Summaries;

/// <summary>
/// Serializes a <see cref="Graph"/> as TensorFlow's <c>GraphDef</c> (graph.proto, node_def.proto,
/// attr_value.proto): one NodeDef per op with its scoped name, TensorFlow's op type, inputs as <c>node:k</c>
/// (<c>node</c> for output 0) and control inputs as <c>^node</c>, and the op's attributes (<c>T</c>,
/// <c>dtype</c>, <c>shape</c>, <c>value</c> of constants as TensorProtos, lists, ...) plus
/// <c>_output_shapes</c>, so TensorBoard draws the graph as it draws TensorFlow's.
/// </summary>
public static class GraphDefEncoder
{
    /// <summary>The <c>producer</c> version TensorFlow 1.15 writes into GraphDefs.</summary>
    public const int Producer = 134;

    /// <summary>The GraphDef bytes of <paramref name="graph"/>.</summary>
    public static byte[] Encode(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var w = new ProtoWriter();
        foreach (var op in graph.get_operations()) w.Message(1, Node(op));
        w.Message(4, new ProtoWriter().Int(1, Producer));
        return w.ToArray();
    }

    private static ProtoWriter Node(Operation op)
    {
        var w = new ProtoWriter().String(1, op.name).String(2, op.type);
        foreach (var input in op.inputs) w.String(3, input.value_index == 0 ? input.op.name : $"{input.op.name}:{input.value_index}");
        foreach (var control in op.control_inputs) w.String(3, "^" + control.name);
        if (op.device.Length > 0) w.String(4, op.device);
        foreach (var (name, value) in op.attrs.OrderBy(a => a.Key, StringComparer.Ordinal))
            if (Attr(value) is { } attr) w.Message(5, new ProtoWriter().String(1, name).Message(2, attr));
        var shapes = new ProtoWriter();
        foreach (var output in op.outputs) shapes.Message(7, ShapeProto(output.shape));
        w.Message(5, new ProtoWriter().String(1, "_output_shapes").Message(2, new ProtoWriter().Message(1, shapes)));
        return w;
    }

    /// <summary>TensorFlow's DataType enum value.</summary>
    public static int DataTypeNumber(DType d) => d.Id switch
    {
        DataType.Float => 1,
        DataType.Double => 2,
        DataType.Int32 => 3,
        DataType.UInt8 => 4,
        DataType.Int64 => 9,
        DataType.String => 7,
        DataType.Resource => 20,
        _ => 10, // DT_BOOL
    };

    private static ProtoWriter? Attr(object value) => value switch
    {
        DType d => new ProtoWriter().Int(6, DataTypeNumber(d)),
        bool b => new ProtoWriter().Bool(5, b),
        int i => new ProtoWriter().Int(3, i),
        long l => new ProtoWriter().Int(3, l),
        float f => new ProtoWriter().Float(4, f),
        double f => new ProtoWriter().Float(4, (float)f),
        string s => new ProtoWriter().String(2, s),
        Shape s => new ProtoWriter().Message(7, ShapeProto(s)),
        NDArray a => new ProtoWriter().Message(8, TensorProto(a)),
        int[] list => new ProtoWriter().Message(1, new ProtoWriter().PackedInts(3, list.Select(v => (long)v))),
        long[] list => new ProtoWriter().Message(1, new ProtoWriter().PackedInts(3, list)),
        DType[] list => new ProtoWriter().Message(1, new ProtoWriter().PackedInts(6, list.Select(d => (long)DataTypeNumber(d)))),
        _ => null,
    };

    /// <summary>A TensorShapeProto: one dim per axis (-1 where unknown), or unknown_rank.</summary>
    public static ProtoWriter ShapeProto(Shape shape)
    {
        var w = new ProtoWriter();
        if (!shape.IsKnownRank) return w.Bool(3, true);
        foreach (var d in shape.Dims) w.Message(2, new ProtoWriter().Int(1, d));
        return w;
    }

    /// <summary>A TensorProto: numbers as raw bytes in <c>tensor_content</c>, strings in <c>string_val</c>.</summary>
    public static ProtoWriter TensorProto(NDArray a)
    {
        var w = new ProtoWriter().Int(1, DataTypeNumber(a.dtype)).Message(2, ShapeProto(a.shape));
        if (a.dtype != DType.@string) return w.Bytes(4, a.AsBytes());
        for (var i = 0; i < a.size; i++) w.Bytes(8, a.StringBytes(i));
        return w;
    }
}
