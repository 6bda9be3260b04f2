using SharpFlow.Train.Monitored;

namespace SharpFlow.Estimators;

/// <summary>
/// <c>tf.estimator.EstimatorSpec</c>: what a <c>model_fn</c> returns for its mode. Training needs
/// <see cref="loss"/> and <see cref="train_op"/>, evaluation <see cref="loss"/> (and optionally
/// <see cref="eval_metric_ops"/>, each a <c>(value, update_op)</c> pair from <c>tf.metrics</c>), prediction
/// <see cref="predictions"/> (a tensor or a dictionary of tensors).
/// </summary>
public sealed class EstimatorSpec
{
    /// <summary>Checks the fields for <paramref name="mode"/> as TensorFlow does.</summary>
    public EstimatorSpec(string mode, object? predictions = null, Tensor? loss = null, ITensorOrOperation? train_op = null,
        IReadOnlyDictionary<string, (Tensor value, Tensor update_op)>? eval_metric_ops = null,
        IReadOnlyDictionary<string, ExportOutput>? export_outputs = null, IEnumerable<SessionRunHook>? training_hooks = null,
        IEnumerable<SessionRunHook>? evaluation_hooks = null, IEnumerable<SessionRunHook>? prediction_hooks = null, Scaffold? scaffold = null)
    {
        if (mode is not (ModeKeys.TRAIN or ModeKeys.EVAL or ModeKeys.PREDICT))
            throw new ValueError($"mode={mode} unrecognized.");
        if (mode == ModeKeys.TRAIN && train_op is null) throw new ValueError("Missing train_op.");
        if (mode != ModeKeys.PREDICT && loss is null) throw new ValueError("Missing loss.");
        if (loss is not null && loss.shape.IsKnownRank && loss.shape.ndims != 0)
        {
            if (!(loss.shape.ndims == 1 && loss.shape[0] == 1) && !(loss.shape.IsFullyDefined && loss.shape.num_elements() == 1))
                throw new ValueError($"Loss must be scalar, given: {loss}");
            loss = Ops.ArrayOps.Reshape.Build(loss, Array.Empty<int>());
        }
        Dictionary<string, Tensor>? dict = null;
        switch (predictions)
        {
            case null when mode == ModeKeys.PREDICT:
                throw new ValueError("Missing predictions.");
            case null:
                break;
            case Tensor t:
                dict = new() { [PredictionsKey] = t };
                SingleTensorPredictions = true;
                break;
            case IReadOnlyDictionary<string, Tensor> d:
                dict = d.ToDictionary(kv => kv.Key, kv => kv.Value);
                break;
            default:
                throw new TypeError($"predictions must be Tensor or dict of Tensor. Given: {predictions}");
        }
        this.mode = mode;
        this.predictions = dict ?? [];
        this.loss = loss;
        this.train_op = train_op;
        this.eval_metric_ops = eval_metric_ops ?? new Dictionary<string, (Tensor, Tensor)>();
        this.export_outputs = export_outputs;
        this.training_hooks = training_hooks?.ToList() ?? [];
        this.evaluation_hooks = evaluation_hooks?.ToList() ?? [];
        this.prediction_hooks = prediction_hooks?.ToList() ?? [];
        this.scaffold = scaffold;
    }

    /// <summary>The key under which a single prediction tensor is yielded by <see cref="Estimator.predict"/>.</summary>
    public const string PredictionsKey = "predictions";

    /// <summary>The mode.</summary>
    public string mode { get; }

    /// <summary>The predictions by name (a single tensor is under <see cref="PredictionsKey"/>).</summary>
    public IReadOnlyDictionary<string, Tensor> predictions { get; }

    /// <summary>Whether the model_fn gave one tensor rather than a dictionary.</summary>
    public bool SingleTensorPredictions { get; }

    /// <summary>The scalar loss.</summary>
    public Tensor? loss { get; }

    /// <summary>The op that runs one training step.</summary>
    public ITensorOrOperation? train_op { get; }

    /// <summary>The evaluation metrics: <c>(value, update_op)</c> by name.</summary>
    public IReadOnlyDictionary<string, (Tensor value, Tensor update_op)> eval_metric_ops { get; }

    /// <summary>The outputs of an exported SavedModel by signature name (null: one predict signature of <see cref="predictions"/>).</summary>
    public IReadOnlyDictionary<string, ExportOutput>? export_outputs { get; }

    /// <summary>Hooks for training.</summary>
    public IReadOnlyList<SessionRunHook> training_hooks { get; }

    /// <summary>Hooks for evaluation.</summary>
    public IReadOnlyList<SessionRunHook> evaluation_hooks { get; }

    /// <summary>Hooks for prediction.</summary>
    public IReadOnlyList<SessionRunHook> prediction_hooks { get; }

    /// <summary>The scaffold (null: the default one).</summary>
    public Scaffold? scaffold { get; }
}
