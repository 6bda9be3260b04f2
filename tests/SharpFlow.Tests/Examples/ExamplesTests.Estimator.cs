using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Examples;

public partial class ExamplesTests
{
    /// <summary>DNNClassifier on the embedded Fashion-MNIST: trains, evaluates with the head's metrics and predicts.</summary>
    [Fact, Example("estimator-dnn-classifier.cs")]
    public void EstimatorDnnClassifier()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-example-estimator-dnn-").FullName;
        try
        {
            var output = ExampleRunner.Run("estimator-dnn-classifier.cs", TimeSpan.FromMinutes(5), "300", dir);
            var accuracy = double.Parse(Regex.Match(output, @"global step 300: test accuracy ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(accuracy >= 0.6, output);
            Assert.Equal(5, Regex.Count(output, @"test image \d: predicted "));
            Assert.True(File.Exists(Path.Combine(dir, "model.ckpt-300.index")));
            // numpy_input_fn keeps the images out of the graph: with the full data set they once made graph.pbtxt
            // 1.3 GB and every event file 377 MB.
            Assert.True(new FileInfo(Path.Combine(dir, "graph.pbtxt")).Length < 2_000_000, "graph.pbtxt holds the data");
            Assert.All(Directory.GetFiles(dir, "events.out.tfevents.*", SearchOption.AllDirectories),
                f => Assert.True(new FileInfo(f).Length < 2_000_000, $"{Path.GetFileName(f)} is {new FileInfo(f).Length} bytes"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A custom model_fn convnet: the second train call resumes from the first one's checkpoint.</summary>
    [Fact, Example("estimator-custom-model-fn.cs")]
    public void EstimatorCustomModelFn()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-example-estimator-custom-").FullName;
        try
        {
            var output = ExampleRunner.Run("estimator-custom-model-fn.cs", TimeSpan.FromMinutes(5), "60", dir);
            Assert.Contains("checkpoint before training: none\n", output);
            Assert.Contains("after the first train call: model.ckpt-60\n", output);
            Assert.Contains("after the second train call (resumed): model.ckpt-90\n", output);
            var accuracy = double.Parse(Regex.Match(output, @"global step 90: test accuracy ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(accuracy >= 0.4, output);
            Assert.Contains("predicted classes of the first 8 test images: [", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
