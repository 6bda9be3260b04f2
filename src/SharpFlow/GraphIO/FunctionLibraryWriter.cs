using System.Security.Cryptography;
using Google.Protobuf;
using SharpFlow.Functions;
using Tensorflow;
using TfDataType = Tensorflow.DataType;

namespace SharpFlow.GraphIO;

/// <summary>
/// Writes the functions a graph's ops hold into the GraphDef's <c>FunctionDefLibrary</c>, in the form TensorFlow 1.15
/// writes them, and gives each op attribute its <c>AttrValue.func</c>:
/// <list type="bullet">
/// <item>a dataset function (<see cref="TracedFunction"/>, tf.data's StructuredFunctionWrapper: a concrete function
/// made by <c>defun_with_attributes</c>, written by the C API's <c>TF_GraphToFunction</c>, graph_to_functiondef.cc):
/// named <c>__inference_NAME_N</c>; one input arg per element component (its placeholder's name, lowercased with
/// other characters than letters, digits and <c>_</c> made <c>_</c>, with <c>_user_specified_name</c> in
/// <c>arg_attr</c>), then one per captured value; every result passes through an <c>Identity</c> node whose
/// normalized name (<c>identity</c>, <c>identity_1</c>, ...) is the output arg; node inputs in function form
/// (<c>arg</c>, <c>node:output_arg:index</c> with the output arg names of TensorFlow's OpDef, <c>^node</c>);</item>
/// <item>a one-shot iterator's <c>dataset_factory</c> (a <c>Defun</c> with <c>capture_by_value</c>, written by
/// graph_to_function_def.py): named <c>_make_dataset_HASH</c>, no inputs, the ops that make the dataset copied into
/// the body, the output arg named after the dataset tensor (<c>PrefetchDataset</c> for <c>PrefetchDataset:0</c>).</item>
/// </list>
/// Functions inside functions (a dataset op of a function's body) go into the same library; a function held by
/// several ops is written once.
/// </summary>
internal sealed class FunctionLibraryWriter
{
    private readonly Dictionary<object, string> _names = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpDef?> _opDefs = new(StringComparer.Ordinal);
    private int _uid;

    /// <summary>The library written so far.</summary>
    public FunctionDefLibrary Library { get; } = new();

