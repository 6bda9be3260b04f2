using SharpFlow.Framework;
using SharpFlow.Ops.NN;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// TensorFlow's remapper: <c>MatMul + BiasAdd (+ Relu | Relu6 | Elu | Tanh | Sigmoid)</c> becomes one
/// <c>_FusedMatMul</c>, <c>Conv2D + BiasAdd (+ activation)</c> one <c>_FusedConv2D</c> and
/// <c>DepthwiseConv2dNative + BiasAdd (+ activation)</c> one <c>_FusedDepthwiseConv2dNative</c> (TensorFlow's op names
/// and attributes: <c>fused_ops = ["BiasAdd", "Relu"]</c>, <c>num_args = 1</c>, <c>epsilon</c>), named as the last op
/// it replaces. A residual connection, <c>MatMul/Conv2D + BiasAdd + Add (+ activation)</c> where the Add's (or
/// AddV2's) other operand has the product's shape (ResNet's block), becomes <c>fused_ops = ["BiasAdd", "Add", act]</c>
/// with <c>num_args = 2</c> and the other operand as the fourth input. A chain is fused only where nothing else reads
/// its intermediate tensors: in a training graph the activations' gradients (ReluGrad, Relu6Grad, EluGrad, TanhGrad,
/// SigmoidGrad) read the activation's output (the fused op's output, so the fusion stands), BiasAddGrad, Add's and
/// the products' gradients read only the incoming gradient, static shapes and the products' inputs; where something
/// else reads the pre-activation, the chain stops before the activation (and before the Add where the bias sum is
/// read). Intermediates must not be fetched, fed, frozen or tied by control edges. The fused kernels apply the bias,
/// residual and activation to the product as it is computed, with the same float operations in the same order as
/// the separate kernels (product, + bias, + residual, activation): results are bitwise the same.
/// </summary>
internal static class Remapper
{
    public const string Name = "remapping";

    private static readonly HashSet<string> Activations = ["Relu", "Relu6", "Elu", "Tanh", "Sigmoid"];

    public static void Run(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        var consumers = g.Consumers();
        var byOp = g.Nodes.ToDictionary(n => n.Op);
        bool Intermediate(OptNode n) => g.IsIntermediate(n, controlSources, consumers);
        // The last op of a chain may be fetched (the fused op's output is fetched instead), nothing else.
        bool Last(OptNode n) => n.Origin is null && g.IsReplaceable(n, controlSources);
        // The single reader of an intermediate's output, when it is input 'input' of an op of one of 'types'.
        OptNode? OnlyReader(OptNode n, Func<string, bool> types, out int input)
        {
            input = -1;
            if (!consumers.TryGetValue(n.Op.outputs[0], out var readers) || readers.Count != 1 || !types(readers[0].Node.Op.type)) return null;
            input = readers[0].Input;
            return Intermediate(n) ? readers[0].Node : null;
        }

        foreach (var biasAdd in g.Nodes.ToList())
        {
            if (biasAdd.Op.type != "BiasAdd" || !NHWC(biasAdd.Op) || g.IsFed(biasAdd.Inputs[0])) continue;
            if (!byOp.TryGetValue(biasAdd.Inputs[0].op, out var product) || product.Op.outputs.Count != 1) continue;
            var kind = product.Op.type;
            if (kind is not ("MatMul" or "Conv2D" or "DepthwiseConv2dNative") || !Intermediate(product)) continue;
            // The fused kernels run float32 and float64; float16 stays unfused (MatMul and the convolutions widen it).
            if (!product.Op.outputs[0].dtype.is_floating || product.Op.outputs[0].dtype == DType.float16 || (kind != "MatMul" && !NHWC(product.Op))) continue;

            // The residual Add, when BiasAdd's only reader is one whose other operand has the sum's shape.
            OptNode? add = null;
            Tensor? residual = null;
            if (kind != "DepthwiseConv2dNative" && OnlyReader(biasAdd, t => t is "Add" or "AddV2", out var side) is { } a
                && a.Inputs.Length == 2 && SameShape(a.Inputs[1 - side], biasAdd.Op.outputs[0]) && !g.Frozen(a.Op))
            {
                add = a;
                residual = a.Inputs[1 - side];
            }
            var sum = add ?? biasAdd;
            // The activation, when the sum's only reader is one.
            var activation = (add is null || Intermediate(add)) && OnlyReader(sum, Activations.Contains, out var at) is { } act && at == 0 && Last(act) ? act : null;
            if (activation is null && add is not null && !Last(add)) (add, residual, sum) = (null, null, biasAdd);
            if (activation is null && add is null && !Last(biasAdd)) continue;

            var last = activation ?? sum;
            var fusedOps = new List<string> { "BiasAdd" };
            if (add is not null) fusedOps.Add("Add");
            if (activation is not null) fusedOps.Add(activation.Op.type);
            var attrs = new Dictionary<string, object>(product.Op.attrs, StringComparer.Ordinal)
            {
                { FusedOps.FusedOpsAttr, fusedOps.ToArray() },
                { FusedOps.NumArgs, residual is null ? 1 : 2 },
                { FusedOps.Epsilon, 0f },
            };
            var def = kind switch
            {
                "MatMul" => (OpDef)FusedMatMul.Def,
                "Conv2D" => FusedConv2D.Def,
                _ => FusedDepthwiseConv2dNative.Def,
            };
            var output = last.Op.outputs[0];
            Tensor[] inputs = residual is null ? [product.Inputs[0], product.Inputs[1], biasAdd.Inputs[1]] : [product.Inputs[0], product.Inputs[1], biasAdd.Inputs[1], residual];
            var fused = new Operation(last.Op.graph, last.Op.Id, last.Op.name, def, inputs, [], attrs, [(output.dtype, output.shape)]) { device = last.Op.device };
            if (!g.Replace(output, fused.outputs[0])) continue;
            var absorbed = new[] { product, biasAdd, add, activation }.Where(n => n is not null).Select(n => n!).ToList();
            var origin = string.Join(" + ", absorbed.Select(n => $"{n.Op.type} '{n.Op.name}'"));
            var node = new OptNode(fused, [.. fused.inputs], [], origin);
            g.Add(node);
            // The readers now: the fused op reads its inputs in place of the ops it absorbed. A downsampling ResNet
            // block adds two convolutions' bias sums; once one of them has fused with the Add, the other's only
            // reader is this fused op, and it fuses on its own (Conv2D + BiasAdd) instead of seeing the absorbed Add.
            for (var i = 0; i < inputs.Length; i++)
            {
                var readers = consumers.TryGetValue(inputs[i], out var list) ? list : consumers[inputs[i]] = [];
                readers.RemoveAll(r => absorbed.Contains(r.Node));
                readers.Add((node, i));
            }
            if (consumers.TryGetValue(output, out var outputReaders)) consumers[fused.outputs[0]] = outputReaders;
            g.Record(Name, $"{def.Type} '{fused.name}' = {origin}");
        }
    }

    // The residual has the sum's static shape: same rank, each dimension equal where both are known (a run-time
    // broadcast the unknown dimensions allow is still computed as Add would, by the fused kernel).
    private static bool SameShape(Tensor residual, Tensor sum) =>
        residual.shape.IsKnownRank && sum.shape.IsKnownRank && residual.shape.ndims == sum.shape.ndims
        && residual.dtype == sum.dtype && residual.shape.IsCompatibleWith(sum.shape);

    private static bool NHWC(Operation op) =>
        WindowAttrs.DataFormatAttr.Of(op) is "NHWC";
}
