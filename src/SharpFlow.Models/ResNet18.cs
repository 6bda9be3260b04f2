using static SharpFlow.Binding;

namespace SharpFlow.Models;

/// <summary>
/// ResNet18 (He et al. 2015, laid out as torchvision's <c>resnet18</c>): conv 7×7/2 (no bias) + batch
/// normalization + ReLU and max pooling 3×3/2; four stages of two basic blocks (two 3×3 convolutions, each with
/// batch normalization, the second's output added to the shortcut before the ReLU) with 64, 128, 256 and 512
/// filters, the first block of stages 2–4 striding by 2 and projecting its shortcut with a 1×1/2 convolution +
/// batch normalization; global average pooling and the classifier. 11,689,512 trainable parameters at 224×224×3
/// with 1000 classes, as torchvision counts them (the 9,600 moving statistics come on top). Batch normalization
/// takes <c>training</c> as TensorFlow's Keras and Slim ResNets take <c>is_training</c> (batch statistics and
/// moving-average updates in <c>UPDATE_OPS</c> while training), with PyTorch's momentum (0.9) and epsilon (1e-5).
/// Inputs down to 32×32 work.
/// </summary>
public sealed class ResNet18(int classes = 1000) : Model(classes)
{
    private static readonly int[] Filters = [64, 128, 256, 512];
    private TensorLike _training;

    /// <inheritdoc/>
    public override string Name => "resnet18";

    /// <inheritdoc/>
    public override string Title => "ResNet18: conv 7×7/2, max pool, 4 stages of 2 basic blocks (64, 128, 256, 512), global pool";

    /// <inheritdoc/>
    public override (int Height, int Width, int Channels) DefaultInput => (224, 224, 3);

    /// <inheritdoc/>
    protected override Tensor Layers(LayerRecorder r, Tensor images, TensorLike training)
    {
        _training = training;
        var x = r.Add("conv1", Conv(7, 64, 2), tf.nn.relu(ConvBn(images, 64, 7, 2, "conv1")));
        x = r.Add("pool1", "max pool 3×3 /2", tf.layers.max_pooling2d(x, 3, 2, padding: "same", name: "pool1"));
        for (var s = 0; s < Filters.Length; s++)
            for (var b = 0; b < 2; b++)
            {
                var stride = s > 0 && b == 0 ? 2 : 1;
                var name = $"stage{s + 1}_block{b + 1}";
                x = r.Add(name, $"basic block 3×3×{Filters[s]}{(stride > 1 ? " /2, 1×1 /2 shortcut" : "")}", BasicBlock(x, Filters[s], stride, name));
            }
        x = r.Add("avg_pool", "global average pool", tf.reduce_mean(x, new[] { 1, 2 }, name: "avg_pool"));
        return r.Add("fc", $"dense {Classes}", tf.layers.dense(x, Classes, name: "fc"));
    }

    private Tensor BasicBlock(Tensor x, int filters, int stride, string name)
    {
        using var scope = tf.variable_scope(name);
        var shortcut = stride == 1 && x.shape[3] == filters ? x : ConvBn(x, filters, 1, stride, "shortcut");
        var y = tf.nn.relu(ConvBn(x, filters, 3, stride, "conv1"));
        y = ConvBn(y, filters, 3, 1, "conv2");
        return tf.nn.relu(tf.add(y, shortcut, name: "add"));
    }

    private Tensor ConvBn(Tensor x, int filters, int k, int stride, string name)
    {
        using var scope = tf.variable_scope(name);
        x = tf.layers.conv2d(x, filters, k, strides: stride, padding: "same", use_bias: false, name: "conv");
        return tf.layers.batch_normalization(x, momentum: 0.9, epsilon: 1e-5, training: _training, name: "bn");
    }
}
