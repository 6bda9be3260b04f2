using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Cli;

/// <summary>
/// <c>sharpflow bench</c> on the large models (ResNet18 training and inference on 224×224×3 images, the pretrained
/// ONNX ResNet18), its peak-memory measurement, and <c>sharpflow graph --optimized</c>.
/// </summary>
public sealed partial class CliTests
{
    [Fact]
    public void InfoListsResNet18sLayersAndParameters()
    {
        var (code, output) = Sharpflow("info", "resnet18");
        Assert.True(code == 0, output);
        // torchvision's 11,689,512 parameters and the 9,600 moving statistics of batch normalization.
        Assert.Contains("11,699,112", output);
        Assert.Contains("stage4_block2", output);
    }

    [Fact]
    public void BenchRunsResNet18TrainingAndInferenceOnItsOwnInputSize()
    {
        var (code, output) = Sharpflow("bench", "resnet18", "--batch", "2", "--steps", "1", "--warmup", "0");
        Assert.True(code == 0, output);
        Assert.Contains("224×224×3 input, 1000 classes, batch 2", output);
        Assert.Matches(@"training\s+\d+ images/s\s+[0-9.]+ ms/step\s+[0-9.]+ MiB allocated/step", output);
        Assert.Matches(@"inference\s+\d+ images/s", output);
        Assert.Matches(@"process peak \d+\.\d MiB", output);
    }

    [Fact]
    public void BenchInferenceMeasuresOnlyInferenceAndThePretrainedResNet18()
    {
        var (code, output) = Sharpflow("bench", "resnet18", "--inference", "--batch", "1", "--steps", "1", "--warmup", "0");
        Assert.True(code == 0, output);
        Assert.DoesNotContain("training ", output);
        Assert.Matches(@"inference\s+\d+ images/s", output);

        var (pretrainedCode, pretrained) = Sharpflow("bench", "resnet18", "--inference", "--pretrained", "--batch", "1", "--steps", "1", "--warmup", "0");
        Assert.True(pretrainedCode == 0, pretrained);
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", pretrained);
        Assert.Matches(@"inference\s+\d+ images/s", pretrained);

        var (wrongCode, wrong) = Sharpflow("bench", "lenet5", "--pretrained");
        Assert.Equal(1, wrongCode);
        Assert.Contains("--pretrained measures the pretrained ResNet18's inference", wrong);
        var (largeCode, large) = Sharpflow("bench", "vgg16", "--peak-memory");
        Assert.Equal(1, largeCode);
        Assert.Contains("--peak-memory measures training on Fashion-MNIST", large);
    }

    [Fact]
    public void BenchPeakMemoryLoadsTheDataAndTrains()
    {
        var (code, output) = Sharpflow("bench", "lenet5", "--peak-memory", "--steps", "5");
        Assert.True(code == 0, output);
        Assert.Contains("data: ", output);
        Assert.Contains("batch 64, 5 training steps", output);
        Assert.Matches(@"after loading: process peak \d+\.\d MiB, managed heap \d+\.\d MiB", output);
        var peak = double.Parse(Regex.Match(output, @"peak memory \(load data \+ 5 steps\): process peak (\d+\.\d) MiB").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(peak, 10, 100_000);
    }

    [Fact]
    public void GraphOptimizedDrawsTheRewrittenTrainingStepAndListsTheFusedOps()
    {
        var svg = Path.Combine(_dir, "optimized.svg");
        var (code, output) = Sharpflow("graph", "lenet5", "--optimized", "-o", svg);
        Assert.True(code == 0, output);
        // LeNet-5's convolutions and dense layers with their bias and ReLU run as fused ops.
        Assert.Matches(@"_FusedConv2D ×2", output);
        Assert.Matches(@"conv1/Relu = Conv2D.*BiasAdd.*Relu", output);
        Assert.Contains("_FusedMatMul", output);
        Assert.Matches(@"rewrite log \(\d+ rewrites\):", output);
        Assert.Contains("remapping: _FusedConv2D 'conv1/Relu'", output);
        var picture = File.ReadAllText(svg);
        Assert.Contains("optimized training step", picture);
        Assert.Contains("_FusedConv2D", picture);
        Assert.Contains(">gradients</text>", picture);
        var text = File.ReadAllText(Path.ChangeExtension(svg, ".txt"));
        Assert.Contains("conv1/Relu = _FusedConv2D(", text);
        Assert.Contains("// remapping: ", text);

        // The plain drawing has no fused op; the optimized inference has no gradients.
        var (plainCode, plainOutput) = Sharpflow("graph", "lenet5", "-o", Path.Combine(_dir, "plain.svg"));
        Assert.True(plainCode == 0, plainOutput);
        Assert.DoesNotContain("_Fused", File.ReadAllText(Path.Combine(_dir, "plain.svg")));
        var inference = Path.Combine(_dir, "inference.svg");
        var (inferenceCode, inferenceOutput) = Sharpflow("graph", "lenet5", "--optimized", "--inference", "-o", inference);
        Assert.True(inferenceCode == 0, inferenceOutput);
        Assert.Contains("optimized inference", File.ReadAllText(inference));
        Assert.DoesNotContain(">gradients</text>", File.ReadAllText(inference));
        Assert.Contains("_FusedConv2D", inferenceOutput);
    }

    [Fact]
    public void GraphOptimizedSaysSoWhenTheOptimizerIsOff()
    {
        var (code, output) = SharpflowWith(new() { ["SHARPFLOW_GRAPH_OPTIMIZER"] = "0" }, "graph", "lenet5", "--optimized", "-o", Path.Combine(_dir, "off.svg"));
        Assert.Equal(1, code);
        Assert.Contains("the graph optimizer is off", output);
    }
}
