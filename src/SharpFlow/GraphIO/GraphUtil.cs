using System.Text.RegularExpressions;
using Google.Protobuf;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// TensorFlow's <c>tf.graph_util</c> (graph_util_impl.py): <c>extract_sub_graph</c>,
/// <c>convert_variables_to_constants</c> (freezing) and <c>remove_training_nodes</c>, on GraphDefs.
/// </summary>
internal static class GraphUtil
{
    private static string NodeName(string input)
    {
        var name = input.StartsWith('^') ? input[1..] : input;
        return GraphImporter.ParseTensorName(name).Op;
    }

    /// <summary>The GraphDef of the nodes <paramref name="destNodes"/> depend on (data and control inputs), in the original order.</summary>
    public static GraphDef ExtractSubGraph(GraphDef graphDef, IReadOnlyList<string> destNodes)
    {
        ArgumentNullException.ThrowIfNull(graphDef);
        ArgumentNullException.ThrowIfNull(destNodes);
        var byName = new Dictionary<string, NodeDef>(StringComparer.Ordinal);
        foreach (var node in graphDef.Node) byName[node.Name] = node;
        foreach (var d in destNodes)
            if (!byName.ContainsKey(d)) throw new ValueError($"'{d}' is not in graph");
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(destNodes);
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (!keep.Add(name) || !byName.TryGetValue(name, out var node)) continue;
            foreach (var input in node.Input) stack.Push(NodeName(input));
        }
        var result = new GraphDef { Versions = graphDef.Versions?.Clone(), Library = graphDef.Library?.Clone() };
        foreach (var node in graphDef.Node)
            if (keep.Contains(node.Name)) result.Node.Add(node.Clone());
        return result;
    }

    /// <summary>
    /// The first half of freezing (<c>convert_variables_to_constants</c>): the sub-graph that computes
    /// <paramref name="outputNodeNames"/>, and the variables it reads (<c>VariableV2</c>, <c>VarHandleOp</c>) that
    /// the lists let through, each with the tensor whose value the Const takes (a resource variable's read).
    /// </summary>
    public static (GraphDef Inference, List<(string Node, string Tensor)> Variables) VariablesToFreeze(GraphDef inputGraphDef,
        IReadOnlyList<string> outputNodeNames, IReadOnlyCollection<string>? whitelist, IReadOnlyCollection<string>? blacklist)
    {
        var inference = ExtractSubGraph(inputGraphDef, outputNodeNames);
        var variables = new List<(string Node, string Tensor)>();
        foreach (var node in inference.Node)
        {
            if (node.Op is not ("Variable" or "VariableV2" or "VarHandleOp")) continue;
            if (whitelist is not null && !whitelist.Contains(node.Name)) continue;
            if (blacklist is not null && blacklist.Contains(node.Name)) continue;
            variables.Add((node.Name, node.Op == "VarHandleOp" ? node.Name + "/Read/ReadVariableOp:0" : node.Name + ":0"));
        }
        return (inference, variables);
    }

    /// <summary>
    /// The second half of freezing: <paramref name="inference"/> with each variable of <paramref name="found"/>
    /// replaced by a <c>Const</c> of its value (and a resource variable's <c>ReadVariableOp</c> by an <c>Identity</c>).
    /// </summary>
    public static GraphDef ReplaceVariablesWithConstants(GraphDef inference, IReadOnlyDictionary<string, NDArray> found)
    {
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(found);
        var output = new GraphDef { Versions = inference.Versions?.Clone(), Library = inference.Library?.Clone() };
        foreach (var input in inference.Node)
        {
            if (found.TryGetValue(input.Name, out var value))
            {
                var node = new NodeDef { Op = "Const", Name = input.Name };
                node.Attr["dtype"] = input.Attr["dtype"].Clone();
                node.Attr["value"] = new AttrValue { Tensor = TensorProtos.ToProto(value) };
                output.Node.Add(node);
            }
            else if (input.Op == "ReadVariableOp" && input.Input.Count > 0 && found.ContainsKey(input.Input[0]))
            {
                var node = new NodeDef { Op = "Identity", Name = input.Name };
                node.Input.Add(input.Input[0]);
                node.Attr["T"] = input.Attr["dtype"].Clone();
                if (input.Attr.TryGetValue("_class", out var cls)) node.Attr["_class"] = cls.Clone();
                output.Node.Add(node);
            }
            else output.Node.Add(input.Clone());
        }
        return output;
    }

    /// <summary>
    /// Strips what only training needs (TensorFlow's rules): <c>CheckNumerics</c> nodes are removed and
    /// <c>Identity</c> nodes spliced out, except those in <paramref name="protectedNodes"/>, those with control
    /// inputs and those used as control inputs.
    /// </summary>
    public static GraphDef RemoveTrainingNodes(GraphDef inputGraph, IReadOnlyCollection<string>? protectedNodes)
    {
        ArgumentNullException.ThrowIfNull(inputGraph);
        var protect = new HashSet<string>(protectedNodes ?? [], StringComparer.Ordinal);
        var toRemove = inputGraph.Node.Where(n => n.Op == "CheckNumerics" && !protect.Contains(n.Name)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var afterRemoval = new List<NodeDef>();
        foreach (var node in inputGraph.Node)
        {
            if (toRemove.Contains(node.Name)) continue;
            var copy = node.Clone();
            copy.Input.Clear();
            foreach (var full in node.Input)
                if (!toRemove.Contains(StripCaret(full))) copy.Input.Add(full);
            afterRemoval.Add(copy);
        }
        var controlInputNames = new HashSet<string>(StringComparer.Ordinal);
        var withControlInput = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in afterRemoval)
            foreach (var input in node.Input)
                if (input.Contains('^'))
                {
                    controlInputNames.Add(input.Replace("^", "", StringComparison.Ordinal));
                    withControlInput.Add(node.Name);
                }
        var toSplice = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in afterRemoval)
            if (node.Op == "Identity" && !protect.Contains(node.Name) && !withControlInput.Contains(node.Name) && !controlInputNames.Contains(node.Name) && node.Input.Count > 0)
                toSplice[node.Name] = node.Input[0];
        var output = new GraphDef();
        foreach (var node in afterRemoval)
        {
            if (toSplice.ContainsKey(node.Name)) continue;
            var copy = node.Clone();
            copy.Input.Clear();
            foreach (var original in node.Input)
            {
                var full = original;
                var name = StripCaret(full);
                for (var guard = 0; toSplice.TryGetValue(name, out var replacement) && guard <= toSplice.Count; guard++)
                {
                    full = replacement;
                    name = StripCaret(full);
                }
                copy.Input.Add(full);
            }
            output.Node.Add(copy);
        }
        return output;
    }

    private static string StripCaret(string input) => Regex.Replace(input, @"^\^", "");
}
