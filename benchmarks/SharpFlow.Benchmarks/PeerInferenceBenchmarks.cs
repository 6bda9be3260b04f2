using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.ML.OnnxRuntime;
using SharpFlow.Models;
using SharpFlow.Onnx;
using static SharpFlow.Binding;

namespace SharpFlow.Benchmarks;

/// <summary>
/// Inference of the same network in SharpFlow and in ONNX Runtime (2 intra-op threads), both in the benchmark's
/// own process, one case at a time:
/// <list type="bullet">
/// <item><c>resnet18/1</c>, <c>resnet18/8</c>: the pretrained ResNet18 (NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18) up to its pooled features, NCHW input, at batch 1 and 8 (the file
/// declares batch 1; its batch dimension is made symbolic for both);</item>
/// <item><c>vgg16/1</c>, <c>inception_v3/1</c>: VGG-16 (224×224×3) and Inception-v3 (299×299×3) built by
/// SharpFlow.Models with seeded weights (1000 classes, inference graph), exported with <c>OnnxModel.Export</c>;
/// both run the exported file (SharpFlow imports it with <c>OnnxModel.Import</c>, its weights constants).</item>
/// </list>
/// The setup runs both on the same seeded batch and throws unless their outputs agree within 1e-3 (absolute, and
/// relative to the largest output).
/// <c>dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- --filter '*PeerInference*'</c>
/// </summary>
[Config(typeof(PeerConfig))]
public class PeerInferenceBenchmarks : IDisposable
{
    /// <summary>In process (SharpFlow and ONNX Runtime side by side) and short: a VGG-16 step takes a second.</summary>
    private sealed class PeerConfig : ManualConfig
    {
        public PeerConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8));
    }

    private static readonly string ResNet18Path = Path.Combine(AppContext.BaseDirectory, "ResNet18.onnx");
    private const double Tolerance = 1e-3;

    private Session? _session;
    private Tensor? _output;
    private FeedDict? _feed;
    private InferenceSession? _ort;
    private OrtValue? _input;
    private float[] _inputData = [];
    private RunOptions? _run;
    private string _inputName = "", _outputName = "";

    /// <summary>
    /// The network and the batch: resnet18/1, resnet18/8, vgg16/1, inception_v3/1; <c>SHARPFLOW_PEER_CASES</c>
    /// (comma-separated, e.g. <c>resnet18/1,resnet18/8</c>) runs only those. <c>SHARPFLOW_PREPACK=0</c> measures
    /// SharpFlow without its prepacked constant weights.
    /// </summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "resnet18/1";

    /// <summary>The cases to run.</summary>
    public static IEnumerable<string> Cases =>
        Environment.GetEnvironmentVariable("SHARPFLOW_PEER_CASES") is { Length: > 0 } only
            ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ["resnet18/1", "resnet18/8", "vgg16/1", "inception_v3/1"];

    [GlobalSetup]
    public void Setup()
    {
        var name = Case.Split('/')[0];
        var batch = int.Parse(Case.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
        byte[] onnx;
        long[] shape;
        var graph = new Graph();
        if (name == "resnet18")
        {
            var model = OnnxModel.Load(ResNet18Path);
            // The file fixes the batch at 1: name the batch dimension of its input and output instead.
            foreach (var value in model.Proto.Graph.Input.Concat(model.Proto.Graph.Output))
                value.Type.TensorType.Shape.Dim[0].DimParam = "N";
            onnx = model.ToByteArray();
            (_inputName, _outputName) = ("Input247", "Pooling395_Output_0");
            shape = [batch, 3, 224, 224];
            using (graph.as_default())
            {
                var net = OnnxModel.Parse(onnx, "ResNet18.onnx").Import();
                _output = net.Outputs[_outputName];
                _feed = new FeedDict { [net.Inputs[_inputName]] = Images(shape) };
            }
            _session = new Session(graph);
        }
        else
        {
            var model = ModelZoo.Create(name);
            var (h, w, c) = model.DefaultInput;
            shape = [batch, h, w, c];
            (_inputName, _outputName) = ("images", "logits");
            Tensor images;
            using (graph.as_default())
            {
                tf.set_random_seed(1);
                images = tf.placeholder(tf.float32, new Shape(-1, h, w, c), name: "images");
                _output = tf.identity(model.Build(images, false).Logits, name: "logits");
            }
            using (var exporting = new Session(graph))
            {
                using (graph.as_default()) exporting.run(tf.global_variables_initializer());
                onnx = OnnxModel.Export(exporting, new Dictionary<string, Tensor> { ["images"] = images }, new Dictionary<string, Tensor> { ["logits"] = _output }).ToByteArray();
            }
            // Like for like: SharpFlow runs the exported file as ONNX Runtime does, imported with its weights as
            // constants (which the session prepacks, as ONNX Runtime prepacks its initializers), not the
            // exporting session's variables.
            graph = new Graph();
            using (graph.as_default())
            {
                var net = OnnxModel.Parse(onnx, name + ".onnx").Import();
                _output = net.Outputs[_outputName];
                _feed = new FeedDict { [net.Inputs[_inputName]] = Images(shape) };
            }
            _session = new Session(graph);
        }
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        // SHARPFLOW_PEER_ORT_PROFILE=prefix: ONNX Runtime writes its per-node timings (Chrome trace JSON) to prefix*.json at exit.
        if (Environment.GetEnvironmentVariable("SHARPFLOW_PEER_ORT_PROFILE") is { Length: > 0 } prefix) { options.ProfileOutputPathPrefix = prefix; options.EnableProfiling = true; } // the prefix first: enabling reads it
        _ort = new InferenceSession(onnx, options);
        _inputData = Images(shape).ToArray<float>();
        _input = OrtValue.CreateTensorValueFromMemory(_inputData, shape);
        _run = new RunOptions();

        var ours = SharpFlow().ToArray<float>();
        using var outputs = _ort.Run(_run, [_inputName], [_input], [_outputName]);
        var theirs = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        if (ours.Length != theirs.Length) throw new InvalidOperationException($"{Case}: SharpFlow gives {ours.Length} values, ONNX Runtime {theirs.Length}");
        // Seeded weights without batch normalization (VGG-16) shrink the activations layer by layer: besides the
        // absolute 1e-3, the difference must stay within 1e-3 of the outputs' own size.
        var worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        var scale = theirs.Max(Math.Abs);
        if (!(worst <= Tolerance && worst <= Tolerance * scale))
            throw new InvalidOperationException($"{Case}: SharpFlow and ONNX Runtime differ by up to {worst:G3} on outputs up to {scale:G3} (more than {Tolerance}, absolute and relative)");
        Console.WriteLine($"// {Case}: {ours.Length} outputs up to {scale:G3}, SharpFlow and ONNX Runtime agree within {worst:G3}");
    }

    // A seeded batch in [0, 1).
    private static NDArray Images(long[] shape)
    {
        var random = new Random(1);
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return NDArray.FromFlat(Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray(), new Shape([.. shape.Select(d => (int)d)]));
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime()
    {
        using var outputs = _ort!.Run(_run!, [_inputName], [_input!], [_outputName]);
    }

    [Benchmark]
    public NDArray SharpFlow() => _session!.run(_output!, _feed);

    [GlobalCleanup]
    public void Dispose()
    {
        _session?.Dispose();
        _ort?.Dispose();
        _input?.Dispose();
        _run?.Dispose();
        GC.SuppressFinalize(this);
    }
}
