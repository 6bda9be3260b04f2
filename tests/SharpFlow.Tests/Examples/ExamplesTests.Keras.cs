using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Examples;

public partial class ExamplesTests
{
    /// <summary>The chapter-10 Keras CNN, shortened to 2 epochs on 2,000 training images.</summary>
    [Fact, Example("keras-fashion-mnist.cs"), Trait("FreshMachine", "true")]
    public void KerasFashionMnist()
    {
        var output = ExampleRunner.Run("keras-fashion-mnist.cs", TimeSpan.FromMinutes(8), "2", "2000");
        Assert.Contains("x_train shape: (2000, 28, 28, 1), 2000 train samples", output);
        Assert.Contains($"{"conv2d (Conv2D)",-29}{"(None, 24, 24, 32)",-26}{"832",-10}", output);
        Assert.Contains("Total params: 569,606", output);
        Assert.Contains("Train on 1800 samples, validate on 200 samples\nEpoch 1/2\n", output);
        Assert.Matches(new Regex(@"Epoch 2/2\n - \d+s - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}\n"), output);
        var accuracy = double.Parse(Regex.Match(output, @"Test accuracy: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.5, output);
    }

    /// <summary>The functional model with two inputs and two outputs.</summary>
    [Fact, Example("keras-functional.cs"), Trait("FreshMachine", "true")]
    public void KerasFunctional()
    {
        var output = ExampleRunner.Run("keras-functional.cs", TimeSpan.FromMinutes(5), "3");
        Assert.Contains("metrics: loss, class_loss, footwear_loss, class_acc, footwear_acc", output);
        Assert.Contains($"{"half_encoder (Dense)",-32}{"(None, 64)",-21}{"25152",-12}{"left_half[0][0]",-33}", output);
        Assert.Contains(new string(' ', 65) + "right_half[0][0]", output);
        Assert.Matches(new Regex(@"Epoch 3/3\n - \d+s - loss: \d\.\d{4} - class_loss: \d\.\d{4} - footwear_loss: \d\.\d{4} - class_acc: \d\.\d{4} - footwear_acc: \d\.\d{4}\n"), output);
        var footwear = double.Parse(Regex.Match(output, @"test footwear_acc: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(footwear >= 0.8, output);
        Assert.Contains("predicted footwear probabilities of the first 3 test images: [[", output);
    }

    /// <summary>The Keras LSTM text classifier (Embedding with mask_zero, LSTM, Dense) on two fortunes files, 2 epochs.</summary>
    [Fact, Example("keras-lstm-text.cs"), Trait("FreshMachine", "true")]
    public void KerasLstmText()
    {
        var output = ExampleRunner.Run("keras-lstm-text.cs", TimeSpan.FromMinutes(6), "2");
        Assert.Contains($"{"lstm (LSTM)",-29}{"(None, 32)",-26}{"8320",-10}", output);
        Assert.Contains($"{"embedding (Embedding)",-29}{"(None, 60, 32)",-26}{"160000",-10}", output);
        Assert.Matches(new Regex(@"Epoch 2/2\n - \d+s - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}\n"), output);
        var accuracy = double.Parse(Regex.Match(output, @"Test accuracy: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.75, output);
    }
}
