using System.CommandLine;
using System.Diagnostics;
using SharpFlow.Cli.Training;
using SharpFlow.Models;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow bench lenet5|convnet [--batch N] [--steps N]</c>: training and inference throughput in images per
/// second on a fixed random batch (after warm-up steps), and the bytes allocated per step.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "lenet5, lenet5_strided, convnet, mlp or lstm" };
        model.AcceptOnlyFromAmong("lenet5", "lenet5_strided", "convnet", "mlp", "lstm");
        var batch = new Option<int?>("--batch") { Description = "images per step (default 64 for the LeNet-5 models, 100 otherwise)" };
        var steps = new Option<int>("--steps") { Description = "timed steps", DefaultValueFactory = _ => 50 };
        var warmup = new Option<int>("--warmup") { Description = "untimed steps first (and at least 3 seconds, so the JIT's tiers settle)", DefaultValueFactory = _ => 20 };
        var input = new Option<string?>("--input") { Description = "tfrecord:DIR also measures training fed by the tf.data pipeline of `train --input` (with its augmentation) against the in-memory batch, and the pipeline alone" };
        var augment = new Option<string?>("--augment") { Description = $"with --input: the distortions, as for train (default {Augmentation.Default})" };
        var command = new Command("bench", "Training and inference images/s of a model on a fixed batch.") { model, batch, steps, warmup, input, augment };
        command.SetAction(result =>
        {
            var name = result.GetValue(model)!;
            var b = result.GetValue(batch) ?? ModelDefaults.For(name).Batch;
            var (s, w) = (result.GetValue(steps), result.GetValue(warmup));
            if (b <= 0 || s <= 0 || w < 0) return TrainCommand.Fail("--batch and --steps must be positive, --warmup not negative");
            var records = result.GetValue(input);
            return TrainCommand.Run(() =>
            {
                if (RecordInput.DirectoryOf(records) is { } dir) BenchPipeline(name, b, s, w, dir, Augmentation.Parse(result.GetValue(augment) ?? Augmentation.Default));
                else Bench(name, b, s, w);
            });
        });
        return command;
    }

    private static void Bench(string name, int batch, int steps, int warmup)
    {
        var model = ModelZoo.Create(name, 10);
        var settings = new TrainSettings(name, "fashion-mnist", 1, batch, "adam", 1e-3, 1, 1, null, "", 1, null);
        var graph = ClassifierGraph.Build(model, 28, 28, 1, settings);
        var random = new Random(1);
        var images = NDArray.FromFlat(Enumerable.Range(0, batch * 784).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(batch, 784));
        var labels = NDArray.FromFlat(Enumerable.Range(0, batch).Select(_ => random.Next(10)).ToArray(), new Shape(batch));
        using var sess = new Session(graph.Graph);
        using (graph.Graph.as_default()) sess.run(tf.global_variables_initializer());
        var train = new FeedDict { [graph.Images] = images, [graph.Labels] = labels, [graph.Training] = true };
        var infer = new FeedDict { [graph.Images] = images };
        Console.WriteLine($"{model.Title}: batch {batch}, {warmup} warm-up and {steps} timed steps, {Environment.ProcessorCount} threads");
        Report("training", steps, batch, Measure(() => sess.run(graph.TrainOp!, train), steps, warmup));
        var (trainKept, trainRequested) = (sess.PooledBytes, sess.RequestedBytes);
        Report("inference", steps, batch, Measure(() => sess.run(graph.Predictions, infer), steps, warmup));
        var (inferKept, inferRequested) = (sess.PooledBytes - trainKept, sess.RequestedBytes - trainRequested);
        long variables;
        using (graph.Graph.as_default()) variables = tf.global_variables().Sum(v => v.shape.NumElements * v.dtype.size);
        Console.WriteLine($"memory: variables {MiB(variables)} (parameters and optimizer slots); op outputs per step {MiB(trainRequested)} training, " +
                          $"{MiB(inferRequested)} inference; reused buffers kept {MiB(trainKept)} training, {MiB(inferKept)} inference; " +
                          $"process peak {MiB(PeakWorkingSet())}");
    }

    /// <summary>
    /// Training fed from memory against training fed by the TFRecord pipeline, in alternating rounds (the machine's
    /// speed drifts), and the pipeline's own throughput with nothing else running.
    /// </summary>
    private static void BenchPipeline(string name, int batch, int steps, int warmup, string dir, Augmentation augment)
    {
        var (count, height, width, depth) = RecordInput.Describe(dir, "train");
        var files = RecordInput.Files(dir, "train");
        var settings = new TrainSettings(name, "fashion-mnist", 1, batch, "adam", 1e-3, 1, 1, null, "", 1, null);

        // The pipeline alone: parse, decode, distort and batch, pulled as fast as it goes.
        var alone = new Graph();
        RecordPipeline pipeline;
        using (alone.as_default()) pipeline = RecordPipeline.Build(files, count, height, width, depth, batch, 1, augment);
        using var pipelineSession = new Session(alone);
        pipelineSession.run(pipeline.Initializer);
        var pulled = Measure(() => pipelineSession.run([pipeline.Images, pipeline.Labels]), steps * 4, warmup);
        Console.WriteLine($"{ModelZoo.Create(name, 10).Title}: batch {batch}, {count} records in {files.Length} file(s), augmentation: {augment}; {Environment.ProcessorCount} threads");
        Report("pipeline", steps * 4, batch, pulled);

        var memoryGraph = ClassifierGraph.Build(ModelZoo.Create(name, 10), 28, 28, 1, settings);
        RecordPipeline? fed = null;
        var pipelineGraph = ClassifierGraph.Build(ModelZoo.Create(name, 10), 28, 28, 1, settings, 1, () =>
        {
            fed = RecordPipeline.Build(files, count, height, width, depth, batch, 1, augment);
            return (fed.Images, fed.Labels);
        });
        var random = new Random(1);
        var images = NDArray.FromFlat(Enumerable.Range(0, batch * 784).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(batch, 784));
        var labels = NDArray.FromFlat(Enumerable.Range(0, batch).Select(_ => random.Next(10)).ToArray(), new Shape(batch));
        using var memorySession = new Session(memoryGraph.Graph);
        using (memoryGraph.Graph.as_default()) memorySession.run(tf.global_variables_initializer());
        using var pipelineSessionTrain = new Session(pipelineGraph.Graph);
        using (pipelineGraph.Graph.as_default()) pipelineSessionTrain.run(tf.global_variables_initializer());
        pipelineSessionTrain.run(fed!.Initializer);
        var memoryFeed = new FeedDict { [memoryGraph.Images] = images, [memoryGraph.Labels] = labels, [memoryGraph.Training] = true };
        var pipelineFeed = new FeedDict { [pipelineGraph.Training] = true };
        const int rounds = 3;
        var (memoryRate, pipelineRate) = (new List<double>(), new List<double>());
        for (var r = 0; r < rounds; r++)
        {
            var m = Measure(() => memorySession.run(memoryGraph.TrainOp!, memoryFeed), steps, r == 0 ? warmup : 0);
            var p = Measure(() => pipelineSessionTrain.run(pipelineGraph.TrainOp!, pipelineFeed), steps, r == 0 ? warmup : 0);
            memoryRate.Add(steps * batch / m.Seconds);
            pipelineRate.Add(steps * batch / p.Seconds);
            Report($"in-memory", steps, batch, m);
            Report($"tfrecord", steps, batch, p);
        }
        var (mm, pm) = (Median(memoryRate), Median(pipelineRate));
        Console.WriteLine($"training fed by the pipeline: {pm:F0} images/s against {mm:F0} in memory (medians of {rounds} alternating rounds): {pm / mm * 100:F1}%");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static string MiB(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MiB";

    private static (double Seconds, long Bytes) Measure(Action step, int steps, int warmup)
    {
        // Tiered compilation re-optimizes hot kernels after their first calls: warm up by steps and by time.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < warmup || (warmup > 0 && warm.Elapsed.TotalSeconds < 3); i++) step();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) step();
        var seconds = clock.Elapsed.TotalSeconds;
        return (seconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static void Report(string what, int steps, int batch, (double Seconds, long Bytes) m) =>
        Console.WriteLine($"{what,-10} {steps * batch / m.Seconds,10:F0} images/s  {m.Seconds / steps * 1000,8:F2} ms/step  {m.Bytes / steps / 1024.0 / 1024.0,8:F2} MiB allocated/step");
}
