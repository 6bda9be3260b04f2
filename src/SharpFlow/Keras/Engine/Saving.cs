using System.Text.Json;
using System.Text.Json.Nodes;
using SharpFlow.Checkpoints;

namespace SharpFlow.Keras.Engine;

public partial class Model
{
    /// <summary>The file of <see cref="save"/>'s directory holding the architecture and the training configuration.</summary>
    public const string ModelJsonFile = "keras_model.json";

    internal static void RefuseHdf5(string filepath, string? saveFormat = null)
    {
        var ext = Path.GetExtension(filepath).ToLowerInvariant();
        if (saveFormat is "h5" || (saveFormat is null && ext is ".h5" or ".hdf5" or ".keras"))
            throw new NotImplementedException($"HDF5 is not supported by SharpFlow (there is no managed HDF5 library): \"{filepath}\" ends in {ext}. "
                + "Save in TensorFlow's checkpoint format instead: a path that does not end in .h5 (save_format=\"tf\").");
        if (saveFormat is not (null or "tf"))
            throw new ValueError($"Unknown format \"{saveFormat}\". Was expecting one of {{\"tf\", \"h5\"}}.");
    }

    /// <summary>
    /// Writes the model's weights as a TensorFlow checkpoint (TensorBundle: <c>filepath.index</c> and
    /// <c>filepath.data-00000-of-00001</c>), each weight under its variable's name (<c>dense/kernel</c>), so
    /// <c>tf.train.Saver</c>, <c>tf.train.load_checkpoint</c> and <c>inspect_checkpoint</c> read it. A path ending in
    /// <c>.h5</c> is refused: HDF5 is not supported.
    /// </summary>
    public void save_weights(string filepath, bool overwrite = true, string? save_format = null)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        RefuseHdf5(filepath, save_format);
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
    /// after <c>tf.keras.backend.clear_session()</c>) for its layers to get the saved names.
    /// </summary>
    public void load_weights(string filepath)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        RefuseHdf5(filepath);
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
    /// <c>tf.train</c> optimizer is not saved (Keras cannot either): the loaded model is not compiled. HDF5
    /// (<c>.h5</c>) is refused.
    /// </summary>
    public void save(string filepath, bool overwrite = true, bool include_optimizer = true, string? save_format = null)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        RefuseHdf5(filepath, save_format);
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

    /// <summary><c>tf.keras.models.load_model(filepath)</c>: rebuilds a model written by <see cref="save"/> in the default graph, loads its weights, compiles it.</summary>
    public static Model load_model(string filepath, bool compile = true)
    {
        ArgumentNullException.ThrowIfNull(filepath);
        RefuseHdf5(filepath);
        var jsonPath = Path.Combine(filepath, ModelJsonFile);
        if (!File.Exists(jsonPath))
            throw new IOException($"SavedModel file does not exist at: {filepath} (no {ModelJsonFile}; a model written by model.save is a directory)");
        var doc = JsonNode.Parse(File.ReadAllText(jsonPath))!.AsObject();
        var model = KerasSerialization.ModelFromJson(doc["model_config"]!.ToJsonString());
        model.load_weights(Path.Combine(filepath, "variables", "variables"));
        if (compile && doc["training_config"] is JsonObject tc)
        {
            var optimizer = KerasSerialization.OptimizerFromConfig(tc["optimizer_config"]!.AsObject());
            var lossNode = tc["loss"];
            LossSpec[] losses = lossNode is JsonArray a ? [.. a.Select(l => (LossSpec)(string)l!)] : [(LossSpec)(string)lossNode!];
            var metrics = tc["metrics"]?.AsArray().Select(m => (string)m!).ToArray();
            var weights = tc["loss_weights"] is JsonArray w ? w.Select(v => (double)v!).ToArray() : null;
            model.compile(optimizer, losses: losses, metrics: metrics, loss_weights: weights);
        }
        return model;
    }
}
