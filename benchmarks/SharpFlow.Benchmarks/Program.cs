// BenchmarkDotNet suites: GEMM (square and the skinny shapes convolutions and dense layers produce), convolution
// forward and both gradients, pooling, softmax cross entropy, and one training step of LeNet-5 and the tutorial
// convnet, each with the memory diagnoser (bytes allocated per operation).
//
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- --filter '*'
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- --filter '*Gemm*'
//
// SharpFlow beside ONNX Runtime on the same network in the same process: the pretrained ResNet18 (batch 1 and 8),
// and VGG-16 and Inception-v3 built by SharpFlow with seeded weights and exported to ONNX (batch 1):
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- --filter '*PeerInference*'
// The same, cruder and quicker: one case, the two runtimes in turns, medians (SHARPFLOW_PROFILE=1 adds the per-op table):
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- peer resnet18/1 [rounds]
//
// im2col against Winograd F(4×4) and F(2×2) with prepacked filters on ResNet18's 3×3 layers (the tile-count choice):
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- winograd-choice [repeats]
// The packed GEMM's GFLOP/s on a square product and on Inception-v3's and ResNet18's convolution shapes at batch 1:
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- gemm-probe [repeats]
// Winograd's 3×3 layers with tile blocks local to each thread against three parallel steps per block, alternating:
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- winograd-local [repeats]
// Inception-v3's 17x17 1x7 and 7x1 convolutions with a setting flipped every other call (SHARPFLOW_PEER_AB, default winograd-line):
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- conv-ab [repeats]
// Convolutions with each operand in turn taken cold (from memory, as in a network) against all warm:
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- cold-probe [repeats]
// ResNet18's twenty convolutions at batch 1 in the network's order, each prepacked, with paths chosen per variant:
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- resnet18-layers [rounds]
// ResNet18's first convolution at batch 1 with its patch matrix in bands of several sizes:
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- stem-bands [repeats]
//
// LeNet-5's convolutions at a training batch, each kernel alone (forward, input gradient, filter gradient):
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- lenet-layers [batch] [repeats]
//
// Keras's overhead, epochs of LeNet-5 with fit and with a hand-written loop taking turns (rounds, images):
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- keras-overhead 5 60000
using System.Globalization;
using BenchmarkDotNet.Running;

// SHARPFLOW_ONE_PASS_ROW_BLOCKS=0 runs thin prepacked products one parallel loop per k block, as before that change
// (for comparisons; the commands above, in this process).
if (Environment.GetEnvironmentVariable("SHARPFLOW_ONE_PASS_ROW_BLOCKS") is { Length: > 0 } oneP)
    SharpFlow.Kernels.PackedSgemm.OnePassRowBlocks = int.Parse(oneP, CultureInfo.InvariantCulture);

if (args.Length > 0 && args[0] == "keras-overhead")
{
    SharpFlow.Benchmarks.KerasOverheadBenchmarks.Alternate(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : int.MaxValue);
    return;
}
if (args.Length > 0 && args[0] == "winograd-choice")
{
    SharpFlow.Benchmarks.WinogradChoice.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21);
    return;
}
if (args.Length > 1 && args[0] == "peer")
{
    SharpFlow.Benchmarks.PeerAlternate.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
    return;
}
if (args.Length > 0 && args[0] == "gemm-probe")
{
    SharpFlow.Benchmarks.GemmProbe.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21);
    return;
}
if (args.Length > 0 && args[0] == "stem-probe")
{
    SharpFlow.Benchmarks.GemmProbe.Stems(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21);
    return;
}
if (args.Length > 0 && args[0] == "conv-ab")
{
    SharpFlow.Benchmarks.GemmProbe.ConvAlternate(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 41);
    return;
}
if (args.Length > 0 && args[0] == "cold-probe")
{
    SharpFlow.Benchmarks.GemmProbe.ColdOperands(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21);
    return;
}
if (args.Length > 0 && args[0] == "winograd-local")
{
    SharpFlow.Benchmarks.GemmProbe.WinogradLocal(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 101);
    return;
}
if (args.Length > 0 && args[0] == "resnet18-layers")
{
    SharpFlow.Benchmarks.ResNet18Layers.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15);
    return;
}
if (args.Length > 0 && args[0] == "lenet-layers")
{
    SharpFlow.Benchmarks.LeNetLayers.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 101);
    return;
}
if (args.Length > 0 && args[0] == "stem-bands")
{
    SharpFlow.Benchmarks.WinogradChoice.Stem(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21, [1L << 24, 1L << 20, 1L << 18, 1L << 16]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SharpFlow.Benchmarks.GemmBenchmarks).Assembly).Run(args);
