using static SharpFlow.Binding;

namespace SharpFlow.Models;

/// <summary>
/// LeNet-5 exactly as seed §37 counts it, with ReLU activations and max pooling: input 32×32×1 (28×28 images
/// are zero-padded by 2 on each side, as for Fashion-MNIST); conv 5×5×6 VALID → 28×28×6 (156 parameters);
/// pool 2×2 → 14×14×6; conv 5×5×16 VALID → 10×10×16 (2,416); pool → 5×5×16; fc 120 (48,120); fc 84 (10,164);
/// fc 10 (850): 61,706 in all. Dropout (seed §38) on the fully connected layers while training, at
/// <see cref="DropoutRate"/>.
/// </summary>
public class LeNet5(int classes = 10, double dropoutRate = 0.0) : Model(classes)
{
    /// <inheritdoc/>
    public override string Name => "lenet5";

    /// <inheritdoc/>
    public override string Title => "LeNet-5 (seed §37): two 5×5 convolutions with 2×2 max pooling, three fully connected layers";

    /// <inheritdoc/>
    public override (int Height, int Width, int Channels) DefaultInput => (28, 28, 1);

    /// <summary>The dropout rate of the fully connected layers while training (0: none).</summary>
    public double DropoutRate { get; } = dropoutRate;

    /// <inheritdoc/>
    protected override Tensor Layers(LayerRecorder r, Tensor images, TensorLike training)
    {
        var x = images;
        if (x.shape[1] == 28 && x.shape[2] == 28)
            x = r.Add("pad", "zero padding 2 → 32×32", tf.pad(x, new[,] { { 0, 0 }, { 2, 2 }, { 2, 2 }, { 0, 0 } }, name: "pad"));
        x = Features(r, x);
        x = r.Add("flatten", "flatten", tf.layers.flatten(x, name: "flatten"));
        x = r.Add("fc1", "dense 120, relu", Dropout(tf.layers.dense(x, 120, tf.nn.relu, name: "fc1"), training));
        x = r.Add("fc2", "dense 84, relu", Dropout(tf.layers.dense(x, 84, tf.nn.relu, name: "fc2"), training));
        return r.Add("logits", $"dense {Classes}", tf.layers.dense(x, Classes, name: "logits"));
    }

    /// <summary>The convolutional part, 32×32×1 → 5×5×16.</summary>
    protected virtual Tensor Features(LayerRecorder r, Tensor x)
    {
        x = r.Add("conv1", Conv(5, 6, padding: "valid"), tf.layers.conv2d(x, 6, 5, padding: "valid", activation: tf.nn.relu, name: "conv1"));
        x = r.Add("pool1", "max pool 2×2 /2", tf.layers.max_pooling2d(x, 2, 2, name: "pool1"));
        x = r.Add("conv2", Conv(5, 16, padding: "valid"), tf.layers.conv2d(x, 16, 5, padding: "valid", activation: tf.nn.relu, name: "conv2"));
        return r.Add("pool2", "max pool 2×2 /2", tf.layers.max_pooling2d(x, 2, 2, name: "pool2"));
    }

    private Tensor Dropout(Tensor x, TensorLike training) =>
        DropoutRate > 0 ? tf.layers.dropout(x, DropoutRate, training: training) : x;
}
