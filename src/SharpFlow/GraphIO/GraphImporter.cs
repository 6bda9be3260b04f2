using SharpFlow.Framework;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// <c>tf.import_graph_def</c> as TensorFlow's importer.py does it: every node of a GraphDef becomes an op of the
/// default graph under the name scope <c>name</c> (<c>import/</c> by default, made unique like any scope; <c>""</c>
/// imports at the root, renaming nodes whose names are taken), inputs named in <c>input_map</c> are replaced by
/// existing tensors, and the ops and tensors named in <c>return_elements</c> are returned. Every op type is checked
/// first: the types SharpFlow lacks make one <see cref="UnimplementedError"/> naming each such node. The functions
/// of the GraphDef's library that dataset ops name are rebuilt by <see cref="FunctionLibraryReader"/>; TensorFlow 2's
/// functional control flow is lowered into v1 control flow by <see cref="FunctionalOps"/>.
/// </summary>
internal static class GraphImporter
{
    // Attributes TensorFlow's op registry fills in when a GraphDef leaves them out (graphs written with
    // strip_default_attrs), for the common ops whose SharpFlow definitions read them.
    public static List<ITensorOrOperation>? Import(Graph graph, GraphDef graphDef, IReadOnlyDictionary<string, Tensor>? inputMap,
        IReadOnlyList<string>? returnElements, string? name)
    {
        ArgumentNullException.ThrowIfNull(graphDef);
        var nodes = new Dictionary<string, NodeDef>(StringComparer.Ordinal);
        foreach (var node in graphDef.Node)
        {
            if (string.IsNullOrEmpty(node.Name)) throw new ValueError("import_graph_def: a node has no name");
            if (!nodes.TryAdd(node.Name, node)) throw new ValueError($"import_graph_def: Node '{node.Name}' is not unique");
        }

        var missing = graphDef.Node.Where(n => OpRegistry.Find(n.Op) is null && !FunctionalOps.IsFunctional(n.Op)).ToList();
        if (missing.Count > 0)
            throw new UnimplementedError(
                $"import_graph_def: SharpFlow has no op type for {missing.Count} node(s): " +
                string.Join(", ", missing.Select(n => $"'{n.Name}' ({n.Op})")) +
                $". Missing op types: {string.Join(", ", missing.Select(n => n.Op).Distinct().Order(StringComparer.Ordinal))}");

        var map = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var controlMap = new Dictionary<string, Operation>(StringComparer.Ordinal);
        if (inputMap is not null)
            foreach (var (key, tensor) in inputMap)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                if (!ReferenceEquals(tensor.graph, graph)) throw new ValueError($"input_map['{key}'] = {tensor} is from a different graph");
                if (key.StartsWith('^')) controlMap[key[1..]] = tensor.op;
                else map[CanonicalTensorName(key)] = tensor;
            }
        var usedKeys = new HashSet<string>(StringComparer.Ordinal);

