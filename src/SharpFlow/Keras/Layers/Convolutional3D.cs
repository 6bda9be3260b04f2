using SharpFlow.Keras.Engine;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Layers;

/// <summary>
/// A depth, height and width for the 3-D layers' arguments (<c>kernel_size</c>, <c>strides</c>, <c>pool_size</c>):
/// a number means all three, as in Keras (<c>kernel_size: 3</c>, <c>(3, 3, 3)</c>, <c>new[] { 1, 3, 3 }</c>).
/// </summary>
public readonly record struct Size3D(int Depth, int Height, int Width)
{
    /// <summary>The same size in every direction.</summary>
    public static implicit operator Size3D(int size) => new(size, size, size);

    /// <summary>From (depth, height, width).</summary>
    public static implicit operator Size3D((int Depth, int Height, int Width) size) => new(size.Depth, size.Height, size.Width);

    /// <summary>From an array of one or three entries.</summary>
    public static implicit operator Size3D(int[] size) => (size ?? throw new ArgumentNullException(nameof(size))).Length switch
    {
        1 => new(size[0], size[0], size[0]),
        3 => new(size[0], size[1], size[2]),
        _ => throw new ValueError($"The `kernel_size` argument must be a tuple of 3 integers. Received: [{string.Join(", ", size)}]"),
    };

    /// <summary>The NDHWC form <c>[1, depth, height, width, 1]</c> that the ops take.</summary>
    public int[] ToNdhwc() => [1, Depth, Height, Width, 1];

    /// <inheritdoc/>
    public override string ToString() => $"({Depth}, {Height}, {Width})";
}

/// <summary>
/// <c>Conv3D</c>: a 3-D convolution over NDHWC inputs <c>[batch, depth, height, width, channels]</c>, kernel
/// <c>[kd, kh, kw, in, filters]</c> named <c>conv3d/kernel:0</c>.
/// </summary>
public class Conv3D(int filters, Size3D kernel_size, Size3D? strides = null, string padding = "valid", Size3D? dilation_rate = null,
    ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null,
    KerasRegularizer? kernel_regularizer = null, KerasRegularizer? bias_regularizer = null, int[]? input_shape = null, string? name = null, bool trainable = true,
    KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) : Layer(name, trainable, input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);

    /// <summary>The kernel, once built.</summary>
    public Variable? kernel { get; private set; }

    /// <summary>The bias, once built.</summary>
    public Variable? bias { get; private set; }

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        ConvUtil.Rank(input_shape, 5, name);
        var inC = ConvUtil.Channels(input_shape, "Conv3D");
        kernel = add_weight("kernel", new Shape(kernel_size.Depth, kernel_size.Height, kernel_size.Width, inC, filters),
            initializer: kernel_initializer ?? "glorot_uniform", regularizer: kernel_regularizer, constraint: kernel_constraint);
        if (use_bias) bias = add_weight("bias", new Shape(filters), initializer: bias_initializer ?? "zeros", regularizer: bias_regularizer, constraint: bias_constraint);
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        var y = Convolutions.Conv3D(inputs, kernel!, (strides ?? 1).ToNdhwc(), _padding, "NDHWC", (dilation_rate ?? 1).ToNdhwc(), null);
        if (bias is not null) y = BiasAdd.Build(y, bias);
        return (activation ?? ActivationSpec.Linear).Apply(y);
    }
}

/// <summary>Max or average pooling over 3-D windows (<c>MaxPooling3D</c>, <c>AveragePooling3D</c>; pool 2×2×2, strides = pool).</summary>
public abstract class Pooling3DBase(Size3D? pool_size, Size3D? strides, string padding, int[]? input_shape, string? name, bool max) : Layer(name, input_shape: input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ConvUtil.Rank(inputs.shape, 5, name);
        var pool = pool_size ?? 2;
        var s = strides ?? pool;
        return max ? Convolutions.MaxPool3D(inputs, pool.ToNdhwc(), s.ToNdhwc(), _padding, "NDHWC", null) : Convolutions.AvgPool3D(inputs, pool.ToNdhwc(), s.ToNdhwc(), _padding, "NDHWC", null);
    }
}

/// <summary><c>MaxPooling3D</c>.</summary>
public class MaxPooling3D(Size3D? pool_size = null, Size3D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null)
    : Pooling3DBase(pool_size, strides, padding, input_shape, name, max: true);

/// <summary><c>AveragePooling3D</c> (padding cells not counted).</summary>
public class AveragePooling3D(Size3D? pool_size = null, Size3D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null)
    : Pooling3DBase(pool_size, strides, padding, input_shape, name, max: false);

/// <summary><c>GlobalAveragePooling3D</c>: the mean over depth, height and width.</summary>
public class GlobalAveragePooling3D(int[]? input_shape = null, string? name = null) : GlobalPoolingBase(3, false, input_shape, name);

/// <summary><c>GlobalMaxPooling3D</c>: the max over depth, height and width.</summary>
public class GlobalMaxPooling3D(int[]? input_shape = null, string? name = null) : GlobalPoolingBase(3, true, input_shape, name);
