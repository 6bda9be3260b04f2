using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// Batch norm folded into the preceding product in inference graphs: <c>conv(x, w) (+ b0) * scale + offset</c>
/// (or <c>- offset</c>), the form of <c>tf.nn.batch_normalization</c>, <c>tf.layers.batch_normalization(fused=False)</c>
/// in inference and the ONNX importer's BatchNormalization, becomes <c>BiasAdd(conv(x, w * scale), b0 * scale + offset)</c>
/// for a Conv2D, DepthwiseConv2dNative or MatMul (NHWC; a per-output-channel <c>scale</c> and <c>offset</c> of shape
/// <c>[C]</c> or <c>[1, ..., C]</c> that do not depend on the product's input). A lone per-channel <c>Mul</c> folds
/// the same way without the BiasAdd. The new small ops computing the folded filter and bias become constants through
/// constant folding where their inputs are constants (ONNX models); with variables they run each step. A chain
/// folds only where each intermediate tensor has one reader and is not fetched, fed, frozen (control flow,
/// stateful) or tied by control edges: in a training graph the gradient ops read the product's output, so nothing
/// folds there. Not bitwise: the multiplication by the scale moves from the output into the filter (results agree
/// within float rounding, about 1e-6 relative for float32).
/// </summary>
internal static class BatchNormFolding
{
    internal static readonly OpAttr<DType> T = new("T");

    public const string Name = "batchnorm_folding";

    /// <summary>The graph's indexes a fold reads, valid until a fold changes the graph.</summary>
    private sealed class Indexes(OptimizedGraph g)
    {
        public readonly HashSet<Operation> ControlSources = g.ControlSources();
        public readonly Dictionary<Tensor, List<(OptNode Node, int Input)>> Consumers = g.Consumers();
        public readonly Dictionary<Operation, OptNode> ByOp = ByOpOf(g);
        public readonly int NodeCount = g.Nodes.Count;

        private static Dictionary<Operation, OptNode> ByOpOf(OptimizedGraph g)
        {
            var byOp = new Dictionary<Operation, OptNode>();
            foreach (var n in g.Nodes) byOp[n.Op] = n;
            return byOp;
        }
    }

    public static void Run(OptimizedGraph g)
    {
        // An inference FusedBatchNorm after a foldable product becomes the Mul and Add the fold below takes.
        var start = new Indexes(g);
        var decomposed = false;
        foreach (var bn in g.Nodes.ToList())
            if (bn.Op.type is "FusedBatchNorm" or "FusedBatchNormV2" or "FusedBatchNormV3")
                decomposed |= TryDecompose(g, start, bn);
        if (decomposed) g.Prune();

        // Built once and again only after the graph changed (a fold adds nodes, even one that then fails to replace),
        // not for every Mul: a training graph has thousands.
        Indexes? indexes = null;
        foreach (var mul in g.Nodes.ToList())
        {
            if (mul.Op.type != "Mul") continue;
            if (indexes is null || indexes.NodeCount != g.Nodes.Count) indexes = new Indexes(g);
            if (!indexes.ByOp.TryGetValue(mul.Op, out var current) || !ReferenceEquals(current, mul)) continue;
            for (var side = 0; side < 2; side++)
            {
                if (!TryFold(g, indexes, mul, side)) continue;
                indexes = null;
                break;
            }
        }
    }

