using Xunit.Abstractions;
using SharpFlow.Execution;
using SharpFlow.Execution.Optimizer;
using SharpFlow.Onnx;
using SharpFlow.Tests.Execution.Optimizer;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The folding rewrites on the imported ONNX ResNet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18): which of them fire,
/// and the features with every rewrite on against the optimizer off and against batch norm folding off (within 1e-5
/// of the largest feature: folding moves the batch norm's multiplication into the filters), and Pad folding alone bitwise.
/// </summary>
public sealed class ResNet18FoldingTests(ITestOutputHelper output)
{
    private static readonly string ResNet = Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    [Fact]
    public void FoldedResNet18GivesTheUnfoldedFeatures()
    {
        var model = OnnxModel.Load(ResNet);
        output.WriteLine("operators: " + string.Join(", ", model.Operators.Select(kv => $"{kv.Key} {kv.Value}")));
        using var g = TestGraph.Enter();
        var net = model.Import(new OnnxImportOptions { Name = "resnet18" });
        var input = net.Inputs["Input247"];
        var features = net.Outputs["Pooling395_Output_0"];
        var r = new Random(5);
        var image = NDArray.FromFlat(Enumerable.Range(0, 2 * 3 * 224 * 224).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), new Shape(2, 3, 224, 224));
        var feeds = new FeedDict { [input] = image };

        NDArray Run(tf.ConfigProto config, out OptimizedGraph? graph)
        {
            using var sess = tf.Session(config);
            var result = sess.run(features, feeds);
            graph = sess.OptimizedGraphOf([features], feeds: [input]);
            return result;
        }
        var folded = Run(GraphOptimizerTests.Config(true), out var graph);
        var off = Run(GraphOptimizerTests.Config(false), out _);
        var noBatchNormFolding = Run(GraphOptimizerTests.Config(true, c => c.batchnorm_folding = RewriterConfig.Toggle.OFF), out var graph2);
        var noPadFolding = Run(GraphOptimizerTests.Config(true, c => c.batchnorm_folding = c.pad_folding = RewriterConfig.Toggle.OFF), out _);

        foreach (var pass in new[] { BatchNormFolding.Name, PadFolding.Name, ConstantFolding.Name, Remapper.Name, ArithmeticOptimizer.Name, DependencyOptimizer.Name, CommonSubexpressionElimination.Name })
            output.WriteLine($"{pass}: {graph!.Count(pass)} rewrites");
        foreach (var line in graph!.Log.Where(l => l.StartsWith(BatchNormFolding.Name, StringComparison.Ordinal) || l.StartsWith(PadFolding.Name, StringComparison.Ordinal)))
            output.WriteLine(line);
        output.WriteLine($"nodes: {graph.NodeCountBefore} before, {graph.Nodes.Count} after; op types: " +
            string.Join(", ", graph.Types.GroupBy(t => t).OrderByDescending(t => t.Count()).Select(t => $"{t.Key} {t.Count()}")));

        var batchNorms = model.Operators.GetValueOrDefault("BatchNormalization");
        Assert.Equal(batchNorms, graph.Count(BatchNormFolding.Name));
        Assert.True(graph.Count(PadFolding.Name) > 0, "no Pad folded");
        Assert.DoesNotContain("Pad", graph.Types);
        Assert.DoesNotContain("PadV2", graph.Types);
        Assert.DoesNotContain("Select", graph.Types);
        Assert.Equal(0, graph2!.Count(BatchNormFolding.Name));

        var scale = off.ToArray<float>().Max(System.Math.Abs);
        foreach (var (name, other) in new[] { ("optimizer off", off), ("batch norm folding off", noBatchNormFolding) })
        {
            var worst = folded.ToArray<float>().Zip(other.ToArray<float>(), (a, b) => System.Math.Abs(a - b)).Max();
            output.WriteLine($"max |folded - {name}| = {worst:G3} (largest feature {scale:G4})");
            Assert.True(worst <= 1e-5 * scale, $"{name}: {worst:G3}");
        }
        // Pad folding alone (batch norm folding off) keeps every float operation: bitwise.
        Assert.True(noBatchNormFolding.ValueEquals(noPadFolding), "Pad folding changed the features");
    }
}
