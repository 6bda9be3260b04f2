using static SharpFlow.Binding;

namespace SharpFlow.Models;

/// <summary>
/// Seed §39: LeNet-5 with its pooling layers removed and its convolutions given stride 2 instead, so they
/// subsample themselves: conv 5×5×6 /2 VALID → 14×14×6, conv 5×5×16 /2 VALID → 5×5×16. The shapes and the
/// 61,706 parameters are LeNet-5's.
/// </summary>
public sealed class LeNet5Strided(int classes = 10, double dropoutRate = 0.0) : LeNet5(classes, dropoutRate)
{
    /// <inheritdoc/>
    public override string Name => "lenet5_strided";

    /// <inheritdoc/>
    public override string Title => "LeNet-5 with stride-2 convolutions in place of pooling (seed §39)";

    /// <inheritdoc/>
    protected override Tensor Features(LayerRecorder r, Tensor x)
    {
        x = r.Add("conv1", Conv(5, 6, 2, "valid"), tf.layers.conv2d(x, 6, 5, strides: 2, padding: "valid", activation: tf.nn.relu, name: "conv1"));
        return r.Add("conv2", Conv(5, 16, 2, "valid"), tf.layers.conv2d(x, 16, 5, strides: 2, padding: "valid", activation: tf.nn.relu, name: "conv2"));
    }
}
