using SharpFlow.FileIO;
using System.Globalization;
using System.Text;
using SharpFlow.Summaries;

namespace SharpFlow.Cli.Board;

/// <summary>A node of a GraphDef as the page shows it: op type, inputs, device and its attrs summarized.</summary>
internal sealed record GraphNode(string Name, string Op, IReadOnlyList<string> Inputs, string Device, IReadOnlyDictionary<string, string> Attrs);

/// <summary>One node's execution in a RunMetadata's step stats.</summary>
internal sealed record NodeStats(string Device, long AllStartMicros, long OpStartRelMicros, long OpEndRelMicros, long AllEndRelMicros, string TimelineLabel, IReadOnlyList<string> Outputs);

/// <summary>
/// Decodes the GraphDef (<c>NodeDef</c> name 1, op 2, input 3, device 4, attr 5) and RunMetadata (<c>StepStats</c>)
/// protos of event files for the page; malformed bytes raise <see cref="DataLossError"/>.
/// </summary>
internal static class GraphReader
{
    private static readonly Dictionary<long, string> DTypes = new()
    {
        [1] = "float32", [2] = "float64", [3] = "int32", [4] = "uint8", [5] = "int16", [6] = "int8", [7] = "string",
        [8] = "complex64", [9] = "int64", [10] = "bool", [11] = "qint8", [12] = "quint8", [13] = "qint32", [14] = "bfloat16",
        [17] = "uint16", [18] = "complex128", [19] = "float16", [20] = "resource", [21] = "variant", [22] = "uint32", [23] = "uint64",
    };

    /// <summary>The name of a DataType enum value (<c>_ref</c> for reference types).</summary>
    public static string DType(long value) =>
        value > 100 ? DType(value - 100) + "_ref" : DTypes.TryGetValue(value, out var name) ? name : $"dtype {value}";