        var order = TopologicalOrder(graphDef, nodes);
        var created = new Dictionary<string, Operation>(StringComparer.Ordinal);
        // The results of the nodes lowered on import (TensorFlow 2's If, While, PartitionedCall), by node name.
        var lowered = new Dictionary<string, Tensor[]>(StringComparer.Ordinal);
        var backEdges = new List<(Operation Merge, int Index, string Input)>();
        using var graphScope = graph.as_default();
        using var scope = graph.name_scope(name ?? "import", out _);
        foreach (var node in order)
        {
            var inputs = new List<Tensor>();
            var controls = new List<Operation>();
            foreach (var input in node.Input)
            {
                if (input.StartsWith('^'))
                {
                    var source = input[1..];
                    if (controlMap.TryGetValue(source, out var mapped)) { usedKeys.Add("^" + source); controls.Add(mapped); continue; }
                    controls.Add(created.TryGetValue(source, out var c) ? c : throw NotFound(node, input, nodes));
                    continue;
                }
                var (opName, index) = ParseTensorName(input);
                var canonical = $"{opName}:{index}";
                if (map.TryGetValue(canonical, out var replacement)) { usedKeys.Add(canonical); inputs.Add(replacement); continue; }
                if (lowered.TryGetValue(opName, out var loweredInputs))
                {
                    if (index >= loweredInputs.Length)
                        throw new ValueError($"import_graph_def: Node '{node.Name}': input '{input}' names output {index} of '{opName}', which has {loweredInputs.Length} outputs");
                    inputs.Add(loweredInputs[index]);
                    continue;
                }
                if (created.TryGetValue(opName, out var producer))
                {
                    if (index >= producer.outputs.Count)
                        throw new ValueError($"import_graph_def: Node '{node.Name}': input '{input}' names output {index} of '{opName}', which has {producer.outputs.Count} outputs");
                    inputs.Add(producer.outputs[index]);
                    continue;
                }
                if (!nodes.ContainsKey(opName)) throw NotFound(node, input, nodes);
                // A while loop's back edge: the Merge is created with its first input in the NextIteration's place.
                if (node.Op is "Merge" or "RefMerge" && inputs.Count > 0)
                {
                    backEdges.Add((null!, inputs.Count, canonical));
                    inputs.Add(inputs[0]);
                    continue;
                }
                throw new ValueError($"import_graph_def: Node '{node.Name}': input '{input}' is part of a cycle that is not a while loop");
            }
            if (FunctionalOps.IsFunctional(node.Op))
            {
                try
                {
                    using (node.Device.Length > 0 ? graph.device(node.Device) : null)
                    {
                        var (outputs, group) = FunctionalOps.Lower(graph, node, inputs, controls, graphDef.Library,
                            scope => nodes.ContainsKey(scope) || nodes.Keys.Any(k => k.StartsWith(scope + "/", StringComparison.Ordinal)));
                        lowered[node.Name] = outputs;
                        created[node.Name] = group;
                    }
                }
                // The v1 construct's own refusals (branches of different dtypes, a loop variable changing its dtype);
                // the lowering's own errors name the node already.
                catch (Exception e) when (e is TypeError or InternalError or InvalidCastException or KeyNotFoundException or IndexOutOfRangeException or ArgumentOutOfRangeException
                    || (e is ValueError && !e.Message.StartsWith($"import_graph_def: Node '{node.Name}'", StringComparison.Ordinal)))
                {
                    throw new ValueError($"import_graph_def: Node '{node.Name}' ({node.Op}) cannot be lowered: {e.Message}", e);
                }
                continue;
            }
            var def = OpRegistry.Find(node.Op)!;
            var attrs = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var (attrName, value) in node.Attr)
                if (attrName != "_output_shapes")
                    attrs[attrName] = value.ValueCase == AttrValue.ValueOneofCase.Func
                        ? FunctionLibraryReader.Read(node, attrName, value, graphDef.Library, inputs)
                        : AttrValues.FromProto(node.Op, attrName, value, node.Name);
            // Attributes left out because they had their default value (a SavedModel written with
            // strip_default_attrs, TensorFlow's simple_save) get it back, as TensorFlow's importer does from the
            // registered OpDef (AddDefaultAttrsToNodeDef).
            if (TfOpDefs.Find(node.Op) is { } tfDef)
            {
                foreach (var attr in tfDef.Attr)
                    if (attr.DefaultValue is not null && !attrs.ContainsKey(attr.Name))
                        attrs[attr.Name] = AttrValues.FromProto(node.Op, attr.Name, attr.DefaultValue, node.Name);
            }
            else
            {
                // Op types TensorFlow does not register (SharpFlow's own, those registered by other assemblies) get
                // the defaults their definitions declare.
                foreach (var attr in def.Attrs)
                    if (attr.HasDefault && !attrs.ContainsKey(attr.Name))
                        attrs[attr.Name] = attr.DefaultValue!;
            }

