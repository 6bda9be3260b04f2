namespace SharpFlow.Estimators;

/// <summary><c>tf.estimator.ModeKeys</c>: the mode a <c>model_fn</c> is called in (TensorFlow's strings).</summary>
public static class ModeKeys
{
    /// <summary>Training: the model_fn returns a loss and a train op.</summary>
    public const string TRAIN = "train";

    /// <summary>Evaluation: the model_fn returns a loss and, optionally, metrics.</summary>
    public const string EVAL = "eval";

    /// <summary>Inference: the model_fn returns predictions.</summary>
    public const string PREDICT = "infer";
}
