using SharpFlow.Framework;
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.NN;

namespace SharpFlow.Layers;

/// <summary>
/// <c>tf.layers.conv2d</c>: <c>activation(conv2d(inputs, kernel) + bias)</c> with <c>kernel</c>
/// [kh, kw, in, filters] (glorot_uniform by default) and <c>bias</c> [filters] (zeros). Padding "valid" or
/// "same", case-insensitive, as in TensorFlow's layers.
/// </summary>
internal static class Conv2DLayer
{
    public static Tensor Apply(Tensor inputs, int filters, Size2D kernelSize, Size2D strides, string padding, Size2D dilationRate,
        Func<Tensor, Tensor>? activation, bool useBias, Initializer? kernelInitializer, Initializer? biasInitializer,
        Functions.Regularizer? kernelRegularizer, Functions.Regularizer? biasRegularizer, bool trainable, string? name, Reuse? reuse)
    {
        if (filters <= 0) throw new ValueError($"filters must be positive, got {filters}");
        LayerScope.CheckFloat(inputs, "Conv2D");
        if (inputs.shape.IsKnownRank && inputs.shape.ndims != 4)
            throw new ValueError($"Input 0 of layer conv2d is incompatible with the layer: expected ndim=4 (NHWC), found ndim={inputs.shape.ndims}: {inputs}");
        var inChannels = LayerScope.LastDimension(inputs, "Conv2D");
        var attrs = WindowAttrs.ForConv(strides.ToNhwc(), LayerScope.Padding(padding), dilationRate.ToNhwc());
        using var scope = LayerScope.Enter(name, "conv2d", reuse);
        var kernel = LayerScope.Weight("kernel", new Shape(kernelSize.Height, kernelSize.Width, inChannels, filters), inputs.dtype,
            kernelInitializer, kernelRegularizer, trainable);
        var y = Conv2D.Def.Build(inputs, kernel, attrs);
        if (useBias)
        {
            var bias = LayerScope.Weight("bias", new Shape(filters), inputs.dtype, biasInitializer ?? new ZerosInitializer(), biasRegularizer, trainable);
            y = BiasAdd.Build(y, bias);
        }
        return activation is null ? y : activation(y);
    }
}
