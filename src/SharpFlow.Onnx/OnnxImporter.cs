using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

/// <summary>
/// Builds an ONNX graph as SharpFlow ops, one converter per operator from the table in
/// <c>OnnxImporter.Table.cs</c>. ONNX images are NCHW, SharpFlow's convolutions NHWC: a four-dimensional value made
/// by a 2-D spatial op is kept in NHWC (the <see cref="Value.Nhwc"/> flag), and is transposed back to NCHW only where
/// an op's meaning depends on the layout. Constant operands (weights, a mean image, a bias to broadcast) are permuted
/// once at import instead. A node whose inputs are all small constants (shape arithmetic) is evaluated at import.
/// </summary>
internal sealed partial class OnnxImporter
{
    private static readonly int[] ToNhwc = [0, 2, 3, 1];
    private static readonly int[] ToNchw = [0, 3, 1, 2];

    /// <summary>Nodes whose inputs are all constants with at most this many elements are evaluated at import.</summary>
    private const long FoldLimit = 1 << 16;

    private readonly OnnxModel _model;
    private readonly OnnxImportOptions _options;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly List<Variable> _variables = [];
    private readonly HashSet<string> _statistics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal); // the node built last for each output name
    private string _root = ""; // the import's name scope ("name/"), where variables are named after their initializers
    private bool _folding; // building a node in a scratch graph to evaluate it at import

    public OnnxImporter(OnnxModel model, OnnxImportOptions options)
    {
        _model = model;
        _options = options;
    }

    /// <summary>An ONNX value: a constant not yet in the graph, or a tensor (NHWC when <see cref="Nhwc"/>).</summary>
    private sealed class Value(Tensor? tensor, NDArray? constant, bool nhwc, string? initializer = null)
    {
        public Tensor? Tensor { get; set; } = tensor;
        public NDArray? Constant { get; } = constant;
        public bool Nhwc { get; } = nhwc;
        /// <summary>The initializer a constant comes from (weights that become variables when importing for training).</summary>
        public string? Initializer { get; } = initializer;
    }

    private int Opset => (int)System.Math.Min(int.MaxValue, _model.Opset);

    public ImportedModel Run()
    {
        var graph = _model.Proto.Graph;
        foreach (var node in graph.Node) Check(node);
        foreach (var node in graph.Node.Where(n => n.OpType == "BatchNormalization"))
            foreach (var input in node.Input.Skip(3)) _statistics.Add(input);

        using var scope = _options.Name is null ? null : Graph.get_default().name_scope(_options.Name, out _root);
        foreach (var init in graph.Initializer)
            _values[init.Name] = new Value(null, OnnxTensors.ToNDArray(init, _model.Source), false, init.Name);

        var inputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, dims) in _model.Inputs)
        {
            var info = graph.Input.First(i => i.Name == name);
            var dtype = DTypeOf(info, name);
            Tensor tensor;
            if (_options.InputMap is { } map && map.TryGetValue(name, out var mapped)) tensor = mapped;
            else
            {
                var shape = dims.Select((d, i) => i == 0 && _options.DynamicBatch ? -1 : (int)d).ToArray();
                if (_options.Nhwc && shape.Length == 4) shape = [shape[0], shape[2], shape[3], shape[1]];
                tensor = tf.placeholder(dtype, dims.Length == 0 && info.Type.TensorType.Shape is null ? null : new Shape(shape), name: SafeName(name));
            }
            inputs[name] = tensor;
            _values[name] = tensor.shape.ndims == 4 && dtype.is_floating
                ? new Value(_options.Nhwc ? tensor : tf.transpose(tensor, ToNhwc), null, true)
                : _options.Nhwc && tensor.shape.ndims == 4 ? new Value(tf.transpose(tensor, ToNchw), null, false)
                : new Value(tensor, null, false);
        }

        foreach (var node in graph.Node) Build(node);

        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var output in graph.Output)
        {
            var value = Get(output.Name, "the graph's outputs");
            var tensor = !_options.Nhwc ? Nchw(value)
                : value.Nhwc ? Materialize(value)
                : Materialize(value) is { shape.ndims: 4 } nchw ? tf.transpose(nchw, ToNhwc) : Materialize(value);
            outputs[output.Name] = tf.identity(tensor, name: SafeName(output.Name));
        }
        return new ImportedModel(inputs, outputs, _variables);
    }

    /// <summary>
    /// Checks a node against the table before anything is built: its domain, its operator, the model's opset and
    /// every attribute it sets. What SharpFlow cannot map is an <see cref="UnimplementedError"/> naming the node.
    /// </summary>
    private void Check(NodeProto node)
    {
        if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
            throw Unsupported(node, $"operator domain '{node.Domain}'");
        if (!Operators.TryGetValue(node.OpType, out var op))
            throw Unsupported(node, $"operator {node.OpType}");
        if (Opset < op.Since || Opset > op.Until)
            throw Unsupported(node, $"operator {node.OpType} at opset {Opset} (it is mapped for opsets {op.Since} to {(op.Until == int.MaxValue ? "the latest" : op.Until.ToString(System.Globalization.CultureInfo.InvariantCulture))})");
        foreach (var a in node.Attribute)
        {
            if (!op.Attributes.Contains(a.Name)) throw Unsupported(node, $"attribute '{a.Name}'");
            if (!string.IsNullOrEmpty(a.RefAttrName)) throw Unsupported(node, $"attribute '{a.Name}' referring to a function's attribute");
            // A subgraph's nodes (If's branches, Loop's body) are checked with the node that holds them.
            if (a.G is { } g) foreach (var inner in g.Node) Check(inner);
            foreach (var inner in a.Graphs.SelectMany(x => x.Node)) Check(inner);
        }
    }

    /// <summary>
    /// Builds one node; a node whose attributes or input shapes do not fit its operator (a corrupt or inconsistent
    /// model) is an <see cref="InvalidArgumentError"/> naming the file and the node.
    /// </summary>
    private void Build(NodeProto node)
    {
        foreach (var output in node.Output) if (!string.IsNullOrEmpty(output)) _producers[output] = node;
        try
        {
            if (Foldable(node)) Fold(node);
            else BuildNode(node);
        }
        catch (Exception e) when (e is ValueError or TypeError or OverflowException or ArgumentOutOfRangeException)
        {
            throw new InvalidArgumentError($"{_model.Source}: node '{NodeName(node)}' ({node.OpType}) cannot be built: {e.Message}", NodeName(node), e);
        }
    }

    private void BuildNode(NodeProto node)
    {
        using var scope = tf.name_scope(SafeName(NodeName(node)));
        Operators[node.OpType].Convert(this, node);
    }

    /// <summary>Whether every input of a node is a small constant (shape arithmetic a model computes), not a weight to train.</summary>
    private bool Foldable(NodeProto node)
    {
        if (node.OpType is "Constant" or "Identity" or "Dropout" or "If" or "Loop" or "Bernoulli" or "RandomNormalLike" or "RandomUniformLike"
            || node.OpType.Contains("Sequence", StringComparison.Ordinal) || node.Input.All(string.IsNullOrEmpty)) return false;
        long total = 0;
        foreach (var input in node.Input)
        {
            if (string.IsNullOrEmpty(input)) continue;
            if (!_values.TryGetValue(input, out var v) || v.Constant is not { } c) return false;
            if (_options.Trainable && v.Initializer is not null && c.dtype == DType.float32) return false;
            total += c.size;
        }
        return total <= FoldLimit;
    }

    /// <summary>Builds a node in a scratch graph and evaluates it: its outputs become constants of the import.</summary>
    private void Fold(NodeProto node)
    {
        var scratch = new Graph();
        var before = node.Output.Where(o => !string.IsNullOrEmpty(o)).ToDictionary(o => o, o => _values.GetValueOrDefault(o), StringComparer.Ordinal);
        List<(string Name, Tensor Tensor, bool Nhwc)> produced = [];
        using (scratch.as_default())
        {
            _folding = true;
            try
            {
                Operators[node.OpType].Convert(this, node);
            }
            finally
            {
                _folding = false;
            }
            foreach (var o in before.Keys)
                if (_values.TryGetValue(o, out var v) && !ReferenceEquals(v, before[o]))
                {
                    if (v.Constant is not null) continue;
                    produced.Add((o, v.Tensor!, v.Nhwc));
                }
        }
        if (produced.Count == 0) return;
        using var sess = new Session(scratch);
        var results = sess.run(produced.Select(p => p.Tensor).ToArray());
        for (var i = 0; i < produced.Count; i++)
        {
            var value = produced[i].Nhwc && results[i].ndim == 4 ? OnnxTensors.Permute(results[i], ToNchw) : results[i];
            _values[produced[i].Name] = new Value(null, value, false);
        }
    }

    // ----- values and layouts -----

    private static bool Has(NodeProto node, int index) => index < node.Input.Count && !string.IsNullOrEmpty(node.Input[index]);

    private Value In(NodeProto node, int index)
    {
        if (!Has(node, index))
            throw new InvalidArgumentError($"{_model.Source}: node '{NodeName(node)}' ({node.OpType}) is missing input {index}.", NodeName(node));
        return Get(node.Input[index], NodeName(node));
    }

    /// <summary>Input <paramref name="index"/> in the model's own layout (NCHW for images).</summary>
    private Tensor X(NodeProto node, int index) => Nchw(In(node, index));

    private Value Get(string name, string consumer) =>
        _values.TryGetValue(name, out var v) ? v
            : throw new InvalidArgumentError($"{_model.Source}: '{consumer}' reads '{name}', which no node, input or initializer defines (or it is defined later: ONNX nodes must be in topological order).");

    private NDArray ConstantOf(NodeProto node, int index, string what) =>
        In(node, index).Constant ?? throw Unsupported(node, $"a computed input '{what}' (it must be an initializer or a Constant)");

    /// <summary>An integer input that must be known at import (axes, a split), as ints.</summary>
    private int[] IntsOf(NodeProto node, int index, string what) =>
        [.. ConstantOf(node, index, what).Cast(DType.int64).ToArray<long>().Select(v => (int)System.Math.Clamp(v, int.MinValue, int.MaxValue))];

    private void Set(NodeProto node, Tensor t, bool nhwc = false) => Set(node, 0, t, nhwc);

    private void Set(NodeProto node, int output, Tensor t, bool nhwc = false)
    {
        if (output < node.Output.Count && !string.IsNullOrEmpty(node.Output[output]))
            _values[node.Output[output]] = new Value(t, null, nhwc && t.shape.ndims == 4);
    }

    private static bool Wants(NodeProto node, int output) => output < node.Output.Count && !string.IsNullOrEmpty(node.Output[output]);

    private Tensor Materialize(Value v)
    {
        if (_folding) return v.Constant is { } c ? tf.constant(c) : v.Tensor!;
        return v.Tensor ??= Materialize(v.Initializer, v.Constant!);
    }

    /// <summary>
    /// A constant's tensor: a frozen constant, or (importing for training) one variable per initializer and layout,
    /// so weights shared by several nodes stay tied. Batch-normalization statistics become non-trainable variables.
    /// </summary>
    private Tensor Materialize(string? initializer, NDArray value)
    {
        if (_folding || !_options.Trainable || value.dtype != DType.float32 || initializer is null) return tf.constant(value);
        var key = $"{initializer}|{string.Join(",", value.shape.Dims)}";
        if (_weights.TryGetValue(key, out var existing)) return existing;
        Variable variable;
        using (Graph.get_default().name_scope(_root))
            variable = tf.Variable(value, trainable: !_statistics.Contains(initializer), name: SafeName(initializer));
        _variables.Add(variable);
        return _weights[key] = variable.value();
    }

    /// <summary>A 4-D image value in NHWC: as it is, or transposed from the model's NCHW (a constant once, at import).</summary>
    private Tensor Nhwc(Value v, NodeProto node)
    {
        if (v.Nhwc) return Materialize(v);
        if (v.Constant is { ndim: 4 } c) return Materialize(v.Initializer, OnnxTensors.Permute(c, ToNhwc));
        var t = Materialize(v);
        if (t.shape.ndims < 0) throw Unsupported(node, "an input of unknown rank where a 4-D image (N, C, H, W) is needed");
        if (t.shape.ndims != 4) throw Invalid(node, $"its input has rank {t.shape.ndims}, not 4.");
        return tf.transpose(t, ToNhwc);
    }

    private Tensor Nchw(Value v) => v.Nhwc ? tf.transpose(Materialize(v), ToNchw) : Materialize(v);

    private static int NhwcAxis(int nchwAxis) => (nchwAxis < 0 ? nchwAxis + 4 : nchwAxis) switch { 0 => 0, 1 => 3, 2 => 1, 3 => 2, var a => throw new ArgumentOutOfRangeException(nameof(nchwAxis), a, "axis of a 4-D tensor") };

    // ----- dtypes -----

    private static DType DTypeOf(ValueInfoProto info, string name)
    {
        var type = info.Type;
        if (type is null || type.ValueCase == TypeProto.ValueOneofCase.None)
            throw new UnimplementedError($"Input '{name}' has no type; SharpFlow.Onnx imports tensor inputs only.", name);
        if (type.ValueCase != TypeProto.ValueOneofCase.TensorType)
            throw new UnimplementedError($"Input '{name}' is a {KindOf(type)}, not a tensor; SharpFlow.Onnx imports tensor inputs only.", name);
        return DTypeOf(type.TensorType.ElemType, $"Input '{name}'", name);
    }

    private static string KindOf(TypeProto type) => type.ValueCase switch
    {
        TypeProto.ValueOneofCase.SequenceType => "sequence",
        TypeProto.ValueOneofCase.OptionalType => "optional",
        TypeProto.ValueOneofCase.MapType => "map",
        TypeProto.ValueOneofCase.SparseTensorType => "sparse tensor",
        var k => k.ToString().ToLowerInvariant(),
    };

    /// <summary>The SharpFlow dtype of an ONNX element type; the ones SharpFlow lacks are an UnimplementedError naming <paramref name="what"/>.</summary>
    private static DType DTypeOf(int elemType, string what, string? node) =>
        OnnxTensors.DTypeOf(elemType)
        ?? throw new UnimplementedError($"{what} has ONNX type {(TensorProto.Types.DataType)elemType}, which SharpFlow has no dtype for; SharpFlow.Onnx takes FLOAT, FLOAT16, DOUBLE, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 and BOOL.", node);

    // ----- attributes -----

    private static AttributeProto? AttrOf(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static long Attr(NodeProto node, string name, long fallback) => AttrOf(node, name)?.I ?? fallback;

    private static float Attr(NodeProto node, string name, float fallback) => AttrOf(node, name)?.F ?? fallback;

    private static string Attr(NodeProto node, string name, string fallback) => AttrOf(node, name)?.S.ToStringUtf8() is { Length: > 0 } s ? s : fallback;

    private static int[]? IntsOrNull(NodeProto node, string name)
    {
        var a = node.Attribute.FirstOrDefault(x => x.Name == name);
        return a is null ? null : [.. a.Ints.Select(v => (int)System.Math.Clamp(v, int.MinValue, int.MaxValue))];
    }

    /// <summary>An integer-list attribute of the fallback's length (strides, dilations of a window).</summary>
    private int[] Ints(NodeProto node, string name, int[] fallback) =>
        IntsOrNull(node, name) is not { } values ? fallback
        : values.Length == fallback.Length ? values
        : throw new InvalidArgumentError($"{_model.Source}: node '{NodeName(node)}' ({node.OpType}) has {values.Length} {name}, not {fallback.Length}.", NodeName(node));

    // ----- names and errors -----

    /// <summary>A node's name, or (most exporters leave names empty) its first output's name.</summary>
    private static string NodeName(NodeProto node) =>
        !string.IsNullOrEmpty(node.Name) ? node.Name : node.Output.FirstOrDefault(o => !string.IsNullOrEmpty(o)) ?? node.OpType;

    private UnimplementedError Unsupported(NodeProto node, string what) =>
        new($"{_model.Source}: node '{NodeName(node)}' ({node.OpType}) uses {what}, which SharpFlow.Onnx does not support.", NodeName(node));

    /// <summary>An attribute value (or an input) SharpFlow cannot honour, named with its attribute.</summary>
    private UnimplementedError Unsupported(NodeProto node, string attribute, object value, string? why = null) =>
        Unsupported(node, $"{attribute}={value}{(why is null ? "" : $" ({why})")}");

    private InvalidArgumentError Invalid(NodeProto node, string what) =>
        new($"{_model.Source}: node '{NodeName(node)}' ({node.OpType}): {what}", NodeName(node));

    /// <summary>A SharpFlow op name from an ONNX name (letters, digits, '_', '.', '-', '/').</summary>
    private static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray();
        var s = new string(chars);
        return s.Length == 0 || !char.IsAsciiLetterOrDigit(s[0]) ? "n" + s : s;
    }

    // ----- small tensor helpers -----

    /// <summary>A scalar constant of <paramref name="dtype"/>.</summary>
    private static Tensor S(double value, DType dtype) => tf.constant(NDArray.Scalar(value).Cast(dtype));

    private static int RankOf(NodeProto node, Tensor t, OnnxImporter self) =>
        t.shape.ndims >= 0 ? t.shape.ndims : throw self.Unsupported(node, "an input of unknown rank");

    private static int Axis(int axis, int rank) => axis < 0 ? axis + rank : axis;
}