            Operation op;
            try
            {
                using (node.Device.Length > 0 ? graph.device(node.Device) : null)
                    op = graph.CreateOp(def, node.Name, inputs, attrs, controls);
            }
            catch (Exception e) when (e is ValueError or TypeError or InternalError or InvalidCastException or KeyNotFoundException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new ValueError($"import_graph_def: Node '{node.Name}' ({node.Op}) cannot be imported: {e.Message}", e);
            }
            created[node.Name] = op;
            for (var i = 0; i < backEdges.Count; i++)
                if (backEdges[i].Merge is null) backEdges[i] = (op, backEdges[i].Index, backEdges[i].Input);
        }
        foreach (var (merge, index, input) in backEdges)
        {
            var (opName, outIndex) = ParseTensorName(input);
            var t = map.TryGetValue(input, out var m) ? m : created[opName].outputs[outIndex];
            merge.UpdateBackEdge(index, t);
        }

        var unused = map.Keys.Where(k => !usedKeys.Contains(k)).Concat(controlMap.Keys.Select(k => "^" + k).Where(k => !usedKeys.Contains(k))).ToList();
        if (unused.Count > 0)
            throw new ValueError($"Attempted to map inputs that were not found in graph_def: [{string.Join(", ", unused)}]");

        if (returnElements is null) return null;
        var results = new List<ITensorOrOperation>();
        foreach (var element in returnElements)
        {
            ArgumentNullException.ThrowIfNull(element);
            if (element.Contains(':'))
            {
                var (opName, index) = ParseTensorName(element);
                if (lowered.TryGetValue(opName, out var loweredOutputs) && index < loweredOutputs.Length)
                {
                    results.Add(loweredOutputs[index]);
                    continue;
                }
                if (!created.TryGetValue(opName, out var op) || index >= op.outputs.Count)
                    throw new ValueError($"Requested return_element '{element}' not found in graph_def.");
                results.Add(map.TryGetValue($"{opName}:{index}", out var mappedTensor) ? mappedTensor : op.outputs[index]);
            }
            else
            {
                results.Add(created.TryGetValue(element, out var op) ? op : throw new ValueError($"Requested return_element '{element}' not found in graph_def."));
            }
        }
        return results;
    }

    private static ValueError NotFound(NodeDef node, string input, Dictionary<string, NodeDef> nodes) =>
        new($"import_graph_def: Node '{node.Name}': Unknown input node '{input}'");

    /// <summary><c>op</c> or <c>op:k</c> as (op, k).</summary>
    public static (string Op, int Index) ParseTensorName(string name)
    {
        var colon = name.LastIndexOf(':');
        if (colon > 0 && int.TryParse(name.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            return (name[..colon], index);
        return (name, 0);
    }

    private static string CanonicalTensorName(string name)
    {
        var (op, index) = ParseTensorName(name);
        return $"{op}:{index}";
    }

    // Producers before consumers, otherwise in the GraphDef's order (a GraphDef need not be ordered); a Merge's
    // inputs from NextIteration ops are back edges and do not count.
    private static List<NodeDef> TopologicalOrder(GraphDef graphDef, Dictionary<string, NodeDef> nodes)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: in progress, 2: done
        var order = new List<NodeDef>(graphDef.Node.Count);
        IEnumerable<NodeDef> Inputs(NodeDef node)
        {
            foreach (var input in node.Input)
            {
                var source = input.StartsWith('^') ? input[1..] : ParseTensorName(input).Op;
                if (!nodes.TryGetValue(source, out var producer)) continue; // mapped or missing: reported later
                if (node.Op is "Merge" or "RefMerge" && !input.StartsWith('^') && producer.Op is "NextIteration" or "RefNextIteration") continue;
                yield return producer;
            }
        }
        foreach (var root in graphDef.Node)
        {
            if (state.ContainsKey(root.Name)) continue;
            var stack = new Stack<(NodeDef Node, IEnumerator<NodeDef> Inputs)>();
            state[root.Name] = 1;
            stack.Push((root, Inputs(root).GetEnumerator()));
            while (stack.Count > 0)
            {
                var (node, inputs) = stack.Peek();
                if (inputs.MoveNext())
                {
                    var next = inputs.Current;
                    state.TryGetValue(next.Name, out var st);
                    if (st == 1)
                        throw new ValueError($"import_graph_def: the GraphDef has a cycle that is not a while loop, through '{next.Name}' and '{node.Name}'");
                    if (st == 0)
                    {
                        state[next.Name] = 1;
                        stack.Push((next, Inputs(next).GetEnumerator()));
                    }
                    continue;
                }
                stack.Pop();
                inputs.Dispose();
                state[node.Name] = 2;
                order.Add(node);
            }
        }
        return order;
    }
}
