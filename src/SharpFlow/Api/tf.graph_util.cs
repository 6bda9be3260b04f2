#pragma warning disable CS8981
using SharpFlow.GraphIO;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow's <c>tf.graph_util</c>: extracting and freezing GraphDefs.</summary>
        public static class graph_util
        {
            /// <summary>
            /// Freezes a graph (<c>convert_variables_to_constants</c>): the part of <paramref name="input_graph_def"/>
            /// that computes <paramref name="output_node_names"/>, with each variable replaced by a <c>Const</c> holding
            /// its value in <paramref name="sess"/> (only those in <paramref name="variable_names_whitelist"/> when
            /// given, none in <paramref name="variable_names_blacklist"/>).
            /// </summary>
            public static Tensorflow.GraphDef convert_variables_to_constants(Session sess, Tensorflow.GraphDef input_graph_def,
                IReadOnlyList<string> output_node_names, IReadOnlyCollection<string>? variable_names_whitelist = null,
                IReadOnlyCollection<string>? variable_names_blacklist = null) =>
                SharpFlow.Execution.GraphFreezing.ConvertVariablesToConstants(sess, input_graph_def, output_node_names, variable_names_whitelist, variable_names_blacklist);

            /// <summary>The nodes of <paramref name="graph_def"/> that <paramref name="dest_nodes"/> depend on (<c>extract_sub_graph</c>).</summary>
            public static Tensorflow.GraphDef extract_sub_graph(Tensorflow.GraphDef graph_def, IReadOnlyList<string> dest_nodes) =>
                GraphUtil.ExtractSubGraph(graph_def, dest_nodes);

            /// <summary>
            /// <paramref name="input_graph"/> without <c>CheckNumerics</c> nodes and with <c>Identity</c> nodes spliced
            /// out (<c>remove_training_nodes</c>), except <paramref name="protected_nodes"/>.
            /// </summary>
            public static Tensorflow.GraphDef remove_training_nodes(Tensorflow.GraphDef input_graph, IReadOnlyCollection<string>? protected_nodes = null) =>
                GraphUtil.RemoveTrainingNodes(input_graph, protected_nodes);
        }

        public static partial class train
        {
            /// <summary>
            /// Writes a graph (or a GraphDef) to <c>logdir/name</c> (<c>tf.train.write_graph</c>), as protocol buffer
            /// text with <paramref name="as_text"/> (TensorFlow's default), else binary; creates
            /// <paramref name="logdir"/> when missing and returns the file's path.
            /// </summary>
            public static string write_graph(Graph graph_or_graph_def, string logdir, string name, bool as_text = true) =>
                GraphWriter.WriteGraph(graph_or_graph_def, logdir, name, as_text);

            /// <summary><see cref="write_graph(Graph, string, string, bool)"/> of a GraphDef.</summary>
            public static string write_graph(Tensorflow.GraphDef graph_or_graph_def, string logdir, string name, bool as_text = true) =>
                GraphWriter.WriteGraph(graph_or_graph_def, logdir, name, as_text);
        }
    }
}
