using BenchmarkDotNet.Attributes;
using static SharpFlow.Binding;

namespace SharpFlow.Benchmarks;

/// <summary>
/// One epoch of a tf.data input pipeline as training uses it: 10,000 images of 784 float32 pixels and int32 labels,
/// <c>from_tensor_slices → map(x * 2 - 1, num_parallel_calls) → batch(100) → prefetch(2)</c>, drained through
/// <c>IteratorGetNext</c> (100 session runs). Elements/s = 10,000 / the time per epoch.
/// </summary>
[MemoryDiagnoser]
public class DatasetPipelineBenchmarks : IDisposable
{
    private const int Images = 10_000;
    private Graph _graph = null!;
    private Session _session = null!;
    private Operation _init = null!;
    private Tensor _next = null!;

    [Params(1, 2)]
    public int ParallelCalls { get; set; }

    [Params(false, true)]
    public bool Prefetch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _graph = new Graph();
        using var scope = _graph.as_default();
        var images = NDArray.FromFlat(Data.Random((long)Images * 784, 1), new Shape(Images, 784));
        var labels = NDArray.FromFlat(Enumerable.Range(0, Images).Select(i => i % 10).ToArray(), new Shape(Images));
        var ds = tf.data.Dataset.from_tensor_slices((images, labels))
            .map((x, y) => (x * 2.0f - 1.0f, y), num_parallel_calls: ParallelCalls)
            .batch(100);
        if (Prefetch) ds = ds.prefetch(2);
        var it = ds.make_initializable_iterator();
        _init = it.initializer;
        _next = it.get_next()[0];
        _session = new Session(_graph);
    }

    [GlobalCleanup]
    public void Cleanup() => _session.close();

    public void Dispose()
    {
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int Epoch()
    {
        _session.run(_init);
        var batches = 0;
        try
        {
            while (true)
            {
                _session.run(_next);
                batches++;
            }
        }
        catch (OutOfRangeError) { }
        return batches;
    }
}
