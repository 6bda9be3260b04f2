namespace SharpFlow.Ops.Initializers;

/// <summary><c>tf.zeros_initializer()</c>: all zeros.</summary>
public sealed class ZerosInitializer(DType? dtype = null) : Initializer(dtype)
{
    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null) => Ops.ArrayOps.Fill.Constant(shape, dtype ?? this.dtype, one: false, null);
}
