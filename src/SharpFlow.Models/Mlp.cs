using static SharpFlow.Binding;

namespace SharpFlow.Models;

/// <summary>The fully connected network of seed §30: 784 inputs, 500 ReLU units, 10 outputs (397,510 parameters).</summary>
public sealed class Mlp(int classes = 10, int hidden = 500) : Model(classes)
{
    /// <inheritdoc/>
    public override string Name => "mlp";

    /// <inheritdoc/>
    public override string Title => $"Fully connected network (seed §30): {hidden} ReLU units";

    /// <inheritdoc/>
    public override (int Height, int Width, int Channels) DefaultInput => (28, 28, 1);

    /// <inheritdoc/>
    protected override Tensor Layers(LayerRecorder r, Tensor images, TensorLike training)
    {
        var x = r.Add("flatten", "flatten", tf.layers.flatten(images, name: "flatten"));
        x = r.Add("hidden", $"dense {hidden}, relu", tf.layers.dense(x, hidden, tf.nn.relu, name: "hidden"));
        return r.Add("logits", $"dense {Classes}", tf.layers.dense(x, Classes, name: "logits"));
    }
}
