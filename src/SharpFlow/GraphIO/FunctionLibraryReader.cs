using SharpFlow.Framework;
using SharpFlow.Functions;
using Tensorflow;
using TfDataType = Tensorflow.DataType;
using OpDef = Tensorflow.OpDef;

namespace SharpFlow.GraphIO;

/// <summary>
/// Reads the functions of a GraphDef's <c>FunctionDefLibrary</c> that its dataset ops name (<c>AttrValue.func</c>):
/// each becomes a graph of its own (TensorFlow's FunctionDefToBodyHelper / function_def_to_graph): a placeholder
/// per input arg, the body's nodes imported with their function-style input names (<c>arg</c>,
/// <c>node:output_arg:index</c>, <c>^node</c>) resolved through TensorFlow's OpDefs, the results its <c>ret</c>
/// map names. The input args after the element's components are the captured values, bound to the op's
/// <c>other_arguments</c> when it runs. A missing function, an input name that names nothing, and a function whose
/// arguments or results do not fit the op are errors naming the node, the function and the problem.
/// </summary>
internal static class FunctionLibraryReader
{
    // The functions being imported on this thread (a function that reaches itself is refused).
    [ThreadStatic] private static HashSet<string>? _importing;

    /// <summary>How a dataset op passes its function's arguments.</summary>
    private enum Args
    {
        /// <summary>The element of input 0 (map, filter, flat_map, interleave).</summary>
        Element,
        /// <summary>scan: the state (inputs after input_dataset, attr Tstate), then the element.</summary>
        StateThenElement,
        /// <summary>group_by_window's functions: their own argument lists.</summary>
        Free,
        /// <summary>A one-shot iterator's dataset_factory: no arguments, one dataset.</summary>
        Factory,
    }

    private static (Args Kind, string CapturedTypes)? Spec(string op, string attr) => (op, attr) switch
    {
        ("MapDataset" or "ParallelMapDataset" or "FlatMapDataset" or "InterleaveDataset" or "ParallelInterleaveDataset"
            or "ParallelInterleaveDatasetV2", "f") => (Args.Element, "Targuments"),
        ("FilterDataset", "predicate") => (Args.Element, "Targuments"),
        ("ScanDataset", "f") => (Args.StateThenElement, "Targuments"),
        ("GroupByWindowDataset", "key_func" or "reduce_func" or "window_size_func") => (Args.Free, $"T{attr}_other_arguments"),
        ("OneShotIterator", "dataset_factory") => (Args.Factory, ""),
        _ => null,
    };

    /// <summary>
    /// The value SharpFlow's op stores for function attribute <paramref name="attrName"/> of <paramref name="node"/>
    /// (a <see cref="TracedFunction"/>, or a one-shot iterator's dataset factory), from <paramref name="library"/>.
    /// <paramref name="inputs"/> are the node's data inputs (the element's and the captured values' shapes).
    /// </summary>
    public static object Read(NodeDef node, string attrName, AttrValue value, FunctionDefLibrary? library, IReadOnlyList<Tensor> inputs)
    {
        var what = $"import_graph_def: Node '{node.Name}' ({node.Op}), attr '{attrName}'";
        var name = value.Func.Name;
        if (Spec(node.Op, attrName) is not { } spec)
            throw new UnimplementedError($"{what}: SharpFlow takes no function (here '{name}') for this attribute");
        var fdef = library?.Function.FirstOrDefault(f => f?.Signature?.Name == name)
            ?? throw new ValueError($"{what}: function '{name}' is not in the GraphDef's library");
        var where = $"{what}: function '{name}'";
        if (_importing?.Contains(name) == true)
            throw new ValueError($"{where} calls itself (through {string.Join(", ", _importing.Select(n => $"'{n}'"))})");
        var sig = fdef.Signature ?? throw new ValueError($"{where} has no signature");

