using SharpFlow.Framework;
using SharpFlow.Ops.NN;

namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// TensorFlow's remapper: <c>MatMul + BiasAdd (+ Relu | Relu6 | Elu | Tanh | Sigmoid)</c> becomes one
/// <c>_FusedMatMul</c> and <c>Conv2D + BiasAdd (+ activation)</c> one <c>_FusedConv2D</c> (TensorFlow's op names and
/// attributes: <c>fused_ops = ["BiasAdd", "Relu"]</c>, <c>num_args = 1</c>, <c>epsilon</c>), named as the last op it
/// replaces. A chain is fused only where nothing else reads its intermediate tensors: in a training graph the
/// activations' gradients (ReluGrad, Relu6Grad, EluGrad, TanhGrad, SigmoidGrad) read the activation's output (the
/// fused op's output, so the fusion stands), BiasAddGrad and MatMul's and Conv2D's gradients read only the incoming
/// gradient and the product's inputs; where something else reads the pre-activation, only
/// <c>MatMul + BiasAdd</c> fuses. Intermediates must not be fetched, fed, frozen or tied by control edges. The
/// fused kernels apply the bias and activation in place on the product, with the same float operations as the
/// separate kernels: results are bitwise the same.
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
        bool Intermediate(OptNode n) =>
            !g.IsPreserved(n, controlSources) && n.Origin is null && n.Op.outputs.Count == 1
            && consumers.TryGetValue(n.Op.outputs[0], out var readers) && readers.Count == 1;
        // The last op of a chain may be fetched (the fused op's output is fetched instead), nothing else.
        bool Last(OptNode n) =>
            !g.Frozen(n.Op) && n.Origin is null && n.ControlInputs.Count == 0 && !controlSources.Contains(n.Op)
            && !g.IsTarget(n.Op) && !g.IsFed(n.Op.outputs[0]);

        foreach (var biasAdd in g.Nodes.ToList())
        {
            if (biasAdd.Op.type != "BiasAdd" || !NHWC(biasAdd.Op) || g.IsFed(biasAdd.Inputs[0])) continue;
            if (!byOp.TryGetValue(biasAdd.Inputs[0].op, out var product) || product.Op.outputs.Count != 1) continue;
            var kind = product.Op.type;
            if (kind is not ("MatMul" or "Conv2D") || !Intermediate(product)) continue;
            if (!product.Op.outputs[0].dtype.is_floating || (kind == "Conv2D" && !NHWC(product.Op))) continue;

            // The activation, when BiasAdd's only reader is one.
            OptNode? activation = null;
            if (consumers.TryGetValue(biasAdd.Op.outputs[0], out var readers) && readers.Count == 1 && readers[0].Input == 0
                && Activations.Contains(readers[0].Node.Op.type) && Intermediate(biasAdd) && Last(readers[0].Node))
                activation = readers[0].Node;
            if (activation is null && !Last(biasAdd)) continue;

            var last = activation ?? biasAdd;
            string[] fusedOps = activation is null ? ["BiasAdd"] : ["BiasAdd", activation.Op.type];
            var attrs = new Dictionary<string, object>(product.Op.attrs, StringComparer.Ordinal)
            {
                ["fused_ops"] = fusedOps,
                ["num_args"] = 1,
                ["epsilon"] = 0f,
            };
            var def = kind == "MatMul" ? (OpDef)FusedMatMul.Def : FusedConv2D.Def;
            var output = last.Op.outputs[0];
            var fused = new Operation(last.Op.graph, last.Op.Id, last.Op.name, def, [product.Inputs[0], product.Inputs[1], biasAdd.Inputs[1]], [],
                attrs, [(output.dtype, output.shape)]) { device = last.Op.device };
            if (!g.Replace(output, fused.outputs[0])) continue;
            var origin = string.Join(" + ", new[] { product, biasAdd, activation }.Where(n => n is not null).Select(n => $"{n!.Op.type} '{n.Op.name}'"));
            g.Add(new OptNode(fused, [.. fused.inputs], [], origin));
            g.Record(Name, $"{def.Type} '{fused.name}' = {origin}");
        }
    }

    private static bool NHWC(Operation op) =>
        !op.attrs.TryGetValue("data_format", out var f) || f is "NHWC";
}
