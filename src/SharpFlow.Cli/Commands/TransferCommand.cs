using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SharpFlow.Cli.Training;
using SharpFlow.Cli.Transfer;
using SharpFlow.Data;
using SharpFlow.Models;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow transfer [--per-class N,…|all]</c>: seed §42's comparison. A pretrained ResNet18 (frozen) turns each
/// image into 512 bottleneck features and only a new softmax layer is trained on them; beside it, LeNet-5 is trained
/// from scratch on the same images. Both are tested on the same test images, for each training-set size.
/// </summary>
internal static class TransferCommand
{
    public static Command Create()
    {
        var perClass = new Option<string>("--per-class") { Description = "labelled training images per class, a comma-separated list; 'all' for the whole training set", DefaultValueFactory = _ => "100" };
        var test = new Option<int>("--test") { Description = "test images (the first N of the test set)", DefaultValueFactory = _ => 2000 };
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist or mnist", DefaultValueFactory = _ => "fashion-mnist" };
        dataset.AcceptOnlyFromAmong([.. DataSource.Names]);
        var data = new Option<string?>("--data") { Description = "directory of the four IDX files, or 'embedded' for the built-in sample" };
        var cache = new Option<string>("--cache") { Description = "directory for the computed bottleneck features", DefaultValueFactory = _ => Path.Combine("runs", "transfer-cache") };
        var models = new Option<string?>("--models") { Description = "directory holding ResNet18Onnx/ResNet18.onnx and ResNetPrepOnnx/ResNetPreprocess.onnx (default: next to the command)" };
        var seed = new Option<int>("--seed") { Description = "graph-level random seed", DefaultValueFactory = _ => 1 };
        var command = new Command("transfer", "Transfer learning (§42): a pretrained ResNet18's bottleneck features and a new softmax layer, against LeNet-5 trained from scratch on the same images.")
            { perClass, test, dataset, data, cache, models, seed };
        command.SetAction(result =>
        {
            var sizes = new List<int?>();
            foreach (var part in result.GetValue(perClass)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "all") sizes.Add(null);
                else if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > 0) sizes.Add(k);
                else return TrainCommand.Fail($"--per-class takes positive numbers or 'all', got '{part}'");
            }
            var testCount = result.GetValue(test);
            if (testCount <= 0 || sizes.Count == 0) return TrainCommand.Fail("--test and --per-class must be positive");
            return TrainCommand.Run(() => Run(sizes, testCount, result.GetValue(dataset)!, result.GetValue(data), result.GetValue(cache)!,
                result.GetValue(models) ?? Bottleneck.DefaultModelDirectory, result.GetValue(seed)));
        });
        return command;
    }

    private static void Run(List<int?> sizes, int testCount, string dataset, string? dataDirectory, string cache, string models, int seed)
    {
        Console.WriteLine("Transfer learning (seed §42): ResNet18 pretrained on ImageNet (ONNX, frozen) gives 512 bottleneck features per image; only a new softmax layer is trained on them.");
        var data = DataSource.Load(dataset, dataDirectory, seed, Console.WriteLine);
        var test = Take(data.test, Enumerable.Range(0, Math.Min(testCount, data.test.num_examples)).ToArray());
        using var bottleneck = Bottleneck.Create(models, data.train.images.shape[1]);
        var testFeatures = Features(bottleneck, test.Images, cache, "test");
        var rows = new List<(string Size, double Transfer, double Scratch)>();
        foreach (var size in sizes)
        {
            var indices = size is { } k ? PerClass(data.train, k) : Enumerable.Range(0, data.train.num_examples).ToArray();
            var train = Take(data.train, indices);
            var label = size is { } per ? $"{train.Images.shape[0]:N0} ({per} per class)" : $"{train.Images.shape[0]:N0} (all)";
            Console.WriteLine($"training set: {label}");
            var features = Features(bottleneck, train.Images, cache, "training");
            var transfer = TrainSoftmax(features, train.Labels, testFeatures, test.Labels, seed);
            Console.WriteLine($"  transfer (ResNet18 features + softmax): test accuracy {transfer:F4}");
            var scratch = TrainLeNet(train, test, seed);
            Console.WriteLine($"  LeNet-5 from scratch:                   test accuracy {scratch:F4}");
            rows.Add((label, transfer, scratch));
        }
        Console.WriteLine();
        Console.WriteLine($"{"training images",-24} {"transfer",10} {"from scratch",14}   (test accuracy on {test.Labels.shape[0]:N0} images)");
        foreach (var (size, transfer, scratch) in rows)
            Console.WriteLine($"{size,-24} {transfer,10:F4} {scratch,14:F4}   {(transfer > scratch ? "transfer wins" : transfer < scratch ? "from scratch wins" : "tie")}");
    }

    private sealed record Subset(NDArray Images, NDArray Labels);

    private static Subset Take(DataSet set, int[] indices)
    {
        var pixels = set.images.shape[1];
        var source = set.images.AsReadOnlySpan<float>();
        var labels = set.labels.ToArray<int>();
        var images = new float[indices.Length * pixels];
        for (var i = 0; i < indices.Length; i++) source.Slice(indices[i] * pixels, pixels).CopyTo(images.AsSpan(i * pixels));
        return new Subset(NDArray.FromFlat(images, new Shape(indices.Length, pixels)), NDArray.FromFlat(indices.Select(i => labels[i]).ToArray(), new Shape(indices.Length)));
    }

    /// <summary>The first <paramref name="perClass"/> images of every class, in data-set order.</summary>
    private static int[] PerClass(DataSet set, int perClass)
    {
        var labels = set.labels.ToArray<int>();
        var taken = new Dictionary<int, int>();
        var result = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            var count = taken.GetValueOrDefault(labels[i]);
            if (count >= perClass) continue;
            taken[labels[i]] = count + 1;
            result.Add(i);
        }
        return [.. result];
    }

    private static NDArray Features(Bottleneck bottleneck, NDArray images, string cache, string what)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var result = bottleneck.Features(images, cache, (done, total, cached) =>
        {
            if (cached) Console.WriteLine($"  {what} features: {total:N0} images, read from {cache}");
            else if (done == total || clock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {what} features: {done:N0}/{total:N0} images ({done / clock.Elapsed.TotalSeconds:F1} images/s)");
            }
        });
        return result;
    }

    /// <summary>A new softmax layer on the frozen features: Adam, 3,000 steps of 100, L2 weight decay 0.01 on the kernel.</summary>
    private static double TrainSoftmax(NDArray features, NDArray labels, NDArray testFeatures, NDArray testLabels, int seed)
    {
        var graph = new Graph();
        using var scope = graph.as_default();
        tf.set_random_seed(seed);
        var x = tf.placeholder(tf.float32, new Shape(-1, Bottleneck.Size), name: "bottleneck");
        var y = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
        var logits = tf.layers.dense(x, 10, name: "final");
        // Weight decay on the new layer's kernel (§27): with few labelled images a softmax over 512 features overfits.
        var kernel = tf.trainable_variables().Single(v => v.op.name == "final/kernel");
        var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y, logits: logits)) + 0.01f * tf.nn.l2_loss(kernel.value());
        var train = tf.train.AdamOptimizer(1e-3).minimize(loss);
        var correct = tf.reduce_sum(tf.cast(tf.equal(tf.cast(tf.argmax(logits, 1), tf.int32), y), tf.float32));
        using var sess = new Session(graph);
        sess.run(tf.global_variables_initializer());
        var set = new DataSet(features, labels, seed);
        for (var step = 0; step < 3000; step++)
        {
            var (bx, by) = set.next_batch(Math.Min(100, features.shape[0]));
            sess.run(train, new FeedDict { [x] = bx, [y] = by });
        }
        return (float)sess.run(correct, new FeedDict { [x] = testFeatures, [y] = testLabels }) / testLabels.shape[0];
    }

    /// <summary>LeNet-5 from scratch on the same images: Adam 0.001, batch 64, at least 20 epochs and 3,000 steps.</summary>
    private static double TrainLeNet(Subset train, Subset test, int seed)
    {
        var n = train.Images.shape[0];
        var epochs = Math.Max(20, (int)Math.Ceiling(3000.0 * 64 / n));
        var settings = new TrainSettings("lenet5", "fashion-mnist", epochs, 64, "adam", 1e-3, 1, seed, null, "", 1, null);
        var graph = ClassifierGraph.Build(ModelZoo.Create("lenet5", 10), 28, 28, 1, settings);
        using var sess = new Session(graph.Graph);
        using (graph.Graph.as_default()) sess.run(tf.global_variables_initializer());
        var set = new DataSet(train.Images, train.Labels, seed);
        for (var step = 0; step < epochs * Math.Max(1, n / 64); step++)
        {
            var (bx, by) = set.next_batch(Math.Min(64, n));
            sess.run(graph.TrainOp!, new FeedDict { [graph.Images] = bx, [graph.Labels] = by, [graph.Training] = true });
        }
        return Evaluation.Run(sess, graph, new DataSet(test.Images, test.Labels), 10).Accuracy;
    }
}
