namespace SharpFlow.Ops.Initializers;

/// <summary>
/// <c>tf.constant_initializer(value)</c>: a constant of the requested shape; a scalar fills it, a shorter list
/// repeats its last element (TensorFlow 1.x).
/// </summary>
public sealed class ConstantInitializer(object? value = null, DType? dtype = null, bool verifyShape = false) : Initializer(dtype)
{
    /// <summary>The value.</summary>
    public object value { get; } = value ?? 0;

    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null) =>
        Ops.ArrayOps.Const.Build(value, dtype ?? this.dtype, shape, "Const", verifyShape);
}
