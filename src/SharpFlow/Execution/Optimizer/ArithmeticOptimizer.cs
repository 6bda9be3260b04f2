using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// Arithmetic simplification (part of TensorFlow's arithmetic optimizer and constant folding): <c>x * 1</c>,
/// <c>1 * x</c>, <c>x + 0</c>, <c>0 + x</c> and <c>x - 0</c> become <c>x</c> where the constant's broadcast does not
/// change x's (fully known) shape or dtype; <c>transpose(transpose(x, p), q)</c> becomes <c>x</c> where the
/// permutations cancel; <c>reshape(reshape(x, a), b)</c> reads x directly; a reshape to x's own known shape becomes
/// <c>x</c>. Bitwise the same except <c>x + 0</c> for <c>x = -0.0</c>: TensorFlow's rewrite, like this one, gives
/// -0.0 where the addition gives +0.0 (equal as numbers).
/// </summary>
internal static class ArithmeticOptimizer
{
    public const string Name = "arithmetic";

    public static void Run(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        var byOp = g.Nodes.ToDictionary(n => n.Op);
        NDArray? ConstValue(Tensor t) =>
            !g.IsFed(t) && byOp.TryGetValue(t.op, out var n) && n.Op.type == "Const" ? Const.Value.Of(n.Op) : null;

        foreach (var n in g.Nodes.ToList())
        {
            if (g.IsPreserved(n, controlSources)) continue;
            var op = n.Op;
            var output = op.outputs.Count == 1 ? op.outputs[0] : null;
            if (output is null) continue;
            switch (op.type)
            {
                case "Mul":
                    if (TryForward(g, n, output, 0, 1, ConstValue, 1) || TryForward(g, n, output, 1, 0, ConstValue, 1)) continue;
                    break;
                case "Add" or "AddV2":
                    if (TryForward(g, n, output, 0, 1, ConstValue, 0) || TryForward(g, n, output, 1, 0, ConstValue, 0)) continue;
                    break;
                case "Sub":
                    if (TryForward(g, n, output, 0, 1, ConstValue, 0)) continue;
                    break;
                case "Transpose":
                    {
                        var inner = n.Inputs[0];
                        if (inner.op.type != "Transpose" || !byOp.TryGetValue(inner.op, out var innerNode) || g.IsFed(inner)) break;
                        if (ConstValue(n.Inputs[1]) is not { } q || ConstValue(innerNode.Inputs[1]) is not { } p) break;
                        var (pp, qq) = (p.ToArray<long>(), q.ToArray<long>());
                        if (pp.Length != qq.Length || Enumerable.Range(0, qq.Length).Any(i => pp[qq[i]] != i)) break;
                        if (Forward(g, output, innerNode.Inputs[0])) g.Record(Name, $"'{op.name}' undoes '{inner.op.name}'");
                        break;
                    }
                case "Reshape":
                    {
                        var x = n.Inputs[0];
                        if (x.shape.IsFullyDefined && output.shape.IsFullyDefined && x.shape.ToListString() == output.shape.ToListString()
                            && x.dtype == output.dtype && Forward(g, output, x))
                        {
                            g.Record(Name, $"'{op.name}' reshapes to the shape its input has");
                            break;
                        }
                        if (x.op.type == "Reshape" && !g.IsFed(x) && byOp.TryGetValue(x.op, out var innerNode))
                        {
                            n.Inputs[0] = innerNode.Inputs[0];
                            g.Record(Name, $"'{op.name}' reshapes the input of '{x.op.name}' directly");
                        }
                        break;
                    }
            }
        }
    }

    /// <summary>
    /// <c>op(x, c)</c> is <c>x</c> when input <paramref name="constant"/> is a constant filled with
    /// <paramref name="neutral"/> whose broadcast keeps x's fully known shape and dtype.
    /// </summary>
    private static bool TryForward(OptimizedGraph g, OptNode n, Tensor output, int keep, int constant, Func<Tensor, NDArray?> constValue, double neutral)
    {
        var x = n.Inputs[keep];
        if (constValue(n.Inputs[constant]) is not { } c || !c.dtype.is_floating && !c.dtype.is_integer) return false;
        if (x.dtype != output.dtype || !x.shape.IsFullyDefined || !output.shape.IsFullyDefined || x.shape.ToListString() != output.shape.ToListString()) return false;
        if (c.ndim > x.shape.ndims) return false;
        if (c.Cast(DType.float64).ToArray<double>().Any(v => v != neutral)) return false;
        if (!Forward(g, output, x)) return false;
        g.Record(Name, $"'{n.Op.name}' ({n.Op.type}) by {neutral} is its input '{x.name}'");
        return true;
    }

    private static bool Forward(OptimizedGraph g, Tensor output, Tensor x) =>
        !x.op.Def.IsRefOutput(x.value_index) && x.op.Def.ControlFlow == ControlFlowRole.None && g.Replace(output, x);
}
