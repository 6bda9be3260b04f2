using System.Globalization;
using System.Text;
using SharpFlow.Framework;

namespace SharpFlow;

/// <summary>
/// A node of a graph: an op type applied to input tensors with attributes, producing output tensors. Immutable
/// once created; it holds no run-time state (values live in sessions).
/// </summary>
public sealed class Operation : ITensorOrOperation
{
    private readonly Tensor[] _inputs;
    private readonly Tensor[] _outputs;
    private Operation[] _controlInputs;
    private readonly Dictionary<string, object> _attrs;

    internal Operation(Graph graph, int id, string name, OpDef def, Tensor[] inputs, Operation[] controlInputs,
        Dictionary<string, object> attrs, IReadOnlyList<(DType DType, Shape Shape)> outputs)
    {
        this.graph = graph;
        Id = id;
        this.name = name;
        Def = def;
        _inputs = inputs;
        _controlInputs = controlInputs;
        _attrs = attrs;
        _outputs = new Tensor[outputs.Count];
        for (var i = 0; i < outputs.Count; i++) _outputs[i] = new Tensor(this, i, outputs[i].DType, outputs[i].Shape);
    }

    /// <summary>The op's unique name in its graph (<c>layer1/MatMul</c>).</summary>
    public string name { get; }

    /// <summary>The device the op was assigned with <c>tf.device</c> (<c>/device:CPU:0</c>), or <c>""</c>.</summary>
    public string device { get; internal init; } = "";

    /// <summary>The op type (<c>MatMul</c>).</summary>
    public string type => Def.Type;

    /// <summary>The graph the op belongs to.</summary>
    public Graph graph { get; }

    /// <summary>Creation order in the graph, starting at 1 (TensorFlow's <c>_id</c>); also a topological order.</summary>
    internal int Id { get; }

    /// <summary>
    /// The op's definition (TensorFlow's <c>op_def</c>): its type, shape and dtype rule, kernel factory, and
    /// properties such as <see cref="OpDef.IsStateful"/>.
    /// </summary>
    public OpDef Def { get; }

    /// <summary>
    /// The cond branch or while loop the op was created in (TensorFlow's <c>_control_flow_context</c>): a
    /// <see cref="SharpFlow.Ops.Control.CondContext"/> or <see cref="SharpFlow.Ops.Control.WhileContext"/>, or null
    /// at the top level. Kept for graphs built in this process and for MetaGraphDefs that record their contexts.
    /// </summary>
    public ControlFlowContext? Context { get; internal set; }

    /// <summary>
    /// Replaces input <paramref name="index"/>: only a while loop's back edge (a <c>Merge</c>'s second input becomes
    /// its <c>NextIteration</c>) is made this way, as TensorFlow's <c>_update_input</c>; every other op keeps the
    /// inputs it was created with.
    /// </summary>
    internal void UpdateBackEdge(int index, Tensor input)
    {
        if (Def.ControlFlow != ControlFlowRole.Merge)
            throw new InternalError($"Only a Merge takes a back edge, not {type} \"{name}\".");
        if (input.dtype != _inputs[index].dtype)
            throw new TypeError($"The back edge of '{name}' must be a {_inputs[index].dtype.name} tensor, got {input}.");
        _inputs[index] = input;
        input.AddConsumer(this);
    }

    /// <summary>
    /// Adds a control input after creation: the while-loop gradient orders the forward stack pushes before the
    /// loop's next iteration this way, as TensorFlow's <c>_add_control_input</c>.
    /// </summary>
    internal void AddControlInput(Operation control)
    {
        if (!_controlInputs.Contains(control)) _controlInputs = [.. _controlInputs, control];
    }

    /// <summary>The input tensors.</summary>
    public IReadOnlyList<Tensor> inputs => _inputs;

    /// <summary>The output tensors.</summary>
    public IReadOnlyList<Tensor> outputs => _outputs;

    /// <summary>Operations that must run before this one although no data flows from them.</summary>
    public IReadOnlyList<Operation> control_inputs => _controlInputs;

    /// <summary>The attributes (dtype <c>T</c>, <c>transpose_a</c>, <c>value</c>, ...).</summary>
    public IReadOnlyDictionary<string, object> attrs => _attrs;

    Operation ITensorOrOperation.op => this;

    /// <summary>An attribute's value (TensorFlow's <c>get_attr</c>).</summary>
    public object get_attr(string attrName) =>
        _attrs.TryGetValue(attrName, out var v) ? v : throw new ValueError($"Operation '{name}' has no attr named '{attrName}'.");

    /// <summary>
    /// A typed attribute, as a kernel or gradient reads it: <c>op.Attr&lt;bool&gt;("transpose_a")</c>,
    /// <c>op.Attr&lt;DType&gt;("T")</c>, <c>op.Attr&lt;long[]&gt;("strides")</c> (integers are stored as
    /// <see cref="long"/>). A missing attribute is a <see cref="ValueError"/> naming the op.
    /// </summary>
    public T Attr<T>(string attrName) => (T)get_attr(attrName);

    /// <summary>Output <paramref name="index"/> (TensorFlow's <c>op.outputs[i]</c>).</summary>
    public Tensor output(int index) => _outputs[index];

    /// <summary>The node as TensorFlow's NodeDef text (<c>name: "add" op: "Add" input: "a" ...</c>).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("name: \"").Append(name).Append("\"\n");
        sb.Append("op: \"").Append(type).Append("\"\n");
        foreach (var t in _inputs)
            sb.Append("input: \"").Append(t.value_index == 0 ? t.op.name : t.name).Append("\"\n");
        foreach (var c in _controlInputs)
            sb.Append("input: \"^").Append(c.name).Append("\"\n");
        foreach (var (key, value) in _attrs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sb.Append("attr {\n  key: \"").Append(key).Append("\"\n  value {\n    ").Append(AttrText(value)).Append("\n  }\n}\n");
        return sb.ToString();
    }

    private static string AttrText(object value) => value switch
    {
        DType d => "type: DT_" + d.ProtoName.ToUpperInvariant(),
        Shape s => "shape " + s.ToListString(),
        bool b => "b: " + (b ? "true" : "false"),
        int i => "i: " + i.ToString(CultureInfo.InvariantCulture),
        long l => "i: " + l.ToString(CultureInfo.InvariantCulture),
        float f => "f: " + f.ToString("R", CultureInfo.InvariantCulture),
        double d => "f: " + d.ToString("R", CultureInfo.InvariantCulture),
        string s => "s: \"" + s + "\"",
        NDArray a => $"tensor {{ dtype: DT_{a.dtype.ProtoName.ToUpperInvariant()} shape: {a.shape.ToListString()} }}",
        int[] list => "list { i: [" + string.Join(", ", list) + "] }",
        _ => value.ToString() ?? "",
    };
}