        var captured = spec.CapturedTypes.Length == 0 ? [] : TypesAttr(node, spec.CapturedTypes);
        var capturedInputs = CapturedInputs(node, spec, inputs, captured.Length);
        TfDataType[]? elementTypes = null;
        SharpFlow.Shape?[]? elementShapes = null;
        if (spec.Kind is Args.Element or Args.StateThenElement && inputs.Count > 0 && inputs[0].op.attrs is var producer)
        {
            var typesKey = producer.ContainsKey("output_types") ? "output_types" : "Toutput_types";
            if (producer.TryGetValue(typesKey, out var t) && t is DType[] types) elementTypes = [.. types.Select(Variant)];
            if (producer.TryGetValue("output_shapes", out var s) && s is SharpFlow.Shape[] shapes) elementShapes = shapes;
        }
        var state = spec.Kind == Args.StateThenElement ? TypesAttr(node, "Tstate") : [];
        var leading = spec.Kind switch
        {
            Args.Factory => 0,
            Args.Free => sig.InputArg.Count - captured.Length,
            _ => elementTypes is null ? sig.InputArg.Count - captured.Length : state.Length + elementTypes.Length,
        };
        if (sig.InputArg.Count != leading + captured.Length || leading < 0)
            throw new ValueError(spec.Kind switch
            {
                Args.Factory => $"{where} takes {sig.InputArg.Count} argument(s); a dataset_factory takes none",
                Args.Free => $"{where} takes {sig.InputArg.Count} argument(s), fewer than the {captured.Length} captured value(s) the node passes ({spec.CapturedTypes})",
                _ => $"{where} takes {sig.InputArg.Count} argument(s), but the node passes {leading} " +
                     $"({(state.Length > 0 ? $"{state.Length} state, " : "")}{elementTypes!.Length} element component(s)) and {captured.Length} captured value(s) ({spec.CapturedTypes})",
            });
        for (var i = 0; i < captured.Length; i++)
        {
            var arg = sig.InputArg[leading + i];
            if (arg.Type != captured[i])
                throw new ValueError($"{where}: argument '{arg.Name}' is {TensorProtos.Name(arg.Type)}, but the node's {spec.CapturedTypes}[{i}] is {TensorProtos.Name(captured[i])}");
        }
        if (elementTypes is not null)
            for (var i = 0; i < elementTypes.Length; i++)
            {
                var arg = sig.InputArg[state.Length + i];
                if (arg.Type != elementTypes[i])
                    throw new ValueError($"{where}: argument '{arg.Name}' is {TensorProtos.Name(arg.Type)}, but element component {i} of the input dataset is {TensorProtos.Name(elementTypes[i])}");
            }
        CheckResults(node, where, sig, spec.Kind, state.Length);

        // Argument shapes: the state's and captured values' from the node's inputs, the element's from the input dataset.
        var hints = new SharpFlow.Shape?[sig.InputArg.Count];
        for (var i = 0; i < state.Length && 1 + i < inputs.Count; i++) hints[i] = inputs[1 + i].shape;
        if (elementShapes is not null && elementTypes is not null && elementShapes.Length == elementTypes.Length)
            for (var i = 0; i < elementShapes.Length; i++) hints[state.Length + i] = elementShapes[i];
        for (var i = 0; i < capturedInputs.Length; i++) hints[leading + i] = capturedInputs[i].shape;

        var (graph, args, outputs) = Import(fdef, library!, hints, where);
        if (spec.Kind == Args.Factory) return new DatasetFactory(outputs[0]) { LibraryName = name };
        return TracedFunction.FromLibrary(name, graph, args[..leading], args[leading..], outputs);
    }

