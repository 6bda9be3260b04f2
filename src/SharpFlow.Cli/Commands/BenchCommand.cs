using System.CommandLine;
using System.Diagnostics;
using SharpFlow.Cli.Training;
using SharpFlow.Cli.Transfer;
using SharpFlow.Models;
using SharpFlow.Onnx;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow bench MODEL [--batch N] [--steps N] [--warmup N] [--inference]</c>: training and inference
/// throughput in images per second on a fixed, seeded random batch (after warm-up steps), and the bytes allocated
/// per step. The small models read 28×28×1 images and have 10 classes; ResNet18, VGG-16 and Inception-v3 read
/// their own input size (224×224×3, 299×299×3) and have 1000 classes. <c>--pretrained</c> measures the pretrained
/// ONNX ResNet18 that <c>sharpflow transfer</c> imports instead of SharpFlow's seeded one (inference only);
/// <c>--peak-memory</c> measures the process's peak memory for loading the data set and 300 training steps.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] Small = ["lenet5", "lenet5_strided", "convnet", "mlp", "lstm"];
    private static readonly string[] Large = ["resnet18", "vgg16", "inception_v3"];

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = string.Join(", ", Small.Concat(Large)) };
        model.AcceptOnlyFromAmong([.. Small, .. Large]);
        var batch = new Option<int?>("--batch") { Description = "images per step (default 64 for the LeNet-5 models, 32 for resnet18, 8 for vgg16 and inception_v3, 100 otherwise)" };
        var steps = new Option<int?>("--steps") { Description = "timed steps (default 50; 10 for resnet18, vgg16 and inception_v3; 300 with --peak-memory)" };
        var warmup = new Option<int?>("--warmup") { Description = "untimed steps first (and at least 3 seconds, so the JIT's tiers settle; default 20, 3 for the large models)" };
        var inference = new Option<bool>("--inference") { Description = "measure inference only, on the inference graph (batch normalization on its moving statistics, no dropout)" };
        var pretrained = new Option<bool>("--pretrained") { Description = "with resnet18 --inference: the pretrained ONNX ResNet18 of Microsoft.ML.DnnImageFeaturizer.ResNet18 (as sharpflow transfer imports it, up to its pooled features) instead of SharpFlow's seeded ResNet18" };
        var peakMemory = new Option<bool>("--peak-memory") { Description = "the process's peak memory (VmHWM) for loading Fashion-MNIST and --steps training steps on it, measured alone" };
        var input = new Option<string?>("--input") { Description = "tfrecord:DIR also measures training fed by the tf.data pipeline of `train --input` (with its augmentation) against the in-memory batch, and the pipeline alone" };
        var augment = new Option<string?>("--augment") { Description = $"with --input: the distortions, as for train (default {Augmentation.Default})" };
        var command = new Command("bench", "Training and inference images/s of a model on a fixed batch.") { model, batch, steps, warmup, inference, pretrained, peakMemory, input, augment };
        command.SetAction(result =>
        {
            var name = result.GetValue(model)!;
            var large = Large.Contains(name);
            var memory = result.GetValue(peakMemory);
            var b = result.GetValue(batch) ?? (large ? (name == "resnet18" ? 32 : 8) : ModelDefaults.For(name).Batch);
            var s = result.GetValue(steps) ?? (memory ? 300 : large ? 10 : 50);
            var w = result.GetValue(warmup) ?? (large ? 3 : 20);
            if (b <= 0 || s <= 0 || w < 0) return TrainCommand.Fail("--batch and --steps must be positive, --warmup not negative");
            var inferenceOnly = result.GetValue(inference);
            var onnx = result.GetValue(pretrained);
            if (onnx && (name != "resnet18" || !inferenceOnly)) return TrainCommand.Fail("--pretrained measures the pretrained ResNet18's inference: use it with resnet18 --inference");
            if (memory && (large || inferenceOnly)) return TrainCommand.Fail("--peak-memory measures training on Fashion-MNIST: use it with lenet5, lenet5_strided, convnet, mlp or lstm, without --inference");
            var records = result.GetValue(input);
            if (records is not null && (large || inferenceOnly || memory)) return TrainCommand.Fail("--input measures the training of the 28×28 models: not with resnet18, vgg16, inception_v3, --inference or --peak-memory");
            return TrainCommand.Run(() =>
            {
                if (memory) PeakMemory(name, b, s);
                else if (onnx) BenchPretrained(b, s, w);
                else if (RecordInput.DirectoryOf(records) is { } dir) BenchPipeline(name, b, s, w, dir, Augmentation.Parse(result.GetValue(augment) ?? Augmentation.Default));
                else Bench(name, b, s, w, inferenceOnly);
            });
        });
        return command;
    }

    private static void Bench(string name, int batch, int steps, int warmup, bool inferenceOnly)
    {
        var large = Large.Contains(name);
        var model = ModelZoo.Create(name, large ? null : 10);
        var (h, w, c) = large ? model.DefaultInput : (28, 28, 1);
        // An inference-only run builds the inference graph (training a constant false), as an exported model has it.
        var settings = inferenceOnly ? null : new TrainSettings(name, "fashion-mnist", 1, batch, "adam", 1e-3, 1, 1, null, "", 1, null);
        var graph = ClassifierGraph.Build(model, h, w, c, settings);
        var random = new Random(1);
        var images = NDArray.FromFlat(Enumerable.Range(0, batch * h * w * c).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(batch, h * w * c));
        var labels = NDArray.FromFlat(Enumerable.Range(0, batch).Select(_ => random.Next(model.Classes)).ToArray(), new Shape(batch));
        using var sess = new Session(graph.Graph);
        using (graph.Graph.as_default()) sess.run(tf.global_variables_initializer());
        var train = new FeedDict { [graph.Images] = images, [graph.Labels] = labels, [graph.Training] = true };
        var infer = new FeedDict { [graph.Images] = images };
        Console.WriteLine($"{model.Title}: {h}×{w}×{c} input, {model.Classes} classes, batch {batch}, {warmup} warm-up and {steps} timed steps, {Environment.ProcessorCount} threads");
        long trainKept = 0, trainRequested = 0;
        if (!inferenceOnly)
        {
            Report("training", steps, batch, Measure(() => sess.run(graph.TrainOp!, train), steps, warmup));
            (trainKept, trainRequested) = (sess.PooledBytes, sess.RequestedBytes);
        }
        Report("inference", steps, batch, Measure(() => sess.run(graph.Predictions, infer), steps, warmup));
        var (inferKept, inferRequested) = (sess.PooledBytes - trainKept, sess.RequestedBytes - trainRequested);
        long variables;
        using (graph.Graph.as_default()) variables = tf.global_variables().Sum(v => v.shape.NumElements * v.dtype.size);
        Console.WriteLine(inferenceOnly
            ? $"memory: variables {MiB(variables)}; op outputs per step {MiB(inferRequested)} inference; reused buffers kept {MiB(inferKept)}; process peak {MiB(PeakWorkingSet())}"
            : $"memory: variables {MiB(variables)} (parameters and optimizer slots); op outputs per step {MiB(trainRequested)} training, " +
              $"{MiB(inferRequested)} inference; reused buffers kept {MiB(trainKept)} training, {MiB(inferKept)} inference; " +
              $"process peak {MiB(PeakWorkingSet())}");
    }

    /// <summary>
    /// The pretrained ResNet18 (the ONNX file <c>sharpflow transfer</c> uses) imported with NHWC input, up to its
    /// pooled 512 features, on a seeded random batch of 224×224×3 images: the network ONNX Runtime runs in
    /// <c>benchmarks/SharpFlow.Benchmarks</c>.
    /// </summary>
    private static void BenchPretrained(int batch, int steps, int warmup)
    {
        var path = Path.Combine(Bottleneck.DefaultModelDirectory, "ResNet18Onnx", "ResNet18.onnx");
        if (!File.Exists(path)) throw new NotFoundError($"{path} does not exist (the pretrained ResNet18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18)");
        var graph = new Graph();
        Tensor images, features;
        using (graph.as_default())
        {
            images = tf.placeholder(tf.float32, new Shape(-1, 224, 224, 3), name: "images");
            var net = OnnxModel.Load(path).Import(new OnnxImportOptions { Nhwc = true, Name = "resnet18", InputMap = new Dictionary<string, Tensor> { ["Input247"] = images } });
            features = net.Outputs["Pooling395_Output_0"];
        }
        var random = new Random(1);
        var batchImages = NDArray.FromFlat(Enumerable.Range(0, batch * 224 * 224 * 3).Select(_ => (float)random.NextDouble()).ToArray(), new Shape(batch, 224, 224, 3));
        using var sess = new Session(graph);
        var feed = new FeedDict { [images] = batchImages };
        Console.WriteLine($"ResNet18 pretrained (Microsoft.ML.DnnImageFeaturizer.ResNet18's ONNX, imported NHWC, to its pooled features): batch {batch}, {warmup} warm-up and {steps} timed steps, {Environment.ProcessorCount} threads");
        Report("inference", steps, batch, Measure(() => sess.run(features, feed), steps, warmup));
        Console.WriteLine($"memory: op outputs per step {MiB(sess.RequestedBytes)}; reused buffers kept {MiB(sess.PooledBytes)}; process peak {MiB(PeakWorkingSet())}");
    }

    /// <summary>
    /// The process's peak memory for a plain training run: load Fashion-MNIST as <c>sharpflow train</c> does, then
    /// <paramref name="steps"/> training steps on its shuffled batches (what <c>benchmarks/pytorch_reference.py</c>
    /// measures for PyTorch with <c>getrusage</c>).
    /// </summary>
    private static void PeakMemory(string name, int batch, int steps)
    {
        var data = DataSource.Load("fashion-mnist", null, 1, Console.WriteLine);
        Console.WriteLine($"after loading: process peak {MiB(PeakWorkingSet())}, managed heap {MiB(GC.GetTotalMemory(false))}");
        var model = ModelZoo.Create(name, 10);
        var settings = new TrainSettings(name, "fashion-mnist", 1, batch, "adam", 1e-3, 1, 1, null, "", 1, null);
        var graph = ClassifierGraph.Build(model, 28, 28, 1, settings);
        using var sess = new Session(graph.Graph);
        using (graph.Graph.as_default()) sess.run(tf.global_variables_initializer());
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            var (x, y) = data.train.next_batch(batch);
            sess.run(graph.TrainOp!, new FeedDict { [graph.Images] = x, [graph.Labels] = y.Cast(DType.int32), [graph.Training] = true });
        }
        Console.WriteLine($"{model.Title}: batch {batch}, {steps} training steps in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"peak memory (load data + {steps} steps): process peak {MiB(PeakWorkingSet())} (VmHWM), working set now {MiB(Environment.WorkingSet)}");
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

    // Linux: /proc/self/status's VmHWM, the resident set's high-water mark (what getrusage's ru_maxrss reports).
    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static string MiB(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MiB";

    private static (double Seconds, long Bytes) Measure(Action step, int steps, int warmup)
    {
        // Tiered compilation re-optimizes hot kernels after their first calls: warm up by steps and by time. A plan
        // keeps its run's buffers from its second run on, so that run fills the pool: warm up past it too, or a
        // large model whose first step alone takes the 3 seconds counts the pool's buffers as per-step allocation.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < warmup || (warmup > 0 && (i < 2 || warm.Elapsed.TotalSeconds < 3)); i++) step();
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
