using Google.Protobuf;
using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// TensorFlow's string ops and hash-table lookups as ONNX's string operators (STRING tensors: graph inputs, outputs
/// and initializers hold their bytes): Cast to and from STRING (opset 13), StringConcat, RegexFullMatch (RE2 in both)
/// and StringSplit (opset 20), and ai.onnx.ml's LabelEncoder for a HashTableV2 filled from constants. What ONNX
/// prints or splits differently from TensorFlow's kernels is refused, naming the node and the reason.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The operator-set domains besides ONNX's own that the model imports (ai.onnx.ml for LabelEncoder), with their versions.</summary>
    private readonly Dictionary<string, int> _domains = new(StringComparer.Ordinal);

    private const string MlDomain = "ai.onnx.ml";

    /// <summary>A string scalar initializer.</summary>
    private string Text(string value) => Initializer($"string_{_counter++}", NDArray.FromStrings([value], Shape.Scalar));

    private static UnimplementedError Refuse(Operation op, string reason) =>
        new($"Cannot export {op.type} \"{op.name}\" to ONNX: {reason}", op.name);

    private static bool IsInteger(DType t) =>
        t == DType.int8 || t == DType.int16 || t == DType.int32 || t == DType.int64 || t == DType.uint8 || t == DType.uint16 || t == DType.uint32 || t == DType.uint64;

    /// <summary>
    /// AsString: integers by Cast to STRING (ONNX Runtime prints them as <c>%d</c> does); booleans as Where of
    /// "true" and "false". TensorFlow prints floats with <c>%f</c> (6 decimals; <c>%e</c>, <c>%g</c> and a
    /// precision with its attributes); ONNX Runtime's Cast prints a float32 as <c>%.8g</c> does, with "NaN", "INF"
    /// and "-INF": float32 with <c>shortest</c> and precision 8 (<c>%.8g</c>) exports as that Cast, NaN and the
    /// infinities replaced (Where) by TensorFlow's "nan", "inf" and "-inf"; other floats are refused, as is a
    /// <c>width</c> above 1 (ONNX has no operator that pads a string).
    /// </summary>
    private void AsStringOp(Operation op, string y)
    {
        var dtype = op.inputs[0].dtype;
        var width = Attr<int>(op, "width");
        if (width > 1)
            throw Refuse(op, $"width {width} (fill \"{Attr<string>(op, "fill")}\"): ONNX has no operator that pads a string to a width.");
        if (dtype == DType.@bool)
        {
            Node("Where", [In(op, 0), Text("true"), Text("false")], [y]);
            return;
        }
        if (IsInteger(dtype))
        {
            Node("Cast", [In(op, 0)], [y], ("to", (long)TensorProto.Types.DataType.String));
            return;
        }
        var format = Attr<bool>(op, "scientific") ? "%e" : Attr<bool>(op, "shortest") ? "%g" : "%f";
        var precision = Attr<int>(op, "precision");
        if (precision >= 0) format = format.Insert(1, "." + precision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (dtype != DType.float32 || format != "%.8g")
            throw Refuse(op, $"a {dtype.name} input, which TensorFlow prints with {format} and ONNX's Cast to STRING prints {(dtype == DType.float32 ? "as %.8g (\"NaN\", \"INF\")" : "otherwise")}; integers, booleans and float32 with shortest and precision 8 export.");
        var x = In(op, 0);
        var text = ApplyWith("Cast", [x], ("to", (long)TensorProto.Types.DataType.String));
        var infinite = Apply("Where", ApplyWith("IsInf", [x], ("detect_negative", 0L)), Text("inf"), Apply("Where", ApplyWith("IsInf", [x], ("detect_positive", 0L)), Text("-inf"), text));
        Node("Where", [Apply("IsNaN", x), Text("nan"), infinite], [y]);
    }

    /// <summary>
    /// StringToNumber: Cast from STRING to out_type. Text that TensorFlow refuses is an error of the op's run in
    /// TensorFlow, which the model cannot reproduce: ONNX Runtime reads the leading number of an integer's text
    /// ("1.5" and "1e3" give 1, "0x10" gives 0), wraps an int32 that overflows, and fails on text without a number.
    /// </summary>
    private void StringToNumberOp(Operation op, string y) =>
        Node("Cast", [In(op, 0)], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));

    /// <summary>StringJoin: StringConcat of the inputs in order, with the separator between each two (a string scalar, broadcast).</summary>
    private void StringJoinOp(Operation op, string y)
    {
        var separator = Attr<string>(op, "separator");
        if (op.inputs.Count == 1)
        {
            Node("Identity", [In(op, 0)], [y]);
            return;
        }
        var joined = In(op, 0);
        var sep = separator.Length > 0 ? Text(separator) : null;
        for (var i = 1; i < op.inputs.Count; i++)
        {
            if (sep is not null) joined = Apply("StringConcat", joined, sep);
            if (i == op.inputs.Count - 1) Node("StringConcat", [joined, In(op, i)], [y]);
            else joined = Apply("StringConcat", joined, In(op, i));
        }
    }

    /// <summary>RegexFullMatch (a constant pattern) and StaticRegexFullMatch: ONNX RegexFullMatch, whose pattern ONNX Runtime compiles with RE2 as TensorFlow does.</summary>
    private void RegexFullMatchOp(Operation op, string y)
    {
        var pattern = op.type == "StaticRegexFullMatch"
            ? Attr<string>(op, "pattern")
            : System.Text.Encoding.UTF8.GetString(ConstantOf(op, 1, "pattern") is { size: 1 } p ? p.StringBytes(0) : throw Refuse(op, "its pattern is not a scalar."));
        Node("RegexFullMatch", [In(op, 0)], [y], ("pattern", pattern));
    }

    /// <summary>
    /// StringSplit with a constant delimiter of one ASCII byte: ONNX StringSplit at that byte gives every string's
    /// tokens padded with "" (and a count); TensorFlow's sparse result takes the tokens within each count (none for
    /// an empty string, whose one empty token ONNX keeps), without the empty ones under skip_empty: NonZero of
    /// that mask gives the rows, each token's column is its place among the row's kept tokens (CumSum − 1), values
    /// are GatherND of the tokens, and dense_shape is [rows, the most tokens of a row]. TensorFlow splits at any
    /// byte of a longer delimiter and into single bytes for an empty one, which ONNX's split (at the whole
    /// delimiter; at whitespace runs for an empty one) is not: those are refused.
    /// </summary>
    private void StringSplitOp(Operation op)
    {
        var delimiter = ConstantOf(op, 1, "delimiter");
        var bytes = delimiter.size == 1 ? delimiter.StringBytes(0) : throw Refuse(op, "its delimiter is not a scalar.");
        if (bytes.Length != 1 || bytes[0] >= 0x80)
            throw Refuse(op, $"delimiter \"{System.Text.Encoding.UTF8.GetString(bytes)}\" ({bytes.Length} bytes): TensorFlow splits at any one of its bytes ({(bytes.Length == 0 ? "into single bytes when it is empty" : "or into single bytes when empty")}), ONNX's StringSplit at the whole delimiter (at whitespace runs when empty); a delimiter of one ASCII character exports.");
        var skipEmpty = Attr<bool>(op, "skip_empty");
        var x = In(op, 0);
        var (tokens, counts) = (Fresh(), Fresh());
        Node("StringSplit", [x], [tokens, counts], ("delimiter", System.Text.Encoding.ASCII.GetString(bytes)));
        var columns = Apply("Range", Long(0), ApplyWith("Gather", [Apply("Shape", tokens), Long(1)], ("axis", 0L)), Long(1));
        var mask = Apply("And", Apply("Less", columns, Apply("Unsqueeze", counts, Ints([1]))),
            Apply("Unsqueeze", Apply("Not", Apply("Equal", x, Text(""))), Ints([1])));
        if (skipEmpty) mask = Apply("And", mask, Apply("Not", Apply("Equal", tokens, Text(""))));
        var kept = ApplyWith("Cast", [mask], ("to", 7L));
        var place = Apply("Sub", Apply("CumSum", kept, Long(1)), Long(1));
        var at = ApplyWith("Transpose", [Apply("NonZero", mask)], ("perm", new long[] { 1, 0 }));
        var rows = Apply("Slice", at, Ints([0]), Ints([1]), Ints([1]));
        var (indices, values, shape) = (Out(op.outputs[0]), Out(op.outputs[1]), Out(op.outputs[2]));
        Node("Concat", [rows, Apply("Unsqueeze", Apply("GatherND", place, at), Ints([1]))], [indices], ("axis", 1L));
        Node("GatherND", [tokens, at], [values]);
        var perRow = ApplyWith("ReduceSum", [kept, Ints([1])], ("keepdims", 0L));
        var most = ApplyWith("ReduceMax", [ApplyWith("Concat", [Ints([0]), perRow], ("axis", 0L))], ("keepdims", 1L));
        Node("Concat", [Apply("Shape", x), most], [shape], ("axis", 0L));
        for (var k = 0; k < 3; k++) _names[op.outputs[k]] = Out(op.outputs[k]);
    }

    /// <summary>The keys and values a HashTableV2's one InitializeTableV2 fills it with (constants, evaluated once).</summary>
    private (NDArray Keys, NDArray Values) TableContents(Operation op)
    {
        var table = op.inputs[0].op;
        if (table.type != "HashTableV2")
            throw Refuse(op, $"its table is {table.type} \"{table.name}\"; a HashTableV2 filled by InitializeTableV2 from constants exports.");
        var inits = table.outputs[0].consumers().Where(c => c.type == "InitializeTableV2").ToList();
        if (inits.Count != 1)
            throw Refuse(op, $"HashTableV2 \"{table.name}\" is filled by {inits.Count} InitializeTableV2 ops; one that fills it from constants exports.");
        var init = inits[0];
        NDArray Value(Tensor t)
        {
            if (t.op.type == "Const") return t.op.Attr<NDArray>("value");
            if (_inputs.Values.Any(i => DependsOn(t.op, i.op, [])) || StatefulSource(t.op) is not null)
                throw Refuse(op, $"the {(ReferenceEquals(t, init.inputs[1]) ? "keys" : "values")} of InitializeTableV2 \"{init.name}\" are not constants.");
            return _session.run(t);
        }
        return (Value(init.inputs[1]), Value(init.inputs[2]));
    }

    private static bool DependsOn(Operation op, Operation source, HashSet<Operation> seen)
    {
        if (ReferenceEquals(op, source)) return true;
        if (!seen.Add(op)) return false;
        return op.inputs.Any(i => DependsOn(i.op, source, seen));
    }

    /// <summary>
    /// LookupTableFindV2 of a HashTableV2 filled from constants: ai.onnx.ml LabelEncoder (version 2) of the table's
    /// keys and values, the default value its default (int32 keys and values through int64, with Casts). Keys are
    /// string or integer; values string, int64, int32 or float32 (what LabelEncoder's version 2 holds), or float64
    /// (version 4's values_tensor and default_tensor).
    /// </summary>
    private void LookupOp(Operation op, string y)
    {
        var (keys, values) = TableContents(op);
        var (keyType, valueType) = (keys.dtype, values.dtype);
        if (keyType != DType.@string && keyType != DType.int64 && keyType != DType.int32)
            throw Refuse(op, $"{keyType.name} keys; LabelEncoder takes string or int64 keys (int32 through int64).");
        if (valueType != DType.@string && valueType != DType.int64 && valueType != DType.int32 && valueType != DType.float32 && valueType != DType.float64)
            throw Refuse(op, $"{valueType.name} values; LabelEncoder holds string, int64, float32 or float64 values (int32 through int64).");
        var fallback = ConstantOf(op, 2, "default_value");
        if (fallback.size != 1) throw Refuse(op, $"a default_value of shape {fallback.shape}; LabelEncoder has one default.");
        if (keys.size != values.size) throw Refuse(op, $"{keys.size} keys and {values.size} values.");
        var node = new NodeProto { OpType = "LabelEncoder", Domain = MlDomain, Name = $"LabelEncoder_{_current.Node.Count}" };
        node.Input.Add(keyType == DType.int32 ? Int64(op.inputs[1]) : In(op, 1));
        var encoded = valueType == DType.int32 ? Fresh() : y;
        node.Output.Add(encoded);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        AttributeProto Strings(string name, NDArray a)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
            for (var i = 0; i < a.size; i++) attribute.Strings.Add(ByteString.CopyFrom(a.StringBytes(i)));
            return attribute;
        }
        if (keyType == DType.@string)
        {
            for (var i = 0; i < keys.size; i++)
                if (!seen.Add(Convert.ToBase64String(keys.StringBytes(i))))
                    throw Refuse(op, $"key \"{System.Text.Encoding.UTF8.GetString(keys.StringBytes(i))}\" is in the table twice.");
            node.Attribute.Add(Strings("keys_strings", keys));
        }
        else
        {
            var k = keys.Cast(DType.int64).ToArray<long>();
            if (k.Distinct().Count() != k.Length) throw Refuse(op, $"key {k.GroupBy(v => v).First(g => g.Count() > 1).Key} is in the table twice.");
            node.Attribute.Add(OnnxNodes.Attribute("keys_int64s", k));
        }
        if (valueType == DType.@string)
        {
            node.Attribute.Add(Strings("values_strings", values));
            node.Attribute.Add(new AttributeProto { Name = "default_string", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFrom(fallback.StringBytes(0)) });
        }
        else if (valueType == DType.float64)
        {
            // Version 4 holds any value type as a tensor attribute.
            node.Attribute.Add(OnnxNodes.Attribute("values_tensor", values.Reshape(new Shape((int)values.size))));
            node.Attribute.Add(OnnxNodes.Attribute("default_tensor", fallback.Reshape(new Shape(1))));
        }
        else if (valueType == DType.float32)
        {
            node.Attribute.Add(OnnxNodes.Attribute("values_floats", values.ToArray<float>()));
            node.Attribute.Add(OnnxNodes.Attribute("default_float", fallback.ToArray<float>()[0]));
        }
        else
        {
            node.Attribute.Add(OnnxNodes.Attribute("values_int64s", values.Cast(DType.int64).ToArray<long>()));
            node.Attribute.Add(OnnxNodes.Attribute("default_int64", fallback.Cast(DType.int64).ToArray<long>()[0]));
        }
        _current.Node.Add(node);
        _domains[MlDomain] = System.Math.Max(_domains.GetValueOrDefault(MlDomain), valueType == DType.float64 ? 4 : 2);
        if (valueType == DType.int32) Node("Cast", [encoded], [y], ("to", (long)TensorProto.Types.DataType.Int32));
    }
}
