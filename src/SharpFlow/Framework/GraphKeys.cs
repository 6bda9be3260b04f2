namespace SharpFlow;

/// <summary>The standard collection names, with TensorFlow 1.x's string values (<c>tf.GraphKeys</c>).</summary>
public static class GraphKeys
{
    /// <summary>Every variable shared across devices: <c>"variables"</c>.</summary>
    public const string GLOBAL_VARIABLES = "variables";
    /// <summary>Deprecated alias of <see cref="GLOBAL_VARIABLES"/>.</summary>
    public const string VARIABLES = GLOBAL_VARIABLES;
    /// <summary>Variables local to a process: <c>"local_variables"</c>.</summary>
    public const string LOCAL_VARIABLES = "local_variables";
    /// <summary>Variables of metrics: <c>"metric_variables"</c>.</summary>
    public const string METRIC_VARIABLES = "metric_variables";
    /// <summary>Variables used by the model for inference: <c>"model_variables"</c>.</summary>
    public const string MODEL_VARIABLES = "model_variables";
    /// <summary>Variables an optimizer trains: <c>"trainable_variables"</c>.</summary>
    public const string TRAINABLE_VARIABLES = "trainable_variables";
    /// <summary>Summary tensors: <c>"summaries"</c>.</summary>
    public const string SUMMARIES = "summaries";
    /// <summary>Queue runners: <c>"queue_runners"</c>.</summary>
    public const string QUEUE_RUNNERS = "queue_runners";
    /// <summary>Table initializers: <c>"table_initializer"</c>.</summary>
    public const string TABLE_INITIALIZERS = "table_initializer";
    /// <summary>Asset file paths: <c>"asset_filepaths"</c>.</summary>
    public const string ASSET_FILEPATHS = "asset_filepaths";
    /// <summary>Variables kept with moving averages: <c>"moving_average_variables"</c>.</summary>
    public const string MOVING_AVERAGE_VARIABLES = "moving_average_variables";
    /// <summary>Regularization terms: <c>"regularization_losses"</c>.</summary>
    public const string REGULARIZATION_LOSSES = "regularization_losses";
    /// <summary>Concatenated partitioned variables: <c>"concatenated_variables"</c>.</summary>
    public const string CONCATENATED_VARIABLES = "concatenated_variables";
    /// <summary>Savers: <c>"savers"</c>.</summary>
    public const string SAVERS = "savers";
    /// <summary>Weights: <c>"weights"</c>.</summary>
    public const string WEIGHTS = "weights";
    /// <summary>Biases: <c>"biases"</c>.</summary>
    public const string BIASES = "biases";
    /// <summary>Activations: <c>"activations"</c>.</summary>
    public const string ACTIVATIONS = "activations";
    /// <summary>Ops to run with each training step (batch-norm statistics): <c>"update_ops"</c>.</summary>
    public const string UPDATE_OPS = "update_ops";
    /// <summary>Losses (<c>tf.losses</c>): <c>"losses"</c>.</summary>
    public const string LOSSES = "losses";
    /// <summary>Saveable objects: <c>"saveable_objects"</c>.</summary>
    public const string SAVEABLE_OBJECTS = "saveable_objects";
    /// <summary>Resources: <c>"resources"</c>.</summary>
    public const string RESOURCES = "resources";
    /// <summary>Local resources: <c>"local_resources"</c>.</summary>
    public const string LOCAL_RESOURCES = "local_resources";
    /// <summary>Trainable resource variables: <c>"trainable_resource_variables"</c>.</summary>
    public const string TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables";
    /// <summary>The init op: <c>"init_op"</c>.</summary>
    public const string INIT_OP = "init_op";
    /// <summary>The local init op: <c>"local_init_op"</c>.</summary>
    public const string LOCAL_INIT_OP = "local_init_op";
    /// <summary>The ready op: <c>"ready_op"</c>.</summary>
    public const string READY_OP = "ready_op";
    /// <summary>The ready-for-local-init op: <c>"ready_for_local_init_op"</c>.</summary>
    public const string READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op";
    /// <summary>The merged summary op: <c>"summary_op"</c>.</summary>
    public const string SUMMARY_OP = "summary_op";
    /// <summary>The global step variable: <c>"global_step"</c>.</summary>
    public const string GLOBAL_STEP = "global_step";
    /// <summary>The evaluation step: <c>"eval_step"</c>.</summary>
    public const string EVAL_STEP = "eval_step";
    /// <summary>The training op: <c>"train_op"</c>.</summary>
    public const string TRAIN_OP = "train_op";
    /// <summary>Conditional contexts: <c>"cond_context"</c>.</summary>
    public const string COND_CONTEXT = "cond_context";
    /// <summary>While-loop contexts: <c>"while_context"</c>.</summary>
    public const string WHILE_CONTEXT = "while_context";
}
