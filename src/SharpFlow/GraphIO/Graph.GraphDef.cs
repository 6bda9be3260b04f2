using SharpFlow.GraphIO;

namespace SharpFlow;

public sealed partial class Graph
{
    /// <summary>
    /// The graph as TensorFlow's <c>GraphDef</c> protocol buffer (<c>Graph.as_graph_def</c>): TensorFlow's op types
    /// and attributes, readable by TensorFlow and by <c>tf.import_graph_def</c>. With <paramref name="add_shapes"/>
    /// each node carries its outputs' static shapes in <c>_output_shapes</c>; with <paramref name="from_version"/>
    /// only the ops added after the graph had that <see cref="version"/> are included.
    /// </summary>
    public Tensorflow.GraphDef as_graph_def(int? from_version = null, bool add_shapes = false) =>
        GraphDefExporter.Export(this, add_shapes, from_version);
}
