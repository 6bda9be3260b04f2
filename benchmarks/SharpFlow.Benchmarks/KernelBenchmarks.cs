using BenchmarkDotNet.Attributes;
using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Benchmarks;

/// <summary>Random float32 data, the same for every run.</summary>
internal static class Data
{
    public static float[] Random(long count, int seed)
    {
        var r = new Random(seed);
        var v = new float[count];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(r.NextDouble() * 2 - 1);
        return v;
    }
}

/// <summary>C = A·B in float32: 1024² and the skinny shapes of LeNet-5 and the tutorial convnet.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params("1024x1024x1024", "64x400x120", "3136x1024x64", "50176x25x6", "19600x800x64")]
    public string Shape { get; set; } = "";

    private (int M, int K, int N) Dims => Shape.Split('x').Select(int.Parse).ToArray() is [var m, var k, var n] ? (m, k, n) : throw new InvalidOperationException(Shape);

    [GlobalSetup]
    public void Setup()
    {
        var (m, k, n) = Dims;
        (_a, _b, _c) = (Data.Random((long)m * k, 1), Data.Random((long)k * n, 2), new float[m * n]);
    }

    [Benchmark]
    public void Multiply()
    {
        var (m, k, n) = Dims;
        Gemm.Multiply<float>(_a, _b, _c, m, k, n);
    }
}

/// <summary>Convolution forward and both gradients: LeNet-5's two layers at batch 64, the convnet's second at batch 100.</summary>
[MemoryDiagnoser]
public class ConvolutionBenchmarks
{
    private float[] _input = [], _filter = [], _output = [], _inputGrad = [], _filterGrad = [];
    private Window2D _g;
    private int _outChannels;

    [Params("lenet-conv1", "lenet-conv2", "convnet-conv2")]
    public string Layer { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (int n, int h, int c, int k, int oc, bool same) = Layer switch
        {
            "lenet-conv1" => (64, 32, 1, 5, 6, false),
            "lenet-conv2" => (64, 14, 6, 5, 16, false),
            _ => (100, 14, 32, 5, 64, true),
        };
        _g = Window2D.Create(n, h, h, c, k, k, 1, 1, 1, 1, same);
        _outChannels = oc;
        _input = Data.Random((long)n * h * h * c, 1);
        _filter = Data.Random((long)k * k * c * oc, 2);
        _output = new float[n * _g.OutPositions * oc];
        _inputGrad = new float[_input.Length];
        _filterGrad = new float[_filter.Length];
    }

    [Benchmark]
    public void Forward() => Conv2DKernels.Forward<float>(_input, _filter, _output, _g, _outChannels);

    [Benchmark]
    public void BackpropInput() => Conv2DKernels.BackpropInput<float>(_filter, _output, _inputGrad, _g, _outChannels);

    [Benchmark]
    public void BackpropFilter() => Conv2DKernels.BackpropFilter<float>(_input, _output, _filterGrad, _g, _outChannels);
}

/// <summary>2×2 max and average pooling and their gradients on the convnet's first pooling layer (batch 100).</summary>
[MemoryDiagnoser]
public class PoolingBenchmarks
{
    private float[] _input = [], _output = [], _inputGrad = [];
    private Window2D _g;

    /// <summary>32: the convnet's first pooling layer at batch 100 (SAME); 6: LeNet-5's at batch 256 (VALID).</summary>
    [Params(32, 6)]
    public int Channels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var batch = Channels == 6 ? 256 : 100;
        _g = Window2D.Create(batch, 28, 28, Channels, 2, 2, 2, 2, 1, 1, same: Channels != 6);
        _input = Data.Random((long)batch * 28 * 28 * Channels, 1);
        _output = new float[batch * _g.OutPositions * Channels];
        _inputGrad = new float[_input.Length];
    }

    [Benchmark]
    public void MaxPool() => PoolingKernels.MaxPool<float>(_input, _output, _g);

    [Benchmark]
    public void MaxPoolGrad() => PoolingKernels.MaxPoolGrad<float>(_input, _output, _inputGrad, _g);

    [Benchmark]
    public void AvgPool() => PoolingKernels.AvgPool<float>(_input, _output, _g);

    [Benchmark]
    public void AvgPoolGrad() => PoolingKernels.AvgPoolGrad<float>(_output, _inputGrad, _g);
}

/// <summary>
/// Inception-v3's pooling at batch 1: the 3×3 stride-1 SAME average pooling of its 35×35×288 and 17×17×768 blocks
/// (windows at the border count only the taps inside the image) and the 3×3 stride-2 max pooling of its reductions.
/// </summary>
public class InceptionPoolingBenchmarks
{
    private float[] _input = [], _output = [];
    private Window2D _avg, _max;

    [Params(35, 17)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var channels = Size == 35 ? 288 : 768;
        _avg = Window2D.Create(1, Size, Size, channels, 3, 3, 1, 1, 1, 1, same: true);
        _max = Window2D.Create(1, Size, Size, channels, 3, 3, 2, 2, 1, 1, same: false);
        _input = Data.Random((long)Size * Size * channels, 1);
        _output = new float[_avg.OutPositions * channels];
    }

    [Benchmark]
    public void AvgPool() => PoolingKernels.AvgPool<float>(_input, _output, _avg);

    [Benchmark]
    public void MaxPool() => PoolingKernels.MaxPool<float>(_input, _output, _max);
}

/// <summary>
/// BiasAddGrad's column sums over LeNet-5's first convolution at batch 256 (6 channels) and the convnet's second at
/// batch 100 (64): the kernel against the row-by-row vector adds it replaced (the same sums, bitwise).
/// </summary>
public class BiasGradientBenchmarks
{
    private float[] _g = [], _y = [];

    [Params(6, 64)]
    public int Channels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rows = Channels == 6 ? 256 * 28 * 28 : 100 * 14 * 14;
        _g = Data.Random((long)rows * Channels, 1);
        _y = new float[Channels];
    }

    [Benchmark(Baseline = true)]
    public void RowByRow()
    {
        Array.Clear(_y);
        for (var r = 0; r < _g.Length; r += Channels) System.Numerics.Tensors.TensorPrimitives.Add(_y, _g.AsSpan(r, Channels), _y);
    }

    [Benchmark]
    public void Kernel() => BiasGradient.Sum<float>(_g, _y);
}

/// <summary>Sparse softmax cross entropy with its gradient, batch 100 of 10 classes and batch 64 of 1000.</summary>
[MemoryDiagnoser]
public class SoftmaxCrossEntropyBenchmarks
{
    private float[] _logits = [], _loss = [], _backprop = [];
    private long[] _labels = [];

    [Params(10, 1000)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var batch = Classes == 10 ? 100 : 64;
        _logits = Data.Random((long)batch * Classes, 1);
        _labels = Enumerable.Range(0, batch).Select(i => (long)(i * 7 % Classes)).ToArray();
        (_loss, _backprop) = (new float[batch], new float[_logits.Length]);
    }

    [Benchmark]
    public void SparseCrossEntropy() => Softmax.SparseCrossEntropy<float>(_logits, _labels, _loss, _backprop, Classes);
}
