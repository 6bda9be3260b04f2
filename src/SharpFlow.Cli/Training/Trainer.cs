using System.Diagnostics;
using SharpFlow.Models;
using SharpFlow.Summaries;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Training;

/// <summary>
/// The training loop of <c>sharpflow train</c>: shuffled mini-batches (TensorFlow's <c>next_batch</c>), one optimizer
/// step each, validation accuracy after every epoch, test accuracy at the end, and the model's variables written
/// to the log directory. After every epoch a checkpoint of all variables (optimizer slots and global step
/// included) goes to <c>LOGDIR/model.ckpt-STEP</c>; <c>--resume</c> restores the newest and goes on from the next
/// epoch, replaying the data order, so a resumed run without dropout prints the losses of an uninterrupted one.
/// The same seed gives the same losses.
/// </summary>
internal static class Trainer
{
    public static Evaluation Run(TrainSettings s, bool live)
    {
        var data = DataSource.Load(s.Dataset, s.DataDirectory, s.Seed, Console.WriteLine);
        var model = ModelZoo.Create(s.Model, 10);
        var stepsPerEpoch = (data.train.num_examples + s.BatchSize - 1) / s.BatchSize;
        if (s.MaxStepsPerEpoch is { } max) stepsPerEpoch = Math.Min(stepsPerEpoch, max);
        var graph = ClassifierGraph.Build(model, 28, 28, 1, s, stepsPerEpoch);
        Console.WriteLine($"model: {model.Title}; {graph.Output.Parameters:N0} parameters");
        Console.WriteLine($"training: {s.Epochs} epochs of {stepsPerEpoch} steps, batch {s.BatchSize}, {s.Optimizer} lr {s.LearningRate}" +
                          (s.LearningRateDecay != 1 ? $" × {s.LearningRateDecay} per epoch" : "") + $", seed {s.Seed}");

        using var sess = new Session(graph.Graph);
        SharpFlow.Train.Saver saver;
        using (graph.Graph.as_default())
        {
            sess.run(tf.global_variables_initializer());
            saver = tf.train.Saver(max_to_keep: 3);
        }
        var checkpointPrefix = Path.Combine(s.LogDirectory, "model.ckpt");
        Directory.CreateDirectory(s.LogDirectory);
        // TensorBoard: the graph now; loss and learning rate every --log-every steps; validation accuracy and
        // weight histograms after every epoch.
        using var events = tf.summary.FileWriter(s.LogDirectory, graph.Graph);
        var firstEpoch = 1;
        if (s.Resume)
        {
            var latest = tf.train.latest_checkpoint(s.LogDirectory);
            if (latest is null) Console.WriteLine($"resume: no checkpoint in {s.LogDirectory}; starting from the beginning");
            else
            {
                saver.restore(sess, latest);
                saver.recover_last_checkpoints(tf.train.get_checkpoint_state(s.LogDirectory)!.all_model_checkpoint_paths);
                var globalStep = sess.run(graph.GlobalStep!).Cast(DType.int64).ToArray<long>()[0];
                if (globalStep % stepsPerEpoch != 0)
                    throw new InvalidOperationException($"{latest} was saved at step {globalStep}, not at the end of an epoch of {stepsPerEpoch} steps: resume with the same --batch and --steps-per-epoch");
                var completed = (int)(globalStep / stepsPerEpoch);
                // Replay the batches drawn so far so the data order goes on as in an uninterrupted run.
                for (var i = 0; i < completed * stepsPerEpoch; i++) data.train.next_batch(s.BatchSize);
                firstEpoch = completed + 1;
                Console.WriteLine($"resumed from {latest}: {completed} epochs done");
            }
        }
        var total = Stopwatch.StartNew();
        var training = new Stopwatch(); // training steps only, not the evaluations between epochs
        var validation = new Evaluation(0, new int[1, 1], 0);
        var trainOp = graph.TrainOp!;
        TrainingProgress.Run(live, Math.Max(0, s.Epochs - firstEpoch + 1) * stepsPerEpoch, s.LogEvery, progress =>
        {
            var done = 0;
            var toDo = Math.Max(0, s.Epochs - firstEpoch + 1) * stepsPerEpoch;
            for (var epoch = firstEpoch; epoch <= s.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                training.Start();
                double lossSum = 0;
                for (var step = 1; step <= stepsPerEpoch; step++)
                {
                    var (images, labels) = data.train.next_batch(s.BatchSize);
                    var (_, loss, rate) = sess.run((trainOp, graph.Loss, graph.LearningRate!), new FeedDict { [graph.Images] = images, [graph.Labels] = labels, [graph.Training] = true });
                    var value = loss.AsReadOnlySpan<float>()[0];
                    if (!float.IsFinite(value)) throw new InvalidOperationException($"the loss became {value} at epoch {epoch}, step {step}: lower --lr");
                    var globalStep = (long)(epoch - 1) * stepsPerEpoch + step;
                    if (step % s.LogEvery == 0 || step == stepsPerEpoch)
                        events.add_summary(tf.Summary(SummaryValue.FromScalar("loss", value), SummaryValue.FromScalar("learning_rate", rate.Cast(DType.float64).ToArray<double>()[0])), globalStep);
                    lossSum += value;
                    done++;
                    var seconds = training.Elapsed.TotalSeconds;
                    var imagesPerSecond = done * s.BatchSize / Math.Max(seconds, 1e-9);
                    var eta = TimeSpan.FromSeconds(seconds / done * (toDo - done));
                    progress.Step(epoch, s.Epochs, step, stepsPerEpoch, value, imagesPerSecond, eta);
                }
                training.Stop();
                var trainSeconds = clock.Elapsed.TotalSeconds;
                validation = Evaluation.Run(sess, graph, data.validation, model.Classes);
                saver.save(sess, checkpointPrefix, global_step: epoch * stepsPerEpoch);
                var epochValues = new List<SummaryValue> { SummaryValue.FromScalar("validation_accuracy", validation.Accuracy), SummaryValue.FromScalar("images_per_second", stepsPerEpoch * s.BatchSize / trainSeconds) };
                var trainable = graph.Graph.get_collection(GraphKeys.TRAINABLE_VARIABLES).OfType<Variable>().ToList();
                var weights = sess.run(trainable.Select(v => (Tensor)v.value()).ToList());
                for (var i = 0; i < trainable.Count; i++) epochValues.Add(SummaryValue.FromHistogram(trainable[i].op.name, weights[i]));
                events.add_summary(tf.Summary(epochValues), (long)epoch * stepsPerEpoch);
                progress.Line($"epoch {epoch}/{s.Epochs}: mean loss {lossSum / stepsPerEpoch:F4}, validation accuracy {validation.Accuracy:F4}, " +
                              $"{trainSeconds:F1} s, {stepsPerEpoch * s.BatchSize / trainSeconds:F0} img/s");
            }
        });
        var test = Evaluation.Run(sess, graph, data.test, model.Classes);
        Console.WriteLine($"test accuracy: {test.Accuracy:F4} on {test.Examples} images; {s.Epochs} epochs in {TrainingProgress.Eta(total.Elapsed)}");

        var weights = graph.ModelVariables.ToDictionary(v => v.op.name, v => sess.run(v.value()));
        var info = new ModelInfo(s.Model, model.Classes, [28, 28, 1], s.Dataset, data.source, s.Epochs, s.BatchSize, s.Optimizer,
            s.LearningRate, s.Seed, validation.Accuracy, test.Accuracy, graph.Output.Parameters);
        ModelDirectory.Save(s.LogDirectory, info, weights);
        Console.WriteLine($"model written to {s.LogDirectory} ({ModelDirectory.InfoFile}, {ModelDirectory.WeightsFile}); evaluate it with: sharpflow evaluate {s.LogDirectory}");
        return test;
    }
}
