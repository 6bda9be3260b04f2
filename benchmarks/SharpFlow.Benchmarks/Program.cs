// BenchmarkDotNet suites: GEMM (square and the skinny shapes convolutions and dense layers produce), convolution
// forward and both gradients, pooling, softmax cross entropy, and one training step of LeNet-5 and the tutorial
// convnet, each with the memory diagnoser (bytes allocated per operation).
//
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- --filter '*'
//   dotnet run -c Release --project benchmarks/SharpFlow.Benchmarks -- --filter '*Gemm*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(SharpFlow.Benchmarks.GemmBenchmarks).Assembly).Run(args);
