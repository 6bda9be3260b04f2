using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.Control;

namespace SharpFlow.Onnx;

/// <summary>
/// Writes the part of a SharpFlow graph between given inputs and outputs as an ONNX model (opset 13). Every value
/// that does not depend on an input (variables, constants, shapes) is evaluated once in the session and stored as an
/// initializer; the ops that remain are mapped one by one. SharpFlow's NHWC convolutions and pooling become ONNX's
/// NCHW ones between two Transposes, so every other op keeps its meaning unchanged.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The lowest opset the exporter writes: Softmax over one axis, ReduceSum's axes as an input.</summary>
    public const int MinOpset = 13;

    /// <summary>
    /// The highest: opset 20. Opset 18 moves every Reduce*'s axes to an input, asks Split for its sizes or its
    /// num_outputs, and adds ScatterND's max and min reductions (the segment maxima and minima need it); opset 20
    /// adds the string operators (StringConcat, StringSplit, RegexFullMatch).
    /// </summary>
    public const int MaxOpset = 20;

    private readonly int _opset;
    private static readonly long[] ToNchw = [0, 3, 1, 2];
    private static readonly long[] ToNhwc = [0, 2, 3, 1];

    private readonly Session _session;
    private readonly IReadOnlyDictionary<string, Tensor> _inputs;
    private readonly IReadOnlyDictionary<string, Tensor> _outputs;
    private readonly GraphProto _graph = new() { Name = "sharpflow" };

    // The graph nodes go to: the model's graph, or an If branch's subgraph while one is exported.
    private GraphProto _current;
    private readonly Dictionary<Tensor, string> _names = new(TensorComparer.Instance);
    private readonly Dictionary<Tensor, NDArray> _constants = new(TensorComparer.Instance);
    private readonly Dictionary<Operation, bool> _dependsOnInput = [];
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxExporter(Session session, IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> outputs, int opset = MinOpset)
    {
        _opset = opset;
        _current = _graph;
        _session = session;
        _inputs = inputs;
        _outputs = outputs;
    }

    public ModelProto Run()
    {
        if (_outputs.Count == 0) throw new ValueError("Exporting to ONNX needs at least one output.");
        foreach (var (name, tensor) in _inputs.Concat(_outputs))
            if (!ReferenceEquals(tensor.graph, _session.graph))
                throw new ValueError($"Tensor '{name}' ({tensor.name}) is not in the session's graph.");
        foreach (var (name, tensor) in _inputs)
        {
            _names[tensor] = name;
            _graph.Input.Add(ValueInfo(name, tensor));
        }

        // The ops the outputs need, up to the inputs, in an order TensorFlow could run them in (OrderedByDependencies).
        var needed = new HashSet<Operation>();
        var stack = new Stack<Operation>(_outputs.Values.Select(t => t.op));
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!needed.Add(op)) continue;
            foreach (var input in op.inputs)
                if (!IsInput(input)) stack.Push(input.op);
        }
        AddStackPushes(needed);
        var order = _session.graph.get_operations().Select((o, i) => (o, i)).ToDictionary(p => p.o, p => p.i);
        var ordered = OrderedByDependencies([.. needed.Where(DependsOnInput)], order);
        _needed = needed;
        _exportOrder = ordered;

        // Values that do not depend on an input become initializers, evaluated in one run.
        var frozen = new List<Tensor>();
        foreach (var op in ordered)
            foreach (var input in op.inputs)
                if (!IsInput(input) && !DependsOnInput(input.op) && !_constants.ContainsKey(input) && !frozen.Contains(input, TensorComparer.Instance)) frozen.Add(input);
        foreach (var output in _outputs.Values)
            if (!IsInput(output) && !DependsOnInput(output.op) && !frozen.Contains(output, TensorComparer.Instance)) frozen.Add(output);
        // A constant inside a cond branch is read from its op: running it would run the branch's pivot, which needs the
        // inputs; so is one under control dependencies (an Assert on the inputs, which the model leaves out).
        foreach (var t in frozen.Where(t => t.op.type == "Const" && (t.op.Context is not null || t.op.control_inputs.Count > 0)).ToList())
        {
            _constants[t] = t.op.Attr<NDArray>("value");
            frozen.Remove(t);
        }
        foreach (var t in frozen)
            if (StatefulSource(t.op) is { } source)
                throw new UnimplementedError($"Cannot export to ONNX: {t.name} depends on {source.type} \"{source.name}\", whose draws would be frozen into the model as one constant. Build the graph for inference (training: false).", source.name);
        if (frozen.Count > 0)
        {
            var values = _session.run(frozen.ToArray());
            for (var i = 0; i < frozen.Count; i++) _constants[frozen[i]] = values[i];
        }

        ExportOps(ordered, null);

        foreach (var (name, tensor) in _outputs)
        {
            Node("Identity", [Name(tensor)], [name]);
            _graph.Output.Add(ValueInfo(name, tensor));
        }
        var model = new ModelProto { IrVersion = _opset >= 19 ? 9 : _opset >= 15 ? 8 : 7, ProducerName = "SharpFlow", ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _opset });
        foreach (var (domain, version) in _domains) model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return model;
    }

    /// <summary>
    /// Exports <paramref name="ops"/> (in topological order) into the current graph: the ops of <paramref name="scope"/>
    /// (null: the top level) one by one; each <c>tf.cond</c> directly inside it as one ONNX <c>If</c>, placed where its
    /// first needed Merge is, whose two branch graphs hold the ops of the cond's two contexts; each
    /// <c>tf.while_loop</c> directly inside it as one ONNX <c>Loop</c>, placed where its first needed Exit is
    /// (recursively, so conds and loops nest in each other). The values a branch or a loop body takes from outside
    /// (Switches, constant Enters) are read from the outer scope, as ONNX subgraphs may.
    /// </summary>
    private void ExportOps(IReadOnlyList<Operation> ops, ControlFlowContext? scope)
    {
        var exportedIfs = new HashSet<CondContext>();
        var exportedLoops = new HashSet<WhileContext>();
        foreach (var op in ops)
        {
            if (op.outputs.Count > 0 && IsInput(op.outputs[0])) continue;
            switch (ChildContext(op, scope))
            {
                case WhileContext loop:
                    // Exported as one Loop, where the loop's first needed Exit is (after every value it reads).
                    if (op.type == "Exit" && ReferenceEquals(op.Context, loop) && exportedLoops.Add(loop)) ExportLoop(ops, loop);
                    continue;
                case CondContext:
                    continue; // exported inside its If
            }
            if (op.type == "Merge" && CondOf(op, scope) is var (whenFalse, whenTrue))
            {
                if (exportedIfs.Add(whenTrue)) ExportIf(ops, scope, whenFalse, whenTrue);
                continue;
            }
            if (scope is CondContext branch && op.type == "Switch" && ReferenceEquals(op.Context, scope))
            {
                // A value entering the branch: the outer value itself.
                _names[op.outputs[branch.Branch]] = Name(op.inputs[0]);
                continue;
            }
            // A loop's own plumbing: its values are the Loop body's inputs and outputs, named by ExportLoop.
            if (scope is WhileContext && ReferenceEquals(op.Context, scope) && op.type is "Enter" or "Merge" or "Switch" or "NextIteration" or "LoopCond" or "Exit") continue;
            if (IsCondPlumbing(op)) continue;
            Export(op);
        }
    }

    private static IEnumerable<ControlFlowContext> ContextsOf(Operation op)
    {
        for (var c = op.Context; c is not null; c = c.Outer) yield return c;
    }

    /// <summary>The cond branch or while loop directly inside <paramref name="scope"/> that holds <paramref name="op"/>, or null when the op is in the scope itself.</summary>
    private static ControlFlowContext? ChildContext(Operation op, ControlFlowContext? scope)
    {
        ControlFlowContext? child = null;
        foreach (var c in ContextsOf(op))
        {
            if (ReferenceEquals(c, scope)) return child;
            child = c;
        }
        return scope is null ? child : throw new InternalError($"ONNX export: {op.name} is outside the branch or loop being exported.");
    }

    /// <summary>The two branches a Merge joins, when it is a cond's output directly inside <paramref name="scope"/>.</summary>
    private static (CondContext False, CondContext True)? CondOf(Operation merge, ControlFlowContext? scope)
    {
        if (merge.inputs.Count != 2) return null;
        if (ChildContext(merge.inputs[0].op, scope) is not CondContext { Branch: 0 } whenFalse || ChildContext(merge.inputs[1].op, scope) is not CondContext { Branch: 1 } whenTrue) return null;
        return ReferenceEquals(whenFalse.Pred, whenTrue.Pred) ? (whenFalse, whenTrue) : null;
    }

    /// <summary>A cond's own Switch of the predicate and its two pivots: their values are the predicate's.</summary>
    private static bool IsCondPlumbing(Operation op)
    {
        if (op.type == "Switch" && op.inputs.Count == 2 && ReferenceEquals(op.inputs[0], op.inputs[1])) return true;
        return op.type == "Identity" && op.inputs[0].op.type == "Switch" && op.inputs[0].op.inputs.Count == 2
               && ReferenceEquals(op.inputs[0].op.inputs[0], op.inputs[0].op.inputs[1]);
    }

    private void ExportIf(IReadOnlyList<Operation> ops, ControlFlowContext? scope, CondContext whenFalse, CondContext whenTrue)
    {
        var merges = ops.Where(o => o.type == "Merge" && CondOf(o, scope) is var (_, t) && ReferenceEquals(t, whenTrue)).ToList();
        var leaving = StacksLeaving(ops, whenFalse, whenTrue);
        GraphProto Branch(CondContext context, int input)
        {
            var saved = _current;
            _current = new GraphProto { Name = context.Name };
            try
            {
                _names[context.Pivot] = Name(context.Pred);
                ExportOps([.. ops.Where(o => ContextsOf(o).Contains(context))], context);
                foreach (var merge in merges)
                {
                    var result = Fresh();
                    Node("Identity", [Name(merge.inputs[input])], [result]);
                    _current.Output.Add(new ValueInfoProto { Name = result, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(merge.outputs[0].dtype, merge) } } });
                }
                foreach (var (stackOp, madeIn) in leaving) _current.Output.Add(StackLeavingBranch(stackOp, madeIn, context));
                return _current;
            }
            finally
            {
                _current = saved;
            }
        }
        var thenBranch = Branch(whenTrue, 1);
        var elseBranch = Branch(whenFalse, 0);
        var stacksOut = leaving.Select(_ => Fresh()).ToList();
        Node("If", [Name(whenTrue.Pred)], [.. merges.Select(m => Out(m.outputs[0])), .. stacksOut], ("then_branch", thenBranch), ("else_branch", elseBranch));
        foreach (var merge in merges) _names[merge.outputs[0]] = Out(merge.outputs[0]);
        StacksLeft(leaving, stacksOut);
    }

    private readonly Dictionary<Operation, Operation?> _statefulSource = [];
    private HashSet<Operation> _needed = [];

    /// <summary>A stateful op other than a variable (a random generator) that <paramref name="op"/> depends on, if any.</summary>
    private Operation? StatefulSource(Operation op)
    {
        if (_statefulSource.TryGetValue(op, out var known)) return known;
        Operation? found = op.Def.IsStateful && op.type != "VariableV2" ? op : null;
        foreach (var input in op.inputs)
        {
            if (found is not null) break;
            found = StatefulSource(input.op);
        }
        return _statefulSource[op] = found;
    }

    private bool IsInput(Tensor t) => _inputs.Values.Contains(t, TensorComparer.Instance);

    private bool DependsOnInput(Operation op)
    {
        if (_dependsOnInput.TryGetValue(op, out var known)) return known;
        // An op inside a cond branch runs only when its branch is taken: it is exported into the If's branch graph,
        // never frozen (except constants, which are read from the op).
        var result = op.outputs.Any(IsInput) || op.inputs.Any(i => IsInput(i) || DependsOnInput(i.op))
            || (op.Context is not null && op.type != "Const")
            // A TensorArray is state of the run (an ONNX sequence), never a value to freeze.
            || op.type.StartsWith("TensorArray", StringComparison.Ordinal) || op.type.StartsWith("Stack", StringComparison.Ordinal)
            // A random op the table maps draws in the model, on every run.
            || RandomTypes.Contains(op.type) || SamplerTypes.Contains(op.type)
            // A lookup table is state of the session, exported as the LabelEncoder of each lookup.
            || op.type == "HashTableV2";
        if (!result && op.type == "Placeholder")
            throw new InvalidArgumentError($"The outputs need placeholder '{op.name}', which is not among the export's inputs.", op.name);
        _dependsOnInput[op] = result;
        return result;
    }

    /// <summary>The ONNX name of a value: an input's name, an exported op's output, or a new initializer.</summary>
    private string Name(Tensor t)
    {
        if (_names.TryGetValue(t, out var name)) return name;
        if (_constants.TryGetValue(t, out var value))
        {
            name = t.name;
            Initializer(name, value);
            _names[t] = name;
            return name;
        }
        // A loop invariant (a constant Enter): the outer value, which the Loop's body reads from the outer scope.
        if (t.op.type == "Enter" && t.op.Attr<bool>("is_constant")) return Name(t.op.inputs[0]);
        throw new InternalError($"ONNX export: {t.name} has no value yet.");
    }

    private string Initializer(string name, NDArray value)
    {
        if (_initializers.Add(name)) _graph.Initializer.Add(OnnxTensors.FromNDArray(value, name));
        return name;
    }

    private string Ints(long[] values) => Initializer($"const_{_counter++}", NDArray.FromFlat(values, new Shape(values.Length)));

    private NDArray ConstantOf(Operation op, int input, string what) =>
        _constants.TryGetValue(op.inputs[input], out var v) ? v
            : throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its {what} depends on the inputs.", op.name);

    private NodeProto Node(string type, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = OnnxNodes.Create(type, _current.Node.Count, inputs, outputs, attributes);
        _current.Node.Add(node);
        return node;
    }

    /// <summary>
    /// Exports one op through its row of <see cref="Exports"/>; a TensorArray op without a row is refused naming
    /// the forms that export, any other op type naming it.
    /// </summary>
    private void Export(Operation op)
    {
        if (ExportedAsAStackHandle(op)) return;
        if (Exports.TryGetValue(op.type, out var spec))
        {
            if (_opset < spec.Since)
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX at opset {_opset}: its mapping needs opset {spec.Since}.", op.name);
            spec.Convert(this, op);
            return;
        }
        if (op.type.StartsWith("TensorArray", StringComparison.Ordinal))
        {
            ExportTensorArray(op);
            return;
        }
        if (Refusals.TryGetValue(op.type, out var reason))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: {reason}", op.name);
        if (UpdatesAVariable(op.type))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: it updates a variable, state of the session that an ONNX model does not have (export the graph that computes the new values instead).", op.name);
        throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: SharpFlow.Onnx has no mapping for {op.type}.", op.name);
    }

    /// <summary>The optimizers' update ops, assignments and the scatters into variables (the stateless ScatterNd has its row).</summary>
    private static bool UpdatesAVariable(string type) =>
        type.StartsWith("Apply", StringComparison.Ordinal) || type.StartsWith("ResourceApply", StringComparison.Ordinal)
        || type.StartsWith("SparseApply", StringComparison.Ordinal) || type.StartsWith("ResourceSparseApply", StringComparison.Ordinal)
        || type.StartsWith("Assign", StringComparison.Ordinal) || type.StartsWith("Scatter", StringComparison.Ordinal) || type == "CountUpTo";

    /// <summary>The op types ONNX cannot express as SharpFlow computes them, with the reason the refusal gives.</summary>
    private static readonly Dictionary<string, string> Refusals = new(StringComparer.Ordinal)
    {
        ["DecodeJpeg"] = "ONNX's ImageDecoder (opset 20) is not implemented by ONNX Runtime (1.31 has no kernel for it), so no model with it runs.",
        ["DecodePng"] = "ONNX's ImageDecoder (opset 20) is not implemented by ONNX Runtime (1.31 has no kernel for it), so no model with it runs.",
        ["DecodeBmp"] = "ONNX's ImageDecoder (opset 20) is not implemented by ONNX Runtime (1.31 has no kernel for it), so no model with it runs.",
        ["DecodeImage"] = "ONNX's ImageDecoder (opset 20) is not implemented by ONNX Runtime (1.31 has no kernel for it), so no model with it runs.",
    };

    private string Fresh() => $"tmp_{_counter++}";

    // Appended to the names of the ops exported while a loop's condition is exported a second time (for the
    // initial values, outside the Loop), so that each ONNX name is defined once.
    private string _suffix = "";

    /// <summary>The ONNX name of an op's output as the op is exported now.</summary>
    private string Out(Tensor t) => t.name + _suffix;

    private string Floats(string name, NDArray value) => Initializer($"{name}_{_counter++}", value);

    /// <summary>TensorFlow's Slice (begin and size, -1 to the end) as ONNX Slice over every axis.</summary>
    private void Slice(Operation op)
    {
        if (!_constants.ContainsKey(op.inputs[1]) || !_constants.ContainsKey(op.inputs[2]))
        {
            // begin and size computed at run time (a concatenation's gradient, from ConcatOffset and Shape).
            var (start, count) = (Int64(op.inputs[1]), Int64(op.inputs[2]));
            var stop = Apply("Where", Apply("Less", count, Long(0)), Long(long.MaxValue), Apply("Add", start, count));
            Node("Slice", [Name(op.inputs[0]), start, stop], [Out(op.outputs[0])]);
            return;
        }
        var begin = ConstantOf(op, 1, "begin").Cast(DType.int64).ToArray<long>();
        var size = ConstantOf(op, 2, "size").Cast(DType.int64).ToArray<long>();
        var ends = begin.Zip(size, (b, n) => n < 0 ? long.MaxValue : b + n).ToArray();
        Node("Slice", [Name(op.inputs[0]), Ints(begin), Ints(ends), Ints([.. Enumerable.Range(0, begin.Length).Select(i => (long)i)])], [Out(op.outputs[0])]);
    }

    /// <summary>
    /// TensorFlow's StridedSlice with constant bounds and its begin, end and shrink-axis masks: ONNX Slice, then a
    /// Squeeze of the shrunk axes. Ellipsis and new-axis masks are refused.
    /// </summary>
    private void StridedSlice(Operation op)
    {
        var shrunk = StridedSliceOf(op, Name(op.inputs[0]), out var sliced);
        if (shrunk.Length > 0) Node("Squeeze", [sliced, Ints(shrunk)], [Out(op.outputs[0])]);
        else Node("Identity", [sliced], [Out(op.outputs[0])]);
    }

    /// <summary>
    /// The ONNX Slice of <paramref name="x"/> that a StridedSlice (or StridedSliceGrad: the same spec, inputs 1 to 3)
    /// takes, into <paramref name="sliced"/>; returns the axes its shrink_axis_mask removes (a Squeeze the caller writes).
    /// </summary>
    private long[] StridedSliceOf(Operation op, string x, out string sliced)
    {
        var begin = ConstantOf(op, 1, "begin").Cast(DType.int64).ToArray<long>();
        var end = ConstantOf(op, 2, "end").Cast(DType.int64).ToArray<long>();
        var strides = ConstantOf(op, 3, "strides").Cast(DType.int64).ToArray<long>();
        long Mask(string name) => Convert.ToInt64(op.get_attr(name), System.Globalization.CultureInfo.InvariantCulture);
        var (beginMask, endMask, shrink) = (Mask("begin_mask"), Mask("end_mask"), Mask("shrink_axis_mask"));
        if (Mask("ellipsis_mask") != 0 || Mask("new_axis_mask") != 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: its ellipsis or new-axis mask.", op.name);
        var (starts, ends) = (new long[begin.Length], new long[begin.Length]);
        for (var i = 0; i < begin.Length; i++)
        {
            var bit = 1L << i;
            if ((shrink & bit) != 0)
            {
                starts[i] = begin[i];
                ends[i] = begin[i] == -1 ? long.MaxValue : begin[i] + 1;
                continue;
            }
            starts[i] = (beginMask & bit) != 0 ? strides[i] > 0 ? 0 : long.MaxValue : begin[i];
            ends[i] = (endMask & bit) != 0 ? strides[i] > 0 ? long.MaxValue : long.MinValue : end[i];
        }
        var axes = Ints([.. Enumerable.Range(0, begin.Length).Select(i => (long)i)]);
        var shrunk = Enumerable.Range(0, begin.Length).Where(i => (shrink & (1L << i)) != 0).Select(i => (long)i).ToArray();
        sliced = ApplyWith("Slice", [x, Ints(starts), Ints(ends), axes, Ints(strides)]);
        return shrunk;
    }

    /// <summary>
    /// TensorFlow's fused BlockLSTM as ONNX LSTM: the kernel <c>[input + cell, 4·cell]</c> in gate order i, c, f, o
    /// becomes W and R in ONNX's i, o, f, c, forget_bias joins the forget gate's bias, the peepholes become P, when
    /// only its h output is read, every step runs (seq_len_max the sequence's length), without cell clipping and
    /// with constant weights; otherwise the Loop of <see cref="BlockLstmLoop"/>.
    /// </summary>
    private void BlockLstm(Operation op)
    {
        // ONNX's LSTM gives only the hidden states, of every step, unclipped, from constant weights: anything else
        // is the Loop of the kernel's steps.
        var x = op.inputs[1];
        if (Enumerable.Range(0, 6).Any(k => IsRead(op.outputs[k])) || Attr<float>(op, "cell_clip") > 0
            || !_constants.TryGetValue(op.inputs[0], out var seqLenMax) || x.shape.ndims != 3 || x.shape[0] != seqLenMax.Cast(DType.int64).ToArray<long>()[0]
            || new[] { 4, 5, 6, 7, 8 }.Any(k => !_constants.ContainsKey(op.inputs[k])))
        {
            BlockLstmLoop(op);
            return;
        }
        var w = ConstantOf(op, 4, "w").Cast(DType.float32);
        var b = ConstantOf(op, 8, "b").Cast(DType.float32).ToArray<float>();
        var input = x.shape[2];
        var cell = w.shape[1] / 4;
        var kernel = w.ToArray<float>();
        int[] order = [0, 3, 2, 1]; // ONNX's gate g is TensorFlow's gate order[g]
        var (wOnnx, rOnnx, bOnnx) = (new float[4 * cell * input], new float[4 * cell * cell], new float[8 * cell]);
        var forgetBias = Attr<float>(op, "forget_bias");
        for (var g = 0; g < 4; g++)
            for (var j = 0; j < cell; j++)
            {
                var column = order[g] * cell + j;
                for (var i = 0; i < input; i++) wOnnx[(g * cell + j) * input + i] = kernel[i * 4 * cell + column];
                for (var i = 0; i < cell; i++) rOnnx[(g * cell + j) * cell + i] = kernel[(input + i) * 4 * cell + column];
                bOnnx[g * cell + j] = b[column] + (g == 2 ? forgetBias : 0f);
            }
        List<string> inputs =
        [
            Name(x),
            Floats(op.name + "/W", NDArray.FromFlat(wOnnx, new Shape(1, 4 * cell, input))),
            Floats(op.name + "/R", NDArray.FromFlat(rOnnx, new Shape(1, 4 * cell, cell))),
            Floats(op.name + "/B", NDArray.FromFlat(bOnnx, new Shape(1, 8 * cell))),
            "",
        ];
        foreach (var state in new[] { 3, 2 })
        {
            var s = Fresh();
            Node("Unsqueeze", [Name(op.inputs[state]), Ints([0])], [s]);
            inputs.Add(s);
        }
        if (Attr<bool>(op, "use_peephole"))
        {
            var p = new[] { 5, 7, 6 }.SelectMany(k => ConstantOf(op, k, "peephole").Cast(DType.float32).ToArray<float>()).ToArray();
            inputs.Add(Floats(op.name + "/P", NDArray.FromFlat(p, new Shape(1, 3 * cell))));
        }
        var y = Fresh();
        Node("LSTM", [.. inputs], [y], ("hidden_size", (long)cell));
        Node("Squeeze", [y, Ints([1])], [Out(op.outputs[6])]);
        _names[op.outputs[6]] = Out(op.outputs[6]);
    }

    /// <summary>
    /// TensorFlow's LSTMBlockCell (one step; the kernel's columns are the gates i, ci, f, o) as ONNX's element-wise
    /// ops, in its kernel's order: <c>[x, h_prev]·w + b</c> split into the gates, <c>i = σ(i + cs_prev·wci)</c>,
    /// <c>f = σ(f + forget_bias + cs_prev·wcf)</c>, <c>ci = tanh(ci)</c>, <c>cs = i·ci + f·cs_prev</c> (clipped to
    /// ±cell_clip when that is positive), <c>o = σ(o + cs·wco)</c>, <c>co = tanh(cs)</c>, <c>h = o·co</c> (the
    /// peephole terms with use_peephole). Its seven outputs are the values of the same names.
    /// </summary>
    private void LstmBlockCell(Operation op)
    {
        var values = LstmForwardStep(op, In(op, 0), In(op, 1), In(op, 2), In(op, 3), In(op, 4), In(op, 5), In(op, 6), In(op, 7));
        for (var k = 0; k < values.Length; k++) _names[op.outputs[k]] = values[k];
    }

    private static T Attr<T>(Operation op, string name) => op.get_attr(name) is T value ? value
        : throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: attribute {name} is not a {typeof(T).Name}.", op.name);

    /// <summary>
    /// NHWC → Transpose → ONNX Conv (NCHW, OIHW weights, TensorFlow's SAME as SAME_UPPER, EXPLICIT as pads, the
    /// <paramref name="bias"/> as Conv's B when given) → Transpose → NHWC, into <paramref name="output"/> (the op's output by default).
    /// </summary>
    private void Convolution(Operation op, string? bias = null, string? output = null)
    {
        var filter = ConstantOf(op, 1, "filter");
        var (kh, kw, inC, m) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3]);
        var depthwise = op.type is "DepthwiseConv2dNative" or "_FusedDepthwiseConv2dNative";
        // OIHW: a standard filter [kh, kw, I, O] → [O, I, kh, kw]; a depthwise [kh, kw, C, m] → [C·m, 1, kh, kw].
        var weights = depthwise ? OnnxTensors.Permute(filter.Reshape(new Shape(kh, kw, 1, inC * m)), [3, 2, 0, 1]) : OnnxTensors.Permute(filter, [3, 2, 0, 1]);
        var strides = Attr<int[]>(op, "strides");
        var dilations = Attr<int[]>(op, "dilations");
        var w = Initializer(op.name + "/weights_oihw", weights);
        BetweenTransposes(op, "Conv", bias is null ? [w] : [w, bias],
            [("kernel_shape", new long[] { kh, kw }), ("strides", new long[] { strides[1], strides[2] }),
            ("dilations", new long[] { dilations[1], dilations[2] }), ("group", depthwise ? (long)inC : 1L), Padding(op, [kh, kw], dilations)], output);
    }

    /// <summary>
    /// The remapper's fused ops expanded back (TensorFlow's <c>_FusedConv2D</c>, <c>_FusedDepthwiseConv2dNative</c>
    /// and <c>_FusedMatMul</c>, as an imported TensorFlow graph may hold them): the product with the bias (Conv's B,
    /// Gemm's C), then the residual Add (<c>fused_ops = ["BiasAdd", "Add", ...]</c>, <c>num_args = 2</c>, input 3),
    /// then the activation (Relu, Relu6, Elu, Tanh, Sigmoid), in the order the fused kernel applies them. Other
    /// fusions (TensorFlow's FusedBatchNorm, LeakyRelu, ...) are refused naming the op and its <c>fused_ops</c>.
    /// </summary>
    private void Fused(Operation op)
    {
        var fused = op.attrs.TryGetValue("fused_ops", out var f) && f is string[] names ? names : [];
        var residual = fused.Length >= 2 && fused[1] == "Add" && op.type != "_FusedDepthwiseConv2dNative";
        var activation = fused.Length > (residual ? 2 : 1) ? fused[^1] : null;
        if (fused.Length == 0 || fused[0] != "BiasAdd" || fused.Length > (residual ? 3 : 2) || activation is not (null or "Relu" or "Relu6" or "Elu" or "Tanh" or "Sigmoid"))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: fused_ops [{string.Join(", ", fused)}]; SharpFlow.Onnx expands BiasAdd, then Add (a residual), then one of Relu, Relu6, Elu, Tanh, Sigmoid.", op.name);
        var numArgs = op.attrs.TryGetValue("num_args", out var n) && n is int count ? count : 1;
        if (numArgs != (residual ? 2 : 1) || op.inputs.Count != 2 + numArgs)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: num_args {numArgs} with {op.inputs.Count} inputs for fused_ops [{string.Join(", ", fused)}].", op.name);
        var y = Out(op.outputs[0]);
        var product = residual || activation is not null ? Fresh() : y;
        if (op.type == "_FusedMatMul")
            Node("Gemm", [Name(op.inputs[0]), Name(op.inputs[1]), Name(op.inputs[2])], [product],
                ("transA", Attr<bool>(op, "transpose_a") ? 1L : 0L), ("transB", Attr<bool>(op, "transpose_b") ? 1L : 0L));
        else Convolution(op, Name(op.inputs[2]), product);
        var sum = product;
        if (residual)
        {
            sum = activation is null ? y : Fresh();
            Node("Add", [product, Name(op.inputs[3])], [sum]);
        }
        if (activation is not null) Activation(activation, sum, y, op.outputs[0].dtype);
    }

    /// <summary>An activation of TensorFlow's as its ONNX operator (Relu6 as Clip to [0, 6] of the value's dtype).</summary>
    private void Activation(string activation, string x, string y, DType dtype)
    {
        if (activation != "Relu6")
        {
            Node(activation, [x], [y]);
            return;
        }
        var suffix = dtype == DType.float32 ? "" : "_" + dtype.name;
        Node("Clip", [x, Initializer("relu6_min" + suffix, NDArray.Scalar(0.0).Cast(dtype)), Initializer("relu6_max" + suffix, NDArray.Scalar(6.0).Cast(dtype))], [y]);
    }

    /// <summary>
    /// The op's NHWC input 0 → Transpose → the ONNX operator <paramref name="type"/> in NCHW (with
    /// <paramref name="moreInputs"/>) → Transpose → the op's output 0 (or <paramref name="output"/>), NHWC again.
    /// </summary>
    private void BetweenTransposes(Operation op, string type, string[] moreInputs, (string Name, object Value)[] attributes, string? output = null)
    {
        var nchw = Fresh();
        Node("Transpose", [Name(op.inputs[0])], [nchw], ("perm", ToNchw));
        var result = Fresh();
        Node(type, [nchw, .. moreInputs], [result], attributes);
        Node("Transpose", [result], [output ?? Out(op.outputs[0])], ("perm", ToNhwc));
    }

    /// <summary>
    /// FusedBatchNorm/V2/V3 (NHWC, NCHW), every output as SharpFlow's kernel gives it. Inference
    /// (<c>is_training=False</c>): ONNX BatchNormalization of the given mean and variance (between Transposes for
    /// NHWC), which batch_mean, batch_variance and reserve_space_1/2 return.
    /// Training: the batch's mean and biased variance over every axis but the channels (ReduceMean of x, then of the
    /// squared deviations from that mean, two passes as the kernel), <c>y = (x − mean)·(scale / sqrt(variance + ε)) + offset</c>;
    /// batch_mean is the mean and batch_variance the variance times Bessel's <c>n / max(n − 1, 1)</c> (n the
    /// elements per channel, known at run time), both moved from the given mean and variance by
    /// exponential_avg_factor when it is not 1; reserve_space_1/2 hold the batch mean and the biased variance.
    /// V3's reserve_space_3 is a zero scalar. A float16 x with float32 statistics and the 5-D formats are refused.
    /// </summary>
    private void FusedBatchNorm(Operation op)
    {
        var format = op.attrs.TryGetValue("data_format", out var f) && f is string text ? text : "NHWC";
        if (format is not ("NHWC" or "NCHW"))
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: data_format {format}.", op.name);
        var (t, u) = (op.inputs[0].dtype, op.inputs[1].dtype);
        if (t != u)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: x of {t.name} with {u.name} statistics.", op.name);
        var training = op.attrs.TryGetValue("is_training", out var tr) && tr is true;
        var epsilon = Convert.ToSingle(op.attrs["epsilon"], System.Globalization.CultureInfo.InvariantCulture);
        var factor = op.attrs.TryGetValue("exponential_avg_factor", out var fa) ? Convert.ToSingle(fa, System.Globalization.CultureInfo.InvariantCulture) : 1f;
        var rank = format.Length;
        var channel = format.StartsWith("NC", StringComparison.Ordinal) ? 1 : rank - 1;
        long[] axes = [.. Enumerable.Range(0, rank).Where(a => a != channel).Select(a => (long)a)];
        var outs = op.outputs.Select(Out).ToArray();
        var (x, y) = (In(op, 0), outs[0]);
        // A [C] vector shaped to broadcast along the channel axis.
        string Channels(string v) => channel == rank - 1 ? v : Apply("Reshape", v, Ints([-1, .. Enumerable.Repeat(1L, rank - 2)]));
        void Normalize(string centered, string variance) =>
            Node("Add", [Apply("Mul", centered, Channels(Apply("Div", In(op, 1), Apply("Sqrt", Apply("Add", variance, Scalar(epsilon, u)))))), Channels(In(op, 2))], [y]);
        if (!training)
        {
            var statistics = new[] { In(op, 1), In(op, 2), In(op, 3), In(op, 4) };
            if (channel == 1) Node("BatchNormalization", [x, .. statistics], [y], ("epsilon", epsilon));
            else BetweenTransposes(op, "BatchNormalization", statistics, [("epsilon", epsilon)]);
            Node("Identity", [In(op, 3)], [outs[1]]);
            Node("Identity", [In(op, 4)], [outs[2]]);
            Node("Identity", [In(op, 3)], [outs[3]]);
            Node("Identity", [In(op, 4)], [outs[4]]);
        }
        else
        {
            var mean = Fresh();
            Reduce("ReduceMean", x, axes, mean, ("keepdims", 1L));
            var centered = Apply("Sub", x, mean);
            var variance = Fresh();
            Reduce("ReduceMean", Apply("Mul", centered, centered), axes, variance, ("keepdims", 1L));
            Normalize(centered, Apply("Reshape", variance, Ints([-1])));
            Node("Reshape", [mean, Ints([-1])], [outs[3]]);
            Node("Reshape", [variance, Ints([-1])], [outs[4]]);
            // Bessel's correction n / max(n - 1, 1) in float64, as the kernel computes it, then in the statistics' dtype.
            var n = ApplyWith("Cast", [Apply("Div", Apply("Size", x), ApplyWith("Gather", [Apply("Shape", x), Long(channel)], ("axis", 0L)))], ("to", (long)DataTypeOf(DType.float64)));
            var adjust = ApplyWith("Cast", [Apply("Div", n, Apply("Max", Apply("Sub", n, Scalar(1, DType.float64)), Scalar(1, DType.float64)))], ("to", (long)DataTypeOf(u, op)));
            if (factor == 1f)
            {
                Node("Identity", [outs[3]], [outs[1]]);
                Node("Mul", [outs[4], adjust], [outs[2]]);
            }
            else
            {
                var (keep, take) = (Scalar(1 - (double)factor, u), Scalar(factor, u));
                Node("Add", [Apply("Mul", keep, In(op, 3)), Apply("Mul", take, outs[3])], [outs[1]]);
                Node("Add", [Apply("Mul", keep, In(op, 4)), Apply("Mul", Apply("Mul", take, adjust), outs[4])], [outs[2]]);
            }
        }
        if (outs.Length > 5) Node("Identity", [Scalar(0, u)], [outs[5]]);
        for (var k = 0; k < outs.Length; k++) _names[op.outputs[k]] = outs[k];
    }

    private void Pool(Operation op)
    {
        var k = Attr<int[]>(op, "ksize");
        var s = Attr<int[]>(op, "strides");
        if (k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: it pools over the batch or channel axis.", op.name);
        var window = new (string, object)[] { ("kernel_shape", new long[] { k[1], k[2] }), ("strides", new long[] { s[1], s[2] }), Padding(op, [k[1], k[2]], [1, 1, 1, 1]) };
        if (op.type == "MaxPool") BetweenTransposes(op, "MaxPool", [], window);
        else BetweenTransposes(op, "AveragePool", [], [.. window, ("count_include_pad", 0L)]);
    }

    /// <summary>
    /// A window op's padding as ONNX's: SAME as <c>auto_pad = SAME_UPPER</c> (TensorFlow pads the extra cell at the
    /// end; with dilations, which ONNX Runtime's SAME refuses, or a window shorter than its stride, for which ONNX
    /// Runtime's SAME computes negative pads, as the pads TensorFlow computes when the spatial size is known), VALID as <c>VALID</c>, EXPLICIT (<c>explicit_paddings = [0, 0, top, bottom, left, right, 0, 0]</c>,
    /// or the optimizer's <c>_explicit_paddings</c>) as <c>pads = [top, left, bottom, right]</c>. NHWC only.
    /// </summary>
    private static (string Name, object Value) Padding(Operation op, long[] kernel, int[] dilations)
    {
        if (op.attrs.TryGetValue("data_format", out var f) && f is string format && format != "NHWC")
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: data_format {format}.", op.name);
        var padding = Attr<string>(op, "padding");
        var input = op.inputs[0].shape;
        var strides = Attr<int[]>(op, "strides");
        // ONNX Runtime's SAME_UPPER pads by a negative total where the window is shorter than the stride, and refuses it.
        if (padding == "SAME" && (dilations[1] != 1 || dilations[2] != 1 || kernel[0] < strides[1] || kernel[1] < strides[2]) && input.IsKnownRank && input[1] >= 0 && input[2] >= 0)
        {
            var (before, after) = (new long[2], new long[2]);
            for (var d = 0; d < 2; d++)
            {
                long size = input[1 + d], stride = strides[1 + d];
                var outSize = (size + stride - 1) / stride;
                var total = System.Math.Max((outSize - 1) * stride + (kernel[d] - 1) * dilations[1 + d] + 1 - size, 0);
                (before[d], after[d]) = (total / 2, total - total / 2);
            }
            return ("pads", new long[] { before[0], before[1], after[0], after[1] });
        }
        if (padding != "EXPLICIT") return ("auto_pad", padding == "SAME" ? "SAME_UPPER" : "VALID");
        // Convolutions keep TensorFlow's explicit_paddings; pooling SharpFlow's internal _explicit_paddings.
        var p = (op.attrs.GetValueOrDefault("explicit_paddings") ?? op.attrs.GetValueOrDefault("_explicit_paddings")) as int[] is { Length: > 0 } given
                ? given
                : throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: padding EXPLICIT without explicit_paddings.", op.name);
        if (p.Length != 8 || p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: explicit_paddings [{string.Join(", ", p)}] pad the batch or channel axis.", op.name);
        return ("pads", new long[] { p[2], p[4], p[3], p[5] });
    }


    private static int DataTypeOf(DType dtype, Operation? op = null) =>
        OnnxTensors.ElemTypeOf(dtype)
        ?? throw new UnimplementedError($"Cannot export a {dtype.name} value to ONNX{(op is null ? "" : $" ({op.type} \"{op.name}\")")}.", op?.name);

    private static ValueInfoProto ValueInfo(string name, Tensor t)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(t.dtype) };
        if (t.shape.IsKnownRank)
        {
            tensorType.Shape = new TensorShapeProto();
            for (var i = 0; i < t.shape.ndims; i++)
                tensorType.Shape.Dim.Add(t.shape[i] >= 0
                    ? new TensorShapeProto.Types.Dimension { DimValue = t.shape[i] }
                    : new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? "batch" : $"{name}_dim{i}" });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
