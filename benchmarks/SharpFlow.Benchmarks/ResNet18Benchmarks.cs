using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using SharpFlow.Onnx;

namespace SharpFlow.Benchmarks;

/// <summary>
/// The pretrained ResNet18 (NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18) at batch 1: imported into
/// SharpFlow, and in ONNX Runtime with 2 intra-op threads, in the same process.
/// </summary>
public class ResNet18Benchmarks : IDisposable
{
    private static readonly string ModelPath = Path.Combine(AppContext.BaseDirectory, "ResNet18.onnx");
    private Session? _session;
    private Session? _unfolded;
    private Tensor? _features;
    private FeedDict? _feed;
    private InferenceSession? _ort;
    private OrtValue? _input;
    private RunOptions? _run;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(1);
        var image = Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)r.NextDouble()).ToArray();
        var graph = new Graph();
        using (graph.as_default())
        {
            var net = OnnxModel.Load(ModelPath).Import();
            _features = net.Outputs["Pooling395_Output_0"];
            _feed = new FeedDict { [net.Inputs["Input247"]] = NDArray.FromFlat(image, new Shape(1, 3, 224, 224)) };
        }
        _session = new Session(graph);
        // The graph optimizer without its folding rewrites (batch norm into the convolutions, Pad into their padding).
        _unfolded = new Session(graph, new global::SharpFlow.Binding.tf.ConfigProto
        {
            graph_options = new global::SharpFlow.Execution.GraphOptions
            {
                rewrite_options = new global::SharpFlow.Execution.RewriterConfig
                {
                    batchnorm_folding = global::SharpFlow.Execution.RewriterConfig.Toggle.OFF,
                    pad_folding = global::SharpFlow.Execution.RewriterConfig.Toggle.OFF,
                },
            },
        });
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        _ort = new InferenceSession(ModelPath, options);
        _input = OrtValue.CreateTensorValueFromMemory(image, [1, 3, 224, 224]);
        _run = new RunOptions();
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime()
    {
        using var outputs = _ort!.Run(_run!, ["Input247"], [_input!], ["Pooling395_Output_0"]);
    }

    [Benchmark]
    public NDArray SharpFlow() => _session!.run(_features!, _feed);

    [Benchmark]
    public NDArray SharpFlowWithoutFolding() => _unfolded!.run(_features!, _feed);

    [GlobalCleanup]
    public void Dispose()
    {
        _session?.Dispose();
        _unfolded?.Dispose();
        _ort?.Dispose();
        _input?.Dispose();
        _run?.Dispose();
        GC.SuppressFinalize(this);
    }
}
