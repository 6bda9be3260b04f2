using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// A user function traced once into its own graph (TensorFlow's <c>Defun</c>/FuncGraph for dataset
/// transformations): one placeholder per component of the input element, the function's output tensors, and the
/// outer tensors it read (captured inputs, which the dataset op takes as extra inputs and feeds at run time).
/// </summary>
internal sealed class DatasetFunction
{
    private DatasetFunction(string name, Graph graph, Tensor[] args, Tensor[] outputs, object outputStructure, Tensor[] capturedOuter, Tensor[] capturedInner)
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

    /// <summary>The structure of the result as the user returned it (a Nest of the facade).</summary>
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
    public static DatasetFunction Trace(string name, Graph outer, DType[] types, Shape[] shapes,
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
        return new DatasetFunction(name, graph, args, outputs, structure, [.. capture.Outer], [.. capture.Inner]);
    }

    /// <summary>
    /// A function rebuilt from a FunctionDef (<see cref="GraphIO.FunctionLibraryReader"/>): its graph, the
    /// placeholders of the element's components and of the captured values (bound to the dataset op's extra inputs
    /// when it runs; the outer tensors are the op's, so <see cref="CapturedOuter"/> is empty), and its results.
    /// </summary>
    public static DatasetFunction FromLibrary(string libraryName, Graph graph, Tensor[] args, Tensor[] captured, Tensor[] outputs) =>
        new(libraryName, graph, args, outputs, Nest.TupleOf(outputs.Length), [], captured) { LibraryName = libraryName };

    /// <summary>A runner of this function with the captured values of one dataset op run.</summary>
    public Instance Bind(Session session, NDArray[] captured) => new(this, session, captured);

    /// <summary>The function bound to its captured values, called once per element.</summary>
    public sealed class Instance(DatasetFunction function, Session session, NDArray[] captured)
    {
        /// <summary>The function's outputs for one element (safe to call from several threads).</summary>
        public NDArray[] Call(NDArray[] args)
        {
            if (args.Length != function.Args.Length)
                throw new InvalidArgumentError($"Function '{function.LibraryName ?? function.Name}' takes {function.Args.Length} argument(s), but the element has {args.Length} component(s).");
            if (captured.Length != function.CapturedInner.Length)
                throw new InvalidArgumentError($"Function '{function.LibraryName ?? function.Name}' captures {function.CapturedInner.Length} value(s), but the dataset op passes {captured.Length}.");
            var feeds = new FeedDict();
            for (var i = 0; i < args.Length; i++) feeds[function.Args[i]] = args[i];
            for (var i = 0; i < captured.Length; i++) feeds[function.CapturedInner[i]] = captured[i];
            return session.run(function.Outputs, feeds);
        }
    }
}
