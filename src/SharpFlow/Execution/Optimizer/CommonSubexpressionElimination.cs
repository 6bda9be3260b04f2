using System.Text;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// Common subexpression elimination: of nodes of the same type with the same inputs (in the same order) and equal
/// attributes, only the first runs and the readers of the others read its outputs. Only deterministic nodes take
/// part: no stateful, side-effecting, control-flow or preserved node (<see cref="OptimizedGraph.IsPreserved"/>)
/// is ever merged away. Values are bitwise the same: the kept node computes exactly what each duplicate would.
/// </summary>
internal static class CommonSubexpressionElimination
{
    public const string Name = "cse";

    public static void Run(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        var seen = new Dictionary<string, List<OptNode>>(StringComparer.Ordinal);
        // Nodes are in topological order, and a merge rewires only later readers, so one pass finds chains too
        // (two equal Adds of two equal Consts).
        foreach (var n in g.Nodes.ToList())
        {
            if (g.Frozen(n.Op) || n.ControlInputs.Count > 0 || n.Op.outputs.Count == 0) continue;
            if (n.Op.outputs.Any(t => t.dtype == DType.resource)) continue;
            var key = Key(n);
            if (!seen.TryGetValue(key, out var bucket)) seen[key] = bucket = [];
            var twin = bucket.FirstOrDefault(b => AttrsEqual(b.Op.attrs, n.Op.attrs));
            if (twin is null || g.IsPreserved(n, controlSources))
            {
                if (twin is null) bucket.Add(n);
                continue;
            }
            var merged = true;
            for (var i = 0; i < n.Op.outputs.Count && merged; i++) merged = g.Replace(n.Op.outputs[i], twin.Op.outputs[i]);
            if (merged) g.Record(Name, $"'{n.Op.name}' ({n.Op.type}) is '{twin.Op.name}'");
        }
    }

    private static string Key(OptNode n)
    {
        var sb = new StringBuilder(n.Op.type).Append('(');
        foreach (var t in n.Inputs) sb.Append(t.op.Id).Append(':').Append(t.op.name).Append(':').Append(t.value_index).Append(',');
        sb.Append(')');
        foreach (var (k, v) in n.Op.attrs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('=');
            // Large values (a constant's tensor) are compared in full only between nodes of the same key.
            sb.Append(v is NDArray a ? $"{a.dtype.name}{a.shape.ToListString()}" : AttrText(v)).Append(';');
        }
        return sb.ToString();
    }

    private static string AttrText(object v) => v switch
    {
        Array array => "[" + string.Join(",", array.Cast<object>().Select(AttrText)) + "]",
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Shape s => s.ToListString(),
        _ => v.ToString() ?? "",
    };

    private static bool AttrsEqual(IReadOnlyDictionary<string, object> a, IReadOnlyDictionary<string, object> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
        {
            if (!b.TryGetValue(k, out var w)) return false;
            if (v is NDArray x)
            {
                if (w is not NDArray y || x.dtype != y.dtype || x.shape.ToListString() != y.shape.ToListString() || !x.ValueEquals(y)) return false;
            }
            else if (AttrText(v) != AttrText(w) || v.GetType() != w.GetType()) return false;
        }
        return true;
    }
}
