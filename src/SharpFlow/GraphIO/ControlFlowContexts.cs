using Google.Protobuf;
using SharpFlow.Framework;
using SharpFlow.Ops.Control;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// The <c>cond_context</c> and <c>while_context</c> collections of a MetaGraphDef (TensorFlow's
/// <c>CondContext.to_proto</c>/<c>from_proto</c> and <c>WhileContext.to_proto</c>/<c>from_proto</c> in
/// control_flow_ops.py): each top-level <c>tf.cond</c> branch and <c>tf.while_loop</c> as a CondContextDef or
/// WhileContextDef, with the contexts nested in it. Importing them gives the imported ops their contexts again,
/// so that <c>tf.gradients</c> can build the backprop loop of an imported while loop.
/// </summary>
internal static class ControlFlowContexts
{
    /// <summary>The collections whose items are control-flow contexts.</summary>
    public static bool IsContextCollection(string key) => key is GraphKeys.COND_CONTEXT or GraphKeys.WHILE_CONTEXT;

    /// <summary>The output names of the ops of each context, counting the ops of the contexts nested in it.</summary>
    public sealed class ValueIndex
    {
        private readonly Dictionary<ControlFlowContext, List<string>> _outputs = new(ReferenceEqualityComparer.Instance);

        public ValueIndex(Graph graph)
        {
            foreach (var op in graph.get_operations())
                for (var c = op.Context; c is not null; c = c.Outer)
                {
                    if (!_outputs.TryGetValue(c, out var list)) _outputs[c] = list = [];
                    foreach (var output in op.outputs) list.Add(output.name);
                }
        }

        public IEnumerable<string> Of(ControlFlowContext context) => _outputs.GetValueOrDefault(context) ?? [];
    }

    /// <summary>The serialized CondContextDef or WhileContextDef of a context, or null for one still being built.</summary>
    public static ByteString? ToBytes(ControlFlowContext context, ValueIndex index) => context switch
    {
        CondContext cond => ToProto(cond, index).ToByteString(),
        WhileContext { Pivot: not null, PivotForPred: not null } loop => ToProto(loop, index).ToByteString(),
        _ => null,
    };