    private static void CheckResults(NodeDef node, string where, OpDef sig, Args kind, int state)
    {
        var outputs = sig.OutputArg;
        string? problem = (node.Op, kind) switch
        {
            ("FilterDataset", _) when outputs.Count != 1 || outputs[0].Type != TfDataType.DtBool => $"returns {Describe(outputs)}; a predicate returns one bool",
            ("FlatMapDataset" or "InterleaveDataset" or "ParallelInterleaveDataset" or "ParallelInterleaveDatasetV2", _)
                when outputs.Count != 1 || outputs[0].Type != TfDataType.DtVariant => $"returns {Describe(outputs)}; it must return one dataset (DT_VARIANT)",
            (_, Args.Factory) when outputs.Count != 1 || outputs[0].Type != TfDataType.DtVariant => $"returns {Describe(outputs)}; a dataset_factory returns one dataset (DT_VARIANT)",
            ("MapDataset" or "ParallelMapDataset", _) when node.Attr.TryGetValue("output_types", out var t) && t.List is { } l && !l.Type.SequenceEqual(outputs.Select(o => o.Type))
                => $"returns {Describe(outputs)}, but the node's output_types are ({string.Join(", ", l.Type.Select(TensorProtos.Name))})",
            (_, Args.StateThenElement) when node.Attr.TryGetValue("output_types", out var t) && t.List is { } l && outputs.Count != state + l.Type.Count
                => $"returns {outputs.Count} value(s), but the node's state ({state}) and output_types ({l.Type.Count}) make {state + l.Type.Count}",
            _ => null,
        };
        if (problem is not null) throw new ValueError($"{where} {problem}");
    }

    private static string Describe(IEnumerable<OpDef.Types.ArgDef> args)
    {
        var list = args.ToList();
        return list.Count == 0 ? "nothing" : $"({string.Join(", ", list.Select(a => TensorProtos.Name(a.Type)))})";
    }

    private static TfDataType[] TypesAttr(NodeDef node, string attr) =>
        node.Attr.TryGetValue(attr, out var v) && v.List is { } l ? [.. l.Type] : [];

    // The node's inputs that are the function's captured values: after input_dataset (and scan's state), or for
    // group_by_window after the captured values of the functions before it.
    private static Tensor[] CapturedInputs(NodeDef node, (Args Kind, string CapturedTypes) spec, IReadOnlyList<Tensor> inputs, int count)
    {
        var start = spec.Kind switch
        {
            Args.Element => 1,
            Args.StateThenElement => 1 + TypesAttr(node, "Tstate").Length,
            Args.Free => 1 + new[] { "key_func", "reduce_func", "window_size_func" }
                .TakeWhile(f => $"T{f}_other_arguments" != spec.CapturedTypes).Sum(f => TypesAttr(node, $"T{f}_other_arguments").Length),
            _ => 0,
        };
        return start + count <= inputs.Count ? [.. inputs.Skip(start).Take(count)] : [];
    }

    private static TfDataType Variant(DType t) => t == DType.resource ? TfDataType.DtVariant : TensorProtos.ToProto(t);

    /// <summary>
    /// The body of <paramref name="fdef"/> as a graph of its own: the placeholders of its input args (shaped by
    /// <paramref name="hints"/> where known) and its results in output arg order. <paramref name="where"/> leads the
    /// messages of its errors.
    /// </summary>
    public static (Graph Graph, Tensor[] Args, Tensor[] Outputs) Import(FunctionDef fdef, FunctionDefLibrary library, SharpFlow.Shape?[]? hints, string where)
    {
        var name = fdef.Signature.Name;
        _importing ??= new HashSet<string>(StringComparer.Ordinal);
        if (!_importing.Add(name)) throw new ValueError($"{where} calls itself (through {string.Join(", ", _importing.Select(n => $"'{n}'"))})");
        try
        {
            var (graphDef, rets) = ToGraphDef(fdef, library, hints, where);
            var graph = new Graph();
            List<ITensorOrOperation> results;
            try
            {
                results = GraphImporter.Import(graph, graphDef, null, [.. graphDef.Node.Take(fdef.Signature.InputArg.Count).Select(n => n.Name + ":0"), .. rets], "")!;
            }
            catch (UnimplementedError e) { throw new UnimplementedError($"{where}: {e.Message}", null, e); }
            catch (ValueError e) { throw new ValueError($"{where}: {e.Message}", e); }
            var tensors = results.Cast<Tensor>().ToArray();
            return (graph, tensors[..fdef.Signature.InputArg.Count], tensors[fdef.Signature.InputArg.Count..]);
        }
        finally
        {
            _importing.Remove(name);
        }
    }

