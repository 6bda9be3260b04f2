using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// Moves a Transpose below the element-wise binary op that reads it (Mul, Add, AddV2, Sub, RealDiv with an operand
/// of fully known shape that broadcasts into the transposed one), <c>op(transpose(x, p), c)</c> becoming
/// <c>transpose(op(x, c'), p)</c> with c' the operand laid out as x (a Reshape, and a Transpose by the inverse
/// permutation where the reshape alone would reorder its values), and then drops the pairs of Transposes whose
/// permutations cancel, until neither applies (part of TensorFlow's layout and arithmetic optimizers). An ONNX
/// model that SharpFlow exported and imported again runs each convolution between two Transposes (NHWC to the
/// file's NCHW and back) with its batch norm's Mul and Add in NCHW between them: once the Transposes move below
/// the Mul and Add they cancel, and batch norm folding and the remapper find the convolution, the Mul and the Add
/// in a row. Each element meets the same operand as before, so results are bitwise the same. It runs before batch
/// norm folding, with the arithmetic optimizer's switch (<c>arithmetic_optimization</c>).
/// </summary>
internal static class TransposeSinking
{
    public const string Name = "transpose_sinking";

    private const int MaxRounds = 100;

    public static void Run(OptimizedGraph g)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var sunk = Sink(g);
            g.Prune();
            var cancelled = Cancel(g);
            g.Prune();
            if (!sunk && !cancelled) return;
        }
    }

    private static int[]? Permutation(OptimizedGraph g, Dictionary<Operation, OptNode> byOp, OptNode transpose) =>
        !g.IsFed(transpose.Inputs[1]) && byOp.TryGetValue(transpose.Inputs[1].op, out var p) && p.Op.type == "Const"
            ? Const.Value.Of(p.Op).Cast(DType.int64).ToArray<long>().Select(v => (int)v).ToArray()
            : null;

    private static bool Sink(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        var consumers = g.Consumers();
        var byOp = g.Nodes.ToDictionary(n => n.Op);
        var changed = false;
        var used = new HashSet<OptNode>();
        foreach (var n in g.Nodes.ToList())
        {
            if (n.Op.type is not ("Mul" or "Add" or "AddV2" or "Sub" or "RealDiv") || n.Inputs.Length != 2 || n.Op.outputs.Count != 1) continue;
            // The op may be fetched (the moved Transpose's output is fetched instead), not fed, frozen or tied by control edges.
            if (used.Contains(n) || !g.IsReplaceable(n, controlSources)) continue;
            var output = n.Op.outputs[0];
            for (var side = 0; side < 2; side++)
            {
                var t = n.Inputs[side];
                var other = n.Inputs[1 - side];
                if (t.op.type != "Transpose" || g.IsFed(t) || !byOp.TryGetValue(t.op, out var tn) || used.Contains(tn)) continue;
                // The Transpose's only reader is this op, and nothing else needs it (a Transpose this pass moved counts too).
                if (g.IsPreserved(tn, controlSources) || !consumers.TryGetValue(t, out var readers) || readers.Count != 1) continue;
                if (Permutation(g, byOp, tn) is not { } perm) continue;
                var x = tn.Inputs[0];
                if (!x.shape.IsKnownRank || x.shape.ndims != perm.Length || !t.shape.IsKnownRank || t.shape.ndims != perm.Length) continue;
                if (x.dtype != output.dtype || other.dtype != output.dtype || !other.shape.IsFullyDefined || other.shape.ndims > perm.Length) continue;
                if (!output.shape.IsKnownRank || output.shape.ToListString() != t.shape.ToListString()) continue;
                if (!BroadcastsInto(other.shape, t.shape)) continue;

                var graph = n.Op.graph;
                var id = n.Op.Id;
                var prefix = n.Op.name + "/sunk_";
                var rank = perm.Length;
                var full = Enumerable.Repeat(1, rank - other.shape.ndims).Concat(other.shape.AsSpan().ToArray()).ToArray();
                var inverse = new int[rank];
                for (var i = 0; i < rank; i++) inverse[perm[i]] = i;
                var laidOut = Enumerable.Range(0, rank).Select(j => full[inverse[j]]).ToArray();
                // The axes of more than one element, in x's order: a reshape keeps their values' order, so it
                // suffices when they come in the same order as in the transposed layout.
                var axes = Enumerable.Range(0, rank).Where(j => laidOut[j] != 1).Select(j => inverse[j]).ToArray();
                var ordered = axes.Zip(axes.Skip(1), (a, b) => a < b).All(b => b);
                Tensor operand = ordered
                    ? MakeReshape(g, graph, id, prefix + "operand", other, laidOut)
                    : MakeTranspose(g, graph, id, prefix + "operand_transposed", MakeReshape(g, graph, id, prefix + "operand", other, full), inverse, new Shape(laidOut));
                Tensor[] inputs = side == 0 ? [x, operand] : [operand, x];
                var moved = new Operation(graph, id, prefix + n.Op.type, n.Op.Def, inputs, [], new Dictionary<string, object>(n.Op.attrs, StringComparer.Ordinal),
                    [(output.dtype, x.shape)]) { device = n.Op.device };
                // No origin: the moved op stands where the user's would, so batch norm folding and the remapper take it.
                g.Add(new OptNode(moved, [.. inputs], []));
                var after = MakeTranspose(g, graph, id, n.Op.name, moved.outputs[0], perm, output.shape, tn.Inputs[1]);
                if (!g.Replace(output, after)) continue;
                g.Record(Name, $"{n.Op.type} '{n.Op.name}' moved above Transpose '{t.op.name}'");
                used.Add(n);
                used.Add(tn);
                changed = true;
                break;
            }
        }
        return changed;
    }

    // The operand broadcasts into the transposed tensor's shape without changing it.
    private static bool BroadcastsInto(Shape operand, Shape target)
    {
        var offset = target.ndims - operand.ndims;
        for (var i = 0; i < operand.ndims; i++)
            if (operand[i] != 1 && operand[i] != target[offset + i]) return false;
        return true;
    }

    private static bool Cancel(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        var byOp = g.Nodes.ToDictionary(n => n.Op);
        var changed = false;
        foreach (var n in g.Nodes.ToList())
        {
            if (n.Op.type != "Transpose" || !g.IsReplaceable(n, controlSources)) continue;
            var inner = n.Inputs[0];
            if (inner.op.type != "Transpose" || g.IsFed(inner) || !byOp.TryGetValue(inner.op, out var innerNode)) continue;
            if (Permutation(g, byOp, n) is not { } q || Permutation(g, byOp, innerNode) is not { } p || p.Length != q.Length) continue;
            if (Enumerable.Range(0, q.Length).Any(i => p[q[i]] != i)) continue;
            var x = innerNode.Inputs[0];
            if (x.op.Def.IsRefOutput(x.value_index) || x.op.Def.ControlFlow != ControlFlowRole.None || x.dtype != n.Op.outputs[0].dtype) continue;
            if (!g.Replace(n.Op.outputs[0], x)) continue;
            g.Record(Name, $"Transpose '{n.Op.name}' undoes '{inner.op.name}'");
            changed = true;
        }
        return changed;
    }

    private static Tensor MakeReshape(OptimizedGraph g, Graph graph, int id, string name, Tensor t, int[] shape)
    {
        var value = NDArray.FromFlat(shape, new Shape(shape.Length));
        var target = new Operation(graph, id, name + "/shape", Const.Def, [], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { Const.Value, value }, { Const.Dtype, value.dtype } }, [(value.dtype, value.shape)]);
        g.Add(new OptNode(target, [], [])); // a plain constant, which constant folding folds into the reshape
        var op = new Operation(graph, id, name, Reshape.Def, [t, target.outputs[0]], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { Reshape.T, t.dtype }, { Reshape.Tshape, DType.int32 } }, [(t.dtype, new Shape(shape))]);
        g.Add(new OptNode(op, [.. op.inputs], [], "transpose sinking: the operand laid out as the Transpose's input"));
        return op.outputs[0];
    }

    private static Tensor MakeTranspose(OptimizedGraph g, Graph graph, int id, string name, Tensor t, int[] perm, Shape shape, Tensor? permTensor = null)
    {
        if (permTensor is null)
        {
            var value = NDArray.FromFlat(perm, new Shape(perm.Length));
            var p = new Operation(graph, id, name + "/perm", Const.Def, [], [],
                new Dictionary<string, object>(StringComparer.Ordinal) { { Const.Value, value }, { Const.Dtype, value.dtype } }, [(value.dtype, value.shape)]);
            g.Add(new OptNode(p, [], []));
            permTensor = p.outputs[0];
        }
        var op = new Operation(graph, id, name, Transpose.Def, [t, permTensor], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { Transpose.T, t.dtype }, { Transpose.Tperm, permTensor.dtype } }, [(t.dtype, shape)]);
        g.Add(new OptNode(op, [.. op.inputs], [], "transpose sinking: the moved Transpose"));
        return op.outputs[0];
    }
}
