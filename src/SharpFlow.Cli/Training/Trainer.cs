using System.Diagnostics;
using SharpFlow.Models;
using SharpFlow.Summaries;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>
/// The training loop of <c>sharpflow train</c>: shuffled mini-batches (TensorFlow's <c>next_batch</c>), one optimizer
/// step each, validation accuracy after every epoch, test accuracy at the end, and the model's variables written
/// to the log directory. After every epoch a checkpoint of all variables (optimizer slots and global step
/// included) goes to <c>LOGDIR/model.ckpt-STEP</c>; so does the state after the current step when Ctrl+C or
/// SIGTERM stops the run (exit code 130). <c>--resume</c> restores the newest checkpoint and goes on from the next
/// step, replaying the data order, so a resumed run without dropout computes the losses and weights of an
/// uninterrupted one. The same seed gives the same losses. A step whose loss or gradients are NaN or infinite
/// changes no weight (<see cref="ClassifierGraph"/>'s guards): training stops there, names the first op whose
/// value went bad, and saves the weights from before the step.
/// </summary>
internal static class Trainer
{
    /// <summary>The file in the log directory that records the batch and epoch length a resume must keep.</summary>
    public const string LayoutFile = "training-layout.txt";

    public static Evaluation Run(TrainSettings s, bool live)
    {
        var data = DataSource.Load(s.Dataset, s.DataDirectory, s.Seed, Console.WriteLine);
        var model = ModelZoo.Create(s.Model, 10);
        var stepsPerEpoch = (data.train.num_examples + s.BatchSize - 1) / s.BatchSize;
        if (s.MaxStepsPerEpoch is { } max) stepsPerEpoch = Math.Min(stepsPerEpoch, max);
        // --distributed: every rank builds the same graph and draws the same global batches; each trains on its
        // shard, the gradients are averaged in one allreduce, and rank 0 (the chief) alone logs and saves.
        var ranks = s.Distributed ? SharpFlow.Distributed.hvd.size() : 1;
        var chief = !s.Distributed || SharpFlow.Distributed.hvd.rank() == 0;
        if (s.BatchSize % ranks != 0) throw new InvalidOperationException($"--batch {s.BatchSize} (the global batch) does not divide among {ranks} ranks");
        var graph = ClassifierGraph.Build(model, 28, 28, 1, s, stepsPerEpoch);
        Console.WriteLine($"model: {model.Title}; {graph.Output.Parameters:N0} parameters");
        if (s.Distributed)
            Console.WriteLine($"distributed: {ranks} ranks on MPI, global batch {s.BatchSize} ({s.BatchSize / ranks} per rank), one fused allreduce of the loss and gradients per step");
        Console.WriteLine($"training: {s.Epochs} epochs of {stepsPerEpoch} steps, batch {s.BatchSize}, {s.Optimizer} lr {s.LearningRate}" +
                          (s.LearningRateDecay != 1 ? $" × {s.LearningRateDecay} per epoch" : "") + $", seed {s.Seed}");

        using var sess = new Session(graph.Graph);
        SharpFlow.Train.Saver saver;
        using (graph.Graph.as_default())
        {
            sess.run(tf.global_variables_initializer());
            saver = tf.train.Saver(max_to_keep: 3, save_random_state: true);
        }
        var checkpointPrefix = Path.Combine(s.LogDirectory, "model.ckpt");
        Directory.CreateDirectory(s.LogDirectory);
        // TensorBoard: the graph now; loss and learning rate every --log-every steps; validation accuracy and
        // weight histograms after every epoch.
        using var events = chief ? tf.summary.FileWriter(s.LogDirectory, graph.Graph) : null;
        long done = 0; // global steps before this process
        var latest = s.Resume && chief ? tf.train.latest_checkpoint(s.LogDirectory) : null;
        if (s.Resume && latest is null) Console.WriteLine($"resume: no checkpoint in {s.LogDirectory}; starting from the beginning");
        // The batch and the epoch length fix which batch each global step draws: a resume must keep them.
        var layout = Path.Combine(s.LogDirectory, LayoutFile);
        var thisLayout = $"batch {s.BatchSize}, steps per epoch {stepsPerEpoch}";
        if (latest is not null)
        {
            var saved = File.Exists(layout) ? File.ReadAllText(layout).Trim() : null;
            if (saved is not null && saved != thisLayout)
                throw new InvalidOperationException($"{s.LogDirectory} was trained with {saved}, this run asks for {thisLayout}: resume with the same --batch and --steps-per-epoch");
        }
        if (chief) File.WriteAllText(layout, thisLayout + "\n");
        if (latest is not null)
        {
            saver.restore(sess, latest);
            saver.recover_last_checkpoints(tf.train.get_checkpoint_state(s.LogDirectory)!.all_model_checkpoint_paths);
        }
        // Every rank starts from the chief's variables: initialized from one seed, or restored (only the chief reads
        // the checkpoint, so the ranks need no shared file system).
        if (graph.Broadcast is not null) sess.run(graph.Broadcast);
        done = sess.run(graph.GlobalStep!).Cast(DType.int64).ToArray<long>()[0];
        if (done > 0)
        {
            // Replay the batches drawn so far so the data order goes on as in an uninterrupted run.
            for (long i = 0; i < done; i++) data.train.next_batch(s.BatchSize);
            Console.WriteLine($"resumed from {latest}: {done / stepsPerEpoch} epochs and {done % stepsPerEpoch} steps done");
        }
        var firstEpoch = (int)(done / stepsPerEpoch) + 1;
        var firstStep = (int)(done % stepsPerEpoch) + 1;
        var total = Stopwatch.StartNew();
        var training = new Stopwatch(); // training steps only, not the evaluations between epochs
        var validation = new Evaluation(0, new int[1, 1], 0);
        var trainOp = graph.TrainOp!;
        var toDo = Math.Max(0, (long)s.Epochs * stepsPerEpoch - done);
        var collectiveSeconds = SharpFlow.Distributed.Mpi.CollectiveSeconds;
        // Only while training (a Ctrl+C later ends the process as usual). Under mpiexec, which forwards Ctrl+C to
        // every rank, the ranks may see it during different steps: each feeds its wish into the step's allreduce, and
        // all stop after the first step whose reduced wish is positive.
        using (var stop = StopRequest.Listen())
        TrainingProgress.Run(live, (int)toDo, s.LogEvery, progress =>
        {
            var stepsRun = 0;
            var stopping = false; // a stop was asked for (with --distributed: agreed by all ranks in the last step)
            for (var epoch = firstEpoch; epoch <= s.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                training.Start();
                double lossSum = 0;
                var epochStart = epoch == firstEpoch ? firstStep : 1;
                for (var step = epochStart; step <= stepsPerEpoch; step++)
                {
                    var globalStep = (long)(epoch - 1) * stepsPerEpoch + step;
                    var (images, labels) = data.train.next_batch(s.BatchSize);
                    if (s.Distributed) (images, labels) = (SharpFlow.Distributed.hvd.shard(images), SharpFlow.Distributed.hvd.shard(labels));
                    var feed = new FeedDict { [graph.Images] = images, [graph.Labels] = labels, [graph.Training] = true };
                    if (graph.StopWish is not null) feed[graph.StopWish] = stop.Requested ? 1f : 0f;
                    NDArray loss, rate;
                    var streams = sess.RandomPositions(); // where the random ops stood before this step
                    try
                    {
                        if (graph.StopAgreed is null) (_, loss, rate) = sess.run((trainOp, graph.StepLoss, graph.LearningRate!), feed);
                        else
                        {
                            (_, loss, rate, var agreed) = sess.run((trainOp, graph.StepLoss, graph.LearningRate!, graph.StopAgreed), feed);
                            stopping = agreed.item<float>() > 0;
                        }
                    }
                    catch (InvalidArgumentError e) when (e.NodeName is { } node && graph.NumericsGuards.Contains(node))
                    {
                        throw NonFinite(e, graph, sess, feed, streams, chief ? saver : null, checkpointPrefix, epoch, step, globalStep);
                    }
                    var value = loss.AsReadOnlySpan<float>()[0];
                    if (step % s.LogEvery == 0 || step == stepsPerEpoch)
                        events?.add_summary(tf.Summary(SummaryValue.FromScalar("loss", value), SummaryValue.FromScalar("learning_rate", rate.Cast(DType.float64).ToArray<double>()[0])), globalStep);
                    lossSum += value;
                    stepsRun++;
                    var seconds = training.Elapsed.TotalSeconds;
                    var imagesPerSecond = stepsRun * s.BatchSize / Math.Max(seconds, 1e-9);
                    var eta = TimeSpan.FromSeconds(seconds / stepsRun * (toDo - stepsRun));
                    progress.Step(epoch, s.Epochs, step, stepsPerEpoch, value, imagesPerSecond, eta);
                    if (graph.StopAgreed is null) stopping = stop.Requested;
                    if (stopping && step < stepsPerEpoch)
                    {
                        var path = chief ? saver.save(sess, checkpointPrefix, global_step: checked((int)globalStep)) : "(rank 0's)";
                        events?.flush();
                        throw new TrainingInterruptedException($"{stop.Reason}: stopped after epoch {epoch}, step {step} (global step {globalStep}); checkpoint {path} written. Go on with --resume.");
                    }
                }
                training.Stop();
                var trainSeconds = clock.Elapsed.TotalSeconds;
                var epochSteps = stepsPerEpoch - epochStart + 1;
                var allreduce = s.Distributed ? $", allreduce {(SharpFlow.Distributed.Mpi.CollectiveSeconds - collectiveSeconds) * 1000 / epochSteps:F2} ms/step" : "";
                collectiveSeconds = SharpFlow.Distributed.Mpi.CollectiveSeconds;
                if (!chief)
                {
                    // The chief alone evaluates, saves and logs; the others go on to the next epoch, or stop with it.
                    if (stopping && epoch < s.Epochs) throw new TrainingInterruptedException($"{stop.Reason}: stopped after epoch {epoch} with rank 0");
                    continue;
                }
                validation = Evaluation.Run(sess, graph, data.validation, model.Classes);
                var saved = saver.save(sess, checkpointPrefix, global_step: epoch * stepsPerEpoch);
                var epochValues = new List<SummaryValue> { SummaryValue.FromScalar("validation_accuracy", validation.Accuracy), SummaryValue.FromScalar("images_per_second", epochSteps * s.BatchSize / trainSeconds) };
                var trainable = graph.Graph.get_collection(GraphKeys.TRAINABLE_VARIABLES).OfType<Variable>().ToList();
                var weights = sess.run(trainable.Select(v => (Tensor)v.value()).ToList());
                for (var i = 0; i < trainable.Count; i++) epochValues.Add(SummaryValue.FromHistogram(trainable[i].op.name, weights[i]));
                events?.add_summary(tf.Summary(epochValues), (long)epoch * stepsPerEpoch);
                progress.Line($"epoch {epoch}/{s.Epochs}: mean loss {lossSum / epochSteps:F4}{(epochStart > 1 ? $" (steps {epochStart}-{stepsPerEpoch})" : "")}, validation accuracy {validation.Accuracy:F4}, " +
                              $"{trainSeconds:F1} s, {epochSteps * s.BatchSize / trainSeconds:F0} img/s{allreduce}");
                if (stopping && epoch < s.Epochs)
                {
                    events?.flush();
                    throw new TrainingInterruptedException($"{stop.Reason}: stopped after epoch {epoch}; checkpoint {saved} written. Go on with --resume.");
                }
            }
        });
        if (s.Distributed) CheckRanksAgree(sess, graph);
        if (!chief) return validation;
        var test = Evaluation.Run(sess, graph, data.test, model.Classes);
        Console.WriteLine($"test accuracy: {test.Accuracy:F4} on {test.Examples} images; {s.Epochs} epochs in {TrainingProgress.Eta(total.Elapsed)}");

        var weights = graph.ModelVariables.ToDictionary(v => v.op.name, v => sess.run(v.value()));
        var info = new ModelInfo(s.Model, model.Classes, [28, 28, 1], s.Dataset, data.source, s.Epochs, s.BatchSize, s.Optimizer,
            s.LearningRate, s.Seed, validation.Accuracy, test.Accuracy, graph.Output.Parameters);
        ModelDirectory.Save(s.LogDirectory, info, weights);
        Console.WriteLine($"model written to {s.LogDirectory} ({ModelDirectory.InfoFile}, {ModelDirectory.WeightsFile}); evaluate it with: sharpflow evaluate {s.LogDirectory}");
        return test;
    }

