using Xunit.Abstractions;
using SharpFlow.Data;
using SharpFlow.Onnx;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The pretrained ResNet18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 (and its preprocessing
/// model), imported into SharpFlow, gives ONNX Runtime's features on random and on real images.
/// </summary>
public sealed class ResNet18ImportTests(ITestOutputHelper output)
{
    private static string ModelFile(string name) => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", name);
    private static readonly string ResNet = ModelFile("ResNet18Onnx/ResNet18.onnx");
    private static readonly string Preprocess = ModelFile("ResNetPrepOnnx/ResNetPreprocess.onnx");

    /// <summary>Fashion-MNIST sample images as RGB 224×224 NCHW in 0..255 (each pixel repeated 8×8, grey in all channels).</summary>
    private static float[] RealImage(int index)
    {
        var images = FashionMnist.read_sample().test.images.ToArray<float>();
        var image = new float[3 * 224 * 224];
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 224; y++)
                for (var x = 0; x < 224; x++)
                    image[(c * 224 + y) * 224 + x] = 255f * images[index * 784 + (y * 28 / 224) * 28 + x * 28 / 224];
        return image;
    }

    private static float[] RandomImage(int seed)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(r.NextDouble() * 2 - 1))];
    }

    [Fact]
    public void FeaturesMatchOnnxRuntimeOnRandomAndRealImages()
    {
        var model = OnnxModel.Load(ResNet);
        Assert.Equal(8, model.Opset);
        Assert.Equal("Input247", model.Inputs[0].Name);
        Assert.Equal(new long[] { 1, 3, 224, 224 }, model.Inputs[0].Shape);
        Assert.Equal(22, model.Operators["Conv"]);

        using var g = TestGraph.Enter();
        var prep = OnnxModel.Load(Preprocess).Import(new OnnxImportOptions { Name = "preprocess" });
        var net = model.Import(new OnnxImportOptions { Name = "resnet18", InputMap = new Dictionary<string, Tensor> { ["Input247"] = prep.Outputs["PreprocessedInput"] } });
        var images = prep.Inputs["OriginalInput"];
        var features = net.Outputs["Pooling395_Output_0"];
        using var sess = tf.Session();

        var inputs = new[] { RandomImage(1), RandomImage(2), RealImage(0), RealImage(7) };
        var batch = NDArray.FromFlat(inputs.SelectMany(i => i).ToArray(), new Shape(inputs.Length, 3, 224, 224));
        var ours = sess.run(features, new FeedDict { [images] = batch });
        Assert.Equal(new Shape(inputs.Length, 512, 1, 1), ours.shape);
        var all = ours.ToArray<float>();
        for (var i = 0; i < inputs.Length; i++)
        {
            var preprocessed = OnnxRuntimeRunner.Run(Preprocess, "OriginalInput", "PreprocessedInput", inputs[i], [1, 3, 224, 224]).Values;
            var expected = OnnxRuntimeRunner.Run(ResNet, "Input247", "Pooling395_Output_0", preprocessed, [1, 3, 224, 224]).Values;
            var actual = all.AsSpan(i * 512, 512).ToArray();
            var maxDiff = expected.Zip(actual, (e, a) => System.Math.Abs(e - a)).Max();
            output.WriteLine($"image {i}: max |SharpFlow - ONNX Runtime| = {maxDiff:G3}, largest feature {expected.Max():G4}");
            Assert.True(maxDiff <= 1e-4, $"image {i}: max |difference| {maxDiff:G3} (largest feature {expected.Max():G4})");
            Assert.True(expected.Count(v => v > 0) > 50, "the features are not trivially zero");
        }
    }

    [Fact]
    public void ATruncatedOrForeignFileIsAClearError()
    {
        var bytes = File.ReadAllBytes(Preprocess);
        var truncated = Assert.Throws<DataLossError>(() => OnnxModel.Parse(bytes.AsSpan(0, bytes.Length / 2), "half.onnx"));
        Assert.StartsWith("half.onnx is not a valid ONNX model", truncated.Message);
        var foreign = Assert.Throws<DataLossError>(() => OnnxModel.Parse("PK\u0003\u0004 not a model"u8, "archive.zip"));
        Assert.StartsWith("archive.zip is not a valid ONNX model", foreign.Message);
        Assert.Throws<NotFoundError>(() => OnnxModel.Load(Path.Combine(AppContext.BaseDirectory, "missing.onnx")));
    }
}