    /// <summary>
    /// A FusedBatchNorm in inference (<c>is_training=False</c>, NHWC, x and the statistics of one dtype) whose x is a
    /// product (+ BiasAdd) that folding may absorb, and whose other outputs nothing reads: replaced by
    /// <c>x * s + (offset - mean * s)</c> with <c>s = scale * rsqrt(variance + epsilon)</c>, the decomposed form
    /// <see cref="TryFold"/> then folds into the product's filter and bias. Elsewhere the fused op stays.
    /// </summary>
    private static bool TryDecompose(OptimizedGraph g, Indexes indexes, OptNode bn)
    {
        var op = bn.Op;
        if (FusedBatchNormAttrs.IsTrainingAttr.Of(op) || !NHWC(op)) return false;
        if (g.Frozen(op) || bn.ControlInputs.Count > 0 || indexes.ControlSources.Contains(op) || g.IsTarget(op) || bn.Origin is not null) return false;
        var y = op.outputs[0];
        if (g.IsFed(y)) return false;
        for (var i = 1; i < op.outputs.Count; i++)
            if (g.IsFetched(op.outputs[i]) || g.IsFed(op.outputs[i]) || indexes.Consumers.ContainsKey(op.outputs[i])) return false;
        var x = bn.Inputs[0];
        var dtype = x.dtype;
        if (!dtype.is_floating || bn.Inputs.Skip(1).Take(4).Any(t => t.dtype != dtype || g.IsFed(t))) return false;
        if (g.IsFed(x) || !indexes.ByOp.TryGetValue(x.op, out var producer)) return false;
        if (producer.Op.type == "BiasAdd" && g.IsIntermediate(producer, indexes.ControlSources, indexes.Consumers)
            && indexes.ByOp.TryGetValue(producer.Inputs[0].op, out var inner)) producer = inner;
        if (producer.Op.type is not ("Conv2D" or "DepthwiseConv2dNative" or "MatMul")
            || !g.IsIntermediate(producer, indexes.ControlSources, indexes.Consumers)) return false;
        var channels = y.shape.IsKnownRank && y.shape.ndims >= 1 ? y.shape[y.shape.ndims - 1] : -1;
        if (channels <= 0) return false;

        var graph = op.graph;
        var prefix = op.name + "/decomposed_";
        var vector = new Shape(channels);
        var (scale, offset, mean, variance) = (bn.Inputs[1], bn.Inputs[2], bn.Inputs[3], bn.Inputs[4]);
        var epsilon = ConstNode(g, graph, op.Id, prefix + "epsilon",
            NDArray.Scalar((double)FusedBatchNormAttrs.EpsilonAttr.Of(op)).Cast(dtype));
        var shifted = Binary(g, graph, Add.Def, op.Id, prefix + "variance_epsilon", variance, epsilon, vector, "the variance plus epsilon");
        var rsqrt = Unary(g, graph, Rsqrt.Def, op.Id, prefix + "rsqrt", shifted, vector, "1/sqrt(variance + epsilon)");
        var s = Binary(g, graph, Mul.Def, op.Id, prefix + "scale", scale, rsqrt, vector, "the batch norm's scale");
        var meanScaled = Binary(g, graph, Mul.Def, op.Id, prefix + "mean_scaled", mean, s, vector, "the mean times the scale");
        var b = Binary(g, graph, Sub.Def, op.Id, prefix + "offset", offset, meanScaled, vector, "the batch norm's offset");
        // The Mul and Add stand where the user's decomposed batch norm would (no origin), so the fold takes them.
        var mulOp = new Operation(graph, op.Id, prefix + "mul", Mul.Def, [x, s], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { BinaryElementwiseOp.T, dtype } }, [(dtype, y.shape)]) { device = op.device };
        g.Add(new OptNode(mulOp, [x, s], []));
        var mul = mulOp.outputs[0];
        var add = new Operation(graph, op.Id, op.name, Add.Def, [mul, b], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { BinaryElementwiseOp.T, dtype } }, [(dtype, y.shape)]) { device = op.device };
        g.Add(new OptNode(add, [mul, b], []));
        if (!g.Replace(y, add.outputs[0])) return false;
        g.Record(Name, $"{op.type} '{op.name}' (inference) decomposed into Mul and Add for folding");
        return true;
    }

    private static bool TryFold(OptimizedGraph g, Indexes indexes, OptNode mul, int side)
    {
        var (controlSources, consumers, byOp) = (indexes.ControlSources, indexes.Consumers, indexes.ByOp);
        bool SingleReader(OptNode n) => g.IsIntermediate(n, controlSources, consumers);
        bool CanBeLast(OptNode n) => g.IsReplaceable(n, controlSources);

        var y = mul.Inputs[side];
        var scale = mul.Inputs[1 - side];
        if (g.IsFed(y) || !byOp.TryGetValue(y.op, out var producer)) return false;

        // An optional BiasAdd between the product and the Mul.
        OptNode? bias0 = null;
        if (producer.Op.type == "BiasAdd")
        {
            if (!NHWC(producer.Op) || !SingleReader(producer) || g.IsFed(producer.Inputs[0])) return false;
            bias0 = producer;
            if (!byOp.TryGetValue(producer.Inputs[0].op, out producer)) return false;
        }
        var kind = producer.Op.type;
        if (kind is not ("Conv2D" or "DepthwiseConv2dNative" or "MatMul") || !SingleReader(producer)) return false;
        if (kind != "MatMul" && !NHWC(producer.Op)) return false;
        var product = producer.Op.outputs[0];
        var dtype = product.dtype;
        if (!dtype.is_floating || mul.Op.outputs[0].dtype != dtype || scale.dtype != dtype) return false;
        var channels = product.shape.IsKnownRank && product.shape.ndims >= 1 ? product.shape[product.shape.ndims - 1] : -1;
        if (channels <= 0 || !PerChannel(scale.shape, product.shape, allowScalar: true)) return false;

        // The offset, when the Mul's only reader adds (or subtracts) one.
        OptNode? add = null;
        Tensor? offset = null;
        var subtract = false;
        if (SingleReader(mul) && consumers[mul.Op.outputs[0]] is [var reader] && reader.Node.Op.type is "Add" or "AddV2" or "Sub"
            && (reader.Input == 0 || reader.Node.Op.type != "Sub") && CanBeLast(reader.Node) && reader.Node.Origin is null)
        {
            var other = reader.Node.Inputs[1 - reader.Input];
            if (other.dtype == dtype && PerChannel(other.shape, product.shape, allowScalar: false) && !g.IsFed(reader.Node.Inputs[reader.Input]))
            {
                add = reader.Node;
                offset = other;
                subtract = reader.Node.Op.type == "Sub";
            }
        }
        if (add is null && (!CanBeLast(mul) || mul.Origin is not null)) return false;
        var last = add ?? mul;
        var output = last.Op.outputs[0];
        if (!SameShape(output.shape, product.shape)) return false;

        // Scale and offset must not depend on the product's input (nor, through it, on the product).
        var input = producer.Inputs[0];
        var weights = producer.Inputs[1];
        if (DependsOn(byOp, scale, input.op, g) || (offset is not null && DependsOn(byOp, offset, input.op, g))) return false;
        if (bias0 is not null && bias0.Inputs[1].dtype != dtype) return false;

        // The folded filter.
        var graph = last.Op.graph;
        var prefix = last.Op.name + "/folded_";
        Shape filterShape = weights.shape;
        Tensor scaleForFilter;
        var transposeB = kind == "MatMul" && MatMul.TransposeB.Of(producer.Op);
        if (kind == "DepthwiseConv2dNative" && (!filterShape.IsKnownRank || filterShape.ndims != 4 || filterShape[2] < 0 || filterShape[3] < 0
            || filterShape[2] * filterShape[3] != channels)) return false;
        var scaleVector = Vector(g, graph, mul.Op.Id, prefix + "scale", scale, channels);
        if (kind == "DepthwiseConv2dNative") scaleForFilter = Reshape(g, graph, mul.Op.Id, prefix + "scale_hw", scaleVector, [filterShape[2], filterShape[3]]);
        else if (transposeB) scaleForFilter = Reshape(g, graph, mul.Op.Id, prefix + "scale_column", scaleVector, [channels, 1]);
        else scaleForFilter = scaleVector;
        var filter = Binary(g, graph, Mul.Def, mul.Op.Id, prefix + "filter", weights, scaleForFilter, weights.shape, "the batch norm's scale");

        // The product with the folded filter: a plain op of the user's type, so the remapper can fuse it further.
        var foldedProduct = new Operation(graph, last.Op.Id, producer.Op.name, producer.Op.Def, [input, filter], [],
            new Dictionary<string, object>(producer.Op.attrs, StringComparer.Ordinal), [(dtype, product.shape)]) { device = producer.Op.device };
        g.Add(new OptNode(foldedProduct, [.. foldedProduct.inputs], []));

        Tensor? bias = null;
        var vectorShape = new Shape(channels);
        if (bias0 is not null)
            bias = Binary(g, graph, Mul.Def, last.Op.Id, prefix + "bias_scaled", bias0.Inputs[1], scaleVector, vectorShape, "the bias times the scale");
        if (offset is not null)
        {
            var o = Vector(g, graph, last.Op.Id, prefix + "offset", offset, channels);
            bias = bias is null
                ? subtract ? Unary(g, graph, Neg.Def, last.Op.Id, prefix + "bias", o, vectorShape) : o
                : Binary(g, graph, subtract ? Sub.Def : Add.Def, last.Op.Id, prefix + "bias", bias, o, vectorShape, "the folded bias");
        }

        Tensor result;
        if (bias is null) result = foldedProduct.outputs[0];
        else
        {
            var biasAdd = new Operation(graph, last.Op.Id, last.Op.name, BiasAdd.Def, [foldedProduct.outputs[0], bias], [],
                new Dictionary<string, object>(StringComparer.Ordinal) { { BiasAdd.TAttr, dtype }, { BiasAdd.DataFormat, "NHWC" } }, [(dtype, output.shape)]) { device = last.Op.device };
            g.Add(new OptNode(biasAdd, [.. biasAdd.inputs], []));
            result = biasAdd.outputs[0];
        }
        if (!g.Replace(output, result)) return false;
        var chain = new[] { producer, bias0, mul, add }.Where(n => n is not null).Select(n => $"{n!.Op.type} '{n.Op.name}'");
        g.Record(Name, $"{string.Join(" + ", chain)} folded into {kind} '{foldedProduct.name}'{(bias is null ? "" : " + BiasAdd")}");
        g.Prune();
        return true;
    }

    /// <summary>
    /// A shape that broadcasts along the last axis of <paramref name="product"/> only: <c>[C]</c> or <c>[1, ..., C]</c>
    /// (no more axes than the product), or with <paramref name="allowScalar"/> a scalar or all ones.
    /// </summary>
    private static bool PerChannel(Shape s, Shape product, bool allowScalar)
    {
        if (!s.IsFullyDefined || !product.IsKnownRank || s.ndims > product.ndims) return false;
        var channels = product[product.ndims - 1];
        if (s.ndims == 0) return allowScalar;
        for (var i = 0; i < s.ndims - 1; i++)
            if (s[i] != 1) return false;
        var last = s[s.ndims - 1];
        return last == channels || (allowScalar && last == 1);
    }

    private static bool SameShape(Shape a, Shape b) =>
        a.IsKnownRank && b.IsKnownRank && a.ndims == b.ndims && Enumerable.Range(0, a.ndims).All(i => a[i] == b[i]);

    private static bool NHWC(Operation op) => WindowAttrs.DataFormatAttr.Of(op) is "NHWC";

    /// <summary>True when <paramref name="t"/> is computed from <paramref name="target"/> (or is its output).</summary>
    private static bool DependsOn(Dictionary<Operation, OptNode> byOp, Tensor t, Operation target, OptimizedGraph g)
    {
        var seen = new HashSet<Operation>();
        var stack = new Stack<Tensor>();
        stack.Push(t);
        while (stack.Count > 0)
        {
            var u = stack.Pop();
            if (ReferenceEquals(u.op, target)) return true;
            if (g.IsFed(u) || !seen.Add(u.op) || !byOp.TryGetValue(u.op, out var n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
            foreach (var c in n.ControlInputs)
                if (ReferenceEquals(c, target)) return true;
        }
        return false;
    }

    private static Tensor Vector(OptimizedGraph g, Graph graph, int id, string name, Tensor t, int channels)
    {
        if (t.shape.ndims == 1 && t.shape[0] == channels) return t;
        var v = Reshape(g, graph, id, name, t, [-1]);
        if (t.shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d) == channels) return v;
        // A scalar or [1, ..., 1] scale: broadcast to one value per channel.
        var ones = ConstNode(g, graph, id, name + "_ones", NDArray.FromFlat(Enumerable.Repeat(1.0, channels).ToArray(), new Shape(channels)).Cast(t.dtype));
        return Binary(g, graph, Mul.Def, id, name + "_broadcast", v, ones, new Shape(channels), "a per-channel copy of the scale");
    }

    private static Tensor Reshape(OptimizedGraph g, Graph graph, int id, string name, Tensor t, int[] shape)
    {
        var target = ConstNode(g, graph, id, name + "/shape", NDArray.FromFlat(shape, new Shape(shape.Length)));
        var size = t.shape.AsSpan().ToArray().Aggregate(1, (p, d) => p * d);
        var outShape = new Shape([.. shape.Select(d => d == -1 ? size : d)]);
        var op = new Operation(graph, id, name, Ops.ArrayOps.Reshape.Def, [t, target], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { Ops.ArrayOps.Reshape.T, t.dtype }, { Ops.ArrayOps.Reshape.Tshape, DType.int32 } }, [(t.dtype, outShape)]);
        g.Add(new OptNode(op, [.. op.inputs], [], "batch norm folding: reshape"));
        return op.outputs[0];
    }

    private static Tensor ConstNode(OptimizedGraph g, Graph graph, int id, string name, NDArray value)
    {
        var op = new Operation(graph, id, name, Const.Def, [], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { Const.Value, value }, { Const.Dtype, value.dtype } }, [(value.dtype, value.shape)]);
        g.Add(new OptNode(op, [], []));
        return op.outputs[0];
    }

    private static Tensor Binary(OptimizedGraph g, Graph graph, OpDef def, int id, string name, Tensor a, Tensor b, Shape shape, string what)
    {
        var op = new Operation(graph, id, name, def, [a, b], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { T, a.dtype } }, [(a.dtype, shape)]);
        g.Add(new OptNode(op, [a, b], [], "batch norm folding: " + what));
        return op.outputs[0];
    }

    private static Tensor Unary(OptimizedGraph g, Graph graph, OpDef def, int id, string name, Tensor a, Shape shape, string what = "the negated offset")
    {
        var op = new Operation(graph, id, name, def, [a], [],
            new Dictionary<string, object>(StringComparer.Ordinal) { { T, a.dtype } }, [(a.dtype, shape)]);
        g.Add(new OptNode(op, [a], [], "batch norm folding: " + what));
        return op.outputs[0];
    }
}
