using SharpFlow.GraphIO;

namespace SharpFlow.Estimators;

/// <summary><c>tf.estimator.export.ExportOutput</c>: one output signature of an exported model.</summary>
public abstract class ExportOutput
{
    /// <summary>The signature for <paramref name="receiver_tensors"/>, or null when it cannot serve them.</summary>
    public abstract Tensorflow.SignatureDef? as_signature_def(IReadOnlyDictionary<string, Tensor> receiver_tensors);

    private protected static bool SingleStringInput(IReadOnlyDictionary<string, Tensor> receiver) =>
        receiver.Count == 1 && receiver.Values.First().dtype == DType.@string;
}

/// <summary><c>tf.estimator.export.PredictOutput</c>: a predict signature of named outputs.</summary>
public sealed class PredictOutput : ExportOutput
{
    /// <summary>The outputs by name (a single tensor is named "output").</summary>
    public PredictOutput(IReadOnlyDictionary<string, Tensor> outputs) => this.outputs = outputs;

    /// <summary>One output named "output".</summary>
    public PredictOutput(Tensor output) => outputs = new Dictionary<string, Tensor> { ["output"] = output };

    /// <summary>The outputs.</summary>
    public IReadOnlyDictionary<string, Tensor> outputs { get; }

    /// <inheritdoc/>
    public override Tensorflow.SignatureDef as_signature_def(IReadOnlyDictionary<string, Tensor> receiver_tensors) =>
        SavedModels.Signature(receiver_tensors, outputs, "tensorflow/serving/predict");
}

/// <summary>
/// <c>tf.estimator.export.ClassificationOutput</c>: a classify signature (scores and classes). As in TensorFlow it
/// is only valid for a single string input (serialized tf.Example); otherwise the export leaves it out.
/// </summary>
public sealed class ClassificationOutput(Tensor? scores = null, Tensor? classes = null) : ExportOutput
{
    /// <summary>The scores [batch, n_classes].</summary>
    public Tensor? scores { get; } = scores ?? (classes is null ? throw new ValueError("At least one of scores and classes must be set.") : null);

    /// <summary>The class names [batch, n_classes] (string).</summary>
    public Tensor? classes { get; } = classes;

    /// <inheritdoc/>
    public override Tensorflow.SignatureDef? as_signature_def(IReadOnlyDictionary<string, Tensor> receiver_tensors)
    {
        if (!SingleStringInput(receiver_tensors)) return null;
        var outputs = new Dictionary<string, Tensor>();
        if (classes is not null) outputs["classes"] = classes;
        if (scores is not null) outputs["scores"] = scores;
        return SavedModels.Signature(new Dictionary<string, Tensor> { ["inputs"] = receiver_tensors.Values.First() }, outputs, "tensorflow/serving/classify");
    }
}

/// <summary><c>tf.estimator.export.RegressionOutput</c>: a regress signature; valid only for a single string input.</summary>
public sealed class RegressionOutput(Tensor value) : ExportOutput
{
    /// <summary>The regression values [batch] or [batch, 1].</summary>
    public Tensor value { get; } = value;

    /// <inheritdoc/>
    public override Tensorflow.SignatureDef? as_signature_def(IReadOnlyDictionary<string, Tensor> receiver_tensors) =>
        !SingleStringInput(receiver_tensors) ? null
            : SavedModels.Signature(new Dictionary<string, Tensor> { ["inputs"] = receiver_tensors.Values.First() },
                new Dictionary<string, Tensor> { ["outputs"] = value }, "tensorflow/serving/regress");
}

/// <summary>
/// <c>tf.estimator.export.ServingInputReceiver</c>: the features a served model's <c>model_fn</c> sees and the
/// tensors a request feeds (they may be the same). A single feature tensor is named "feature", a single receiver
/// tensor "input", as in TensorFlow.
/// </summary>
public sealed class ServingInputReceiver
{
    /// <summary>Features and receiver tensors by name.</summary>
    public ServingInputReceiver(IReadOnlyDictionary<string, Tensor> features, IReadOnlyDictionary<string, Tensor> receiver_tensors)
    {
        if (features is null || features.Count == 0) throw new ValueError("features must be defined.");
        if (receiver_tensors is null || receiver_tensors.Count == 0) throw new ValueError("receiver_tensors must be defined.");
        this.features = features.ToDictionary(kv => kv.Key, kv => kv.Value);
        this.receiver_tensors = receiver_tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    /// <summary>One feature tensor and one receiver tensor.</summary>
    public ServingInputReceiver(Tensor features, Tensor receiver_tensors)
        : this(new Dictionary<string, Tensor> { ["feature"] = features }, new Dictionary<string, Tensor> { ["input"] = receiver_tensors }) { }

    /// <summary>Features by name and one receiver tensor.</summary>
    public ServingInputReceiver(IReadOnlyDictionary<string, Tensor> features, Tensor receiver_tensors)
        : this(features, new Dictionary<string, Tensor> { ["input"] = receiver_tensors }) { }

    /// <summary>The features passed to the model_fn.</summary>
    public Dictionary<string, Tensor> features { get; }

    /// <summary>The tensors a serving request feeds.</summary>
    public Dictionary<string, Tensor> receiver_tensors { get; }

    /// <summary>
    /// <c>tf.estimator.export.build_raw_serving_input_receiver_fn</c>: a receiver whose placeholders (one per
    /// feature, named after it, with the feature's dtype and shape, the batch size left open or
    /// <paramref name="default_batch_size"/>) are both the features and the receiver tensors.
    /// </summary>
    public static Func<ServingInputReceiver> build_raw_serving_input_receiver_fn(IReadOnlyDictionary<string, Tensor> features, int? default_batch_size = null) => () =>
    {
        var receivers = new Dictionary<string, Tensor>();
        foreach (var (name, t) in features.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var shape = t.shape;
            Shape s = shape.IsKnownRank && shape.ndims > 0 ? new Shape([default_batch_size ?? -1, .. shape.Dims[1..]]) : shape;
            receivers[name] = Ops.ArrayOps.Placeholder.Build(t.dtype, s, name);
        }
        return new ServingInputReceiver(receivers, receivers);
    };

    /// <summary><see cref="build_raw_serving_input_receiver_fn(IReadOnlyDictionary{string, Tensor}, int?)"/> from dtypes and per-example shapes.</summary>
    public static Func<ServingInputReceiver> build_raw_serving_input_receiver_fn(IReadOnlyDictionary<string, (DType dtype, Shape shape)> features, int? default_batch_size = null) => () =>
    {
        var receivers = new Dictionary<string, Tensor>();
        foreach (var (name, (dtype, shape)) in features.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            receivers[name] = Ops.ArrayOps.Placeholder.Build(dtype, new Shape([default_batch_size ?? -1, .. shape.Dims]), name);
        return new ServingInputReceiver(receivers, receivers);
    };
}
