using SharpFlow.Models;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>
/// A model wired for classification of flat 784-pixel images: placeholders for images, labels and the training
/// flag, the logits, predictions, mean cross entropy and (when training) the optimizer step, which also runs the
/// batch-normalization updates.
/// </summary>
internal sealed class ClassifierGraph
{
    private ClassifierGraph(Graph graph) => Graph = graph;

    public Graph Graph { get; }
    public Tensor Images { get; private set; } = null!;
    public Tensor Labels { get; private set; } = null!;
    public Tensor Training { get; private set; } = null!;
    public ModelOutput Output { get; private set; } = null!;
    public Tensor Predictions { get; private set; } = null!;
    public Tensor Loss { get; private set; } = null!;
    public Tensor? LearningRate { get; private set; }
    public Operation? TrainOp { get; private set; }
    public Tensor? GlobalStep { get; private set; }
    public IReadOnlyList<Variable> ModelVariables { get; private set; } = [];

    /// <summary>Builds the graph; with <paramref name="settings"/> it adds the training step.</summary>
    public static ClassifierGraph Build(Model model, int height, int width, int channels, TrainSettings? settings, int stepsPerEpoch = 1)
    {
        var c = new ClassifierGraph(new Graph());
        using var scope = c.Graph.as_default();
        if (settings is not null) tf.set_random_seed(settings.Seed);
        c.Images = tf.placeholder(tf.float32, new Shape(-1, height * width * channels), name: "images");
        c.Labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        c.Training = tf.placeholder_with_default(false, Shape.Scalar, name: "training");
        var x = tf.reshape(c.Images, new[] { -1, height, width, channels }, name: "image");
        var before = tf.global_variables().Count;
        // An inference graph (no settings) is built with training false as a constant: dropout and batch
        // normalization's batch statistics are then absent, not just switched off.
        c.Output = model.Build(x, settings is null ? false : c.Training);
        c.ModelVariables = tf.global_variables().Skip(before).ToList();
        c.Predictions = tf.cast(tf.argmax(c.Output.Logits, 1), tf.int32, name: "predictions");
        c.Loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: c.Labels, logits: c.Output.Logits), name: "loss");
        if (settings is null) return c;

        var globalStep = tf.train.get_or_create_global_step();
        c.GlobalStep = globalStep;
        c.LearningRate = settings.LearningRateDecay == 1.0
            ? tf.constant(settings.LearningRate, tf.float32, name: "learning_rate")
            : tf.train.exponential_decay(settings.LearningRate, globalStep, stepsPerEpoch, settings.LearningRateDecay, staircase: true);
        var optimizer = OptimizerFactory.Create(settings.Optimizer, c.LearningRate, globalStep);
        var updates = tf.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().ToList();
        using (c.Graph.control_dependencies(updates))
            c.TrainOp = optimizer.minimize(c.Loss, global_step: globalStep);
        return c;
    }
}
