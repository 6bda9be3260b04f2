using static SharpFlow.Binding;

namespace SharpFlow.Models;

/// <summary>
/// VGG-16 (seed §40, configuration D of Simonyan and Zisserman): thirteen 3×3 SAME convolutions with ReLU in five
/// blocks (64, 128, 256, 512, 512 filters) each closed by 2×2 max pooling, then fc 4096, fc 4096 (dropout 0.5
/// while training) and the classifier: 138,357,544 parameters at 224×224×3 with 1000 classes. Smaller inputs
/// (down to 32×32) work and shrink the first fully connected layer.
/// </summary>
public sealed class Vgg16(int classes = 1000) : Model(classes)
{
    private static readonly int[][] Blocks = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];

    /// <inheritdoc/>
    public override string Name => "vgg16";

    /// <inheritdoc/>
    public override string Title => "VGG-16 (seed §40): 13 conv3 layers in 5 blocks, fc 4096, fc 4096";

    /// <inheritdoc/>
    public override (int Height, int Width, int Channels) DefaultInput => (224, 224, 3);

    /// <inheritdoc/>
    protected override Tensor Layers(LayerRecorder r, Tensor images, TensorLike training)
    {
        var x = images;
        for (var b = 0; b < Blocks.Length; b++)
        {
            for (var c = 0; c < Blocks[b].Length; c++)
            {
                var name = $"conv{b + 1}_{c + 1}";
                x = r.Add(name, $"conv3-{Blocks[b][c]}", tf.layers.conv2d(x, Blocks[b][c], 3, padding: "same", activation: tf.nn.relu, name: name));
            }
            x = r.Add($"pool{b + 1}", "max pool 2×2 /2", tf.layers.max_pooling2d(x, 2, 2, name: $"pool{b + 1}"));
        }
        x = r.Add("flatten", "flatten", tf.layers.flatten(x, name: "flatten"));
        x = r.Add("fc6", "dense 4096, relu, dropout 0.5", tf.layers.dropout(tf.layers.dense(x, 4096, tf.nn.relu, name: "fc6"), 0.5, training: training));
        x = r.Add("fc7", "dense 4096, relu, dropout 0.5", tf.layers.dropout(tf.layers.dense(x, 4096, tf.nn.relu, name: "fc7"), 0.5, training: training));
        return r.Add("fc8", $"dense {Classes}", tf.layers.dense(x, Classes, name: "fc8"));
    }
}
