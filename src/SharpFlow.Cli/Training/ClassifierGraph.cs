using SharpFlow.Models;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>
/// A model wired for classification of flat 784-pixel images: placeholders for images, labels and the training
/// flag, the logits, predictions, mean cross entropy and (when training) the optimizer step, which also runs the
/// batch-normalization updates. The step is guarded: its variable updates wait for a CheckNumerics of the loss and
/// of every gradient, so a step that meets a NaN or an infinity fails before it changes any weight.
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

    /// <summary>The names of the CheckNumerics ops that guard the training step's updates.</summary>
    public IReadOnlySet<string> NumericsGuards { get; private set; } = new HashSet<string>();

    /// <summary>
    /// The loss a training step reports: <see cref="Loss"/>, or with <c>--distributed</c> its mean over the ranks (the
    /// global batch's loss), reduced in the same fused allreduce as the gradients.
    /// </summary>
    public Tensor StepLoss { get; private set; } = null!;

    /// <summary>
    /// With <c>--distributed</c>: this rank's wish to stop (1 after Ctrl+C, fed each step) and its mean over the ranks,
    /// reduced with the gradients: greater than 0 when any rank was signalled, the same value on every rank, so all
    /// stop after the same step.
    /// </summary>
    public Tensor? StopWish { get; private set; }

    /// <inheritdoc cref="StopWish"/>
    public Tensor? StopAgreed { get; private set; }

    /// <summary>With <c>--distributed</c>: the op that sets every rank's variables to rank 0's.</summary>
    public Operation? Broadcast { get; private set; }

    /// <summary>The loss and the raw gradients: the forward and backward pass a numerics diagnosis re-runs.</summary>
    public IReadOnlyList<Tensor> StepValues { get; private set; } = [];

    private Operation? _diagnosis;

    /// <summary>
    /// Builds the graph; with <paramref name="settings"/> it adds the training step. With <paramref name="input"/> (an
    /// input pipeline built in the graph) the images and labels default to the pipeline's next batch: a training
    /// step then needs no feed, and evaluation feeds them as before, which leaves the pipeline alone.
    /// </summary>
    public static ClassifierGraph Build(Model model, int height, int width, int channels, TrainSettings? settings, int stepsPerEpoch = 1,
        Func<(Tensor Images, Tensor Labels)>? input = null)
    {
        var c = new ClassifierGraph(new Graph());
        using var scope = c.Graph.as_default();
        // With --distributed each rank draws its own dropout masks (rank 0 those of a single process); the initial
        // variables are rank 0's everywhere anyway (broadcast).
        if (settings is not null) tf.set_random_seed(settings.Seed + (settings.Distributed ? 1_000_003 * SharpFlow.Distributed.hvd.rank() : 0));
        if (input is null)
        {
            c.Images = tf.placeholder(tf.float32, new Shape(-1, height * width * channels), name: "images");
            c.Labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        }
        else
        {
            var (images, labels) = input();
            c.Images = tf.placeholder_with_default(images, new Shape(-1, height * width * channels), name: "images");
            c.Labels = tf.placeholder_with_default(labels, new Shape(-1), name: "labels");
        }
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
        var gradients = optimizer.compute_gradients(c.Loss);
        c.StepValues = [c.Loss, .. gradients.Where(g => g.grad is not null).Select(g => g.grad!)];
        c.StepLoss = c.Loss;
        if (settings.Distributed)
        {
            // Horovod's DistributedOptimizer with the loss in the same fused buffer: one MPI_Allreduce per step gives
            // every rank the global batch's mean loss and mean gradients, so all apply the same update.
            var present = gradients.Select((g, i) => (g.grad, i)).Where(p => p.grad is not null).ToList();
            c.StopWish = tf.placeholder_with_default(0f, Shape.Scalar, name: "stop_wish");
            var reduced = SharpFlow.Distributed.hvd.allreduce([c.Loss, c.StopWish, .. present.Select(p => p.grad!)], average: true, name: "allreduce");
            (c.StepLoss, c.StopAgreed) = (reduced[0], reduced[1]);
            for (var k = 0; k < present.Count; k++) gradients[present[k].i] = (reduced[k + 2], gradients[present[k].i].var);
        }
        List<ITensorOrOperation> guards = [tf.check_numerics(c.StepLoss, "loss", name: "check_loss")];
        foreach (var (grad, v) in gradients)
            if (grad is not null) guards.Add(tf.check_numerics(grad, $"gradient of {v.op.name}", name: $"check_gradient/{v.op.name}"));
        c.NumericsGuards = guards.Select(g => ((Tensor)g).op.name).ToHashSet();
        // Each update reads its gradient through an identity that waits for every guard.
        List<(Tensor? grad, Variable var)> guarded;
        using (c.Graph.control_dependencies(guards))
            guarded = gradients.Select(g => (g.grad is null ? null : tf.identity(g.grad), g.var)).ToList();
        var updates = tf.get_collection(GraphKeys.UPDATE_OPS).OfType<ITensorOrOperation>().ToList();
        using (c.Graph.control_dependencies(updates))
            c.TrainOp = optimizer.apply_gradients(guarded, globalStep);
        if (settings.Distributed) c.Broadcast = SharpFlow.Distributed.hvd.broadcast_global_variables(0);
        return c;
    }

    /// <summary>
    /// Re-runs the forward and backward pass of a training step with a CheckNumerics after every float value, in
    /// graph order (<c>tf.add_check_numerics_ops</c> without the updates): the first value that is NaN or infinite,
    /// as "output 0 of op 'dense/MatMul' (MatMul) had Inf values", or null when the re-run finds none (dropout draws
    /// new masks, so a rare overflow may not recur).
    /// </summary>
    public string? FirstNonFinite(Session session, FeedDict feed)
    {
        if (_diagnosis is null)
        {
            var ops = new HashSet<Operation>();
            var stack = new Stack<Operation>(StepValues.Select(t => t.op));
            while (stack.TryPop(out var op))
                if (ops.Add(op))
                    foreach (var next in op.inputs.Select(t => t.op).Concat(op.control_inputs)) stack.Push(next);
            using (Graph.as_default())
                _diagnosis = tf.add_check_numerics_ops(ops);
        }
        try
        {
            session.run(_diagnosis, feed);
            return null;
        }
        catch (InvalidArgumentError e) when (e.NodeName is { } name && Graph.get_operation_by_name(name) is { type: "CheckNumerics" } check)
        {
            // The failed check's input is the bad value; its message ends in TensorFlow's "Tensor had NaN values".
            var bad = check.inputs[0];
            var what = e.RawMessage[(e.RawMessage.LastIndexOf(" : Tensor had ", StringComparison.Ordinal) + " : Tensor ".Length)..];
            return $"output {bad.value_index} of op '{bad.op.name}' ({bad.op.type}) {what}";
        }
    }
}