    // TensorFlow's _to_values_def: the names seen, sorted, and the external names with their inside tensors.
    private static ValuesDef ValuesOf(ControlFlowContext context, ValueIndex index)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        names.UnionWith(context.SeenValues);
        names.UnionWith(context.ExternalValues.Keys);
        names.UnionWith(index.Of(context));
        var def = new ValuesDef();
        def.Values.AddRange(names);
        foreach (var (key, value) in context.ExternalValues) def.ExternalValues[key] = value.name;
        return def;
    }

    private static void AddNested(ControlFlowContext context, ValueIndex index, Google.Protobuf.Collections.RepeatedField<ControlFlowContextDef> nested)
    {
        foreach (var inner in context.NestedContexts)
            switch (inner)
            {
                case CondContext cond:
                    nested.Add(new ControlFlowContextDef { CondCtxt = ToProto(cond, index) });
                    break;
                case WhileContext { Pivot: not null, PivotForPred: not null } loop:
                    nested.Add(new ControlFlowContextDef { WhileCtxt = ToProto(loop, index) });
                    break;
            }
    }

    /// <summary>TensorFlow's <c>CondContext.to_proto()</c>.</summary>
    public static CondContextDef ToProto(CondContext context, ValueIndex index)
    {
        var def = new CondContextDef
        {
            ContextName = context.Name,
            PredName = context.Pred.name,
            PivotName = context.Pivot.name,
            Branch = context.Branch,
            ValuesDef = ValuesOf(context, index),
        };
        AddNested(context, index, def.NestedContexts);
        return def;
    }

    /// <summary>TensorFlow's <c>WhileContext.to_proto()</c> (SharpFlow has no memory swapping: <c>swap_memory</c> is false).</summary>
    public static WhileContextDef ToProto(WhileContext context, ValueIndex index)
    {
        var def = new WhileContextDef
        {
            ContextName = context.Name,
            ParallelIterations = context.ParallelIterations,
            BackProp = context.BackProp,
            SwapMemory = false,
            PivotName = context.Pivot!.name,
            PivotForPredName = context.PivotForPred!.name,
            PivotForBodyName = (context.PivotForBody ?? context.PivotForPred).name,
            ValuesDef = ValuesOf(context, index),
            MaximumIterationsName = context.MaximumIterations?.name ?? "",
        };
        def.LoopExitNames.AddRange(context.LoopExits.Select(e => e.name));
        def.LoopEnterNames.AddRange(context.LoopEnters.Select(e => e.name));
        AddNested(context, index, def.NestedContexts);
        return def;
    }

    /// <summary>Parses one item of a context collection (the error names the collection).</summary>
    public static IMessage Parse(string key, ByteString bytes)
    {
        try
        {
            return key == GraphKeys.COND_CONTEXT ? CondContextDef.Parser.ParseFrom(bytes) : WhileContextDef.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataLossError($"import_meta_graph: collection '{key}' holds an invalid {(key == GraphKeys.COND_CONTEXT ? "CondContextDef" : "WhileContextDef")}: {e.Message}", null, e);
        }
    }

    /// <summary>
    /// Before the GraphDef is imported under a scope, the Enters of each loop get the loop's new name as their
    /// <c>frame_name</c> (as TensorFlow's <c>WhileContext._init_from_proto</c> rewrites them), so that two imports of
    /// one loop are two frames.
    /// </summary>
    public static void RenameFrames(GraphDef graphDef, IEnumerable<IMessage> contexts, string prefix)
    {
        if (prefix.Length == 0) return;
        var nodes = new Dictionary<string, NodeDef>(StringComparer.Ordinal);
        foreach (var node in graphDef.Node) nodes.TryAdd(node.Name, node);
        void Visit(IMessage message)
        {
            switch (message)
            {
                case WhileContextDef loop:
                    foreach (var value in loop.ValuesDef?.Values ?? [])
                        if (nodes.TryGetValue(GraphImporter.ParseTensorName(value).Op, out var node) && node.Op is "Enter" or "RefEnter")
                            node.Attr["frame_name"] = new AttrValue { S = ByteString.CopyFromUtf8(prefix + loop.ContextName) };
                    foreach (var nested in loop.NestedContexts) Visit(Unwrap(nested));
                    break;
                case CondContextDef cond:
                    foreach (var nested in cond.NestedContexts) Visit(Unwrap(nested));
                    break;
            }
        }
        foreach (var c in contexts) Visit(c);
    }

    private static IMessage Unwrap(ControlFlowContextDef def) => def.CtxtCase switch
    {
        ControlFlowContextDef.CtxtOneofCase.CondCtxt => def.CondCtxt,
        ControlFlowContextDef.CtxtOneofCase.WhileCtxt => def.WhileCtxt,
        _ => throw new DataLossError("import_meta_graph: a nested ControlFlowContextDef holds no context", null),
    };

    /// <summary>
    /// TensorFlow's <c>from_proto</c>: the context, nested in <paramref name="outer"/>, with its tensors found by
    /// <paramref name="tensor"/> (names as written, before the import scope); every op named in its values (except
    /// the external ones) is put in it, then its nested contexts are rebuilt inside it.
    /// </summary>
    public static ControlFlowContext FromProto(IMessage message, ControlFlowContext? outer, string prefix, Func<string, string, Tensor> tensor)
    {
        ControlFlowContext context;
        ValuesDef values;
        IEnumerable<ControlFlowContextDef> nested;
        switch (message)
        {
            case CondContextDef cond:
            {
                var what = $"the cond context '{cond.ContextName}'";
                var pivot = tensor(cond.PivotName, what);
                context = new CondContext(tensor(cond.PredName, what), pivot, cond.Branch, outer, prefix + cond.ContextName);
                values = cond.ValuesDef ?? new ValuesDef();
                nested = cond.NestedContexts;
                break;
            }
            case WhileContextDef loop:
            {
                var what = $"the while context '{loop.ContextName}'";
                if (loop.ParallelIterations <= 0)
                    throw new ValueError($"import_meta_graph: {what} has parallel_iterations {loop.ParallelIterations}; it must be positive");
                context = WhileContext.FromImport(outer, prefix + loop.ContextName, loop.ParallelIterations, loop.BackProp,
                    tensor(loop.PivotName, what), tensor(loop.PivotForPredName, what),
                    tensor(loop.PivotForBodyName.Length > 0 ? loop.PivotForBodyName : loop.PivotForPredName, what),
                    loop.LoopEnterNames.Select(n => tensor(n, what)), loop.LoopExitNames.Select(n => tensor(n, what)),
                    loop.MaximumIterationsName.Length > 0 ? tensor(loop.MaximumIterationsName, what) : null);
                values = loop.ValuesDef ?? new ValuesDef();
                nested = loop.NestedContexts;
                break;
            }
            default:
                throw new ArgumentException("not a control-flow context message", nameof(message));
        }

        var valuesWhat = $"the values of context '{context.Name}'";
        foreach (var (key, value) in values.ExternalValues)
        {
            var outside = tensor(key, valuesWhat);
            var inside = tensor(value, valuesWhat);
            context.ExternalValues[outside.name] = inside;
            switch (context)
            {
                case CondContext c: c.RestoreExternal(outside, inside); break;
                case WhileContext w: w.RestoreExternal(outside, inside); break;
            }
        }
        foreach (var name in values.Values)
            if (!values.ExternalValues.ContainsKey(name)) tensor(name, valuesWhat).op.Context = context;
        foreach (var inner in nested) FromProto(Unwrap(inner), context, prefix, tensor);
        return context;
    }
}
