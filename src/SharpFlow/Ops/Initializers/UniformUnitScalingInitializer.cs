namespace SharpFlow.Ops.Initializers;

/// <summary>
/// <c>tf.uniform_unit_scaling_initializer(factor=1, seed)</c>: uniform in ±sqrt(3 / input_size) · factor, where
/// input_size is the product of all but the last dimension, so activations keep their scale.
/// </summary>
public sealed class UniformUnitScalingInitializer(double factor = 1.0, int? seed = null, DType? dtype = null) : Initializer(dtype)
{
    /// <summary>The multiplicative factor.</summary>
    public double factor { get; } = factor;
    /// <summary>The op-level seed.</summary>
    public int? seed { get; } = seed;

    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var dims = shape.Dims;
        var inputSize = 1.0;
        for (var i = 0; i < dims.Length - 1; i++) inputSize *= dims[i];
        inputSize = System.Math.Max(inputSize, 1.0);
        var maxVal = System.Math.Sqrt(3 / inputSize) * factor;
        return Ops.RandomOps.RandomUniform.Build(shape, -maxVal, maxVal, dtype ?? this.dtype, seed);
    }
}
