using System.Globalization;
using System.Text.RegularExpressions;
using SharpFlow.Keras.Engine;
using SharpFlow.Models;
using KerasModel = SharpFlow.Keras.Engine.Model;

namespace SharpFlow.Tests.Keras;

/// <summary>
/// LeNet-5, VGG-16 and Inception-v3 written with tf.keras layer for layer as src/SharpFlow.Models builds them:
/// <c>model.summary()</c>'s total and trainable parameter counts equal those of the Models' builders, which
/// <c>sharpflow info</c> prints (61,706, 138,357,544 and 23,851,784).
/// </summary>
public partial class KerasModelZooTests
{
    [GeneratedRegex(@"^Total params: ([\d,]+)$", RegexOptions.Multiline)]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"^Trainable params: ([\d,]+)$", RegexOptions.Multiline)]
    private static partial Regex TrainableLine();

    [GeneratedRegex(@"^Non-trainable params: ([\d,]+)$", RegexOptions.Multiline)]
    private static partial Regex NonTrainableLine();

    private static long Count(Regex line, string summary) =>
        long.Parse(line.Match(summary).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    /// <summary>The Models' builder in a graph of its own: all parameters (what <c>sharpflow info</c> prints) and the trainable ones.</summary>
    private static (long Total, long Trainable, IReadOnlyList<LayerSummary> Layers) Reference(SharpFlow.Models.Model model)
    {
        using var g = TestGraph.Enter();
        var (h, w, c) = model.DefaultInput;
        var output = model.Build(tf.placeholder(tf.float32, new Shape(-1, h, w, c)));
        var trainable = tf.trainable_variables().Sum(v => v.shape.NumElements);
        return (output.Parameters, trainable, output.Layers);
    }

    private static void AssertSummaryCounts(KerasModel model, (long Total, long Trainable, IReadOnlyList<LayerSummary> Layers) reference)
    {
        var text = model.summary_text();
        Assert.Equal(reference.Total, Count(TotalLine(), text));
        Assert.Equal(reference.Trainable, Count(TrainableLine(), text));
        Assert.Equal(reference.Total - reference.Trainable, Count(NonTrainableLine(), text));
        Assert.Equal(reference.Total, model.count_params());
    }

    internal static Sequential KerasLeNet5()
    {
        return tf.keras.Sequential([
            tf.keras.layers.ZeroPadding2D(2, input_shape: [28, 28, 1], name: "pad"),
            tf.keras.layers.Conv2D(6, 5, activation: "relu", name: "conv1"),
            tf.keras.layers.MaxPooling2D(2, 2, name: "pool1"),
            tf.keras.layers.Conv2D(16, 5, activation: "relu", name: "conv2"),
            tf.keras.layers.MaxPooling2D(2, 2, name: "pool2"),
            tf.keras.layers.Flatten(name: "flatten"),
            tf.keras.layers.Dense(120, activation: "relu", name: "fc1"),
            tf.keras.layers.Dense(84, activation: "relu", name: "fc2"),
            tf.keras.layers.Dense(10, name: "logits"),
        ]);
    }

    internal static Sequential KerasVgg16()
    {
        int[][] blocks = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
        var model = tf.keras.Sequential();
        model.add(tf.keras.layers.InputLayer(input_shape: [224, 224, 3]));
        for (var b = 0; b < blocks.Length; b++)
        {
            for (var c = 0; c < blocks[b].Length; c++)
                model.add(tf.keras.layers.Conv2D(blocks[b][c], 3, padding: "same", activation: "relu", name: $"conv{b + 1}_{c + 1}"));
            model.add(tf.keras.layers.MaxPooling2D(2, 2, name: $"pool{b + 1}"));
        }
        model.add(tf.keras.layers.Flatten(name: "flatten"));
        model.add(tf.keras.layers.Dense(4096, activation: "relu", name: "fc6"));
        model.add(tf.keras.layers.Dropout(0.5));
        model.add(tf.keras.layers.Dense(4096, activation: "relu", name: "fc7"));
        model.add(tf.keras.layers.Dropout(0.5));
        model.add(tf.keras.layers.Dense(1000, name: "fc8"));
        return model;
    }

    /// <summary>Inception-v3 as Keras's applications write it: conv (no bias) + batch normalization (no scale) + ReLU everywhere.</summary>
    internal static KerasModel KerasInceptionV3()
    {
        static Tensor ConvBn(Tensor x, int filters, int kh, int kw, int stride = 1, string padding = "same")
        {
            x = tf.keras.layers.Conv2D(filters, (kh, kw), strides: stride, padding: padding, use_bias: false).Apply(x);
            x = tf.keras.layers.BatchNormalization(axis: 3, scale: false).Apply(x);
            return tf.keras.layers.Activation("relu").Apply(x);
        }
        static Tensor AvgPool(Tensor x) => tf.keras.layers.AveragePooling2D(3, 1, padding: "same").Apply(x);
        static Tensor MaxPool(Tensor x) => tf.keras.layers.MaxPooling2D(3, 2).Apply(x);
        static Tensor Concat(params Tensor[] xs) => tf.keras.layers.concatenate(xs, axis: 3);

        var input = tf.keras.Input(shape: [299, 299, 3]);
        var x = ConvBn(input, 32, 3, 3, 2, "valid");
        x = ConvBn(x, 32, 3, 3, 1, "valid");
        x = ConvBn(x, 64, 3, 3);
        x = MaxPool(x);
        x = ConvBn(x, 80, 1, 1, 1, "valid");
        x = ConvBn(x, 192, 3, 3, 1, "valid");
        x = MaxPool(x);
        for (var i = 0; i < 3; i++)
        {
            var b1 = ConvBn(x, 64, 1, 1);
            var b5 = ConvBn(ConvBn(x, 48, 1, 1), 64, 5, 5);
            var b3 = ConvBn(ConvBn(ConvBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
            var bp = ConvBn(AvgPool(x), i == 0 ? 32 : 64, 1, 1);
            x = Concat(b1, b5, b3, bp);
        }
        {
            var b3 = ConvBn(x, 384, 3, 3, 2, "valid");
            var bd = ConvBn(ConvBn(ConvBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, "valid");
            x = Concat(b3, bd, MaxPool(x));
        }
        for (var i = 4; i < 8; i++)
        {
            var c = i switch { 4 => 128, 7 => 192, _ => 160 };
            var b1 = ConvBn(x, 192, 1, 1);
            var b7 = ConvBn(ConvBn(ConvBn(x, c, 1, 1), c, 1, 7), 192, 7, 1);
            var bd = ConvBn(ConvBn(ConvBn(ConvBn(ConvBn(x, c, 1, 1), c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7);
            var bp = ConvBn(AvgPool(x), 192, 1, 1);
            x = Concat(b1, b7, bd, bp);
        }
        {
            var b3 = ConvBn(ConvBn(x, 192, 1, 1), 320, 3, 3, 2, "valid");
            var b7 = ConvBn(ConvBn(ConvBn(ConvBn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, "valid");
            x = Concat(b3, b7, MaxPool(x));
        }
        for (var i = 9; i < 11; i++)
        {
            var b1 = ConvBn(x, 320, 1, 1);
            var b3 = ConvBn(x, 384, 1, 1);
            b3 = Concat(ConvBn(b3, 384, 1, 3), ConvBn(b3, 384, 3, 1));
            var bd = ConvBn(ConvBn(x, 448, 1, 1), 384, 3, 3);
            bd = Concat(ConvBn(bd, 384, 1, 3), ConvBn(bd, 384, 3, 1));
            var bp = ConvBn(AvgPool(x), 192, 1, 1);
            x = Concat(b1, b3, bd, bp);
        }
        x = tf.keras.layers.GlobalAveragePooling2D(name: "avg_pool").Apply(x);
        var outputs = tf.keras.layers.Dense(1000, name: "predictions").Apply(x);
        return tf.keras.Model(input, outputs, name: "inception_v3");
    }

    [Fact]
    public void LeNet5SummaryCountsEqualTheModelsBuilderLayerForLayer()
    {
        var reference = Reference(new LeNet5());
        using var g = TestGraph.Enter();
        var model = KerasLeNet5();
        AssertSummaryCounts(model, reference);
        Assert.Equal(61_706, model.count_params());
        foreach (var name in new[] { "conv1", "conv2", "fc1", "fc2", "logits" })
            Assert.Equal(reference.Layers.Single(l => l.Name == name).Parameters, model.get_layer(name).count_params());
        // The same output shapes as the builder's table.
        foreach (var name in new[] { "conv1", "pool1", "conv2", "pool2", "flatten" })
            Assert.Equal(reference.Layers.Single(l => l.Name == name).OutputShape.Dims[1..], model.get_layer(name).output_shape.Dims[1..]);
    }

    [Fact]
    public void Vgg16SummaryCountsEqualTheModelsBuilder()
    {
        var reference = Reference(new Vgg16());
        using var g = TestGraph.Enter();
        var model = KerasVgg16();
        AssertSummaryCounts(model, reference);
        Assert.Equal(138_357_544, model.count_params());
    }

    [Fact]
    public void InceptionV3SummaryCountsEqualTheModelsBuilder()
    {
        var reference = Reference(new InceptionV3());
        using var g = TestGraph.Enter();
        var model = KerasInceptionV3();
        AssertSummaryCounts(model, reference);
        Assert.Equal(23_851_784, model.count_params());
        // The moving means and variances are the non-trainable parameters: 2 × the channels of all 94 batch normalizations.
        Assert.Equal(34_432, model.non_trainable_weights.Sum(w => w.shape.NumElements));
    }
}
