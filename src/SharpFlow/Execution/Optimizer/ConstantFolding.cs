using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// Constant folding: the nodes whose inputs all come from constants (and Shape, Size and Rank of tensors whose
/// static shape is known) are computed once, when the plan is built, by their own kernels, and each of their
/// outputs that a remaining node reads becomes a new <c>Const</c> node (named <c>ConstantFolding/NAME</c>, as
/// TensorFlow's). Outputs over <see cref="MaxBytes"/> stay computed at run time. Preserved nodes (fetched, fed,
/// with control edges), stateful and side-effecting ops and string or resource outputs are never folded; when a
/// folded kernel fails, nothing is folded and the run reports the error as it would have. Values are bitwise the
/// same: the same kernels compute them.
/// </summary>
internal static class ConstantFolding
{
    public const string Name = "constant_folding";

    /// <summary>The largest output folded into a constant: 10 MiB.</summary>
    public const long MaxBytes = 10L << 20;

    public static void Run(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        var constant = new HashSet<Operation>();
        var foldable = new List<OptNode>();
        foreach (var n in g.Nodes)
        {
            if (n.Op.type == "Const" && n.Origin is null && !g.Frozen(n.Op))
            {
                if (!n.Op.outputs.Any(g.IsFed)) constant.Add(n.Op);
                continue;
            }
            if (g.IsPreserved(n, controlSources) || n.Inputs.Length == 0) continue;
            if (n.Op.outputs.Any(t => t.dtype == DType.@string || t.dtype == DType.resource)) continue;
            if (n.Op.outputs.Any(t => t.shape.IsFullyDefined && (long)t.shape.AsSpan().ToArray().Aggregate(1L, (p, d) => p * d) * t.dtype.size > MaxBytes)) continue;
            var fromConstants = n.Inputs.All(t => !g.IsFed(t) && constant.Contains(t.op));
            // A fed value has the tensor's static shape when that is fully known (the session checks feeds).
            var fromKnownShape = IsShapeOnly(n) && n.Inputs.Length == 1
                && (n.Op.type == "Rank" ? n.Inputs[0].shape.IsKnownRank : n.Inputs[0].shape.IsFullyDefined);
            if (IsShapeOnly(n) ? !fromKnownShape : !fromConstants) continue;
            constant.Add(n.Op);
            foldable.Add(n);
        }
        if (foldable.Count == 0) return;

        // The folded outputs some remaining node (or a fetch, through a preserved reader) needs.
        var folded = foldable.Select(n => n.Op).ToHashSet();
        var frontier = new List<Tensor>();
        var frontierSet = new HashSet<Tensor>(TensorComparer.Instance);
        foreach (var n in g.Nodes)
            if (!folded.Contains(n.Op))
                foreach (var t in n.Inputs)
                    if (folded.Contains(t.op) && frontierSet.Add(t)) frontier.Add(t);
        if (frontier.Count == 0) return;

        NDArray[] values;
        try
        {
            // The folded nodes (Shape-like ones read no input value) plus the constants they read, run as a plan.
            var nodes = new List<(Operation, Tensor[], Operation[])>();
            var included = new HashSet<Operation>();
            foreach (var n in g.Nodes)
            {
                var isInput = n.Op.type == "Const" && foldable.Any(f => !IsShapeOnly(f) && f.Inputs.Any(t => ReferenceEquals(t.op, n.Op)));
                if (folded.Contains(n.Op) || isInput)
                {
                    // A Shape, Size or Rank node is replaced by its build-time value: its input is not computed.
                    if (IsShapeOnly(n)) continue;
                    nodes.Add((n.Op, [.. n.Inputs], []));
                    included.Add(n.Op);
                }
            }
            var shapeOnly = foldable.Where(IsShapeOnly).ToDictionary(n => n.Op);
            var computed = frontier.Where(t => included.Contains(t.op)).ToList();
            // Nodes that read a Shape-like node's output get its value as a feed.
            var feeds = nodes.SelectMany(n => n.Item2).Where(t => shapeOnly.ContainsKey(t.op)).Distinct(TensorComparer.Instance).ToList();
            var feedValues = feeds.Select(t => ShapeValue(shapeOnly[t.op])).ToList();
            if (feedValues.Any(v => v is null)) return;
            var valueOf = new Dictionary<Tensor, NDArray>(TensorComparer.Instance);
            if (computed.Count > 0)
            {
                var plan = Plan.FromNodes(nodes, computed, computed, feeds, op => op.Def.CreateKernel(op));
                var results = Executor.Run(plan, feedValues!, new RunMemory(plan, new VariableStore()));
                for (var i = 0; i < computed.Count; i++) valueOf[computed[i]] = results[i];
            }
            foreach (var t in frontier)
                if (shapeOnly.TryGetValue(t.op, out var s)) valueOf[t] = ShapeValue(s)!;
            values = [.. frontier.Select(t => valueOf[t])];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            g.Record(Name, $"skipped: {e.Message}");
            return;
        }

        for (var i = 0; i < frontier.Count; i++)
        {
            var (t, value) = (frontier[i], values[i]);
            if ((long)value.size * value.dtype.size > MaxBytes || value.dtype != t.dtype) continue;
            var name = "ConstantFolding/" + t.op.name + (t.value_index == 0 ? "" : "-" + t.value_index);
            var op = new Operation(t.op.graph, t.op.Id, name, Ops.ArrayOps.Const.Def, [], [],
                new Dictionary<string, object>(StringComparer.Ordinal) { { Ops.ArrayOps.Const.Value, value }, { Ops.ArrayOps.Const.Dtype, value.dtype } },
                [(value.dtype, value.shape)]) { device = t.op.device };
            if (!g.Replace(t, op.outputs[0])) continue;
            g.Add(new OptNode(op, [], [], $"folded {t.op.type} '{t.op.name}'"));
            g.Record(Name, $"'{t.name}' ({t.op.type}) is a constant of shape {value.shape.ToListString()}");
        }
    }

    private static bool IsShapeOnly(OptNode n) => n.Op.type is "Shape" or "Size" or "Rank";

    private static NDArray? ShapeValue(OptNode n)
    {
        var shape = n.Inputs[0].shape;
        var outType = Shape_.OutType.Of(n.Op);
        long[] v = n.Op.type switch
        {
            "Rank" => [shape.ndims],
            "Size" => [shape.AsSpan().ToArray().Aggregate(1L, (p, x) => p * x)],
            _ => [.. shape.AsSpan().ToArray().Select(x => (long)x)],
        };
        var value = n.Op.type == "Shape" ? NDArray.FromFlat(v, new Shape(v.Length)) : NDArray.Scalar(v[0]);
        var result = value.Cast(outType);
        return result.dtype == n.Op.outputs[0].dtype ? result : null;
    }
}
