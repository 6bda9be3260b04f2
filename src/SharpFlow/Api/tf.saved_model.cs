#pragma warning disable CS8981
#pragma warning disable CA1034 // nested types mirror TensorFlow's module path (tf.saved_model.builder.SavedModelBuilder)
using SharpFlow.GraphIO;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow 1.x's SavedModel: <c>loader.load</c>, <c>builder.SavedModelBuilder</c>, <c>simple_save</c>.</summary>
        public static class saved_model
        {
            /// <summary><c>tf.saved_model.loader</c>.</summary>
            public static class loader
            {
                /// <summary>
                /// Loads the SavedModel in <paramref name="export_dir"/> into <paramref name="sess"/>'s graph
                /// (<c>tf.saved_model.loader.load</c>): the MetaGraphDef tagged exactly <paramref name="tags"/>, its
                /// variables' values and its main op; returns the MetaGraphDef, whose <c>signature_def</c> names the
                /// model's input and output tensors.
                /// </summary>
                public static Tensorflow.MetaGraphDef load(Session sess, IReadOnlyCollection<string> tags, string export_dir, string? import_scope = null) =>
                    SharpFlow.Train.SavedModelLoader.Load(sess, tags, export_dir, import_scope);

                /// <summary>Whether <paramref name="export_dir"/> holds a SavedModel (<c>maybe_saved_model_directory</c>).</summary>
                public static bool maybe_saved_model_directory(string export_dir) =>
                    File.Exists(Path.Combine(export_dir, SavedModels.ProtoFile)) || File.Exists(Path.Combine(export_dir, SavedModels.TextFile));
            }

            /// <summary><c>tf.saved_model.builder</c>.</summary>
            public static class builder
            {
                /// <summary>
                /// Writes a SavedModel (<c>tf.saved_model.builder.SavedModelBuilder</c>): add the graph and its
                /// variables once with <see cref="add_meta_graph_and_variables"/>, then <see cref="save"/>.
                /// </summary>
                public sealed class SavedModelBuilder
                {
                    private readonly SharpFlow.Train.SavedModelBuilder _builder;

                    /// <summary>A builder that writes into <paramref name="export_dir"/>, which must not exist or be empty.</summary>
                    public SavedModelBuilder(string export_dir) => _builder = new(export_dir);

                    /// <summary>
                    /// Saves the session's variables into <c>variables/variables</c> and records the graph as a
                    /// MetaGraphDef tagged <paramref name="tags"/>, with <paramref name="signature_def_map"/>, the asset
                    /// files of <paramref name="assets_collection"/> (copied into <c>assets/</c>) and
                    /// <paramref name="main_op"/> (run after restoring when loaded; <paramref name="legacy_init_op"/> is
                    /// its older name).
                    /// </summary>
                    public void add_meta_graph_and_variables(Session sess, IReadOnlyCollection<string> tags,
                        IReadOnlyDictionary<string, Tensorflow.SignatureDef>? signature_def_map = null,
                        IReadOnlyList<Tensor>? assets_collection = null, Operation? legacy_init_op = null, bool clear_devices = false,
                        Operation? main_op = null) =>
                        _builder.AddMetaGraphAndVariables(sess, tags, signature_def_map, assets_collection, legacy_init_op, clear_devices, main_op);

                    /// <summary>Records another MetaGraphDef of the same variables, tagged <paramref name="tags"/>.</summary>
                    public void add_meta_graph(IReadOnlyCollection<string> tags, IReadOnlyDictionary<string, Tensorflow.SignatureDef>? signature_def_map = null,
                        Operation? legacy_init_op = null, bool clear_devices = false, Operation? main_op = null, Graph? graph = null) =>
                        _builder.AddMetaGraph(tags, signature_def_map, legacy_init_op, clear_devices, main_op, graph);

                    /// <summary>Writes <c>saved_model.pb</c> (<c>saved_model.pbtxt</c> with <paramref name="as_text"/>) and returns its path.</summary>
                    public string save(bool as_text = false) => _builder.Save(as_text);
                }
            }

            /// <summary>
            /// Writes a serving SavedModel in one call (<c>tf.saved_model.simple_save</c>): the session's variables and
            /// graph tagged <c>serve</c>, with one predict signature (<c>serving_default</c>) of
            /// <paramref name="inputs"/> and <paramref name="outputs"/>.
            /// </summary>
            public static void simple_save(Session session, string export_dir, IReadOnlyDictionary<string, Tensor> inputs,
                IReadOnlyDictionary<string, Tensor> outputs, Operation? legacy_init_op = null)
            {
                var b = new builder.SavedModelBuilder(export_dir);
                b.add_meta_graph_and_variables(session, [tag_constants.SERVING],
                    new Dictionary<string, Tensorflow.SignatureDef> { [signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY] = signature_def_utils.predict_signature_def(inputs, outputs) },
                    legacy_init_op: legacy_init_op, clear_devices: true);
                b.save();
            }

            /// <summary><c>tf.saved_model.signature_def_utils</c>.</summary>
            public static class signature_def_utils
            {
                /// <summary>A predict SignatureDef (<c>tensorflow/serving/predict</c>) of named input and output tensors.</summary>
                public static Tensorflow.SignatureDef predict_signature_def(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> outputs)
                {
                    if (inputs is null || inputs.Count == 0) throw new ValueError("Prediction inputs cannot be None or empty.");
                    if (outputs is null || outputs.Count == 0) throw new ValueError("Prediction outputs cannot be None or empty.");
                    return SavedModels.Signature(inputs, outputs, signature_constants.PREDICT_METHOD_NAME);
                }

                /// <summary>A SignatureDef of named inputs and outputs with <paramref name="method_name"/> (<c>build_signature_def</c>).</summary>
                public static Tensorflow.SignatureDef build_signature_def(IReadOnlyDictionary<string, Tensorflow.TensorInfo>? inputs = null,
                    IReadOnlyDictionary<string, Tensorflow.TensorInfo>? outputs = null, string? method_name = null)
                {
                    var def = new Tensorflow.SignatureDef { MethodName = method_name ?? "" };
                    foreach (var (k, v) in inputs ?? new Dictionary<string, Tensorflow.TensorInfo>()) def.Inputs[k] = v.Clone();
                    foreach (var (k, v) in outputs ?? new Dictionary<string, Tensorflow.TensorInfo>()) def.Outputs[k] = v.Clone();
                    return def;
                }
            }

            /// <summary><c>tf.saved_model.utils</c>.</summary>
            public static class utils
            {
                /// <summary>A tensor's TensorInfo: name, dtype and static shape (<c>build_tensor_info</c>).</summary>
                public static Tensorflow.TensorInfo build_tensor_info(Tensor tensor) => SavedModels.TensorInfoOf(tensor);

                /// <summary>The tensor a TensorInfo names in <paramref name="graph"/> (default: the default graph) (<c>get_tensor_from_tensor_info</c>).</summary>
                public static Tensor get_tensor_from_tensor_info(Tensorflow.TensorInfo tensor_info, Graph? graph = null, string? import_scope = null)
                {
                    ArgumentNullException.ThrowIfNull(tensor_info);
                    var prefix = string.IsNullOrEmpty(import_scope) ? "" : import_scope.TrimEnd('/') + "/";
                    return (graph ?? SharpFlow.Graph.get_default()).get_tensor_by_name(prefix + tensor_info.Name);
                }

                /// <summary>
                /// The SavedModel protocol buffer of <paramref name="export_dir"/> (its <c>saved_model.pbtxt</c>, else
                /// <c>saved_model.pb</c>) without loading it: every MetaGraphDef with its tags, signatures and graph, as
                /// <c>saved_model_cli show</c> reads it (TensorFlow's <c>saved_model_utils.read_saved_model</c>, in
                /// <c>tensorflow/python/tools</c>). A directory with neither file is a NotFoundError
                /// <c>"SavedModel file does not exist at: ..."</c>.
                /// </summary>
                public static Tensorflow.SavedModel read_saved_model(string export_dir) => SavedModels.Read(export_dir);

                /// <summary>
                /// The checkpoint prefix of a SavedModel's variables, <c>export_dir/variables/variables</c>
                /// (TensorFlow's <c>saved_model.utils_impl.get_variables_path</c>): <c>tf.train.NewCheckpointReader</c>
                /// reads them from there.
                /// </summary>
                public static string get_variables_path(string export_dir) => SavedModels.VariablesPrefix(export_dir);
            }

            /// <summary>The standard MetaGraphDef tags (<c>tf.saved_model.tag_constants</c>).</summary>
            public static class tag_constants
            {
                /// <summary>Serving.</summary>
                public const string SERVING = SharpFlow.Train.SavedModelBuilder.ServingTag;
                /// <summary>Training.</summary>
                public const string TRAINING = "train";
                /// <summary>A graph for GPUs.</summary>
                public const string GPU = "gpu";
                /// <summary>A graph for TPUs.</summary>
                public const string TPU = "tpu";
            }

            /// <summary>The standard signature keys and method names (<c>tf.saved_model.signature_constants</c>).</summary>
            public static class signature_constants
            {
                /// <summary>The key of the default serving signature.</summary>
                public const string DEFAULT_SERVING_SIGNATURE_DEF_KEY = SharpFlow.Train.SavedModelBuilder.DefaultServingSignatureKey;
                /// <summary>The predict method.</summary>
                public const string PREDICT_METHOD_NAME = "tensorflow/serving/predict";
                /// <summary>The classify method.</summary>
                public const string CLASSIFY_METHOD_NAME = "tensorflow/serving/classify";
                /// <summary>The regress method.</summary>
                public const string REGRESS_METHOD_NAME = "tensorflow/serving/regress";
                /// <summary>The predict inputs key.</summary>
                public const string PREDICT_INPUTS = "inputs";
                /// <summary>The predict outputs key.</summary>
                public const string PREDICT_OUTPUTS = "outputs";
                /// <summary>The classify inputs key.</summary>
                public const string CLASSIFY_INPUTS = "inputs";
                /// <summary>The classify classes output key.</summary>
                public const string CLASSIFY_OUTPUT_CLASSES = "classes";
                /// <summary>The classify scores output key.</summary>
                public const string CLASSIFY_OUTPUT_SCORES = "scores";
                /// <summary>The regress inputs key.</summary>
                public const string REGRESS_INPUTS = "inputs";
                /// <summary>The regress outputs key.</summary>
                public const string REGRESS_OUTPUTS = "outputs";
            }
        }
    }
}
