namespace SharpFlow.Ops.Initializers;

/// <summary><c>tf.ones_initializer()</c>: all ones.</summary>
public sealed class OnesInitializer(DType? dtype = null) : Initializer(dtype)
{
    /// <inheritdoc/>
    public override Tensor Call(Shape shape, DType? dtype = null) => Ops.ArrayOps.Fill.Constant(shape, dtype ?? this.dtype, one: true, null);
}
