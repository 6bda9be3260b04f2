using BenchmarkDotNet.Attributes;
using SharpFlow.Models;
using static SharpFlow.Binding;

namespace SharpFlow.Benchmarks;

/// <summary>One training step (forward, gradients, Adam) through a session, as <c>sharpflow bench</c> times it.</summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks : IDisposable
{
    private Session? _session;
    private Operation? _train;
    private FeedDict? _feed;

    [Params("lenet5", "convnet")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var graph = new Graph();
        using (graph.as_default())
        {
            tf.set_random_seed(1);
            var batch = Model == "lenet5" ? 64 : 100;
            var images = tf.placeholder(tf.float32, new Shape(-1, 784));
            var labels = tf.placeholder(tf.int32, new Shape(-1));
            var logits = ModelZoo.Create(Model).Build(tf.reshape(images, new[] { -1, 28, 28, 1 }), true).Logits;
            var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
            _train = tf.train.AdamOptimizer(1e-3).minimize(loss);
            _session = new Session(graph);
            _session.run(tf.global_variables_initializer());
            var r = new Random(1);
            _feed = new FeedDict
            {
                [images] = NDArray.FromFlat(Enumerable.Range(0, batch * 784).Select(_ => (float)r.NextDouble()).ToArray(), new Shape(batch, 784)),
                [labels] = NDArray.FromFlat(Enumerable.Range(0, batch).Select(_ => r.Next(10)).ToArray(), new Shape(batch)),
            };
        }
    }

    [Benchmark]
    public void Step() => _session!.run(_train!, _feed);

    [GlobalCleanup]
    public void Dispose()
    {
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }
}
