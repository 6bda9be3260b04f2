using SharpFlow.Framework;
using SharpFlow.Ops.Control;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// TensorFlow 2's functional control flow, lowered on import as TensorFlow's LowerFunctionalOpsPass does it
/// (lower_if_op.cc, lower_while_op.cc, lower_function_call_op.cc): <c>If</c>/<c>StatelessIf</c> become a v1
/// <c>tf.cond</c> (Switch and Merge) whose branches inline <c>then_branch</c> and <c>else_branch</c>;
/// <c>While</c>/<c>StatelessWhile</c> a v1 <c>tf.while_loop</c> (Enter, Merge, Switch, NextIteration, Exit) whose
/// condition and body inline <c>cond</c> and <c>body</c>, with <c>output_shapes</c> as the shape invariants;
/// <c>PartitionedCall</c>/<c>StatefulPartitionedCall</c> the inlined body of <c>f</c>. The results run and
/// differentiate as SharpFlow's v1 control flow does. <c>parallel_iterations</c> is ignored; the loop runs its
/// iterations in order. A NoOp under the node's name stands for it as a control input; its data outputs are the
/// lowered results.
/// </summary>
internal static class FunctionalOps
{
    /// <summary>The op types lowered here.</summary>
    public static IReadOnlyList<string> Types { get; } = ["If", "PartitionedCall", "StatefulPartitionedCall", "StatelessIf", "StatelessWhile", "While"];

    /// <summary>Whether op type <paramref name="type"/> is lowered on import.</summary>
    public static bool IsFunctional(string type) => Types.Contains(type);

    /// <summary>
    /// Lowers <paramref name="node"/> into the default graph <paramref name="graph"/>: its results, and the NoOp
    /// named after it (control inputs of the node's control inputs and of the results). The lowered ops go under
    /// the name scope <c>NODE/lowered</c> (<c>lowered_1</c>, ... where <paramref name="taken"/> says a GraphDef node
    /// has that name or lies under it), so that they take no name the GraphDef's later nodes hold (cond_v2 and
    /// while_v2 name their readers <c>cond/Identity</c> and <c>while/Identity_2</c>, names v1 control flow uses).
    /// </summary>
    public static (Tensor[] Outputs, Operation Op) Lower(Graph graph, NodeDef node, IReadOnlyList<Tensor> inputs, IReadOnlyList<Operation> controls,
        FunctionDefLibrary? library, Func<string, bool> taken)
    {
        var what = $"import_graph_def: Node '{node.Name}' ({node.Op})";
        var scope = $"{node.Name}/lowered";
        for (var i = 1; taken(scope); i++) scope = $"{node.Name}/lowered_{i}";
        Tensor[] outputs;
        using (controls.Count > 0 ? graph.control_dependencies([.. controls]) : null)
            outputs = node.Op switch
            {
                "If" or "StatelessIf" => LowerIf(node, inputs, library, what, scope),
                "While" or "StatelessWhile" => LowerWhile(node, inputs, library, what, scope),
                _ => LowerCall(node, inputs, library, what, scope),
            };
        // The node's own name, in the import's scope (the inlined ops are in scopes under it).
        var current = graph.get_name_scope();
        var exact = (current.Length > 0 ? current + "/" : "") + node.Name;
        var name = graph.get_operations().Any(o => o.name == exact) ? node.Name : exact + "/";
        var group = graph.CreateOp(NoOp.Def, name, [], null, outputs.Select(o => o.op).Distinct().Concat(controls).ToList());
        return (outputs, group);
    }

    private static FunctionDef Function(NodeDef node, string attr, FunctionDefLibrary? library, string what)
    {
        if (!node.Attr.TryGetValue(attr, out var value) || value.ValueCase != AttrValue.ValueOneofCase.Func)
            throw new ValueError($"{what}: attr '{attr}' is missing or holds no function");
        var name = value.Func.Name;
        return library?.Function.FirstOrDefault(f => f?.Signature?.Name == name)
            ?? throw new ValueError($"{what}, attr '{attr}': function '{name}' is not in the GraphDef's library");
    }

    private static string Where(NodeDef node, string attr, string what) => $"{what}, attr '{attr}': function '{node.Attr[attr].Func.Name}'";