    /// <summary>
    /// A FunctionDef as a GraphDef: a Placeholder per input arg (DT_VARIANT as SharpFlow's resource), the body's
    /// nodes with their inputs renamed <c>node:k</c>; and the tensors its output args return, so named.
    /// </summary>
    private static (GraphDef GraphDef, string[] Rets) ToGraphDef(FunctionDef fdef, FunctionDefLibrary library, SharpFlow.Shape?[]? hints, string where, bool placeholders = true)
    {
        var sig = fdef.Signature;
        var graphDef = new GraphDef { Library = library, Versions = new VersionDef { Producer = GraphDefExporter.Producer } };
        var args = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sig.InputArg.Count; i++)
        {
            var arg = sig.InputArg[i];
            if (arg.Type == TfDataType.DtInvalid)
                throw new UnimplementedError($"{where}: argument '{arg.Name}' takes its type from attr '{arg.TypeAttr}{arg.TypeListAttr}' (a polymorphic function), which SharpFlow does not instantiate");
            if (!args.Add(arg.Name)) throw new ValueError($"{where}: argument '{arg.Name}' is named twice");
            var shape = hints?[i] ?? (fdef.ArgAttr.TryGetValue((uint)i, out var attrs) && attrs.Attr.TryGetValue("_output_shapes", out var s) && s.List?.Shape.Count == 1
                ? TensorProtos.FromProto(s.List.Shape[0]) : SharpFlow.Shape.Unknown);
            if (!placeholders) continue;
            var placeholder = new NodeDef { Name = arg.Name, Op = "Placeholder" };
            placeholder.Attr["dtype"] = new AttrValue { Type = Resource(arg.Type) };
            placeholder.Attr["shape"] = new AttrValue { Shape = TensorProtos.ToProto(shape) };
            graphDef.Node.Add(placeholder);
        }
        var nodes = new Dictionary<string, NodeDef>(StringComparer.Ordinal);
        foreach (var node in fdef.NodeDef)
        {
            if (args.Contains(node.Name) || !nodes.TryAdd(node.Name, node))
                throw new ValueError($"{where}: node '{node.Name}' is named twice in the function");
        }
        string Resolve(string input, string context)
        {
            if (input.StartsWith('^'))
            {
                var source = input[1..];
                return args.Contains(source) || nodes.ContainsKey(source) ? input : throw Unknown(input, context);
            }
            var parts = input.Split(':');
            if (parts.Length == 1 || (parts.Length == 2 && parts[1] == "0"))
                return args.Contains(parts[0]) ? parts[0] + ":0" : throw Unknown(input, context);
            if (parts.Length != 3 || !nodes.TryGetValue(parts[0], out var producer) || !int.TryParse(parts[2], out var index) || index < 0)
                throw Unknown(input, context);
            if (TfOpDefs.Find(producer.Op) is not { } def)
                // An op type TensorFlow's table lacks (SharpFlow's own, or one the importer will report missing).
                return parts[1] == "output" ? $"{parts[0]}:{index}" : throw Unknown(input, context);
            var offset = 0;
            foreach (var output in def.OutputArg)
            {
                var count = FunctionLibraryWriter.OutputArgCount(output, producer.Attr) ?? DefaultCount(def, output);
                if (output.Name == parts[1])
                    return index < count ? $"{parts[0]}:{offset + index}"
                        : throw new ValueError($"{where}: {context}: input '{input}' names output {index} of '{parts[0]}''s '{parts[1]}', which has {count}");
                offset += count;
            }
            throw new ValueError($"{where}: {context}: input '{input}' names output arg '{parts[1]}', which TensorFlow's {producer.Op} does not have (it has {string.Join(", ", def.OutputArg.Select(o => o.Name))})");
        }
        ValueError Unknown(string input, string context) =>
            new($"{where}: {context}: input '{input}' names no argument or node output of the function");

