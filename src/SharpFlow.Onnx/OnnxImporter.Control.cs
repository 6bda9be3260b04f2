using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    private GraphProto SubgraphOf(NodeProto node, string attribute) =>
        AttrOf(node, attribute)?.G ?? throw Invalid(node, $"it has no '{attribute}' graph.");

    /// <summary>
    /// Builds a subgraph (a branch or a loop body) where it is called: its inputs bound to <paramref name="inputs"/>,
    /// its nodes reading the outer graph's values by name (ONNX's scoping), its outputs returned in the model's layout.
    /// Constants of the outer graph first materialized inside are materialized again outside, so no tensor of a
    /// branch or loop leaks out of it.
    /// </summary>
    private Tensor[] Subgraph(NodeProto node, GraphProto graph, IReadOnlyList<Tensor> inputs) =>
        [.. SubgraphValues(node, graph, [.. inputs]).Select((o, k) => o as Tensor ?? throw Unsupported(node, $"a sequence as the output '{graph.Output[k].Name}' of its subgraph '{graph.Name}'"))];

    /// <summary>
    /// <see cref="Subgraph"/> whose inputs and outputs may be sequences too (a Loop's carried sequences): an input
    /// <see cref="Sequence"/> is bound as a sequence, an output that names a sequence is returned as its <see cref="Sequence"/>.
    /// </summary>
    private object[] SubgraphValues(NodeProto node, GraphProto graph, IReadOnlyList<object> inputs)
    {
        if (graph.Input.Count != inputs.Count)
            throw Invalid(node, $"its subgraph '{graph.Name}' takes {graph.Input.Count} inputs, not {inputs.Count}.");
        var lazy = _values.Values.Where(v => v.Tensor is null && v.Constant is not null).ToList();
        var sequences = new Dictionary<string, Sequence>(_sequences, StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i] is Sequence s) _sequences[graph.Input[i].Name] = s;
                else _values[graph.Input[i].Name] = new Value((Tensor)inputs[i], null, false);
            }
            foreach (var init in graph.Initializer)
                _values[init.Name] = new Value(null, OnnxTensors.ToNDArray(init, _model.Source), false);
            foreach (var n in graph.Node) Build(n);
            return [.. graph.Output.Select(o => _sequences.TryGetValue(o.Name, out var s) ? s : (object)tf.identity(Nchw(Get(o.Name, NodeName(node)))))];
        }
        finally
        {
            foreach (var v in lazy) v.Tensor = null;
            _sequences.Clear();
            foreach (var (k, v) in sequences) _sequences[k] = v;
        }
    }

    /// <summary>ONNX If: <c>tf.cond</c> over the two branch graphs, or the one branch when the condition is known at import.</summary>
    private void If(NodeProto node)
    {
        var condition = In(node, 0);
        var (thenBranch, elseBranch) = (SubgraphOf(node, "then_branch"), SubgraphOf(node, "else_branch"));
        if (thenBranch.Output.Count != node.Output.Count || elseBranch.Output.Count != node.Output.Count)
            throw Invalid(node, $"its branches have {thenBranch.Output.Count} and {elseBranch.Output.Count} outputs for {node.Output.Count}.");
        Tensor[] results;
        if (condition.Constant is { } c)
        {
            if (c.size != 1) throw Invalid(node, $"its condition holds {c.size} values, not 1.");
            results = Subgraph(node, c.Cast(DType.@bool).ToArray<bool>()[0] ? thenBranch : elseBranch, []);
        }
        else
        {
            var pred = tf.reshape(tf.cast(Nchw(condition), DType.@bool), Array.Empty<int>());
            results = tf.cond(pred, () => Subgraph(node, thenBranch, []), () => Subgraph(node, elseBranch, []));
        }
        for (var i = 0; i < results.Length; i++) Set(node, i, results[i]);
    }

    /// <summary>
    /// ONNX Loop: a <c>tf.while_loop</c> over the iteration number, the condition and the loop-carried values (whose
    /// shapes stay those of their initial values), the scan outputs gathered in TensorArrays and stacked (their element shape, inferred from the body, gives the stacked output its rank). A
    /// loop-carried sequence is a TensorArray carried by the loop (a list known at import written into a new one
    /// first): the body appends to it, and the Loop's output is that TensorArray, a sequence of run-time length. When
    /// the body erases from sequences (a stack's pops), or one comes in shortened, each carried sequence's length is
    /// carried too.
    /// </summary>
    private void Loop(NodeProto node)
    {
        var body = SubgraphOf(node, "body");
        var carried = node.Input.Count - 2;
        if (carried < 0 || body.Input.Count != carried + 2) throw Invalid(node, $"its body takes {body.Input.Count} inputs for {System.Math.Max(carried, 0)} loop-carried values.");
        var scans = body.Output.Count - 1 - carried;
        if (scans < 0 || node.Output.Count > carried + scans) throw Invalid(node, $"its body has {body.Output.Count} outputs for {carried} loop-carried values.");
        Tensor? trips = Has(node, 0) ? tf.reshape(tf.cast(X(node, 0), DType.int64), Array.Empty<int>()) : null;
        var initialCondition = Has(node, 1) ? tf.reshape(tf.cast(X(node, 1), DType.@bool), Array.Empty<int>()) : tf.constant(true);
        var initial = Enumerable.Range(0, carried).Select(k => _sequences.TryGetValue(node.Input[k + 2], out var s)
            ? ArrayOf(node, node.Input[k + 2], s)
            : (object)X(node, k + 2)).ToList();
        var scanTypes = Enumerable.Range(0, scans).Select(k =>
        {
            var type = body.Output[1 + carried + k].Type?.TensorType?.ElemType ?? 0;
            return type == 0 ? throw Unsupported(node, $"a scan output '{body.Output[1 + carried + k].Name}' without a declared tensor type") : DTypeOf(type, $"scan output '{body.Output[1 + carried + k].Name}'", NodeName(node));
        }).ToList();

        var loopVars = new List<object> { tf.constant(0L), initialCondition };
        loopVars.AddRange(initial);
        loopVars.AddRange(scanTypes.Select(t => (object)new TensorArray(t, 0, dynamic_size: true)));
        // The loop variable that carries each carried sequence's length, or -1 (its TensorArray's size is its length).
        var lengthAt = Enumerable.Repeat(-1, carried).ToArray();
        var erases = Erases(body);
        for (var k = 0; k < carried; k++)
        {
            if (initial[k] is not TensorArray array) continue;
            var shortened = _sequences[node.Input[k + 2]].Length;
            if (shortened is null && !erases) continue;
            lengthAt[k] = loopVars.Count;
            loopVars.Add(shortened ?? array.size());
        }
        var result = tf.while_loop(v =>
        {
            var go = (Tensor)v[1];
            return trips is null ? go : tf.logical_and(tf.less((Tensor)v[0], trips), go);
        }, v =>
        {
            var i = (Tensor)v[0];
            var outputs = SubgraphValues(node, body, [i, (Tensor)v[1], .. v.Skip(2).Take(carried).Select((c, k) => c is TensorArray ta ? new Sequence([], ta.dtype, ta, lengthAt[k] < 0 ? null : (Tensor)v[lengthAt[k]]) : c)]);
            var next = new List<object> { i + S(1, DType.int64), tf.reshape(tf.cast(Out(outputs[0], 0), DType.@bool), Array.Empty<int>()) };
            for (var k = 0; k < carried; k++)
            {
                if (v[2 + k] is not TensorArray array) next.Add(Out(outputs[1 + k], 1 + k));
                else if (outputs[1 + k] is Sequence { Array: { } written } && ReferenceEquals(written.handle, array.handle)) next.Add(written);
                else throw Unsupported(node, $"a loop-carried sequence ('{node.Input[k + 2]}') that its body's output '{body.Output[1 + k].Name}' replaces instead of appending to it or erasing its last element");
            }
            for (var k = 0; k < scans; k++) next.Add(((TensorArray)v[2 + carried + k]).write(tf.cast(i, DType.int32), Out(outputs[1 + carried + k], 1 + carried + k)));
            for (var k = 0; k < carried; k++)
                if (lengthAt[k] >= 0) next.Add(LengthOf((Sequence)outputs[1 + k]));
            return [.. next];
        }, loopVars);
        for (var k = 0; k < carried; k++)
        {
            if (result[2 + k] is TensorArray array)
            {
                if (Wants(node, k)) _sequences[node.Output[k]] = new Sequence([], array.dtype, array, lengthAt[k] < 0 ? null : (Tensor)result[lengthAt[k]]);
            }
            else Set(node, k, (Tensor)result[2 + k]);
        }
        for (var k = 0; k < scans; k++) Set(node, carried + k, Stacked(body.Output[1 + carried + k], (TensorArray)result[2 + carried + k]));

        Tensor Out(object output, int index) => output as Tensor
            ?? throw Unsupported(node, $"a sequence as its body's output '{body.Output[index].Name}' where the Loop carries a tensor");
    }

    /// <summary>Whether a graph (or a subgraph of its nodes) erases from a sequence.</summary>
    private static bool Erases(GraphProto graph) =>
        graph.Node.Any(n => n.OpType == "SequenceErase" || n.Attribute.Any(a => (a.G is { } g && Erases(g)) || a.Graphs.Any(Erases)));

    /// <summary>
    /// A Loop's scan output: its slices stacked. After no iteration it is empty, of ONNX Runtime's shape: 0, then the
    /// body output's declared dimensions with the unknown ones 0 (the TensorArray alone needs a fully known slice shape).
    /// </summary>
    private static Tensor Stacked(ValueInfoProto declared, TensorArray array)
    {
        if (array.element_shape.IsFullyDefined) return array.stack();
        var dims = declared.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? (int)d.DimValue : 0) ?? [];
        var empty = tf.zeros(new Shape([0, .. dims]), array.dtype);
        return tf.cond(tf.equal(array.size(), S(0, DType.int32)), () => empty, () => array.stack());
    }

    /// <summary>ONNX Identity: the same value, or the same sequence.</summary>
    private void Identity(NodeProto node)
    {
        if (Has(node, 0) && _sequences.TryGetValue(node.Input[0], out var s)) _sequences[node.Output[0]] = s;
        else _values[node.Output[0]] = In(node, 0);
    }
}
