using static SharpFlow.Binding;

namespace SharpFlow.Models;

/// <summary>
/// The convolutional network of TensorFlow's layers tutorial (<c>cnn_mnist.py</c>): conv 5×5×32 SAME, max pool
/// 2×2, conv 5×5×64 SAME, max pool 2×2, dense 1024 with dropout 0.4 while training, dense 10: 3,274,634
/// parameters on 28×28×1 images.
/// </summary>
public sealed class TutorialConvNet(int classes = 10, double dropoutRate = 0.4) : Model(classes)
{
    /// <inheritdoc/>
    public override string Name => "convnet";

    /// <inheritdoc/>
    public override string Title => "TensorFlow's tutorial convnet: conv 32, pool, conv 64, pool, dense 1024, dropout 0.4";

    /// <inheritdoc/>
    public override (int Height, int Width, int Channels) DefaultInput => (28, 28, 1);

    /// <inheritdoc/>
    protected override Tensor Layers(LayerRecorder r, Tensor images, TensorLike training)
    {
        var x = r.Add("conv1", Conv(5, 32), tf.layers.conv2d(images, 32, 5, padding: "same", activation: tf.nn.relu, name: "conv1"));
        x = r.Add("pool1", "max pool 2×2 /2", tf.layers.max_pooling2d(x, 2, 2, name: "pool1"));
        x = r.Add("conv2", Conv(5, 64), tf.layers.conv2d(x, 64, 5, padding: "same", activation: tf.nn.relu, name: "conv2"));
        x = r.Add("pool2", "max pool 2×2 /2", tf.layers.max_pooling2d(x, 2, 2, name: "pool2"));
        x = r.Add("flatten", "flatten", tf.layers.flatten(x, name: "flatten"));
        x = r.Add("dense", "dense 1024, relu", tf.layers.dense(x, 1024, tf.nn.relu, name: "dense"));
        x = r.Add("dropout", $"dropout {dropoutRate}", tf.layers.dropout(x, dropoutRate, training: training, name: "dropout"));
        return r.Add("logits", $"dense {Classes}", tf.layers.dense(x, Classes, name: "logits"));
    }
}
