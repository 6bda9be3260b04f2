#pragma warning disable CS8981
using SharpFlow.GraphIO;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// Imports the nodes of <paramref name="graph_def"/> into the default graph (<c>tf.import_graph_def</c>), under
        /// the name scope <paramref name="name"/> (<c>import/</c> by default; <c>""</c> keeps the nodes' names, renaming
        /// those already taken). <paramref name="input_map"/> replaces the GraphDef's tensors (<c>"X:0"</c>, or
        /// <c>"^op"</c> for control inputs) by tensors of this graph; the ops (<c>"init"</c>) and tensors
        /// (<c>"pred:0"</c>) named in <paramref name="return_elements"/> are returned in that order (null without
        /// it). Op types SharpFlow lacks are reported together, before anything is added, as an
        /// <see cref="UnimplementedError"/> naming each node and its type.
        /// </summary>
        public static List<ITensorOrOperation>? import_graph_def(Tensorflow.GraphDef graph_def,
            IReadOnlyDictionary<string, Tensor>? input_map = null, IReadOnlyList<string>? return_elements = null, string? name = null) =>
            GraphImporter.Import(SharpFlow.Graph.get_default(), graph_def, input_map, return_elements, name);

        /// <summary>A new, empty GraphDef message (<c>tf.GraphDef()</c>); fill it with <c>ParseFromString(bytes)</c> or <see cref="GraphIO.TextFormat.Merge"/>.</summary>
        public static Tensorflow.GraphDef GraphDef() => new();
    }
}
