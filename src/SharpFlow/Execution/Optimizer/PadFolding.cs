using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// Pad folded into the following window op's padding: a <c>Pad</c> (or <c>PadV2</c> with a zero value) of constant
/// paddings that pad only the height and width of an NHWC tensor, read only by a VALID or EXPLICIT Conv2D or
/// DepthwiseConv2dNative, becomes that convolution's <c>padding="EXPLICIT"</c> with <c>explicit_paddings</c> (the
/// kernels skip the padded taps, whose products are zeros); a <c>PadV2</c> with minus infinity read only by a VALID
/// MaxPool becomes the MaxPool's <c>padding="EXPLICIT"</c> with the internal <c>_explicit_paddings</c> (padded cells
/// never win a maximum), when every window keeps at least one cell of the input (each pad smaller than the window).
/// AvgPool is left alone: TensorFlow's average counts only the input's cells, the padded zeros would count. Bitwise:
/// the same products and maxima are computed in the same order. In a training graph the convolution's and pooling's
/// gradients read the padded tensor too, so nothing folds there.
/// </summary>
internal static class PadFolding
{
    public const string Name = "pad_folding";

    public static void Run(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        var consumers = g.Consumers();
        var byOp = g.Nodes.ToDictionary(n => n.Op);
        foreach (var node in g.Nodes.ToList())
        {
            var kind = node.Op.type;
            if (kind is not ("Conv2D" or "DepthwiseConv2dNative" or "MaxPool") || !g.IsReplaceable(node, controlSources)) continue;
            if (WindowAttrs.DataFormatAttr.Of(node.Op) is not "NHWC") continue;
            var padded = node.Inputs[0];
            if (g.IsFed(padded) || !byOp.TryGetValue(padded.op, out var pad) || pad.Op.type is not ("Pad" or "PadV2")) continue;
            if (g.IsPreserved(pad, controlSources) || !consumers.TryGetValue(padded, out var readers) || readers.Count != 1) continue;
            if (ConstantOf(g, byOp, pad.Inputs[1]) is not { } paddings || Pads(paddings) is not { } p) continue;
            var pool = kind == "MaxPool";
            var value = pad.Op.type == "PadV2" ? ConstantOf(g, byOp, pad.Inputs[2]) : null;
            if (pad.Op.type == "PadV2" && value is null) continue;
            if (pool ? !IsMinusInfinity(value) : value is not null && !IsPositiveZero(value)) continue;

            var attrs = WindowAttrs.Of(node.Op);
            if (attrs.Padding is not ("VALID" or "EXPLICIT")) continue;
            if (pool && (MaxPool.DepthWindow(node.Op, _ => new InvalidOperationException()) is not null || attrs.Ksize is not { Length: 4 } k
                || p.Top >= k[1] || p.Bottom >= k[1] || p.Left >= k[2] || p.Right >= k[2])) continue;
            var (top, bottom, left, right) = attrs.Pads;
            int[] explicitPaddings = [0, 0, top + p.Top, bottom + p.Bottom, left + p.Left, right + p.Right, 0, 0];

            var newAttrs = new Dictionary<string, object>(node.Op.attrs, StringComparer.Ordinal)
            {
                { WindowAttrs.PaddingAttr, "EXPLICIT" },
                { pool ? WindowAttrs.InternalExplicitPaddingsAttr : WindowAttrs.ExplicitPaddingsAttr, explicitPaddings },
            };
            var output = node.Op.outputs[0];
            var folded = new Operation(node.Op.graph, node.Op.Id, node.Op.name, node.Op.Def, node.Inputs.Length == 2 ? [pad.Inputs[0], node.Inputs[1]] : [pad.Inputs[0]],
                [], newAttrs, [(output.dtype, output.shape)]) { device = node.Op.device };
            if (!g.Replace(output, folded.outputs[0])) continue;
            // A plain op of the user's type (no origin), so the remapper can still fuse the convolution with its bias.
            g.Add(new OptNode(folded, [.. folded.inputs], [], pool ? $"{pad.Op.type} '{pad.Op.name}' + MaxPool '{node.Op.name}'" : null));
            g.Record(Name, $"{pad.Op.type} '{pad.Op.name}' folded into {kind} '{node.Op.name}' as explicit padding [{string.Join(", ", explicitPaddings)}]");
        }
    }

    private static NDArray? ConstantOf(OptimizedGraph g, Dictionary<Operation, OptNode> byOp, Tensor t) =>
        !g.IsFed(t) && byOp.TryGetValue(t.op, out var n) && n.Op.type == "Const" && n.Op.outputs.Count == 1 ? Const.Value.Of(n.Op) : null;

    /// <summary>The height and width padding of a <c>[4, 2]</c> paddings matrix that leaves batch and channels alone.</summary>
    private static (int Top, int Bottom, int Left, int Right)? Pads(NDArray paddings)
    {
        if (!paddings.dtype.is_integer || paddings.ndim != 2 || paddings.shape[0] != 4 || paddings.shape[1] != 2) return null;
        var v = paddings.ToArray<long>();
        if (v.Any(x => x < 0 || x > int.MaxValue) || v[0] != 0 || v[1] != 0 || v[6] != 0 || v[7] != 0) return null;
        return ((int)v[2], (int)v[3], (int)v[4], (int)v[5]);
    }

    private static bool IsMinusInfinity(NDArray? v) =>
        v is { size: 1 } && v.dtype.is_floating && double.IsNegativeInfinity(v.Cast(DType.float64).ToArray<double>()[0]);

    private static bool IsPositiveZero(NDArray v) =>
        v.size == 1 && (v.dtype.is_floating || v.dtype.is_integer) && v.Cast(DType.float64).ToArray<double>()[0] is var d && d == 0 && !double.IsNegative(d);
}
