using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// Writes a <see cref="Graph"/> as TensorFlow's <c>GraphDef</c> (<c>Graph.as_graph_def</c>): one NodeDef per op in
/// creation order with its scoped name, TensorFlow's op type, its inputs (<c>node</c> for output 0, <c>node:k</c>,
/// control inputs <c>^node</c> after the data inputs), its device and its attributes (dtype attributes such as
/// <c>T</c> and <c>dtype</c>, shapes, constants as TensorProtos, lists), with <c>_output_shapes</c> when asked.
/// </summary>
internal static class GraphDefExporter
{
    /// <summary>The GraphDef <c>producer</c> version of TensorFlow 1.15 (TF_GRAPH_DEF_VERSION).</summary>
    public const int Producer = 134;

    /// <summary>The GraphDef of <paramref name="graph"/>'s ops (those created after op number <paramref name="fromVersion"/>).</summary>
    public static GraphDef Export(Graph graph, bool addShapes, int? fromVersion = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var def = new GraphDef { Versions = new VersionDef { Producer = Producer } };
        var library = new FunctionLibraryWriter();
        foreach (var op in graph.get_operations())
            if (fromVersion is not { } v || op.Id > v) def.Node.Add(Node(op, addShapes, library));
        if (library.Library.Function.Count > 0) def.Library = library.Library;
        return def;
    }

    /// <summary>
    /// The NodeDef of one op; function-valued attributes go into <paramref name="library"/>, and
    /// <paramref name="inputName"/> names the data inputs (a function body's <c>node:output_arg:index</c>).
    /// </summary>
    public static NodeDef Node(Operation op, bool addShapes, FunctionLibraryWriter library, Func<Tensor, string>? inputName = null)
    {
        var node = new NodeDef { Name = op.name, Op = op.type, Device = op.device };
        foreach (var (name, value) in op.attrs)
            if ((AttrValues.ToProto(value) ?? library.Attr(value)) is { } attr) node.Attr[name] = attr;
        // The attrs first: a function body's input names come from the producers' attrs (list lengths).
        foreach (var input in op.inputs) node.Input.Add(inputName?.Invoke(input) ?? TensorName(input));
        foreach (var control in op.control_inputs) node.Input.Add("^" + control.name);
        if (addShapes)
        {
            var shapes = new AttrValue.Types.ListValue();
            foreach (var output in op.outputs) shapes.Shape.Add(TensorProtos.ToProto(output.shape));
            node.Attr["_output_shapes"] = new AttrValue { List = shapes };
        }
        return node;
    }

    /// <summary>How a NodeDef names a tensor as an input: <c>node</c> for output 0, else <c>node:k</c>.</summary>
    public static string TensorName(Tensor t) => t.value_index == 0 ? t.op.name : $"{t.op.name}:{t.value_index}";
}