    private static Tensor[] Call(NodeDef node, string attr, FunctionDefLibrary? library, IReadOnlyList<Tensor> args, string what, string scope)
    {
        var fdef = Function(node, attr, library, what);
        return FunctionLibraryReader.Inline(fdef, library!, args, scope, Where(node, attr, what));
    }

    private static void CheckCount(string what, string attr, int expected, int actual, string of)
    {
        if (expected != actual) throw new ValueError($"{what}: attr '{attr}' lists {expected} type(s), but the node has {actual} {of}");
    }

    private static Tensor[] LowerCall(NodeDef node, IReadOnlyList<Tensor> inputs, FunctionDefLibrary? library, string what, string scope)
    {
        if (node.Attr.TryGetValue("Tin", out var tin) && tin.List is { } l) CheckCount(what, "Tin", l.Type.Count, inputs.Count, "input(s)");
        return Call(node, "f", library, inputs, what, scope);
    }

    // TensorFlow's ToBool of an If's cond or a While's cond result: a bool as it is, a number compared with zero
    // (a scalar; other shapes are an error when the graph runs).
    private static Tensor ToBool(Tensor t, string what)
    {
        if (t.dtype == DType.@bool) return t;
        if (!t.dtype.is_floating && !t.dtype.is_integer)
            throw new UnimplementedError($"{what}: a condition of type {t.dtype.name} is not supported (bool or a number)");
        return SharpFlow.Ops.MathOps.NotEqual.Build(t, SharpFlow.Ops.ArrayOps.ZerosLike.Def.Apply(t, null, optimize: false, null));
    }

    private static Tensor[] LowerIf(NodeDef node, IReadOnlyList<Tensor> inputs, FunctionDefLibrary? library, string what, string scope)
    {
        if (inputs.Count < 1) throw new ValueError($"{what}: the node has no cond input");
        var args = inputs.Skip(1).ToArray();
        if (node.Attr.TryGetValue("Tin", out var tin) && tin.List is { } l) CheckCount(what, "Tin", l.Type.Count, args.Length, "input(s) after cond");
        var tout = node.Attr.TryGetValue("Tout", out var t) && t.List is { } tl ? tl.Type.Count : -1;
        if (tout == 0) throw new UnimplementedError($"{what}: an If without outputs (run for its side effects) is not supported");
        var pred = ToBool(inputs[0], what);
        Tensor[] Branch(string attr)
        {
            var results = Call(node, attr, library, args, what, attr);
            if (tout >= 0 && results.Length != tout)
                throw new ValueError($"{Where(node, attr, what)} returns {results.Length} value(s), but attr 'Tout' lists {tout}");
            return results;
        }
        return ControlFlowOps.Cond(pred, () => Branch("then_branch"), () => Branch("else_branch"), scope);
    }

    private static Tensor[] LowerWhile(NodeDef node, IReadOnlyList<Tensor> inputs, FunctionDefLibrary? library, string what, string scope)
    {
        if (node.Attr.TryGetValue("T", out var types) && types.List is { } l) CheckCount(what, "T", l.Type.Count, inputs.Count, "input(s)");
        if (inputs.Count == 0) throw new UnimplementedError($"{what}: a While without loop variables is not supported");
        // The loop variables' shapes may change between iterations as output_shapes allows (TensorFlow checks them
        // against the body's results); without output_shapes any shape.
        var shapes = node.Attr.TryGetValue("output_shapes", out var s) && s.List is { } sl && sl.Shape.Count == inputs.Count
            ? sl.Shape.Select(p => (Shape?)TensorProtos.FromProto(p)).ToArray()
            : inputs.Select(_ => (Shape?)Shape.Unknown).ToArray();
        return ControlFlowOps.WhileLoop(
            vars =>
            {
                var result = Call(node, "cond", library, vars, what, "cond");
                if (result.Length != 1) throw new ValueError($"{Where(node, "cond", what)} returns {result.Length} value(s); a loop condition returns one");
                return ToBool(result[0], Where(node, "cond", what));
            },
            vars =>
            {
                var result = Call(node, "body", library, vars, what, "body");
                if (result.Length != vars.Length)
                    throw new ValueError($"{Where(node, "body", what)} returns {result.Length} value(s) for {vars.Length} loop variable(s)");
                return result;
            },
            [.. inputs.Select(i => (TensorLike)i)], shapes, 10, backProp: true, maximumIterations: null, scope);
    }
}
