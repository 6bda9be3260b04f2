using System.Text.Json;
using System.Text.Json.Nodes;
using PureHDF;
using SharpFlow.Checkpoints;

namespace SharpFlow.Keras.Engine;

public partial class Model
{
    /// <summary>The file of <see cref="save"/>'s directory holding the architecture and the training configuration.</summary>
    public const string ModelJsonFile = "keras_model.json";

    /// <summary>Whether a save writes HDF5 (tf.keras 1.15: <c>save_format="h5"</c>, or a path ending in .h5, .hdf5 or .keras); checks the format's name.</summary>
    internal static bool SavesHdf5(string filepath, string? saveFormat)
    {
        if (saveFormat is not (null or "tf" or "h5"))
            throw new ValueError($"Unknown format \"{saveFormat}\". Was expecting one of {{\"tf\", \"h5\"}}.");
        return saveFormat is "h5" || (saveFormat is null && KerasHdf5.IsHdf5Path(filepath));
    }

    /// <summary>
    /// Writes the model's weights as a TensorFlow checkpoint (TensorBundle: <c>filepath.index</c> and
    /// <c>filepath.data-00000-of-00001</c>), each weight under its variable's name (<c>dense/kernel</c>), so
    /// <c>tf.train.Saver</c>, <c>tf.train.load_checkpoint</c> and <c>inspect_checkpoint</c> read it. A path ending in
    /// <c>.h5</c>, <c>.hdf5</c> or <c>.keras</c> (or <c>save_format="h5"</c>) writes Keras's HDF5 file instead
    /// (through PureHDF): attributes <c>layer_names</c>, <c>backend</c>, <c>keras_version</c>, a group per layer with
    /// <c>weight_names</c> and a dataset per weight (<c>dense/dense/kernel:0</c>).
    /// </summary>
    public void save_weights(string filepath, bool overwrite = true, string? save_format = null)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        if (SavesHdf5(filepath, save_format))
        {
            if (!overwrite && File.Exists(filepath)) throw new ValueError($"The file {filepath} exists and overwrite is false.");
            var file = new PureHDF.H5File();
            KerasHdf5.SaveWeightsToGroup(file, layers);
            file.Write(filepath);
            return;
        }
        if (!overwrite && File.Exists(TensorBundle.IndexFile(filepath)))
            throw new ValueError($"The checkpoint {filepath} exists and overwrite is false.");
        var weights = variables;
        var values = weights.Count == 0 ? [] : Backend.get_session().run(weights.Cast<Tensor>().ToList());
        using var writer = new BundleWriter(filepath);
        for (var i = 0; i < weights.Count; i++) writer.Add(weights[i].op.name, values[i]);
        writer.Finish();
    }

    /// <summary>
    /// Loads weights written by <see cref="save_weights"/> (or any TensorFlow checkpoint holding the model's variable
    /// names and shapes); <paramref name="filepath"/> is the checkpoint's prefix or a directory with a
    /// <c>checkpoint</c> file. Weights are matched by variable name, so build the model in a fresh graph (or
    /// after <c>tf.keras.backend.clear_session()</c>) for its layers to get the saved names. An HDF5 file (Keras's
    /// layout, from <see cref="save_weights"/> or <see cref="save"/> with .h5, or from Keras itself) is matched
    /// by the order of the layers with weights, or with <paramref name="by_name"/> by layer name
    /// (<paramref name="skip_mismatch"/>: skip layers whose weight count or shapes differ).
    /// </summary>
    public void load_weights(string filepath, bool by_name = false, bool skip_mismatch = false)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        if (KerasHdf5.IsHdf5Path(filepath))
        {
            if (skip_mismatch && !by_name) throw new ValueError("When calling model.load_weights, skip_mismatch can only be set to True when by_name is True.");
            if (!File.Exists(filepath)) throw new IOException($"Unable to open file (unable to open file: name = '{filepath}', errno = 2, error message = 'No such file or directory')");
            using var file = PureHDF.H5File.OpenRead(filepath);
            KerasHdf5.LoadWeightsFromGroup(KerasHdf5.WeightsRoot(file), layers, by_name, skip_mismatch);
            return;
        }
        if (by_name) throw new NotImplementedException("Weights may only be loaded based on topology into Models when loading TensorFlow-formatted weights (got by_name=True to load_weights).");
        var prefix = Directory.Exists(filepath) ? CheckpointUtils.Prefix(filepath) : filepath;
        if (!File.Exists(TensorBundle.IndexFile(prefix)))
            throw new NotFoundError($"Unable to open table file {filepath}: Not found: no checkpoint at {prefix} ({prefix}.index does not exist)");
        var reader = new CheckpointReader(prefix);
        if (variables.Count == 0 && reader.Names.Count > 0)
            throw new ValueError($"Unable to load weights into model {name}: it has no weights yet (it is not built). Build it (give its first layer an input_shape, or call it on data) before load_weights.");
        var pairs = new List<(Variable, NDArray)>();
        foreach (var w in variables)
        {
            var key = w.op.name;
            if (!reader.has_tensor(key))
                throw new NotFoundError($"Key {key} not found in checkpoint {prefix} (it holds {string.Join(", ", reader.Names.Take(8))}{(reader.Names.Count > 8 ? ", ..." : "")}). "
                    + "Weights are matched by variable name: build the model in a fresh graph so its layers get the saved names.");
            var value = reader.get_tensor(key);
            if (!value.shape.Equals(w.shape))
                throw new InvalidArgumentError($"Assign requires shapes of both tensors to match. lhs shape= {w.shape} rhs shape= {value.shape} (weight {key})");
            pairs.Add((w, value));
        }
        Backend.batch_set_value(pairs);
    }

    /// <summary>
    /// <c>model.to_json()</c>: the architecture as Keras writes it, <c>{"class_name": "Sequential", "config": {...},
    /// "keras_version": ..., "backend": "tensorflow"}</c>.
    /// </summary>
    public string to_json(bool indent = false) => KerasSerialization.ToJson(this, indent);

    /// <summary>The training configuration Keras's <c>save</c> writes: optimizer, loss, metrics, loss weights (null when not compiled).</summary>
    internal JsonObject? TrainingConfig()
    {
        if (!_compiled || _optimizer is null || _optimizer is TFOptimizer) return null;
        JsonNode? loss = _losses!.Length == 1 ? _losses[0].Name : new JsonArray([.. _losses.Select(l => (JsonNode)l.Name)]);
        return new JsonObject
        {
            ["optimizer_config"] = KerasSerialization.OptimizerConfig(_optimizer),
            ["loss"] = loss,
            ["metrics"] = new JsonArray([.. _metricNames.Select(m => (JsonNode)m)]),
            ["loss_weights"] = _lossWeights is null ? null : new JsonArray([.. _lossWeights.Select(w => (JsonNode)w)]),
        };
    }

    /// <summary>
    /// Keras's <c>model.save(filepath)</c> in TensorFlow's format: a directory holding <c>keras_model.json</c>
    /// (<c>model_config</c>: the <see cref="to_json"/> document; <c>training_config</c>: optimizer, loss, metrics;
    /// <c>keras_version</c>, <c>backend</c>) and the weights as a checkpoint <c>variables/variables</c>. The
    /// optimizer's state (its slots and step) is not saved: a loaded model starts its optimizer afresh. A
    /// <c>tf.train</c> optimizer is not saved (Keras cannot either): the loaded model is not compiled. A path
    /// ending in <c>.h5</c>, <c>.hdf5</c> or <c>.keras</c> (or <c>save_format="h5"</c>) writes Keras's HDF5 file
    /// (through PureHDF): root attributes <c>model_config</c>, <c>training_config</c>, <c>keras_version</c>,
    /// <c>backend</c> and the weights in group <c>model_weights</c> (the optimizer's weights are not saved).
    /// </summary>
    public void save(string filepath, bool overwrite = true, bool include_optimizer = true, string? save_format = null)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        if (SavesHdf5(filepath, save_format))
        {
            if (!overwrite && File.Exists(filepath)) throw new ValueError($"The file {filepath} exists and overwrite is false.");
            var file = new PureHDF.H5File();
            file.Attributes["keras_version"] = KerasSerialization.KerasVersion;
            file.Attributes["backend"] = "tensorflow";
            file.Attributes["model_config"] = to_json();
            var training = include_optimizer ? KerasHdf5.TrainingConfigForHdf5(TrainingConfig()) : null;
            if (training is not null) file.Attributes["training_config"] = training.ToJsonString();
            var weights = new PureHDF.H5Group();
            file["model_weights"] = weights;
            KerasHdf5.SaveWeightsToGroup(weights, layers);
            var dir = Path.GetDirectoryName(Path.GetFullPath(filepath));
            if (dir is not null) Directory.CreateDirectory(dir);
            file.Write(filepath);
            return;
        }
        var jsonPath = Path.Combine(filepath, ModelJsonFile);
        if (!overwrite && File.Exists(jsonPath)) throw new ValueError($"The model {filepath} exists and overwrite is false.");
        var doc = new JsonObject
        {
            ["keras_version"] = KerasSerialization.KerasVersion,
            ["backend"] = "tensorflow",
            ["model_config"] = JsonNode.Parse(to_json()),
            ["training_config"] = include_optimizer ? TrainingConfig() : null,
        };
        Directory.CreateDirectory(filepath);
        save_weights(Path.Combine(filepath, "variables", "variables"));
        File.WriteAllText(jsonPath, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// <c>tf.keras.models.load_model(filepath)</c>: rebuilds a model written by <see cref="save"/> in the default graph,
    /// loads its weights, compiles it. An HDF5 file (Keras's layout, through PureHDF) is read the same way: its
    /// <c>model_config</c>, <c>model_weights</c> and <c>training_config</c> attributes.
    /// </summary>
    public static Model load_model(string filepath, bool compile = true)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        if (KerasHdf5.IsHdf5Path(filepath))
        {
            if (!File.Exists(filepath)) throw new IOException($"Unable to open file (unable to open file: name = '{filepath}', errno = 2, error message = 'No such file or directory')");
            using var file = PureHDF.H5File.OpenRead(filepath);
            var modelConfig = KerasHdf5.ReadString(file, "model_config") ?? throw new ValueError("No model found in config file.");
            var hmodel = KerasSerialization.ModelFromJson(modelConfig);
            KerasHdf5.LoadWeightsFromGroup(file.Group("model_weights"), hmodel.layers, byName: false);
            var trainingConfig = KerasHdf5.ReadString(file, "training_config");
            if (compile && trainingConfig is not null) hmodel.CompileFromTrainingConfig(JsonNode.Parse(trainingConfig)!.AsObject());
            return hmodel;
        }
        var jsonPath = Path.Combine(filepath, ModelJsonFile);
        if (!File.Exists(jsonPath))
            throw new IOException($"SavedModel file does not exist at: {filepath} (no {ModelJsonFile}; a model written by model.save is a directory)");
        var doc = JsonNode.Parse(File.ReadAllText(jsonPath))!.AsObject();
        var model = KerasSerialization.ModelFromJson(doc["model_config"]!.ToJsonString());
        model.load_weights(Path.Combine(filepath, "variables", "variables"));
        if (compile && doc["training_config"] is JsonObject tc) model.CompileFromTrainingConfig(tc);
        return model;
    }

    /// <summary>Compiles with the optimizer, losses, metrics and loss weights of a training_config document.</summary>
    private void CompileFromTrainingConfig(JsonObject tc)
    {
        {
            var optimizer = KerasSerialization.OptimizerFromConfig(tc["optimizer_config"]!.AsObject());
            var lossNode = tc["loss"];
            LossSpec[] losses = lossNode is JsonArray a ? [.. a.Select(l => (LossSpec)(string)l!)] : [(LossSpec)(string)lossNode!];
            var metrics = tc["metrics"]?.AsArray().Select(m => (string)m!).ToArray();
            var weights = tc["loss_weights"] is JsonArray w ? w.Select(v => (double)v!).ToArray() : null;
            compile(optimizer, losses: losses, metrics: metrics, loss_weights: weights);
        }
    }
}
