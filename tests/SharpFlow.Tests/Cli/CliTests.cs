using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Cli;

/// <summary>
/// The <c>sharpflow</c> command run as a process: info tables, a short training run on the embedded sample that
/// writes a model, evaluate on it, deterministic losses for a seed, and errors as messages with exit code 1.
/// </summary>
public sealed partial class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string Output) Sharpflow(params string[] args) => SharpflowWith([], args);

    private static (int ExitCode, string Output) SharpflowWith(Dictionary<string, string> environment, params string[] args)
    {
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(args, environment));
        return (code, output);
    }

    [Theory]
    [InlineData("lenet5", "61,706")]
    [InlineData("lenet5_strided", "61,706")]
    [InlineData("convnet", "3,274,634")]
    [InlineData("vgg16", "138,357,544")]
    [InlineData("inception_v3", "23,851,784")]
    public void InfoPrintsTheLayerTableAndTotal(string model, string total)
    {
        var (code, output) = Sharpflow("info", model);
        Assert.Equal(0, code);
        Assert.Contains(total, output);
        Assert.Contains("output shape", output);
    }

    [Fact]
    public void InfoLeNet5ListsSeed37sLayers()
    {
        var (_, output) = Sharpflow("info", "lenet5");
        foreach (var row in new[] { "(?, 28, 28, 6)", "156", "(?, 14, 14, 6)", "2,416", "(?, 5, 5, 16)", "48,120", "10,164", "850" })
            Assert.Contains(row, output);
    }

    [GeneratedRegex(@"loss \d+\.\d{4}")]
    private static partial Regex LossPattern();

    [Fact]
    public void TrainingGivesBitIdenticalWeightsOnOneThreadAndOnAll()
    {
        // Every parallel loop splits its work into items that each write their own outputs and sum in a fixed order,
        // so the thread count (the runtime's processor count) cannot change a single bit of the trained weights.
        string[] Train(string logdir) =>
            ["train", "lenet5", "--data", "embedded", "--epochs", "1", "--steps-per-epoch", "15", "--seed", "9", "--logdir", logdir];
        var (one, all) = (Path.Combine(_dir, "one"), Path.Combine(_dir, "all"));
        var single = SharpflowWith(new() { ["DOTNET_PROCESSOR_COUNT"] = "1" }, Train(one));
        Assert.True(single.ExitCode == 0, single.Output);
        var parallel = SharpflowWith(new() { ["DOTNET_PROCESSOR_COUNT"] = "4" }, Train(all));
        Assert.True(parallel.ExitCode == 0, parallel.Output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(one, "model.safetensors")), File.ReadAllBytes(Path.Combine(all, "model.safetensors")));
        Assert.Equal(LossPattern().Matches(single.Output).Select(m => m.Value), LossPattern().Matches(parallel.Output).Select(m => m.Value));
    }

    [Fact]
    public void TrainWritesAModelThatEvaluateReadsAndASeedRepeatsTheLosses()
    {
        string[] Train(string logdir, int seed) =>
            ["train", "lenet5", "--data", "embedded", "--epochs", "2", "--steps-per-epoch", "12", "--log-every", "4", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--logdir", logdir];
        var first = Path.Combine(_dir, "a");
        var (code, output) = Sharpflow(Train(first, 3));
        Assert.True(code == 0, output);
        Assert.Contains("embedded in SharpFlow", output);
        Assert.Contains("epoch 2/2: mean loss", output);
        Assert.Contains("validation accuracy", output);
        var test = Regex.Match(output, @"test accuracy: (\d\.\d{4})");
        Assert.True(test.Success, output);
        Assert.True(File.Exists(Path.Combine(first, "model.json")));
        Assert.True(File.Exists(Path.Combine(first, "model.safetensors")));

        var (again, output2) = Sharpflow(Train(Path.Combine(_dir, "b"), 3));
        Assert.Equal(0, again);
        var losses = LossPattern().Matches(output).Select(m => m.Value).ToList();
        Assert.True(losses.Count >= 6, output);
        Assert.Equal(losses, LossPattern().Matches(output2).Select(m => m.Value).ToList());
        var (_, other) = Sharpflow(Train(Path.Combine(_dir, "c"), 4));
        Assert.NotEqual(losses, LossPattern().Matches(other).Select(m => m.Value).ToList());

        // The log directory holds checkpoints and a TensorBoard event file with the graph, scalars and histograms.
        Assert.Equal(Path.Combine(first, "model.ckpt-24"), tf.train.latest_checkpoint(first));
        var (eventsCode, events) = Sharpflow("events", first);
        Assert.True(eventsCode == 0, events);
        Assert.Contains("file version brain.Event:2, 1 graph(s)", events);
        Assert.Matches(@"loss\s+scalar\s+6 values, steps 4\.\.24", events);
        Assert.Matches(@"validation_accuracy\s+scalar\s+2 values, steps 12\.\.24", events);
        Assert.Matches(@"conv1/kernel\s+histogram\s+2 values", events);
        var svg = Path.Combine(_dir, "curves.svg");
        var (plotCode, plot) = Sharpflow("plot", first, "-o", svg);
        Assert.True(plotCode == 0, plot);
        var picture = File.ReadAllText(svg);
        Assert.StartsWith("<svg", picture);
        Assert.Contains(">validation_accuracy</text>", picture);
        Assert.Equal(4, Regex.Count(picture, "<polyline"));
        var png = Path.Combine(_dir, "curves.png");
        Assert.Equal(0, Sharpflow("plot", first, "-o", png).ExitCode);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);

        var (evalCode, evaluation) = Sharpflow("evaluate", first, "--data", "embedded");
        Assert.True(evalCode == 0, evaluation);
        Assert.Contains($"test accuracy {test.Groups[1].Value} on 500 images", evaluation);
        Assert.Contains("confusion matrix", evaluation);
        Assert.Contains("Ankle boot", evaluation);

        // The exported ONNX file classifies the test images in ONNX Runtime with the same accuracy.
        var onnx = Path.Combine(_dir, "lenet5.onnx");
        var (exportCode, export) = Sharpflow("export", first, "-o", onnx);
        Assert.True(exportCode == 0, export);
        Assert.Contains("input images [batch, 784] float32 pixels in 0..1, output logits [batch, 10]", export);
        var sample = SharpFlow.Data.FashionMnist.read_sample().test;
        var logits = OnnxRuntimeRunner.Run(onnx, "images", "logits", sample.images.ToArray<float>(), [sample.num_examples, 784]).Values;
        var labels = sample.labels.ToArray<int>();
        var correct = Enumerable.Range(0, labels.Length).Count(i => Array.IndexOf(logits, logits.AsSpan(i * 10, 10).ToArray().Max(), i * 10, 10) - i * 10 == labels[i]);
        Assert.Equal(test.Groups[1].Value, ((double)correct / labels.Length).ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TransferComparesResNet18FeaturesWithLeNet5FromScratchAndCachesTheFeatures()
    {
        var cache = Path.Combine(_dir, "cache");
        string[] args = ["transfer", "--data", "embedded", "--per-class", "5", "--test", "60", "--cache", cache];
        var (code, output) = Sharpflow(args);
        Assert.True(code == 0, output);
        Assert.Contains("training set: 50 (5 per class)", output);
        var transfer = Regex.Match(output, @"transfer \(ResNet18 features \+ softmax\): test accuracy (\d\.\d{4})");
        var scratch = Regex.Match(output, @"LeNet-5 from scratch:\s+test accuracy (\d\.\d{4})");
        Assert.True(transfer.Success && scratch.Success, output);
        // Both learn something from 50 images (chance is 0.1).
        Assert.True(double.Parse(transfer.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0.3, output);
        Assert.True(double.Parse(scratch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0.2, output);
        Assert.Matches(@"50 \(5 per class\)\s+\d\.\d{4}\s+\d\.\d{4}\s+(transfer wins|from scratch wins|tie)", output);
        Assert.Equal(2, Directory.GetFiles(cache, "resnet18-bottleneck-*.safetensors").Length);

        // The second run reads the features back and gets the same accuracies.
        var (again, output2) = Sharpflow(args);
        Assert.True(again == 0, output2);
        Assert.Equal(2, Regex.Count(output2, "read from"));
        Assert.Contains($"test accuracy {transfer.Groups[1].Value}", output2);
        Assert.Contains($"test accuracy {scratch.Groups[1].Value}", output2);
    }

    [Fact]
    public void ResumeGoesOnFromTheNewestCheckpointWithTheSameLosses()
    {
        string[] Train(string logdir, int epochs, bool resume = false) =>
            ["train", "lenet5", "--data", "embedded", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--steps-per-epoch", "8",
             "--log-every", "4", "--seed", "5", "--logdir", logdir, .. (resume ? new[] { "--resume" } : [])];
        var interrupted = Path.Combine(_dir, "interrupted");
        Assert.Equal(0, Sharpflow(Train(interrupted, 2)).ExitCode);
        Assert.Equal(Path.Combine(interrupted, "model.ckpt-16"), tf.train.latest_checkpoint(interrupted));
        var (code, resumed) = Sharpflow(Train(interrupted, 3, resume: true));
        Assert.True(code == 0, resumed);
        Assert.Contains("resumed from", resumed);
        Assert.Contains("2 epochs and 0 steps done", resumed);
        Assert.DoesNotContain("epoch 1/3", resumed);
        var (_, straight) = Sharpflow(Train(Path.Combine(_dir, "straight"), 3));
        string[] Epoch3(string output) => output.Split('\n').Where(l => l.StartsWith("epoch 3/3", StringComparison.Ordinal)).Select(l => Regex.Replace(l, @"\d+ img/s.*|[0-9.]+ s,.*", "")).ToArray();
        Assert.NotEmpty(Epoch3(straight));
        Assert.Equal(Epoch3(straight), Epoch3(resumed));
        // The resumed saver took over the earlier checkpoints: the state lists all three epochs.
        Assert.Equal(3, tf.train.get_checkpoint_state(interrupted)!.all_model_checkpoint_paths.Count);
    }

    [Fact]
    public void GraphDrawsTheScopesOfAModel()
    {
        var svg = Path.Combine(_dir, "graph.svg");
        var (code, output) = Sharpflow("graph", "lenet5", "-o", svg);
        Assert.True(code == 0, output);
        var picture = File.ReadAllText(svg);
        foreach (var scope in new[] { "conv1", "pool1", "fc2", "gradients", "Adam" })
            Assert.Contains($">{scope}</text>", picture);
        Assert.Contains("1 op: MaxPool", picture);
        Assert.True(Regex.Count(picture, "<line") >= 10, "few edges");
    }

    [Fact]
    public void BenchReportsTrainingAndInferenceThroughput()
    {
        var (code, output) = Sharpflow("bench", "lenet5", "--steps", "3", "--warmup", "1", "--batch", "16");
        Assert.True(code == 0, output);
        Assert.Matches(@"training\s+\d+ images/s\s+[0-9.]+ ms/step\s+[0-9.]+ MiB allocated/step", output);
        Assert.Matches(@"inference\s+\d+ images/s", output);
    }

    [Fact]
    public void BadInputIsAMessageAndExitCode1()
    {
        var (code, output) = Sharpflow("evaluate", Path.Combine(_dir, "nothing"));
        Assert.Equal(1, code);
        Assert.Contains("model.json: no such file", output);

        var (dataCode, dataOutput) = Sharpflow("train", "lenet5", "--data", Path.Combine(_dir, "no-data"), "--epochs", "1");
        Assert.Equal(1, dataCode);
        Assert.Contains("no such directory", dataOutput);

        var (modelCode, modelOutput) = Sharpflow("train", "resnet");
        Assert.NotEqual(0, modelCode);
        Assert.Contains("resnet", modelOutput);

        Directory.CreateDirectory(Path.Combine(_dir, "quiet"));
        var (eventsCode, eventsOutput) = Sharpflow("plot", Path.Combine(_dir, "quiet"), "-o", Path.Combine(_dir, "none.png"));
        Assert.Equal(1, eventsCode);
        Assert.Contains("no events.out.tfevents.* files", eventsOutput);

        Directory.CreateDirectory(Path.Combine(_dir, "edited"));
        File.WriteAllText(Path.Combine(_dir, "edited", "model.json"), "{\"model\": \"lenet5\", \"classes\": 5, \"input\": [28, 28, 1]}");
        var (editedCode, editedOutput) = Sharpflow("evaluate", Path.Combine(_dir, "edited"), "--data", "embedded");
        Assert.Equal(1, editedCode);
        Assert.Contains("expected a model of 10 classes", editedOutput);

        Directory.CreateDirectory(Path.Combine(_dir, "corrupt"));
        File.WriteAllText(Path.Combine(_dir, "corrupt", "model.json"), "{\"model\": \"lenet5\", \"classes\": 10, \"input\": [28, 28, 1]}");
        File.WriteAllBytes(Path.Combine(_dir, "corrupt", "model.safetensors"), [1, 2, 3]);
        var (corruptCode, corruptOutput) = Sharpflow("evaluate", Path.Combine(_dir, "corrupt"), "--data", "embedded");
        Assert.Equal(1, corruptCode);
        Assert.Contains("model.safetensors: truncated", corruptOutput);

        var (exportCode, exportOutput) = Sharpflow("export", Path.Combine(_dir, "nothing"));
        Assert.Equal(1, exportCode);
        Assert.Contains("model.json: no such file", exportOutput);

        var (sizesCode, sizesOutput) = Sharpflow("transfer", "--per-class", "10,many");
        Assert.Equal(1, sizesCode);
        Assert.Contains("--per-class takes positive numbers or 'all', got 'many'", sizesOutput);

        var (modelsCode, modelsOutput) = Sharpflow("transfer", "--data", "embedded", "--models", Path.Combine(_dir, "no-models"));
        Assert.Equal(1, modelsCode);
        Assert.Contains("ResNet18.onnx does not exist", modelsOutput);
    }
}
