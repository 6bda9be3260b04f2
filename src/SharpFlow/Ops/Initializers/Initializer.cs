using SharpFlow.Ops.Initializers;

namespace SharpFlow;

/// <summary>
/// A variable initializer (TensorFlow 1.x's <c>init_ops.Initializer</c>): called with a shape and dtype, it builds
/// the ops computing an initial value. <c>tf.get_variable(initializer: ...)</c> calls it inside the variable's
/// <c>Initializer</c> name scope. A tensor or value can stand for an initializer too: the variable then takes its
/// shape and value.
/// </summary>
public abstract class Initializer
{
    /// <summary>Creates an initializer whose default dtype is <paramref name="dtype"/>.</summary>
    protected Initializer(DType? dtype = null) => this.dtype = dtype ?? DType.float32;

    /// <summary>The dtype used when a call does not name one.</summary>
    public DType dtype { get; }

    /// <summary>Builds the initial value (TensorFlow's <c>__call__(shape, dtype)</c>).</summary>
    public abstract Tensor Call(Shape shape, DType? dtype = null);

    /// <summary>A tensor as an initializer: the variable takes its value and shape.</summary>
    public static implicit operator Initializer(Tensor value) => new ValueInitializer(value);

    /// <summary>A concrete value as an initializer: the variable takes its value and shape.</summary>
    public static implicit operator Initializer(NDArray value) => new ValueInitializer(value);

    /// <summary>
    /// The fan-in and fan-out of a weight shape (TensorFlow's <c>_compute_fans</c>): for convolution kernels the
    /// receptive field multiplies the last two dimensions.
    /// </summary>
    internal static (double FanIn, double FanOut) ComputeFans(Shape shape)
    {
        var dims = shape.Dims;
        if (dims.Length < 1) return (1, 1);
        if (dims.Length == 1) return (dims[0], dims[0]);
        if (dims.Length == 2) return (dims[0], dims[1]);
        double receptive = 1;
        for (var i = 0; i < dims.Length - 2; i++) receptive *= dims[i];
        return (dims[^2] * receptive, dims[^1] * receptive);
    }
}