    /// <summary>
    /// With <c>--distributed</c>, at the end: a 64-bit FNV-1a hash of every variable's bytes, compared across ranks
    /// (allreduce of the minimum and maximum); the chief reports that they agree, and any rank that differs fails.
    /// </summary>
    private static void CheckRanksAgree(Session sess, ClassifierGraph graph)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in sess.run(graph.Graph.get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>().Select(v => (Tensor)v.value()).ToList()))
            foreach (var b in value.AsBytes()) hash = (hash ^ b) * 1099511628211UL;
        var signed = unchecked((long)hash);
        long lowest = 0, highest = 0;
        SharpFlow.Distributed.Mpi.Collective("the weights check", () =>
        {
            lowest = MPI.Communicator.world.Allreduce(signed, MPI.Operation<long>.Min);
            highest = MPI.Communicator.world.Allreduce(signed, MPI.Operation<long>.Max);
        });
        if (lowest != highest)
            throw new AllRanksException($"the ranks' variables differ after training (hashes from {lowest:x16} to {highest:x16})");
        Console.WriteLine($"variables identical on all {SharpFlow.Distributed.hvd.size()} ranks (hash {hash:x16})");
    }

    /// <summary>
    /// The error for a step whose loss or a gradient was NaN or infinite. The guards kept the step from changing any
    /// weight, so the variables are still those from before it: they are saved, and the step's forward and backward
    /// pass is re-run with a check after every op to name where the first bad value appeared.
    /// </summary>
    private static AllRanksException NonFinite(InvalidArgumentError guard, ClassifierGraph graph, Session sess, FeedDict feed,
        Dictionary<string, (ulong, ulong)> streams, SharpFlow.Train.Saver? saver, string checkpointPrefix, int epoch, int step, long globalStep)
    {
        if (saver is null) // a rank other than the chief, which saves: it diagnoses its own shard
        {
            sess.SetRandomPositions(streams, "the trainer");
            var found = graph.FirstNonFinite(sess, feed);
            return new AllRanksException($"training stopped at epoch {epoch}, step {step} (global step {globalStep}): {guard.RawMessage}. " +
                (found is null ? "This rank's shard shows no NaN or infinity." : $"The first NaN or infinity of this rank's shard: {found}."));
        }
        // The weights are those from before the step; put the random streams back there too, so the checkpoint is
        // exactly the state after step globalStep - 1 and the re-run draws the failed step's dropout masks.
        sess.SetRandomPositions(streams, "the trainer");
        var path = saver.save(sess, checkpointPrefix, global_step: checked((int)(globalStep - 1)));
        sess.SetRandomPositions(streams, "the trainer");
        var origin = graph.FirstNonFinite(sess, feed);
        return new AllRanksException(
            $"training stopped at epoch {epoch}, step {step} (global step {globalStep}): {guard.RawMessage}. " +
            (origin is null ? "A re-run of the step's forward and backward pass found no NaN or infinity. "
                            : $"The first NaN or infinity of the step: {origin}. ") +
            $"No weight was updated by this step; the weights from before it are in {path}. Lower --lr (or change --optimizer) and go on with --resume.");
    }
}
