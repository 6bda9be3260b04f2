using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    /// <summary>
    /// One ONNX operator SharpFlow.Onnx maps: its converter, the attributes it honours (any other attribute is an
    /// <see cref="UnimplementedError"/> naming it) and the opsets it is mapped for.
    /// </summary>
    private sealed record OperatorSpec(string Name, string[] Attributes, Action<OnnxImporter, NodeProto> Convert, int Since = 1, int Until = int.MaxValue);

    private static OperatorSpec Op(string name, Action<OnnxImporter, NodeProto> convert, params string[] attributes) => new(name, attributes, convert);

    private static OperatorSpec Op(string name, int since, int until, Action<OnnxImporter, NodeProto> convert, params string[] attributes) => new(name, attributes, convert, since, until);

    private static readonly string[] ReduceAttributes = ["axes", "keepdims", "noop_with_empty_axes"];
    private static readonly string[] ConvAttributes = ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"];
    private static readonly string[] PoolAttributes = ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "strides", "storage_order", "count_include_pad", "p"];

    /// <summary>The operators SharpFlow.Onnx imports, by name: the one table the importer and the README's list read.</summary>
    private static readonly Dictionary<string, OperatorSpec> Operators = new OperatorSpec[]
    {
        // Element-wise math: the layout of an image is kept.
        Op("Abs", (i, n) => i.Unary(n, x => tf.abs(x))),
        Op("Neg", (i, n) => i.Unary(n, x => tf.negative(x))),
        Op("Exp", (i, n) => i.Unary(n, x => tf.exp(x))),
        Op("Log", (i, n) => i.Unary(n, x => tf.log(x))),
        Op("Sqrt", (i, n) => i.Unary(n, x => tf.sqrt(x))),
        Op("Reciprocal", (i, n) => i.Unary(n, x => tf.reciprocal(x))),
        Op("Floor", (i, n) => i.Unary(n, x => tf.floor(x))),
        Op("Ceil", (i, n) => i.Unary(n, x => tf.ceil(x))),
        Op("Round", (i, n) => i.Unary(n, x => tf.round(x))),
        Op("Sign", (i, n) => i.Unary(n, x => tf.sign(x))),
        Op("Sin", (i, n) => i.Unary(n, x => tf.sin(x))),
        Op("Cos", (i, n) => i.Unary(n, x => tf.cos(x))),
        Op("Tan", (i, n) => i.Unary(n, x => tf.tan(x))),
        Op("Asin", (i, n) => i.Unary(n, x => tf.asin(x))),
        Op("Acos", (i, n) => i.Unary(n, x => tf.acos(x))),
        Op("Atan", (i, n) => i.Unary(n, x => tf.atan(x))),
        Op("Sinh", (i, n) => i.Unary(n, x => tf.sinh(x))),
        Op("Cosh", (i, n) => i.Unary(n, x => tf.cosh(x))),
        Op("Tanh", (i, n) => i.Unary(n, x => tf.tanh(x))),
        Op("Asinh", (i, n) => i.Unary(n, x => tf.sign(x) * tf.log(tf.abs(x) + tf.sqrt(x * x + S(1, x.dtype))))),
        Op("Acosh", (i, n) => i.Unary(n, x => tf.log(x + tf.sqrt(x * x - S(1, x.dtype))))),
        Op("Atanh", (i, n) => i.Unary(n, x => S(0.5, x.dtype) * tf.log((S(1, x.dtype) + x) / (S(1, x.dtype) - x)))),
        Op("Erf", (i, n) => i.Unary(n, x => tf.erf(x))),
        Op("IsNaN", (i, n) => i.Unary(n, x => tf.is_nan(x))),
        Op("IsInf", (i, n) => i.IsInf(n), "detect_negative", "detect_positive"),
        Op("Not", (i, n) => i.Unary(n, x => tf.logical_not(x))),
        Op("Identity", (i, n) => i.Identity(n)),

        // Element-wise binary operators with broadcasting, and the variadic ones.
        Op("Add", (i, n) => i.Binary(n, (a, b) => a + b)),
        Op("Sub", (i, n) => i.Binary(n, (a, b) => a - b)),
        Op("Mul", (i, n) => i.Binary(n, (a, b) => a * b)),
        Op("Div", (i, n) => i.Binary(n, Divide)),
        Op("Pow", (i, n) => i.Binary(n, (a, b) => tf.pow(a, b.dtype == a.dtype ? b : tf.cast(b, a.dtype)))),
        Op("Mod", (i, n) => i.Binary(n, (a, b) => Mod(a, b, Attr(n, "fmod", 0L) != 0)), "fmod"),
        Op("Equal", (i, n) => i.Binary(n, (a, b) => tf.equal(a, b))),
        Op("Less", (i, n) => i.Binary(n, (a, b) => tf.less(a, b))),
        Op("LessOrEqual", (i, n) => i.Binary(n, (a, b) => tf.less_equal(a, b))),
        Op("Greater", (i, n) => i.Binary(n, (a, b) => tf.greater(a, b))),
        Op("GreaterOrEqual", (i, n) => i.Binary(n, (a, b) => tf.greater_equal(a, b))),
        Op("And", (i, n) => i.Binary(n, (a, b) => tf.logical_and(a, b))),
        Op("Or", (i, n) => i.Binary(n, (a, b) => tf.logical_or(a, b))),
        Op("Xor", (i, n) => i.Binary(n, (a, b) => tf.not_equal(a, b))),
        Op("PRelu", (i, n) => i.Binary(n, (x, slope) => tf.where(tf.less(x, S(0, x.dtype)), x * slope, x + slope * S(0, x.dtype)))),
        Op("Max", (i, n) => i.Variadic(n, (a, b) => tf.maximum(a, b))),
        Op("Min", (i, n) => i.Variadic(n, (a, b) => tf.minimum(a, b))),
        Op("Sum", (i, n) => i.Variadic(n, (a, b) => a + b)),
        Op("Mean", (i, n) => i.Variadic(n, (a, b) => a + b, mean: true)),
        Op("Where", (i, n) => i.Where(n)),
        Op("Clip", (i, n) => i.Clip(n), "min", "max"),

        // Activations.
        Op("Relu", (i, n) => i.Unary(n, x => tf.nn.relu(x))),
        Op("LeakyRelu", (i, n) => i.Unary(n, x => LeakyRelu(x, Attr(n, "alpha", 0.01f))), "alpha"),
        Op("Sigmoid", (i, n) => i.Unary(n, x => tf.sigmoid(x))),
        Op("Elu", (i, n) => i.Unary(n, x => Elu(x, Attr(n, "alpha", 1f))), "alpha"),
        Op("Celu", (i, n) => i.Unary(n, x => Celu(x, Attr(n, "alpha", 1f))), "alpha"),
        Op("Selu", (i, n) => i.Unary(n, x => S(Attr(n, "gamma", 1.05070102214813232421875f), x.dtype) * Elu(x, Attr(n, "alpha", 1.67326319217681884765625f))), "alpha", "gamma"),
        Op("HardSigmoid", (i, n) => i.Unary(n, x => HardSigmoid(x, Attr(n, "alpha", 0.2f), Attr(n, "beta", 0.5f))), "alpha", "beta"),
        Op("HardSwish", (i, n) => i.Unary(n, x => x * HardSigmoid(x, 1f / 6, 0.5f))),
        Op("Softplus", (i, n) => i.Unary(n, x => tf.nn.softplus(x))),
        Op("Softsign", (i, n) => i.Unary(n, x => x / (S(1, x.dtype) + tf.abs(x)))),
        Op("ThresholdedRelu", (i, n) => i.Unary(n, x => tf.where(tf.greater(x, S(Attr(n, "alpha", 1f), x.dtype)), x, tf.zeros_like(x))), "alpha"),
        Op("Mish", 18, int.MaxValue, (i, n) => i.Unary(n, x => x * tf.tanh(tf.nn.softplus(x)))),
        Op("Gelu", 20, int.MaxValue, (i, n) => i.Unary(n, x => Gelu(i, n, x)), "approximate"),
        Op("Shrink", (i, n) => i.Unary(n, x => Shrink(x, Attr(n, "lambd", 0.5f), Attr(n, "bias", 0f))), "bias", "lambd"),
        Op("Softmax", (i, n) => i.SoftmaxLike(n, (x, axis) => tf.nn.softmax(x, axis)), "axis"),
        Op("LogSoftmax", (i, n) => i.SoftmaxLike(n, (x, axis) => tf.nn.log_softmax(x, axis)), "axis"),
        Op("Hardmax", (i, n) => i.SoftmaxLike(n, Hardmax), "axis"),

        // Types, shapes and indexing.
        Op("Cast", (i, n) => i.Cast(n), "to", "saturate"),
        Op("CastLike", (i, n) => i.Set(n, CastTo(i.X(n, 0), i.X(n, 1).dtype)), "saturate"),
        Op("Shape", (i, n) => i.ShapeOp(n), "start", "end"),
        Op("Size", (i, n) => i.Set(n, tf.size(i.X(n, 0), out_type: DType.int64))),
        Op("Constant", (i, n) => i.ConstantOp(n), "value", "value_float", "value_floats", "value_int", "value_ints"),
        Op("ConstantOfShape", (i, n) => i.ConstantOfShape(n), "value"),
        Op("Range", (i, n) => i.Set(n, tf.range(i.X(n, 0), i.X(n, 1), i.X(n, 2)))),
        Op("Reshape", (i, n) => i.Set(n, i.Reshape(n)), "allowzero", "shape"),
        Op("Flatten", (i, n) => i.Set(n, i.Flatten(n)), "axis"),
        Op("Transpose", (i, n) => i.Transpose(n), "perm"),
        Op("Squeeze", (i, n) => i.Squeeze(n), "axes"),
        Op("Unsqueeze", (i, n) => i.Unsqueeze(n), "axes"),
        Op("Expand", (i, n) => i.Set(n, Broadcast(i.X(n, 0), i.X(n, 1)))),
        Op("Tile", (i, n) => i.Set(n, tf.tile(i.X(n, 0), i.X(n, 1)))),
        Op("Concat", (i, n) => i.Concat(n), "axis"),
        Op("Split", (i, n) => i.Split(n), "axis", "split", "num_outputs"),
        Op("Slice", (i, n) => i.Slice(n), "starts", "ends", "axes"),
        Op("Gather", (i, n) => i.Gather(n), "axis"),
        Op("GatherElements", (i, n) => i.GatherElements(n), "axis"),
        Op("GatherND", (i, n) => i.GatherND(n), "batch_dims"),
        Op("ScatterND", (i, n) => i.ScatterND(n), "reduction"),
        Op("ScatterElements", (i, n) => i.ScatterElements(n), "axis", "reduction"),
        Op("Scatter", 9, 10, (i, n) => i.ScatterElements(n), "axis"),
        Op("NonZero", (i, n) => i.Set(n, tf.transpose(tf.where(tf.not_equal(i.X(n, 0), S(0, i.X(n, 0).dtype)))))),
        Op("OneHot", (i, n) => i.OneHot(n), "axis"),
        Op("NonMaxSuppression", 10, int.MaxValue, (i, n) => i.NonMaxSuppression(n), "center_point_box"),
        Op("ArgMax", (i, n) => i.ArgMaxMin(n, max: true), "axis", "keepdims", "select_last_index"),
        Op("ArgMin", (i, n) => i.ArgMaxMin(n, max: false), "axis", "keepdims", "select_last_index"),
        Op("TopK", (i, n) => i.TopK(n), "axis", "k", "largest", "sorted"),
        Op("CumSum", (i, n) => i.CumSum(n), "exclusive", "reverse"),
        Op("Einsum", (i, n) => i.Set(n, tf.einsum(Attr(n, "equation", ""), [.. Enumerable.Range(0, n.Input.Count).Select(k => (TensorLike)i.X(n, k))])), "equation"),
        Op("Trilu", (i, n) => i.Trilu(n), "upper"),
        Op("Unique", 11, int.MaxValue, (i, n) => i.Unique(n), "axis", "sorted"),
        Op("Det", 11, int.MaxValue, (i, n) => i.Det(n)),
        Op("ReverseSequence", (i, n) => i.ReverseSequence(n), "batch_axis", "time_axis"),
        Op("Compress", (i, n) => i.Compress(n), "axis"),
        Op("EyeLike", (i, n) => i.EyeLike(n), "dtype", "k"),
        Op("Pad", (i, n) => i.Pad(n), "mode", "pads", "value"),
        Op("Dropout", (i, n) => i.Dropout(n), "ratio", "seed", "is_test"),
        Op("DepthToSpace", (i, n) => i.DepthToSpace(n), "blocksize", "mode"),
        Op("SpaceToDepth", (i, n) => i.SpaceToDepth(n), "blocksize"),

        // Reductions.
        Op("ReduceSum", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_sum(x, a, k)), ReduceAttributes),
        Op("ReduceMean", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_mean(x, a, k)), ReduceAttributes),
        Op("ReduceMax", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_max(x, a, k)), ReduceAttributes),
        Op("ReduceMin", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_min(x, a, k)), ReduceAttributes),
        Op("ReduceProd", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_prod(x, a, k)), ReduceAttributes),
        Op("ReduceL1", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_sum(tf.abs(x), a, k)), ReduceAttributes),
        Op("ReduceL2", (i, n) => i.Reduce(n, (x, a, k) => tf.sqrt(tf.reduce_sum(x * x, a, k))), ReduceAttributes),
        Op("ReduceLogSum", (i, n) => i.Reduce(n, (x, a, k) => tf.log(tf.reduce_sum(x, a, k))), ReduceAttributes),
        Op("ReduceLogSumExp", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_logsumexp(x, a, k)), ReduceAttributes),
        Op("ReduceSumSquare", (i, n) => i.Reduce(n, (x, a, k) => tf.reduce_sum(x * x, a, k)), ReduceAttributes),

        // Dense layers.
        Op("MatMul", (i, n) => i.Set(n, MatMul(i.X(n, 0), i.X(n, 1)))),
        Op("Gemm", (i, n) => i.Set(n, i.Gemm(n)), "alpha", "beta", "transA", "transB", "broadcast"),

        // Convolutions, pooling and normalization.
        Op("Conv", (i, n) => i.Conv(n), ConvAttributes),
        Op("ConvTranspose", (i, n) => i.ConvTranspose(n), [.. ConvAttributes, "output_padding", "output_shape"]),
        Op("MaxPool", (i, n) => i.Pool(n, "MaxPool"), PoolAttributes),
        Op("AveragePool", (i, n) => i.Pool(n, "AveragePool"), PoolAttributes),
        Op("LpPool", (i, n) => i.Pool(n, "LpPool"), PoolAttributes),
        Op("GlobalAveragePool", (i, n) => i.GlobalPool(n, (x, a) => tf.reduce_mean(x, a, keepdims: true))),
        Op("GlobalMaxPool", (i, n) => i.GlobalPool(n, (x, a) => tf.reduce_max(x, a, keepdims: true))),
        Op("GlobalLpPool", (i, n) => i.GlobalPool(n, (x, a) => LpNorm(x, a, Attr(n, "p", 2L), keepdims: true)), "p"),
        Op("BatchNormalization", (i, n) => i.BatchNormalization(n), "epsilon", "momentum", "spatial", "training_mode", "is_test", "consumed_inputs"),
        Op("InstanceNormalization", (i, n) => i.InstanceNormalization(n), "epsilon"),
        Op("LayerNormalization", 17, int.MaxValue, (i, n) => i.LayerNormalization(n), "axis", "epsilon", "stash_type"),
        Op("GroupNormalization", 18, int.MaxValue, (i, n) => i.GroupNormalization(n), "epsilon", "num_groups", "stash_type"),
        Op("MeanVarianceNormalization", (i, n) => i.MeanVarianceNormalization(n), "axes"),
        Op("LpNormalization", (i, n) => i.Set(n, i.LpNormalization(n)), "axis", "p"),
        Op("LRN", (i, n) => i.Lrn(n), "alpha", "beta", "bias", "size"),
        // Recurrent layers, control flow and sequences.
        Op("RNN", (i, n) => i.Recurrent(n, Recurrence.Rnn), RecurrentAttributes),
        Op("GRU", (i, n) => i.Recurrent(n, Recurrence.Gru), [.. RecurrentAttributes, "linear_before_reset"]),
        Op("LSTM", (i, n) => i.Recurrent(n, Recurrence.Lstm), [.. RecurrentAttributes, "input_forget"]),
        Op("If", (i, n) => i.If(n), "then_branch", "else_branch"),
        Op("Loop", (i, n) => i.Loop(n), "body"),
        Op("Scan", 9, int.MaxValue, (i, n) => i.Scan(n), "body", "num_scan_inputs", "scan_input_axes", "scan_input_directions", "scan_output_axes", "scan_output_directions"),
        Op("SequenceEmpty", 11, int.MaxValue, (i, n) => i.SequenceEmpty(n), "dtype"),
        Op("SequenceConstruct", 11, int.MaxValue, (i, n) => i.SequenceConstruct(n)),
        Op("SequenceInsert", 11, int.MaxValue, (i, n) => i.SequenceInsert(n)),
        Op("SequenceErase", 11, int.MaxValue, (i, n) => i.SequenceErase(n)),
        Op("SequenceAt", 11, int.MaxValue, (i, n) => i.SequenceAt(n)),
        Op("SequenceLength", 11, int.MaxValue, (i, n) => i.SequenceLength(n)),
        Op("ConcatFromSequence", 11, int.MaxValue, (i, n) => i.ConcatFromSequence(n), "axis", "new_axis"),
        Op("SplitToSequence", 11, int.MaxValue, (i, n) => i.SplitToSequence(n), "axis", "keepdims"),

        // Generators: random values and signal windows.
        Op("RandomNormal", (i, n) => i.Random(n, normal: true, like: false), "dtype", "mean", "scale", "seed", "shape"),
        Op("RandomNormalLike", (i, n) => i.Random(n, normal: true, like: true), "dtype", "mean", "scale", "seed"),
        Op("RandomUniform", (i, n) => i.Random(n, normal: false, like: false), "dtype", "high", "low", "seed", "shape"),
        Op("RandomUniformLike", (i, n) => i.Random(n, normal: false, like: true), "dtype", "high", "low", "seed"),
        Op("Bernoulli", 15, int.MaxValue, (i, n) => i.Bernoulli(n), "dtype", "seed"),
        Op("HannWindow", 17, int.MaxValue, (i, n) => i.Window(n, 0.5, 0.5, 0), "output_datatype", "periodic"),
        Op("HammingWindow", 17, int.MaxValue, (i, n) => i.Window(n, 25.0 / 46, 21.0 / 46, 0), "output_datatype", "periodic"),
        Op("BlackmanWindow", 17, int.MaxValue, (i, n) => i.Window(n, 0.42, 0.5, 0.08), "output_datatype", "periodic"),

        // Quantization (uint8).
        Op("QuantizeLinear", 10, int.MaxValue, (i, n) => i.QuantizeLinear(n), "axis", "saturate"),
        Op("DequantizeLinear", 10, int.MaxValue, (i, n) => i.DequantizeLinear(n), "axis"),

        Op("Resize", 10, int.MaxValue, (i, n) => i.Resize(n), "mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy"),
        Op("Upsample", 7, 9, (i, n) => i.Resize(n), "mode", "scales"),
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>The names of the operators SharpFlow.Onnx imports, in ordinal order.</summary>
    internal static IReadOnlyList<string> SupportedOperators => [.. Operators.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The README's list of operators: their names, with the opsets where the mapping is limited, wrapped at 118 columns.</summary>
    internal static string ReadmeOperatorList()
    {
        var items = SupportedOperators.Select(name => Operators[name] switch
        {
            { Since: > 1, Until: int.MaxValue } o => $"{name} (opset {o.Since}+)",
            { Until: < int.MaxValue } o => $"{name} (opsets {o.Since}–{o.Until})",
            _ => name,
        }).ToList();
        var lines = new List<string>();
        var line = "";
        for (var k = 0; k < items.Count; k++)
        {
            var item = items[k] + (k < items.Count - 1 ? "," : ".");
            if (line.Length > 0 && line.Length + 1 + item.Length > 118)
            {
                lines.Add(line);
                line = item;
            }
            else line = line.Length == 0 ? item : line + " " + item;
        }
        lines.Add(line);
        return string.Join("\n", lines);
    }
}

/// <summary>The importer's operator table as the README and the tests read it.</summary>
internal static class OnnxImporterTable
{
    /// <summary>How many ONNX operators the importer maps.</summary>
    public static int Count => OnnxImporter.SupportedOperators.Count;

    /// <summary>The README's generated list.</summary>
    public static string List() => OnnxImporter.ReadmeOperatorList();
}
