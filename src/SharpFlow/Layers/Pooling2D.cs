using SharpFlow.Ops.NN;

namespace SharpFlow.Layers;

/// <summary><c>tf.layers.max_pooling2d</c> and <c>average_pooling2d</c>: pooling with the layer's naming and arguments.</summary>
internal static class Pooling2D
{
    public static Tensor Apply(Tensor inputs, Size2D poolSize, Size2D strides, string padding, bool max, string? name)
    {
        LayerScope.CheckFloat(inputs, max ? "MaxPooling2D" : "AveragePooling2D");
        var pad = LayerScope.Padding(padding);
        using var scope = Ops.OpBuilder.Begin(name, max ? "max_pooling2d" : "average_pooling2d", inputs);
        return max
            ? MaxPool.Build(inputs, poolSize.ToNhwc(), strides.ToNhwc(), pad, "MaxPool")
            : AvgPool.Build(inputs, poolSize.ToNhwc(), strides.ToNhwc(), pad, "AvgPool");
    }
}
