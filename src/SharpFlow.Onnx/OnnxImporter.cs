using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

/// <summary>
/// Builds an ONNX graph as SharpFlow ops. ONNX images are NCHW, SharpFlow's convolutions NHWC: a four-dimensional
/// value made by a spatial op is kept in NHWC (the <see cref="Value.Nhwc"/> flag), and is transposed back to NCHW
/// only where an op's meaning depends on the layout (Flatten, Reshape, Transpose, a model output). Constant operands
/// (weights, a mean image, a bias to broadcast) are permuted once at import instead.
/// </summary>
internal sealed class OnnxImporter
{
    private static readonly int[] ToNhwc = [0, 2, 3, 1];
    private static readonly int[] ToNchw = [0, 3, 1, 2];

    private readonly OnnxModel _model;
    private readonly OnnxImportOptions _options;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly List<Variable> _variables = [];
    private readonly HashSet<string> _statistics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);
    private string _root = ""; // the import's name scope ("name/"), where variables are named after their initializers

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

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "MaxPool", "AveragePool",
        "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Flatten", "Reshape",
        "Transpose", "Concat", "Split", "Softmax", "Dropout", "Identity", "Constant", "Pad",
    };

    public ImportedModel Run()
    {
        var graph = _model.Proto.Graph;
        foreach (var node in graph.Node)
        {
            if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                throw Unsupported(node, $"operator domain '{node.Domain}'");
            if (!Supported.Contains(node.OpType))
                throw Unsupported(node, $"operator {node.OpType}");
        }
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
                tensor = tf.placeholder(dtype, dims.Length == 0 && info.Type?.TensorType?.Shape is null ? null : new Shape(shape), name: SafeName(name));
            }
            inputs[name] = tensor;
            _values[name] = tensor.shape.ndims == 4
                ? new Value(_options.Nhwc ? tensor : tf.transpose(tensor, ToNhwc), null, true)
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
    /// Builds one node; a node whose attributes or input shapes do not fit its operator (a corrupt or inconsistent
    /// model) is an <see cref="InvalidArgumentError"/> naming the file and the node.
    /// </summary>
    private void Build(NodeProto node)
    {
        try
        {
            BuildNode(node);
        }
        catch (Exception e) when (e is ValueError or TypeError or OverflowException or ArgumentOutOfRangeException)
        {
            throw new InvalidArgumentError($"{_model.Source}: node '{node.Name}' ({node.OpType}) cannot be built: {e.Message}", node.Name, e);
        }
    }

    private void BuildNode(NodeProto node)
    {
        var name = SafeName(string.IsNullOrEmpty(node.Name) ? node.Output.FirstOrDefault() ?? node.OpType : node.Name);
        using var scope = tf.name_scope(name);
        switch (node.OpType)
        {
            case "Conv": Set(node, Conv(node), nhwc: true); break;
            case "BatchNormalization": Set(node, BatchNormalization(node), nhwc: In(node, 0).Nhwc); break;
            case "Relu": Unary(node, x => tf.nn.relu(x)); break;
            case "LeakyRelu": Unary(node, x => tf.nn.relu(x) - Attr(node, "alpha", 0.01f) * tf.nn.relu(-x)); break;
            case "Sigmoid": Unary(node, x => tf.sigmoid(x)); break;
            case "Tanh": Unary(node, x => tf.tanh(x)); break;
            case "Clip": Unary(node, x => Clip(node, x)); break;
            case "MaxPool":
            case "AveragePool": Set(node, Pool(node), nhwc: true); break;
            case "GlobalAveragePool": Set(node, tf.reduce_mean(Nhwc(In(node, 0), node), new[] { 1, 2 }, keepdims: true), nhwc: true); break;
            case "GlobalMaxPool": Set(node, tf.reduce_max(Nhwc(In(node, 0), node), new[] { 1, 2 }, keepdims: true), nhwc: true); break;
            case "Gemm": Set(node, Gemm(node), nhwc: false); break;
            case "MatMul": Set(node, MatMul(node), nhwc: false); break;
            case "Add": Binary(node, (a, b) => a + b); break;
            case "Sub": Binary(node, (a, b) => a - b); break;
            case "Mul": Binary(node, (a, b) => a * b); break;
            case "Div":
                Binary(node, (a, b) => a.dtype.is_floating ? a / b : throw Unsupported(node, $"integer Div ({a.dtype.name}), which truncates in ONNX"));
                break;
            case "Flatten": Set(node, Flatten(node), nhwc: false); break;
            case "Reshape": Set(node, Reshape(node), nhwc: false); break;
            case "Transpose": Set(node, Transpose(node), nhwc: false); break;
            case "Concat": Concat(node); break;
            case "Pad": Pad(node); break;
            case "Split": Split(node); break;
            case "Softmax": Set(node, Softmax(node), nhwc: false); break;
            case "Dropout":
                if (node.Output.Count > 1 && !string.IsNullOrEmpty(node.Output[1])) throw Unsupported(node, "Dropout's mask output");
                _values[node.Output[0]] = In(node, 0);
                break;
            case "Identity": _values[node.Output[0]] = In(node, 0); break;
            case "Constant":
                var attr = node.Attribute.FirstOrDefault(a => a.Name == "value") ?? throw Unsupported(node, "a Constant without a 'value' tensor");
                _values[node.Output[0]] = new Value(null, OnnxTensors.ToNDArray(attr.T, _model.Source), false);
                break;
        }
    }

    // ----- operators -----

    private Tensor Conv(NodeProto node)
    {
        var x = Nhwc(In(node, 0), node);
        var w = ConstantOf(node, 1, "W");
        if (w.ndim != 4) throw Unsupported(node, $"a {w.ndim}-dimensional filter (2-D convolution needs 4)");
        var group = (int)Attr(node, "group", 1L);
        var (outChannels, inPerGroup, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3]);
        CheckKernelShape(node, kh, kw);
        var strides = Ints(node, "strides", [1, 1]);
        var dilations = Ints(node, "dilations", [1, 1]);
        var inChannels = x.shape.ndims == 4 ? x.shape[3] : -1;
        Tensor y;
        if (group == 1)
        {
            var filter = Materialize(node.Input[1], OnnxTensors.Permute(w, [2, 3, 1, 0])); // OIHW → HWIO
            var (input, padding) = Padding(node, x, kh, kw, strides, dilations, 0f);
            y = tf.nn.conv2d(input, filter, [1, strides[0], strides[1], 1], padding, dilations: [1, dilations[0], dilations[1], 1]);
        }
        else if (inPerGroup == 1 && (inChannels < 0 || group == inChannels) && outChannels % group == 0)
        {
            // Depthwise: output channel c·m + j convolves input channel c, as TensorFlow's depthwise filter [kh, kw, C, m].
            var multiplier = outChannels / group;
            var hwio = OnnxTensors.Permute(w, [2, 3, 1, 0]); // [kh, kw, 1, C·m]
            var filter = Materialize(node.Input[1], hwio.Reshape(new Shape(kh, kw, group, multiplier)));
            var (input, padding) = Padding(node, x, kh, kw, strides, dilations, 0f);
            y = tf.nn.depthwise_conv2d(input, filter, [1, strides[0], strides[1], 1], padding, rate: dilations[0] == 1 && dilations[1] == 1 ? null : [dilations[0], dilations[1]]);
        }
        else throw Unsupported(node, $"group={group} (only 1 and depthwise convolutions are supported)");
        if (node.Input.Count > 2 && !string.IsNullOrEmpty(node.Input[2]))
            y = tf.nn.bias_add(y, Materialize(Get(node.Input[2], node.Name)));
        return y;
    }

    private Tensor BatchNormalization(NodeProto node)
    {
        var value = In(node, 0);
        var x = Materialize(value);
        if (node.Output.Count > 1 && node.Output.Skip(1).Any(o => !string.IsNullOrEmpty(o)))
            throw Unsupported(node, "BatchNormalization in training mode (running statistics as outputs)");
        if (Attr(node, "spatial", 1L) != 1) throw Unsupported(node, "spatial=0");
        var epsilon = Attr(node, "epsilon", 1e-5f);
        var channelAxis = value.Nhwc ? -1 : 1;
        Tensor Param(int i)
        {
            var t = Materialize(Get(node.Input[i], node.Name));
            // In NCHW (a rank-2 or rank-3 input) the per-channel vector broadcasts along axis 1.
            return channelAxis == 1 && x.shape.ndims > 2 ? tf.reshape(t, new[] { -1 }.Concat(Enumerable.Repeat(1, x.shape.ndims - 2)).ToArray()) : t;
        }
        return tf.nn.batch_normalization(x, Param(3), Param(4), Param(2), Param(1), epsilon);
    }

    private Tensor Pool(NodeProto node)
    {
        var x = Nhwc(In(node, 0), node);
        var kernel = IntsOrNull(node, "kernel_shape") ?? throw Unsupported(node, "a pooling window without kernel_shape");
        if (kernel.Length != 2) throw Unsupported(node, $"a {kernel.Length}-dimensional pooling window");
        var strides = Ints(node, "strides", [1, 1]);
        if (Attr(node, "ceil_mode", 0L) != 0) throw Unsupported(node, "ceil_mode=1");
        var dilations = Ints(node, "dilations", [1, 1]);
        if (dilations.Any(d => d != 1)) throw Unsupported(node, "dilated pooling");
        if (node.OpType == "MaxPool")
        {
            if (node.Output.Count > 1 && !string.IsNullOrEmpty(node.Output[1])) throw Unsupported(node, "MaxPool's Indices output");
            var (input, padding) = Padding(node, x, kernel[0], kernel[1], strides, [1, 1], float.NegativeInfinity);
            return tf.nn.max_pool(input, [1, kernel[0], kernel[1], 1], [1, strides[0], strides[1], 1], padding);
        }
        var includePad = Attr(node, "count_include_pad", 0L) != 0;
        int[] k = [1, kernel[0], kernel[1], 1], s = [1, strides[0], strides[1], 1];
        if (!includePad && AutoPad(node) == "SAME_UPPER") return tf.nn.avg_pool(x, k, s, "SAME");
        var pads = RequestedPads(node, x, kernel[0], kernel[1], strides, [1, 1]);
        if (pads.All(p => p == 0)) return tf.nn.avg_pool(x, k, s, "VALID");
        // Padding counted in the average: pad with zeros, then average whole windows.
        if (includePad) return tf.nn.avg_pool(PadExplicit(x, pads, 0f), k, s, "VALID");
        // Padding left out of the average: TensorFlow's SAME does exactly that, when its split is the one asked for.
        if (SamePads(x, kernel[0], kernel[1], strides, [1, 1]) is { } same && same.SequenceEqual(pads)) return tf.nn.avg_pool(x, k, s, "SAME");
        throw Unsupported(node, $"AveragePool with pads [{string.Join(",", pads)}] that exclude the padding (count_include_pad=0)");
    }

    private Tensor Gemm(NodeProto node)
    {
        var a = Materialize(In(node, 0));
        var (transA, transB) = (Attr(node, "transA", 0L) != 0, Attr(node, "transB", 0L) != 0);
        var bValue = Get(node.Input[1], node.Name);
        // A constant transposed B is transposed once here, so the product reads it row-major.
        var b = transB && bValue.Constant is { ndim: 2 } wt ? Materialize(node.Input[1], OnnxTensors.Permute(wt, [1, 0])) : Materialize(bValue);
        if (transB && bValue.Constant is { ndim: 2 }) transB = false;
        var y = tf.matmul(a, b, transpose_a: transA, transpose_b: transB);
        var alpha = Attr(node, "alpha", 1f);
        if (alpha != 1f) y *= alpha;
        if (node.Input.Count > 2 && !string.IsNullOrEmpty(node.Input[2]))
        {
            var beta = Attr(node, "beta", 1f);
            var c = Materialize(Get(node.Input[2], node.Name));
            y += beta == 1f ? c : c * beta;
        }
        return y;
    }

    private Tensor MatMul(NodeProto node)
    {
        var (a, b) = (Nchw(In(node, 0)), Nchw(In(node, 1)));
        if (a.shape.ndims != 2 || b.shape.ndims != 2)
            throw Unsupported(node, $"MatMul of ranks {a.shape.ndims} and {b.shape.ndims} (2-D products only)");
        return tf.matmul(a, b);
    }

    private void Unary(NodeProto node, Func<Tensor, Tensor> f)
    {
        var value = In(node, 0);
        Set(node, f(Materialize(value)), value.Nhwc);
    }

    private void Binary(NodeProto node, Func<Tensor, Tensor, Tensor> f)
    {
        var (a, b) = (In(node, 0), In(node, 1));
        if (a.Nhwc || b.Nhwc)
        {
            Set(node, f(AsNhwcOperand(a, node), AsNhwcOperand(b, node)), nhwc: true);
            return;
        }
        Set(node, f(Materialize(a), Materialize(b)), nhwc: false);
    }

    /// <summary>
    /// An operand broadcast against an NHWC value: NHWC itself, or a lower-rank NCHW operand (a per-channel
    /// <c>[C, 1, 1]</c> bias) padded to rank 4 with ones in front and permuted like the image.
    /// </summary>
    private Tensor AsNhwcOperand(Value v, NodeProto node)
    {
        if (v.Nhwc) return Materialize(v);
        if (v.Constant is { } c)
        {
            if (c.ndim > 4) throw Unsupported(node, $"broadcasting a rank-{c.ndim} constant against an image");
            var dims = Enumerable.Repeat(1, 4 - c.ndim).Concat(c.shape.Dims).ToArray();
            return Materialize(v.Initializer, OnnxTensors.Permute(c.Reshape(new Shape(dims)), ToNhwc));
        }
        var t = Materialize(v);
        if (t.shape.ndims is < 0 or > 4) throw Unsupported(node, "broadcasting a tensor of unknown or higher rank against an image");
        if (t.shape.ndims < 4)
            t = tf.reshape(t, Enumerable.Repeat(1, 4 - t.shape.ndims).Concat(t.shape.Dims).ToArray());
        return tf.transpose(t, ToNhwc);
    }

    private Tensor Flatten(NodeProto node)
    {
        var x = Nchw(In(node, 0));
        var axis = (int)Attr(node, "axis", 1L);
        if (axis != 1) throw Unsupported(node, $"Flatten with axis={axis} (axis 1 only)");
        var inner = x.shape.ndims < 0 ? -1 : x.shape.Dims.Skip(1).Aggregate(1L, (p, d) => p < 0 || d < 0 ? -1 : p * d);
        if (inner < 0) throw Unsupported(node, "Flatten of a tensor whose non-batch dimensions are not known at import");
        return tf.reshape(x, new[] { -1, checked((int)inner) });
    }

    private Tensor Reshape(NodeProto node)
    {
        var x = Nchw(In(node, 0));
        if (Attr(node, "allowzero", 0L) != 0) throw Unsupported(node, "Reshape with allowzero=1");
        var target = ConstantOf(node, 1, "shape").ToArray<long>();
        var dims = new int[target.Length];
        var dynamic = false;
        for (var i = 0; i < dims.Length; i++)
        {
            if (target[i] is < -1 or > int.MaxValue) throw new InvalidArgumentError($"{_model.Source}: node '{node.Name}' (Reshape): target dimension {i} is {target[i]}, not -1, 0 or a size up to {int.MaxValue}.", node.Name);
            if (target[i] != 0) dims[i] = (int)target[i];
            else if (i >= x.shape.ndims) throw Unsupported(node, $"a 0 at position {i} of the target shape, past the input's rank");
            else if (x.shape[i] >= 0) dims[i] = x.shape[i]; // ONNX: 0 copies the input's dimension
            else dynamic = true;
        }
        if (!dynamic) return tf.reshape(x, dims);
        // A copied dimension unknown at import (a dynamic batch) is read from the input's shape at run time.
        var shape = tf.shape(x);
        var parts = dims.Select((d, i) => target[i] == 0 && x.shape[i] < 0 ? tf.slice(shape, new[] { i }, new[] { 1 }) : tf.constant(new[] { d })).ToList();
        return tf.reshape(x, tf.concat(parts, 0));
    }

    private Tensor Transpose(NodeProto node)
    {
        var x = Nchw(In(node, 0));
        var perm = IntsOrNull(node, "perm");
        return perm is null ? tf.transpose(x) : tf.transpose(x, perm);
    }

    private void Pad(NodeProto node)
    {
        var mode = node.Attribute.FirstOrDefault(a => a.Name == "mode")?.S.ToStringUtf8() is { Length: > 0 } m ? m : "constant";
        if (mode != "constant") throw Unsupported(node, $"Pad mode '{mode}'");
        if (node.Input.Count > 2 && !string.IsNullOrEmpty(node.Input[2]) && ConstantOf(node, 2, "constant_value").ToArray<double>().Any(v => v != 0))
            throw Unsupported(node, "Pad with a non-zero constant_value");
        if (Attr(node, "value", 0f) != 0f) throw Unsupported(node, "Pad with a non-zero value");
        if (node.Input.Count > 3 && !string.IsNullOrEmpty(node.Input[3])) throw Unsupported(node, "Pad with an axes input");
        // Opset 11 moved pads from an attribute to an input: [x1_begin, x2_begin, …, x1_end, x2_end, …].
        var pads = _model.Opset >= 11 ? ConstantOf(node, 1, "pads").ToArray<long>() : (IntsOrNull(node, "pads") ?? throw Unsupported(node, "Pad without pads")).Select(v => (long)v).ToArray();
        var value = In(node, 0);
        var rank = pads.Length / 2;
        if (pads.Any(p => p < 0)) throw Unsupported(node, "negative pads (cropping)");
        var paddings = new int[rank, 2];
        for (var i = 0; i < rank; i++)
        {
            var axis = value.Nhwc ? NhwcAxis(i) : i;
            paddings[axis, 0] = checked((int)pads[i]);
            paddings[axis, 1] = checked((int)pads[i + rank]);
        }
        Set(node, tf.pad(Materialize(value), paddings), value.Nhwc);
    }

    private void Concat(NodeProto node)
    {
        var values = node.Input.Select(i => Get(i, node.Name)).ToList();
        var axis = (int)Attr(node, "axis", 0L);
        if (values.All(v => v.Nhwc))
        {
            Set(node, tf.concat(values.Select(Materialize).ToList(), NhwcAxis(axis)), nhwc: true);
            return;
        }
        Set(node, tf.concat(values.Select(Nchw).ToList(), axis), nhwc: false);
    }

    private void Split(NodeProto node)
    {
        var value = In(node, 0);
        var axis = (int)Attr(node, "axis", 0L);
        var x = value.Nhwc ? Materialize(value) : Nchw(value);
        var rank = x.shape.ndims;
        if (rank < 0) throw Unsupported(node, "Split of a tensor of unknown rank");
        var a = value.Nhwc ? NhwcAxis(axis) : (axis < 0 ? axis + rank : axis);
        var total = x.shape[a];
        var sizes = IntsOrNull(node, "split") ?? (node.Input.Count > 1 && !string.IsNullOrEmpty(node.Input[1])
            ? ConstantOf(node, 1, "split").ToArray<long>().Select(v => (int)v).ToArray()
            : total < 0 ? throw Unsupported(node, "an even Split of an axis of unknown size")
            : total % node.Output.Count != 0 ? throw Unsupported(node, $"an uneven Split of {total} into {node.Output.Count} parts")
            : Enumerable.Repeat(total / node.Output.Count, node.Output.Count).ToArray());
        if (node.Attribute.Any(x => x.Name == "num_outputs") && sizes.Length != node.Output.Count) throw Unsupported(node, "num_outputs");
        if (sizes.Length != node.Output.Count) throw Unsupported(node, $"{sizes.Length} split sizes for {node.Output.Count} outputs");
        var offset = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            var begin = new int[rank];
            var size = Enumerable.Repeat(-1, rank).ToArray();
            begin[a] = offset;
            size[a] = sizes[i];
            _values[node.Output[i]] = new Value(tf.slice(x, begin, size), null, value.Nhwc);
            offset += sizes[i];
        }
    }

    private Tensor Softmax(NodeProto node)
    {
        var x = Nchw(In(node, 0));
        var axis = (int)Attr(node, "axis", _model.Opset >= 13 ? -1L : 1L);
        var rank = x.shape.ndims;
        if (rank < 0) throw Unsupported(node, "Softmax of a tensor of unknown rank");
        if (axis < 0) axis += rank;
        if (axis == rank - 1) return tf.nn.softmax(x);
        if (_model.Opset < 13)
        {
            // Before opset 13 Softmax flattens the input into [prod(dims < axis), prod(dims >= axis)].
            var inner = x.shape.Dims.Skip(axis).Aggregate(1L, (p, d) => d < 0 ? -1 : p * d);
            if (inner < 0) throw Unsupported(node, "Softmax over axes of unknown size");
            return tf.reshape(tf.nn.softmax(tf.reshape(x, new[] { -1, (int)inner })), tf.shape(x));
        }
        throw Unsupported(node, $"Softmax over axis {axis} of a rank-{rank} tensor (the last axis only)");
    }

    // ----- padding -----

    private static string AutoPad(NodeProto node) =>
        node.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() is { Length: > 0 } s ? s : "NOTSET";

    private int[] ExplicitPads(NodeProto node)
    {
        var pads = Ints(node, "pads", [0, 0, 0, 0]);
        if (pads.Length != 4) throw Unsupported(node, $"pads of length {pads.Length} (2-D windows take 4)");
        if (pads.Any(p => p < 0)) throw Unsupported(node, "negative pads");
        return pads;
    }

    /// <summary>TensorFlow's SAME padding for this window as ONNX pads [top, left, bottom, right], when the sizes are known.</summary>
    private static int[]? SamePads(Tensor x, int kh, int kw, int[] strides, int[] dilations)
    {
        if (x.shape.ndims != 4 || x.shape[1] < 0 || x.shape[2] < 0) return null;
        int Total(int size, int k, int s, int d)
        {
            var output = (size + s - 1) / s;
            return System.Math.Max(0, (output - 1) * s + (k - 1) * d + 1 - size);
        }
        var (th, tw) = (Total(x.shape[1], kh, strides[0], dilations[0]), Total(x.shape[2], kw, strides[1], dilations[1]));
        return [th / 2, tw / 2, th - th / 2, tw - tw / 2];
    }

    /// <summary>
    /// The input and TensorFlow padding mode for a window op: no pads → VALID; TensorFlow's own split → SAME;
    /// anything else (ONNX allows the extra pixel before) → explicit padding with <paramref name="fill"/>, then VALID.
    /// </summary>
    private (Tensor Input, string Padding) Padding(NodeProto node, Tensor x, int kh, int kw, int[] strides, int[] dilations, float fill)
    {
        // SAME_UPPER is TensorFlow's SAME, whatever the input's size.
        if (AutoPad(node) == "SAME_UPPER") return (x, "SAME");
        var pads = RequestedPads(node, x, kh, kw, strides, dilations);
        if (pads.All(p => p == 0)) return (x, "VALID");
        if (SamePads(x, kh, kw, strides, dilations) is { } same && same.SequenceEqual(pads)) return (x, "SAME");
        return (PadExplicit(x, pads, fill), "VALID");
    }

    /// <summary>The padding a window op asks for, from <c>auto_pad</c> or <c>pads</c>, as [top, left, bottom, right].</summary>
    private int[] RequestedPads(NodeProto node, Tensor x, int kh, int kw, int[] strides, int[] dilations)
    {
        var auto = AutoPad(node);
        return auto switch
        {
            "NOTSET" => ExplicitPads(node),
            "VALID" => [0, 0, 0, 0],
            "SAME_UPPER" => SamePads(x, kh, kw, strides, dilations) ?? throw Unsupported(node, "auto_pad=SAME_UPPER on an input of unknown size"),
            "SAME_LOWER" => SamePads(x, kh, kw, strides, dilations) is { } upper
                ? [upper[2], upper[3], upper[0], upper[1]]
                : throw Unsupported(node, "auto_pad=SAME_LOWER on an input of unknown size"),
            _ => throw Unsupported(node, $"auto_pad={auto}"),
        };
    }

    private static Tensor PadExplicit(Tensor x, int[] pads, float fill)
    {
        var paddings = new int[,] { { 0, 0 }, { pads[0], pads[2] }, { pads[1], pads[3] }, { 0, 0 } };
        var padded = tf.pad(x, paddings);
        if (fill == 0f) return padded;
        // Padding with -inf for max pooling: add a constant mask that is -inf outside the image, 0 inside.
        if (x.shape[1] < 0 || x.shape[2] < 0) throw new UnimplementedError("Max pooling with explicit pads needs the image size known at import.");
        var (h, w) = (x.shape[1] + pads[0] + pads[2], x.shape[2] + pads[1] + pads[3]);
        var mask = new float[h * w];
        for (var r = 0; r < h; r++)
            for (var c = 0; c < w; c++)
                if (r < pads[0] || r >= h - pads[2] || c < pads[1] || c >= w - pads[3]) mask[r * w + c] = fill;
        return padded + tf.constant(NDArray.FromFlat(mask, new Shape(1, h, w, 1)));
    }

    // ----- values and layouts -----

    private Value In(NodeProto node, int index)
    {
        if (index >= node.Input.Count || string.IsNullOrEmpty(node.Input[index]))
            throw new InvalidArgumentError($"{_model.Source}: node '{node.Name}' ({node.OpType}) is missing input {index}.");
        return Get(node.Input[index], node.Name);
    }

    private Value Get(string name, string consumer) =>
        _values.TryGetValue(name, out var v) ? v
            : throw new InvalidArgumentError($"{_model.Source}: '{consumer}' reads '{name}', which no node, input or initializer defines (or it is defined later: ONNX nodes must be in topological order).");

    private NDArray ConstantOf(NodeProto node, int index, string what) =>
        In(node, index).Constant ?? throw Unsupported(node, $"a computed {what} (it must be an initializer or a Constant)");

    private void Set(NodeProto node, Tensor t, bool nhwc) => _values[node.Output[0]] = new Value(t, null, nhwc && t.shape.ndims == 4);

    private Tensor Materialize(Value v) => v.Tensor ??= Materialize(v.Initializer, v.Constant!);

    /// <summary>
    /// A constant's tensor: a frozen constant, or (importing for training) one variable per initializer and layout,
    /// so weights shared by several nodes stay tied. Batch-normalization statistics become non-trainable variables.
    /// </summary>
    private Tensor Materialize(string? initializer, NDArray value)
    {
        if (!_options.Trainable || value.dtype != DType.float32 || initializer is null) return tf.constant(value);
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
        if (t.shape.ndims != 4) throw new UnimplementedError($"{node.OpType} node '{node.Name}' needs a 4-D image input (N, C, H, W), got shape {t.shape}.", node.Name);
        return tf.transpose(t, ToNhwc);
    }

    private Tensor Nchw(Value v) => v.Nhwc ? tf.transpose(Materialize(v), ToNchw) : Materialize(v);

    private static int NhwcAxis(int nchwAxis) => (nchwAxis < 0 ? nchwAxis + 4 : nchwAxis) switch { 0 => 0, 1 => 3, 2 => 1, 3 => 2, var a => throw new ArgumentOutOfRangeException(nameof(nchwAxis), a, "axis of a 4-D tensor") };


    private static void CheckKernelShape(NodeProto node, int kh, int kw)
    {
        var kernel = node.Attribute.FirstOrDefault(a => a.Name == "kernel_shape")?.Ints;
        if (kernel is { Count: > 0 } && (kernel.Count != 2 || kernel[0] != kh || kernel[1] != kw))
            throw new InvalidArgumentError($"Conv node '{node.Name}': kernel_shape [{string.Join(",", kernel)}] does not match the filter's [{kh},{kw}].", node.Name);
    }

    /// <summary>ONNX Clip: the bounds come from inputs (opset 11+) or attributes; a missing one leaves that side open.</summary>
    private Tensor Clip(NodeProto node, Tensor x)
    {
        Tensor? Bound(int input, string attribute)
        {
            if (node.Input.Count > input && !string.IsNullOrEmpty(node.Input[input])) return Materialize(In(node, input));
            var a = node.Attribute.FirstOrDefault(v => v.Name == attribute);
            return a is null ? null : tf.cast(tf.constant(a.F), x.dtype);
        }
        var (min, max) = (Bound(1, "min"), Bound(2, "max"));
        if (min is not null) x = tf.maximum(x, min);
        if (max is not null) x = tf.minimum(x, max);
        return x;
    }

    private static DType DTypeOf(ValueInfoProto info, string name) => (TensorProto.Types.DataType)(info.Type?.TensorType?.ElemType ?? 1) switch
    {
        TensorProto.Types.DataType.Float => DType.float32,
        TensorProto.Types.DataType.Double => DType.float64,
        TensorProto.Types.DataType.Int64 => DType.int64,
        TensorProto.Types.DataType.Int32 => DType.int32,
        var t => throw new UnimplementedError($"Input '{name}' has ONNX type {t}; SharpFlow.Onnx takes FLOAT, DOUBLE, INT32 and INT64 inputs."),
    };

    /// <summary>An integer-list attribute of the fallback's length (strides, dilations and pads of a 2-D window).</summary>
    private int[] Ints(NodeProto node, string name, int[] fallback) =>
        IntsOrNull(node, name) is not { } values ? fallback
        : values.Length == fallback.Length ? values
        : throw new InvalidArgumentError($"{_model.Source}: node '{node.Name}' ({node.OpType}) has {values.Length} {name}, not {fallback.Length}.", node.Name);

    private static int[]? IntsOrNull(NodeProto node, string name)
    {
        var a = node.Attribute.FirstOrDefault(x => x.Name == name);
        return a is null ? null : [.. a.Ints.Select(v => checked((int)v))];
    }

    private static long Attr(NodeProto node, string name, long fallback) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;

    private static float Attr(NodeProto node, string name, float fallback) => node.Attribute.FirstOrDefault(a => a.Name == name)?.F ?? fallback;

    private UnimplementedError Unsupported(NodeProto node, string what) =>
        new($"{_model.Source}: node '{node.Name}' ({node.OpType}) uses {what}, which SharpFlow.Onnx does not support.", node.Name);

    /// <summary>A SharpFlow op name from an ONNX name (letters, digits, '_', '.', '-', '/').</summary>
    private static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray();
        var s = new string(chars);
        return s.Length == 0 || !char.IsAsciiLetterOrDigit(s[0]) ? "n" + s : s;
    }
}