    /// <summary>The nodes of a serialized GraphDef.</summary>
    public static List<GraphNode> Nodes(byte[] graphDef)
    {
        var nodes = new List<GraphNode>();
        foreach (var f in ProtoReader.Fields(graphDef, "GraphDef"))
        {
            if (f.Number != 1 || f.WireType != 2) continue;
            string name = "", op = "", device = "";
            var inputs = new List<string>();
            var attrs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var n in ProtoReader.Fields(f.Data, "NodeDef"))
            {
                switch (n.Number)
                {
                    case 1: name = n.AsString; break;
                    case 2: op = n.AsString; break;
                    case 3: inputs.Add(n.AsString); break;
                    case 4: device = n.AsString; break;
                    case 5:
                        string key = "", value = "";
                        foreach (var entry in ProtoReader.Fields(n.Data, "NodeDef.AttrEntry"))
                        {
                            if (entry.Number == 1) key = entry.AsString;
                            else if (entry.Number == 2) value = Attr(entry.Data);
                        }
                        attrs[key] = value;
                        break;
                }
            }
            nodes.Add(new GraphNode(name, op, inputs, device, attrs));
        }
        return nodes;
    }

    private static List<long> Varints(ProtoField f)
    {
        if (f.WireType == 0) return [(long)f.Varint];
        var values = new List<long>();
        var span = f.Data.Span;
        for (var i = 0; i < span.Length;)
        {
            ulong v = 0;
            for (var shift = 0; i < span.Length; shift += 7)
            {
                var b = span[i++];
                v |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) break;
            }
            values.Add((long)v);
        }
        return values;
    }

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Shape(ReadOnlyMemory<byte> data)
    {
        var dims = new List<string>();
        foreach (var f in ProtoReader.Fields(data, "TensorShapeProto"))
        {
            if (f.Number == 3 && f.Varint != 0) return "<unknown>";
            if (f.Number != 2) continue;
            long size = 0;
            foreach (var d in ProtoReader.Fields(f.Data, "TensorShapeProto.Dim"))
                if (d.Number == 1) size = (long)d.Varint;
            dims.Add(size < 0 ? "?" : size.ToString(CultureInfo.InvariantCulture));
        }
        return "[" + string.Join(",", dims) + "]";
    }

    private static string Tensor(ReadOnlyMemory<byte> data)
    {
        string dtype = "?", shape = "[]";
        foreach (var f in ProtoReader.Fields(data, "TensorProto"))
        {
            if (f.Number == 1) dtype = DType((long)f.Varint);
            else if (f.Number == 2) shape = Shape(f.Data);
        }
        return $"tensor<{dtype} {shape}>";
    }

    private static string Attr(ReadOnlyMemory<byte> data)
    {
        foreach (var f in ProtoReader.Fields(data, "AttrValue"))
        {
            switch (f.Number)
            {
                case 1: return List(f.Data);
                case 2: return Quote(f.AsString);
                case 3: return ((long)f.Varint).ToString(CultureInfo.InvariantCulture);
                case 4: return Number(f.AsFloat);
                case 5: return f.Varint != 0 ? "true" : "false";
                case 6: return DType((long)f.Varint);
                case 7: return Shape(f.Data);
                case 8: return Tensor(f.Data);
                case 9: return "$" + f.AsString;
                case 10:
                    foreach (var g in ProtoReader.Fields(f.Data, "NameAttrList"))
                        if (g.Number == 1) return "func " + g.AsString;
                    return "func";
            }
        }
        return "";
    }

    private static string Quote(string s) => "\"" + (s.Length > 80 ? s[..79] + "…" : s) + "\"";

    private static string List(ReadOnlyMemory<byte> data)
    {
        var items = new List<string>();
        foreach (var f in ProtoReader.Fields(data, "AttrValue.ListValue"))
        {
            switch (f.Number)
            {
                case 2: items.Add(Quote(f.AsString)); break;
                case 3: items.AddRange(Varints(f).Select(v => v.ToString(CultureInfo.InvariantCulture))); break;
                case 4: items.AddRange(ProtoFloats(f).Select(v => Number(v))); break;
                case 5: items.AddRange(Varints(f).Select(v => v != 0 ? "true" : "false")); break;
                case 6: items.AddRange(Varints(f).Select(DType)); break;
                case 7: items.Add(Shape(f.Data)); break;
                case 8: items.Add(Tensor(f.Data)); break;
            }
        }
        return "[" + string.Join(", ", items) + "]";
    }

    private static List<float> ProtoFloats(ProtoField f)
    {
        if (f.WireType == 5) return [f.AsFloat];
        var bytes = f.Data.ToArray();
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, 4 * i))];
    }

    /// <summary>The per-node step stats of a serialized RunMetadata, by node name.</summary>
    public static Dictionary<string, NodeStats> StepStats(byte[] runMetadata)
    {
        var stats = new Dictionary<string, NodeStats>(StringComparer.Ordinal);
        foreach (var f in ProtoReader.Fields(runMetadata, "RunMetadata"))
        {
            if (f.Number != 1) continue;
            foreach (var dev in ProtoReader.Fields(f.Data, "StepStats"))
            {
                if (dev.Number != 1) continue;
                var device = "";
                var nodes = new List<ReadOnlyMemory<byte>>();
                foreach (var d in ProtoReader.Fields(dev.Data, "DeviceStepStats"))
                {
                    if (d.Number == 1) device = d.AsString;
                    else if (d.Number == 2) nodes.Add(d.Data);
                }
                foreach (var node in nodes)
                {
                    var s = Node(node, device);
                    stats[s.Name] = s.Stats;
                }
            }
        }
        return stats;
    }

    private static (string Name, NodeStats Stats) Node(ReadOnlyMemory<byte> data, string device)
    {
        string name = "", label = "";
        long start = 0, opStart = 0, opEnd = 0, allEnd = 0;
        var outputs = new List<string>();
        foreach (var f in ProtoReader.Fields(data, "NodeExecStats"))
        {
            switch (f.Number)
            {
                case 1: name = f.AsString; break;
                case 2: start = (long)f.Varint; break;
                case 3: opStart = (long)f.Varint; break;
                case 4: opEnd = (long)f.Varint; break;
                case 5: allEnd = (long)f.Varint; break;
                case 7: outputs.Add(Output(f.Data)); break;
                case 8: label = f.AsString; break;
            }
        }
        return (name, new NodeStats(device, start, opStart, opEnd, allEnd, label, outputs));
    }

    private static string Output(ReadOnlyMemory<byte> data)
    {
        long slot = 0;
        var text = new StringBuilder();
        foreach (var f in ProtoReader.Fields(data, "NodeOutput"))
        {
            if (f.Number == 1) slot = (long)f.Varint;
            else if (f.Number == 3)
            {
                string dtype = "?", shape = "[]";
                long bytes = 0;
                foreach (var d in ProtoReader.Fields(f.Data, "TensorDescription"))
                {
                    if (d.Number == 1) dtype = DType((long)d.Varint);
                    else if (d.Number == 2) shape = Shape(d.Data);
                    else if (d.Number == 4)
                        foreach (var a in ProtoReader.Fields(d.Data, "AllocationDescription"))
                            if (a.Number == 1) bytes = (long)a.Varint;
                }
                text.Append(CultureInfo.InvariantCulture, $"{dtype} {shape}, {bytes} bytes");
            }
        }
        return $"{slot}: {text}";
    }
}
