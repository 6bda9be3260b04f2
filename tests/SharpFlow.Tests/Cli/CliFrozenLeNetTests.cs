using Google.Protobuf;
using System.Globalization;
using System.Text.RegularExpressions;
using SharpFlow.Data;

namespace SharpFlow.Tests.Cli;

/// <summary>
/// Issue 19's done-when checks through the command line: a LeNet-5 trained by <c>sharpflow train</c>, frozen by
/// <c>sharpflow export --format frozen</c> and re-imported with <c>tf.import_graph_def</c> classifies the test set
/// with the accuracy <c>sharpflow evaluate</c> prints; <c>sharpflow inspect</c> lists every op type a GraphDef
/// has that SharpFlow lacks.
/// </summary>
public sealed partial class CliFrozenLeNetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-frozen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string Output) Sharpflow(params string[] args)
    {
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(args, new Dictionary<string, string>()));
        return (code, output);
    }

    [GeneratedRegex(@"test accuracy (\d+\.\d+) on (\d+) images")]
    private static partial Regex AccuracyLine();

    [Fact]
    public void AFrozenLeNet5ClassifiesTheTestSetWithTheAccuracyEvaluatePrints()
    {
        var model = Path.Combine(_dir, "lenet5");
        var (trainCode, train) = Sharpflow("train", "lenet5", "--data", "embedded", "--epochs", "1", "--steps-per-epoch", "8", "--seed", "1", "--logdir", model);
        Assert.True(trainCode == 0, train);
        var (evalCode, evaluate) = Sharpflow("evaluate", model, "--data", "embedded");
        Assert.True(evalCode == 0, evaluate);
        var match = AccuracyLine().Match(evaluate);
        Assert.True(match.Success, evaluate);
        var printed = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var examples = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var (frozenCode, frozen) = Sharpflow("export", model, "--format", "frozen");
        Assert.True(frozenCode == 0, frozen);

        // A fresh graph: only the frozen file and the test images.
        var test = FashionMnist.read_sample(validation_size: 200, seed: 1).test;
        Assert.Equal(examples, test.num_examples);
        using var g = new Graph().as_default();
        var graphDef = Tensorflow.GraphDef.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(model, "frozen.pb")));
        var returned = tf.import_graph_def(graphDef, return_elements: ["images:0", "predictions:0"])!;
        using var sess = tf.Session();
        var predicted = sess.run((Tensor)returned[1], new FeedDict { [(Tensor)returned[0]] = test.images }).ToArray<int>();
        var truth = test.labels.ToArray<int>();
        var correct = predicted.Zip(truth).Count(p => p.First == p.Second);
        var accuracy = (double)correct / truth.Length;
        Assert.Equal(printed.ToString("F4", CultureInfo.InvariantCulture), accuracy.ToString("F4", CultureInfo.InvariantCulture));
        Assert.True(accuracy > 0.1, $"a LeNet-5 trained for 8 steps should beat chance, got {accuracy}");
    }

    [Fact]
    public void InspectListsEveryOpTypeSharpFlowLacksAtOnce()
    {
        var graphDef = new Tensorflow.GraphDef();
        foreach (var (name, op) in new[] { ("x", "Placeholder"), ("a", "NoSuchOpA"), ("b", "NoSuchOpB"), ("c", "NoSuchOpA"), ("r", "Relu") })
            graphDef.Node.Add(new Tensorflow.NodeDef { Name = name, Op = op });
        var path = Path.Combine(_dir, "missing.pb");
        File.WriteAllBytes(path, graphDef.ToByteArray());
        var (code, output) = Sharpflow("inspect", path);
        Assert.True(code == 0, output);
        Assert.Contains("op types SharpFlow cannot import yet: NoSuchOpA, NoSuchOpB", output);

        // and the importer names every such node and type in one error
        using var g = new Graph().as_default();
        var e = Assert.Throws<UnimplementedError>(() => tf.import_graph_def(graphDef));
        Assert.Contains("'a' (NoSuchOpA), 'b' (NoSuchOpB), 'c' (NoSuchOpA)", e.Message);
        Assert.Contains("Missing op types: NoSuchOpA, NoSuchOpB", e.Message);
    }
}
