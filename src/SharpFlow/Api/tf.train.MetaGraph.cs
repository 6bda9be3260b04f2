#pragma warning disable CS8981
using SharpFlow.GraphIO;
using SharpFlow.Train;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class train
        {
            /// <summary>
            /// The graph (default: the default graph) as a MetaGraphDef (<c>tf.train.export_meta_graph</c>): its
            /// GraphDef with shapes, its collections (variables as VariableDefs, ops and tensors by name, numbers,
            /// strings; only <paramref name="collection_list"/> when given) and <paramref name="saver_def"/>; written to
            /// <paramref name="filename"/> when given (text with <paramref name="as_text"/>).
            /// </summary>
            public static Tensorflow.MetaGraphDef export_meta_graph(string? filename = null, Tensorflow.MetaGraphDef.Types.MetaInfoDef? meta_info_def = null,
                Tensorflow.GraphDef? graph_def = null, Tensorflow.SaverDef? saver_def = null, IReadOnlyList<string>? collection_list = null,
                bool as_text = false, Graph? graph = null, bool clear_devices = false)
            {
                var meta = MetaGraphs.Export(graph ?? SharpFlow.Graph.get_default(), graph_def, saver_def, collection_list, clear_devices, meta_info_def);
                if (filename is not null) ProtoFiles.Write(meta, filename, as_text);
                return meta;
            }

            /// <summary>
            /// Imports the MetaGraphDef file <paramref name="meta_graph_or_file"/> (<c>model.ckpt.meta</c>, binary or
            /// text) into the default graph (<c>tf.train.import_meta_graph</c>): its nodes (under
            /// <paramref name="import_scope"/> when given, without their devices with <paramref name="clear_devices"/>),
            /// its collections and variables. Returns a Saver that restores those variables from a checkpoint
            /// (<c>saver.restore(sess, prefix)</c>), or null when the graph has none.
            /// </summary>
            public static Saver? import_meta_graph(string meta_graph_or_file, bool clear_devices = false, string? import_scope = null) =>
                FileErrors.Naming(meta_graph_or_file, () => import_meta_graph(MetaGraphs.Read(meta_graph_or_file), clear_devices, import_scope));

            /// <summary><see cref="import_meta_graph(string, bool, string?)"/> of a MetaGraphDef message.</summary>
            public static Saver? import_meta_graph(Tensorflow.MetaGraphDef meta_graph_or_file, bool clear_devices = false, string? import_scope = null) =>
                SharpFlow.Train.MetaGraphImport.Import(SharpFlow.Graph.get_default(), meta_graph_or_file, clear_devices, import_scope);
        }
    }
}