        foreach (var node in fdef.NodeDef)
        {
            var copy = node.Clone();
            copy.Input.Clear();
            foreach (var input in node.Input) copy.Input.Add(Resolve(input, $"node '{node.Name}'"));
            foreach (var attr in copy.Attr.Values) ResourceForVariant(attr);
            graphDef.Node.Add(copy);
        }
        var rets = new List<string>();
        foreach (var output in sig.OutputArg)
        {
            if (!fdef.Ret.TryGetValue(output.Name, out var ret))
                throw new ValueError($"{where}: output '{output.Name}' has no entry in the function's ret map");
            rets.Add(Resolve(ret, $"ret '{output.Name}'"));
        }
        return (graphDef, [.. rets]);
    }

    /// <summary>
    /// Inlines the body of <paramref name="fdef"/> into the default graph under name scope <paramref name="scope"/>
    /// (within the current control-flow context, as TensorFlow's InlineFunctionBody), its arguments bound to
    /// <paramref name="args"/>: its results in output arg order.
    /// </summary>
    public static Tensor[] Inline(FunctionDef fdef, FunctionDefLibrary library, IReadOnlyList<Tensor> args, string scope, string where)
    {
        var sig = fdef.Signature ?? throw new ValueError($"{where} has no signature");
        if (sig.InputArg.Count != args.Count)
            throw new ValueError($"{where} takes {sig.InputArg.Count} argument(s), but the node passes {args.Count}");
        for (var i = 0; i < args.Count; i++)
            if (sig.InputArg[i].Type != TfDataType.DtInvalid && TensorProtos.FromProto(Resource(sig.InputArg[i].Type)) is { } t && t != args[i].dtype)
                throw new ValueError($"{where}: argument '{sig.InputArg[i].Name}' is {TensorProtos.Name(sig.InputArg[i].Type)}, but the node passes {args[i].dtype.name}");
        _importing ??= new HashSet<string>(StringComparer.Ordinal);
        if (!_importing.Add(sig.Name)) throw new ValueError($"{where} calls itself (through {string.Join(", ", _importing.Select(n => $"'{n}'"))})");
        try
        {
            var (graphDef, rets) = ToGraphDef(fdef, library, null, where, placeholders: false);
            var argIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < sig.InputArg.Count; i++) argIndex[sig.InputArg[i].Name] = i;
            var inputMap = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var node in graphDef.Node)
                foreach (var input in node.Input)
                {
                    if (input.StartsWith('^'))
                    {
                        if (argIndex.TryGetValue(input[1..], out var c)) inputMap[input] = args[c];
                    }
                    else if (argIndex.TryGetValue(GraphImporter.ParseTensorName(input).Op, out var a)) inputMap[input] = args[a];
                }
            // A result that is an argument passes it through; the others are the imported nodes' outputs.
            var imported = rets.Where(r => !argIndex.ContainsKey(GraphImporter.ParseTensorName(r).Op)).ToList();
            List<ITensorOrOperation> results;
            try
            {
                results = graphDef.Node.Count == 0 ? [] : GraphImporter.Import(Graph.get_default(), graphDef, inputMap, imported, scope)!;
            }
            catch (UnimplementedError e) { throw new UnimplementedError($"{where}: {e.Message}", null, e); }
            catch (ValueError e) { throw new ValueError($"{where}: {e.Message}", e); }
            var next = 0;
            return [.. rets.Select(r => argIndex.TryGetValue(GraphImporter.ParseTensorName(r).Op, out var a) ? args[a] : (Tensor)results[next++])];
        }
        finally
        {
            _importing.Remove(sig.Name);
        }
    }

    private static int DefaultCount(OpDef def, OpDef.Types.ArgDef arg)
    {
        var attr = def.Attr.FirstOrDefault(a => a.Name == (arg.NumberAttr.Length > 0 ? arg.NumberAttr : arg.TypeListAttr));
        return attr?.DefaultValue is { } d ? (arg.NumberAttr.Length > 0 ? (int)d.I : d.List?.Type.Count ?? 0) : 1;
    }

    private static TfDataType Resource(TfDataType t) => t == TfDataType.DtVariant ? TfDataType.DtResource : t;

    private static void ResourceForVariant(AttrValue value)
    {
        if (value.ValueCase == AttrValue.ValueOneofCase.Type) value.Type = Resource(value.Type);
        else if (value.ValueCase == AttrValue.ValueOneofCase.List)
            for (var i = 0; i < value.List.Type.Count; i++) value.List.Type[i] = Resource(value.List.Type[i]);
    }
}
