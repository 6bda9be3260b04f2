using BenchmarkDotNet.Attributes;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Benchmarks;

/// <summary>
/// ResNet18's four 3×3 stride-1 convolutions (SAME, batch 1 and 8): Winograd F(4×4, 3×3) and F(2×2, 3×3) against
/// im2col + GEMM, each also with the filter prepacked once (<c>…Prepacked</c>: a constant filter's
/// <see cref="PrepackedFilter"/>, as an imported or frozen model's convolutions run). GFLOP/s-equivalent =
/// 2·N·H·W·C·K·9 / time (the direct convolution's count for all of them).
/// <code>dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- --filter '*Winograd*' --job short</code>
/// </summary>
[MemoryDiagnoser]
public class WinogradBenchmarks
{
    private float[] _input = [], _filter = [], _output = [];
    private Window2D _g;
    private int _channels;
    private PrepackedFilter _im2col = new(), _f4 = new(), _f2 = new();

    /// <summary>Image size × channels (input and output).</summary>
    [Params("56x64", "28x128", "14x256", "7x512")]
    public string Layer { get; set; } = "";

    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var parts = Layer.Split('x').Select(int.Parse).ToArray();
        var (size, c) = (parts[0], parts[1]);
        _channels = c;
        _g = Window2D.Create(Batch, size, size, c, 3, 3, 1, 1, 1, 1, true);
        _input = Data.Random((long)Batch * size * size * c, 1);
        _filter = Data.Random(9L * c * c, 2);
        _output = new float[Batch * _g.OutPositions * c];
        (_im2col, _f4, _f2) = (new PrepackedFilter(), new PrepackedFilter(), new PrepackedFilter());
    }

    [Benchmark(Baseline = true)]
    public void Im2Col()
    {
        var saved = Winograd.Enabled;
        Winograd.Enabled = false;
        Conv2DKernels.Forward<float>(_input, _filter, _output, _g, _channels);
        Winograd.Enabled = saved;
    }

    [Benchmark]
    public void WinogradF4() => Winograd.Forward(_input, _filter, _output, _g, _channels, tileSize: 4);

    [Benchmark]
    public void WinogradF2() => Winograd.Forward(_input, _filter, _output, _g, _channels, tileSize: 2);

    [Benchmark]
    public void Im2ColPrepacked()
    {
        var saved = Winograd.Enabled;
        Winograd.Enabled = false;
        Conv2DKernels.Forward<float>(_input, _filter, _output, _g, _channels, prepacked: _im2col);
        Winograd.Enabled = saved;
    }

    [Benchmark]
    public void WinogradF4Prepacked() => Winograd.Forward(_input, _filter, _output, _g, _channels, tileSize: 4, prepacked: _f4);

    [Benchmark]
    public void WinogradF2Prepacked() => Winograd.Forward(_input, _filter, _output, _g, _channels, tileSize: 2, prepacked: _f2);
}