    /// <summary>The AttrValue of a function-valued attribute (the function is added to the library), or null for other values.</summary>
    public AttrValue? Attr(object value) => value switch
    {
        TracedFunction f => new AttrValue { Func = new NameAttrList { Name = Add(f) } },
        DatasetFactory d => new AttrValue { Func = new NameAttrList { Name = Add(d) } },
        _ => null,
    };

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 1; !_used.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }

    private string Add(TracedFunction f)
    {
        if (_names.TryGetValue(f, out var known)) return known;
        var name = Unique(f.LibraryName ?? $"__inference_{f.Name}_{_uid++}");
        _names[f] = name;

        var fdef = new FunctionDef { Signature = new OpDef { Name = name } };
        // graph_to_functiondef.cc's NodeNameMapping: args, nodes and outputs share one namespace.
        var names = new HashSet<string>(StringComparer.Ordinal);
        string UniqueIn(string n)
        {
            var c = n;
            for (var i = 1; !names.Add(c); i++) c = $"{n}_{i}";
            return c;
        }
        var argNames = new Dictionary<Tensor, string>();
        Tensor[] args = [.. f.Args, .. f.CapturedInner];
        var argOps = new HashSet<Operation>(args.Select(a => a.op));
        foreach (var op in f.Graph.get_operations())
            if (!argOps.Contains(op)) names.Add(op.name);
        for (var i = 0; i < args.Length; i++)
        {
            var argName = UniqueIn(Normalize(args[i].op.name));
            argNames[args[i]] = argName;
            // An element component of resource type is a dataset (flat_map's and group_by_window's nested datasets).
            var type = i < f.Args.Length ? VariantFor(args[i]) : TypeOf(f.CapturedOuter.Length > i - f.Args.Length ? f.CapturedOuter[i - f.Args.Length] : args[i]);
            fdef.Signature.InputArg.Add(new OpDef.Types.ArgDef { Name = argName, Type = type });
            if (i < f.Args.Length)
            {
                var attrs = new FunctionDef.Types.ArgAttrs();
                attrs.Attr["_user_specified_name"] = new AttrValue { S = ByteString.CopyFromUtf8(args[i].op.name) };
                fdef.ArgAttr[(uint)i] = attrs;
            }
        }
        var nodes = new Dictionary<Operation, NodeDef>();
        string Ref(Tensor t) => argNames.TryGetValue(t, out var a) ? a : FunctionRef(t, nodes);
        foreach (var op in f.Graph.get_operations())
        {
            if (argOps.Contains(op)) continue;
            var node = GraphDefExporter.Node(op, addShapes: false, this, Ref);
            nodes[op] = node;
            fdef.NodeDef.Add(node);
            if (IsStateful(op.type)) fdef.Signature.IsStateful = true;
        }
        foreach (var output in f.Outputs)
        {
            var identity = UniqueIn("Identity");
            var node = new NodeDef { Name = identity, Op = "Identity", Input = { Ref(output) } };
            var type = argNames.ContainsKey(output) && Array.IndexOf(f.Args, output) >= 0 ? VariantFor(output) : TypeOf(output);
            node.Attr["T"] = new AttrValue { Type = type };
            fdef.NodeDef.Add(node);
            var outName = UniqueIn(Normalize(identity));
            fdef.Signature.OutputArg.Add(new OpDef.Types.ArgDef { Name = outName, Type = type });
            fdef.Ret[outName] = $"{identity}:output:0";
        }
        return _names[f] = Added(fdef);
    }

    private string Add(DatasetFactory d)
    {
        if (_names.TryGetValue(d, out var known)) return known;
        // The ops the dataset is made of, in the graph's order (Defun's capture_by_value copies them into the body).
        var needed = new HashSet<Operation>();
        var stack = new Stack<Operation>([d.Dataset.op]);
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!needed.Add(op)) continue;
            foreach (var input in op.inputs) stack.Push(input.op);
            foreach (var control in op.control_inputs) stack.Push(control);
        }
        var fdef = new FunctionDef { Signature = new OpDef { Name = "_" } };
        var nodes = new Dictionary<Operation, NodeDef>();
        string Ref(Tensor t) => FunctionRef(t, nodes);
        foreach (var op in d.Dataset.graph.get_operations())
        {
            if (!needed.Contains(op)) continue;
            var node = GraphDefExporter.Node(op, addShapes: false, this, Ref);
            nodes[op] = node;
            fdef.NodeDef.Add(node);
            if (IsStateful(op.type)) fdef.Signature.IsStateful = true;
        }
        // graph_to_function_def.py's _make_argname_from_tensor_name.
        var outName = d.Dataset.value_index == 0 ? d.Dataset.op.name : $"{d.Dataset.op.name}_o{d.Dataset.value_index}";
        fdef.Signature.OutputArg.Add(new OpDef.Types.ArgDef { Name = outName, Type = TfDataType.DtVariant });
        fdef.Ret[outName] = Ref(d.Dataset);
        // Defun's name: the Python function's name and 8 hex digits of a hash of the definition.
        var hash = Convert.ToHexStringLower(SHA256.HashData(fdef.ToByteArray()))[..8];
        fdef.Signature.Name = Unique(d.LibraryName ?? $"_make_dataset_{hash}");
        return _names[d] = Added(fdef);
    }

    /// <summary>
    /// Adds <paramref name="fdef"/> to the library, or, when a function of the same base name (a function imported
    /// twice, a pipeline's dataset factory and the pipeline itself holding the same imported function) has the same
    /// definition, gives its name back instead: its name in the library.
    /// </summary>
    private string Added(FunctionDef fdef)
    {
        var name = fdef.Signature.Name;
        foreach (var existing in Library.Function)
        {
            var other = existing.Signature.Name;
            if (!name.StartsWith(other, StringComparison.Ordinal)) continue;
            var renamed = fdef.Clone();
            renamed.Signature.Name = other;
            if (!renamed.Equals(existing)) continue;
            _used.Remove(name);
            return other;
        }
        Library.Function.Add(fdef);
        return name;
    }

    /// <summary>
    /// How a function body names output <c>t</c> of one of its nodes: <c>node:output_arg:index</c>, with the output
    /// arg names of TensorFlow's OpDef, list args counted from the node's attrs.
    /// </summary>
    private string FunctionRef(Tensor t, Dictionary<Operation, NodeDef> nodes)
    {
        var def = OpDefOf(t.op.type);
        if (def is not null && nodes.TryGetValue(t.op, out var node) && OutputArg(def, node.Attr, t.value_index) is { } arg)
            return $"{t.op.name}:{arg.Name}:{arg.Index}";
        return $"{t.op.name}:output:{t.value_index}";
    }

    /// <summary>The output arg (name, index within it) of output <paramref name="k"/> of a node of <paramref name="def"/>.</summary>
    public static (string Name, int Index)? OutputArg(OpDef def, IDictionary<string, AttrValue> attrs, int k)
    {
        var offset = 0;
        foreach (var arg in def.OutputArg)
        {
            if (OutputArgCount(arg, attrs) is not { } n) return null;
            if (k < offset + n) return (arg.Name, k - offset);
            offset += n;
        }
        return null;
    }

    /// <summary>How many outputs an output arg expands to for a node with <paramref name="attrs"/>, or null when an attr it needs is absent.</summary>
    public static int? OutputArgCount(OpDef.Types.ArgDef arg, IDictionary<string, AttrValue> attrs)
    {
        if (arg.NumberAttr.Length > 0) return attrs.TryGetValue(arg.NumberAttr, out var n) ? (int)n.I : null;
        if (arg.TypeListAttr.Length > 0) return attrs.TryGetValue(arg.TypeListAttr, out var l) && l.List is not null ? l.List.Type.Count : null;
        return 1;
    }

    // TensorFlow's datasets are DT_VARIANT tensors, SharpFlow's resource values: a dataset op's output (an op whose
    // TensorFlow OpDef returns one variant) is a variant.
    private TfDataType TypeOf(Tensor t) =>
        IsDataset(t.op) || (t.dtype == DType.resource && t.op.type == "Identity" && IsDataset(t.op.inputs[0].op))
            ? TfDataType.DtVariant : TensorProtos.ToProto(t.dtype);

    private bool IsDataset(Operation op) =>
        op.outputs.Count == 1 && op.outputs[0].dtype == DType.resource && OpDefOf(op.type) is { OutputArg: [{ Type: TfDataType.DtVariant }] };

    private static TfDataType VariantFor(Tensor t) => t.dtype == DType.resource ? TfDataType.DtVariant : TensorProtos.ToProto(t.dtype);

    private OpDef? OpDefOf(string type)
    {
        if (!_opDefs.TryGetValue(type, out var def)) _opDefs[type] = def = TfOpDefs.Find(type);
        return def;
    }

    private bool IsStateful(string type) => OpDefOf(type)?.IsStateful == true;

    /// <summary>graph_to_functiondef.cc's NormalizeName: lowercase, other characters than letters and digits as <c>_</c>.</summary>
    public static string Normalize(string name)
    {
        if (name.Length == 0) return "unknown";
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            chars[i] = char.IsAsciiLetterOrDigit(chars[i]) ? char.ToLowerInvariant(chars[i]) : '_';
        return new string(chars);
    }
}
