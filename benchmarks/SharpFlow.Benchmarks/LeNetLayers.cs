using SharpFlow.Kernels;
using SharpFlow.Kernels.Convolution;

namespace SharpFlow.Benchmarks;

/// <summary>
/// LeNet-5's two convolutions at a training batch, each kernel alone (forward with bias and ReLU, input gradient,
/// filter gradient): the median time of each and its GFLOP/s, warm, to see which of a training step's convolution
/// kernels is far from the machine's speed.
/// </summary>
public static class LeNetLayers
{
    public static void Run(int batch, int repeats)
    {
        foreach (var (name, g, outChannels) in new[]
        {
            ("conv1 32x32x1 5x5 ->6", Window2D.Create(batch, 32, 32, 1, 5, 5, 1, 1, 1, 1, false), 6),
            ("conv2 14x14x6 5x5 ->16", Window2D.Create(batch, 14, 14, 6, 5, 5, 1, 1, 1, 1, false), 16),
        })
        {
            var input = Data.Random((long)g.Batch * g.InHeight * g.InWidth * g.Channels, 3);
            var filter = Data.Random((long)g.PatchSize * outChannels, 4);
            var bias = Data.Random(outChannels, 5);
            var output = new float[(long)g.Batch * g.OutPositions * outChannels];
            var outputGrad = Data.Random(output.Length, 6);
            var inputGrad = new float[input.Length];
            var filterGrad = new float[filter.Length];
            var prepacked = new PrepackedFilter();
            var flops = 2.0 * g.Batch * g.OutPositions * g.PatchSize * outChannels;
            var forward = GemmProbe.Median(repeats, () => Conv2DKernels.Forward<float>(input, filter, output, g, outChannels,
                new GemmEpilogue<float>(bias, default, FusedActivation.Relu), prepacked));
            var backInput = GemmProbe.Median(repeats, () => Conv2DKernels.BackpropInput<float>(filter, outputGrad, inputGrad, g, outChannels));
            var backFilter = GemmProbe.Median(repeats, () => Conv2DKernels.BackpropFilter<float>(input, outputGrad, filterGrad, g, outChannels));
            Console.WriteLine($"{name,-24} batch {batch}: forward {forward,6:F3} ms ({flops / forward / 1e6,5:F1} GFLOP/s), input gradient {backInput,6:F3} ms ({flops / backInput / 1e6,5:F1}), filter gradient {backFilter,6:F3} ms ({flops / backFilter / 1e6,5:F1})");
        }
    }
}
