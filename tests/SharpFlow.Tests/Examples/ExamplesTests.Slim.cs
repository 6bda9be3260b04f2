using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Examples;

public partial class ExamplesTests
{
    /// <summary>A slim network with arg_scope, repeat, batch norm and create_train_op learns the embedded Fashion-MNIST.</summary>
    [Fact, Example("slim-fashion-mnist.cs")]
    public void SlimFashionMnist()
    {
        var output = ExampleRunner.Run("slim-fashion-mnist.cs", TimeSpan.FromMinutes(8), "200");
        Assert.Contains("first: small_vgg/conv1/conv1_1/weights, last: small_vgg/fc4/biases\n", output);
        var first = double.Parse(Regex.Match(output, @"step 1: total loss ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var last = double.Parse(Regex.Match(output, @"step 200: total loss ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(last < first, output);
        var accuracy = double.Parse(Regex.Match(output, @"global step 200: test accuracy ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.6, output);
    }
}
