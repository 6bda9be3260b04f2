using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Functions;

/// <summary>
/// A user function traced once into its own graph (TensorFlow's <c>Defun</c>/FuncGraph for dataset
/// transformations): one placeholder per component of the input element, the function's output tensors, and the
/// outer tensors it read (captured inputs, which the dataset op takes as extra inputs and feeds at run time).
/// GraphIO writes it as, and rebuilds it from, a FunctionDef; Data's <c>DatasetFunction</c> runs it per element.
/// </summary>
internal sealed class TracedFunction
{
    private TracedFunction(string name, Graph graph, Tensor[] args, Tensor[] outputs, object outputStructure, Tensor[] capturedOuter, Tensor[] capturedInner)
    {
        Name = name;
        Graph = graph;
        Args = args;
        Outputs = outputs;
        OutputStructure = outputStructure;
        CapturedOuter = capturedOuter;
        CapturedInner = capturedInner;
    }

    /// <summary>The function's name (TensorFlow's <c>tf_data_structured_function_wrapper</c>-like names).</summary>
    public string Name { get; }

    /// <summary>
    /// The name of the FunctionDef this function was imported from (a GraphDef's library), which a GraphDef written
    /// again keeps; null for a traced function.
    /// </summary>
    public string? LibraryName { get; private init; }

    /// <summary>The function's own graph.</summary>
    public Graph Graph { get; }

    /// <summary>The placeholders of the element's components.</summary>
    public Tensor[] Args { get; }

    /// <summary>The function's results, flattened.</summary>
    public Tensor[] Outputs { get; }

    /// <summary>
    /// The structure of the result as the user returned it (a Nest of the facade); for a function imported from a
    /// library, which records no structure, its flat list of results (<see cref="Outputs"/>).
    /// </summary>
    public object OutputStructure { get; }

    /// <summary>The outer-graph tensors the function read.</summary>
    public Tensor[] CapturedOuter { get; }

    /// <summary>The placeholders standing for <see cref="CapturedOuter"/>.</summary>
    public Tensor[] CapturedInner { get; }

    /// <summary>The output dtypes.</summary>
    public DType[] OutputTypes => Outputs.Select(o => o.dtype).ToArray();

    /// <summary>The output static shapes.</summary>
    public Shape[] OutputShapes => Outputs.Select(o => o.shape).ToArray();

    /// <summary>
    /// Traces <paramref name="body"/> once: it receives the argument placeholders and returns its result flattened
    /// to tensors together with the result's structure.
    /// </summary>
    public static TracedFunction Trace(string name, Graph outer, DType[] types, Shape[] shapes,
        Func<Tensor[], (Tensor[] Outputs, object Structure)> body)
    {
        var graph = new Graph { seed = outer.seed };
        var capture = new FunctionCapture(graph);
        Tensor[] args;
        Tensor[] outputs;
        object structure;
        using (graph.as_default())
        using (capture.Enter())
        {
            args = types.Select((t, i) => Ops.ArrayOps.Placeholder.Build(t, shapes[i], $"args_{i}")).ToArray();
            (outputs, structure) = body(args);
        }
        foreach (var o in outputs)
            if (!ReferenceEquals(o.graph, graph))
                throw new ValueError($"{name}: the function returned {o}, a tensor of another graph; return tensors computed inside the function.");
        return new TracedFunction(name, graph, args, outputs, structure, [.. capture.Outer], [.. capture.Inner]);
    }

    /// <summary>
    /// A function rebuilt from a FunctionDef (<c>GraphIO.FunctionLibraryReader</c>): its graph, the placeholders of
    /// the element's components and of the captured values (bound to the dataset op's extra inputs when it runs; the
    /// outer tensors are the op's, so <see cref="CapturedOuter"/> is empty), and its results.
    /// </summary>
    public static TracedFunction FromLibrary(string libraryName, Graph graph, Tensor[] args, Tensor[] captured, Tensor[] outputs) =>
        new(libraryName, graph, args, outputs, outputs, [], captured) { LibraryName = libraryName };
}
