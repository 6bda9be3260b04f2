using SharpFlow.Keras.Engine;
using SharpFlow.Layers;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;
using SharpFlow.Ops.Initializers;

namespace SharpFlow.Keras.Layers;

/// <summary>Shared checks of the convolution layers.</summary>
internal static class ConvUtil
{
    public static string Padding(string padding) => padding?.ToLowerInvariant() switch
    {
        "valid" => "VALID",
        "same" => "SAME",
        _ => throw new ValueError($"The `padding` argument must be one of \"valid\", \"same\". Received: {padding}"),
    };

    public static int Channels(Shape s, string layer)
    {
        if (!s.IsKnownRank || s[s.ndims - 1] < 0)
            throw new ValueError($"The channel dimension of the inputs to `{layer}` should be defined. Found `None`.");
        return s[s.ndims - 1];
    }

    public static void Rank(Shape s, int rank, string layerName)
    {
        if (Backend.image_data_format() == "channels_first")
            throw new ValueError($"Layer {layerName}: the image data format channels_first (NCHW) is not supported: the convolution and pooling kernels compute channels_last (NHWC) only, as TensorFlow's on CPU.");
        if (s.IsKnownRank && s.ndims != rank)
            throw new ValueError($"Input 0 of layer {layerName} is incompatible with the layer: expected ndim={rank}, found ndim={s.ndims}. Full shape received: {Layer.ShapeText(s)}");
    }

    /// <summary>Keras's <c>deconv_output_length</c>.</summary>
    public static int DeconvLength(int length, int kernel, string padding, int stride) =>
        length < 0 ? -1 : padding == "VALID" ? length * stride + Math.Max(kernel - stride, 0) : length * stride;
}

/// <summary><c>Conv2D</c>: a 2-D convolution over NHWC inputs, kernel <c>[kh, kw, in, filters]</c>, named <c>conv2d/kernel:0</c>.</summary>
public class Conv2D(int filters, Size2D kernel_size, Size2D? strides = null, string padding = "valid", Size2D? dilation_rate = null,
    ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null,
    KerasRegularizer? kernel_regularizer = null, KerasRegularizer? bias_regularizer = null, int[]? input_shape = null, string? name = null, bool trainable = true, KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null)
    : Layer(name, trainable, input_shape)
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
        ConvUtil.Rank(input_shape, 4, name);
        var inC = ConvUtil.Channels(input_shape, "Conv2D");
        kernel = add_weight("kernel", new Shape(kernel_size.Height, kernel_size.Width, inC, filters), initializer: kernel_initializer ?? "glorot_uniform", regularizer: kernel_regularizer,
            constraint: kernel_constraint);
        if (use_bias) bias = add_weight("bias", new Shape(filters), initializer: bias_initializer ?? "zeros", regularizer: bias_regularizer, constraint: bias_constraint);
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        var y = SharpFlow.Ops.NN.Conv2D.Build(inputs, kernel!, (strides ?? 1).ToNhwc(), _padding, (dilation_rate ?? 1).ToNhwc());
        if (bias is not null) y = BiasAdd.Build(y, bias);
        return (activation ?? ActivationSpec.Linear).Apply(y);
    }
}

/// <summary><c>Conv1D</c>: a 1-D convolution over <c>[batch, steps, channels]</c>, kernel <c>[k, in, filters]</c>.</summary>
public class Conv1D(int filters, int kernel_size, int strides = 1, string padding = "valid", int dilation_rate = 1, ActivationSpec? activation = null,
    bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null,
    int[]? input_shape = null, string? name = null, bool trainable = true, KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) : Layer(name, trainable, input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);
    private Variable? _kernel, _bias;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        ConvUtil.Rank(input_shape, 3, name);
        var inC = ConvUtil.Channels(input_shape, "Conv1D");
        _kernel = add_weight("kernel", new Shape(kernel_size, inC, filters), initializer: kernel_initializer ?? "glorot_uniform", regularizer: kernel_regularizer,
            constraint: kernel_constraint);
        if (use_bias) _bias = add_weight("bias", new Shape(filters), initializer: bias_initializer ?? "zeros", constraint: bias_constraint);
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        var y = Convolutions.Conv1D(inputs, _kernel!, strides, _padding, dilation_rate, null);
        if (_bias is not null) y = BiasAdd.Build(y, _bias);
        return (activation ?? ActivationSpec.Linear).Apply(y);
    }
}

/// <summary><c>Conv2DTranspose</c>: the transposed convolution, kernel <c>[kh, kw, filters, in]</c>.</summary>
public class Conv2DTranspose(int filters, Size2D kernel_size, Size2D? strides = null, string padding = "valid", ActivationSpec? activation = null,
    bool use_bias = true, InitializerSpec? kernel_initializer = null, InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null,
    int[]? input_shape = null, string? name = null, bool trainable = true, KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) : Layer(name, trainable, input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);
    private Variable? _kernel, _bias;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        ConvUtil.Rank(input_shape, 4, name);
        var inC = ConvUtil.Channels(input_shape, "Conv2DTranspose");
        _kernel = add_weight("kernel", new Shape(kernel_size.Height, kernel_size.Width, filters, inC), initializer: kernel_initializer ?? "glorot_uniform", regularizer: kernel_regularizer,
            constraint: kernel_constraint);
        if (use_bias) _bias = add_weight("bias", new Shape(filters), initializer: bias_initializer ?? "zeros", constraint: bias_constraint);
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var s = strides ?? 1;
        var shape = Shape_.Build(inputs);
        var h = ConvUtil.DeconvLength(inputs.shape[1], kernel_size.Height, _padding, s.Height);
        var w = ConvUtil.DeconvLength(inputs.shape[2], kernel_size.Width, _padding, s.Width);
        var outH = h >= 0 ? Const.Build(h) : DeconvDynamic(shape[1], kernel_size.Height, s.Height);
        var outW = w >= 0 ? Const.Build(w) : DeconvDynamic(shape[2], kernel_size.Width, s.Width);
        var outputShape = Pack.Build([shape[0], outH, outW, Const.Build(filters)]);
        var y = Convolutions.Conv2DTranspose(inputs, _kernel!, outputShape, s.ToNhwc(), _padding, null);
        y.SetShape(new Shape(inputs.shape[0], h, w, filters));
        if (_bias is not null) y = BiasAdd.Build(y, _bias);
        return (activation ?? ActivationSpec.Linear).Apply(y);
    }

    private Tensor DeconvDynamic(Tensor length, int kernel, int stride) =>
        _padding == "VALID" ? length * stride + Math.Max(kernel - stride, 0) : length * stride;
}

/// <summary><c>DepthwiseConv2D</c>: one filter per input channel (times <c>depth_multiplier</c>), <c>depthwise_kernel</c> <c>[kh, kw, in, m]</c>.</summary>
public class DepthwiseConv2D(Size2D kernel_size, Size2D? strides = null, string padding = "valid", int depth_multiplier = 1, ActivationSpec? activation = null,
    bool use_bias = true, InitializerSpec? depthwise_initializer = null, InitializerSpec? bias_initializer = null, int[]? input_shape = null, string? name = null)
    : Layer(name, input_shape: input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);
    private Variable? _kernel, _bias;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        ConvUtil.Rank(input_shape, 4, name);
        var inC = ConvUtil.Channels(input_shape, "DepthwiseConv2D");
        _kernel = add_weight("depthwise_kernel", new Shape(kernel_size.Height, kernel_size.Width, inC, depth_multiplier), initializer: depthwise_initializer ?? "glorot_uniform");
        if (use_bias) _bias = add_weight("bias", new Shape(inC * depth_multiplier), initializer: bias_initializer ?? "zeros");
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        var y = Convolutions.DepthwiseConv2D(inputs, _kernel!, (strides ?? 1).ToNhwc(), _padding, null, null);
        if (_bias is not null) y = BiasAdd.Build(y, _bias);
        return (activation ?? ActivationSpec.Linear).Apply(y);
    }
}

/// <summary><c>SeparableConv2D</c>: a depthwise then a 1×1 pointwise convolution (<c>depthwise_kernel</c>, <c>pointwise_kernel</c>, <c>bias</c>).</summary>
public class SeparableConv2D(int filters, Size2D kernel_size, Size2D? strides = null, string padding = "valid", int depth_multiplier = 1,
    ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? depthwise_initializer = null, InitializerSpec? pointwise_initializer = null,
    InitializerSpec? bias_initializer = null, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);
    private Variable? _depthwise, _pointwise, _bias;

    /// <inheritdoc />
    public override void build(Shape input_shape)
    {
        ArgumentNullException.ThrowIfNull(input_shape);
        ConvUtil.Rank(input_shape, 4, name);
        var inC = ConvUtil.Channels(input_shape, "SeparableConv2D");
        _depthwise = add_weight("depthwise_kernel", new Shape(kernel_size.Height, kernel_size.Width, inC, depth_multiplier), initializer: depthwise_initializer ?? "glorot_uniform");
        _pointwise = add_weight("pointwise_kernel", new Shape(1, 1, inC * depth_multiplier, filters), initializer: pointwise_initializer ?? "glorot_uniform");
        if (use_bias) _bias = add_weight("bias", new Shape(filters), initializer: bias_initializer ?? "zeros");
        built = true;
    }

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        var y = Convolutions.SeparableConv2D(inputs, _depthwise!, _pointwise!, (strides ?? 1).ToNhwc(), _padding, null, null);
        if (_bias is not null) y = BiasAdd.Build(y, _bias);
        return (activation ?? ActivationSpec.Linear).Apply(y);
    }
}

/// <summary>Max or average pooling over 2-D windows (<c>MaxPooling2D</c>, <c>AveragePooling2D</c>; pool 2×2, strides = pool).</summary>
public abstract class Pooling2DBase(Size2D? pool_size, Size2D? strides, string padding, int[]? input_shape, string? name, bool max) : Layer(name, input_shape: input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ConvUtil.Rank(inputs.shape, 4, name);
        var pool = pool_size ?? 2;
        var s = strides ?? pool;
        return max ? MaxPool.Build(inputs, pool.ToNhwc(), s.ToNhwc(), _padding) : AvgPool.Build(inputs, pool.ToNhwc(), s.ToNhwc(), _padding);
    }
}

/// <summary><c>MaxPooling2D</c>.</summary>
public class MaxPooling2D(Size2D? pool_size = null, Size2D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null)
    : Pooling2DBase(pool_size, strides, padding, input_shape, name, max: true);

/// <summary><c>AveragePooling2D</c> (padding cells not counted).</summary>
public class AveragePooling2D(Size2D? pool_size = null, Size2D? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null)
    : Pooling2DBase(pool_size, strides, padding, input_shape, name, max: false);

/// <summary>Max or average pooling over steps of <c>[batch, steps, channels]</c> (pool 2, strides = pool).</summary>
public abstract class Pooling1DBase(int pool_size, int? strides, string padding, int[]? input_shape, string? name, bool max) : Layer(name, input_shape: input_shape)
{
    private readonly string _padding = ConvUtil.Padding(padding);

    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ConvUtil.Rank(inputs.shape, 3, name);
        var x = ExpandDims.Build(inputs, 2);
        int[] k = [1, pool_size, 1, 1], s = [1, strides ?? pool_size, 1, 1];
        var y = max ? MaxPool.Build(x, k, s, _padding) : AvgPool.Build(x, k, s, _padding);
        return Squeeze.Build(y, new[] { 2 });
    }
}

/// <summary><c>MaxPooling1D</c>.</summary>
public class MaxPooling1D(int pool_size = 2, int? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null)
    : Pooling1DBase(pool_size, strides, padding, input_shape, name, max: true);

/// <summary><c>AveragePooling1D</c>.</summary>
public class AveragePooling1D(int pool_size = 2, int? strides = null, string padding = "valid", int[]? input_shape = null, string? name = null)
    : Pooling1DBase(pool_size, strides, padding, input_shape, name, max: false);

/// <summary>Global pooling: the mean or max over the spatial axes.</summary>
public abstract class GlobalPoolingBase(int rank, bool max, int[]? input_shape, string? name) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ConvUtil.Rank(inputs.shape, rank + 2, name);
        var axes = Enumerable.Range(1, rank).ToArray();
        return max ? Max.Build(inputs, axes) : Mean.Build(inputs, axes);
    }
}

/// <summary><c>GlobalAveragePooling2D</c>.</summary>
public class GlobalAveragePooling2D(int[]? input_shape = null, string? name = null) : GlobalPoolingBase(2, false, input_shape, name);

/// <summary><c>GlobalMaxPooling2D</c>.</summary>
public class GlobalMaxPooling2D(int[]? input_shape = null, string? name = null) : GlobalPoolingBase(2, true, input_shape, name);

/// <summary><c>GlobalAveragePooling1D</c>.</summary>
public class GlobalAveragePooling1D(int[]? input_shape = null, string? name = null) : GlobalPoolingBase(1, false, input_shape, name);

/// <summary><c>GlobalMaxPooling1D</c>.</summary>
public class GlobalMaxPooling1D(int[]? input_shape = null, string? name = null) : GlobalPoolingBase(1, true, input_shape, name);

/// <summary><c>ZeroPadding2D</c>: zeros around the rows and columns (<c>((top, bottom), (left, right))</c>).</summary>
public class ZeroPadding2D(Size2D? padding = null, (int Top, int Bottom, int Left, int Right)? explicit_padding = null, int[]? input_shape = null, string? name = null)
    : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        var p = padding ?? 1;
        var (t, b, l, r) = explicit_padding ?? (p.Height, p.Height, p.Width, p.Width);
        return ArrayFunctions.Pad(inputs, new[,] { { 0, 0 }, { t, b }, { l, r }, { 0, 0 } }, null, null);
    }
}

/// <summary><c>Cropping2D</c>: removes rows and columns at the edges.</summary>
public class Cropping2D((int Top, int Bottom, int Left, int Right) cropping, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var (t, b, l, r) = cropping;
        var h = inputs.shape[1];
        var w = inputs.shape[2];
        if (h < 0 || w < 0) throw new ValueError("Cropping2D needs the height and width of its inputs.");
        return Slice.Build(inputs, new[] { 0, t, l, 0 }, new[] { -1, h - t - b, w - l - r, -1 });
    }
}

/// <summary><c>UpSampling2D</c>: repeats rows and columns <c>size</c> times (nearest neighbour).</summary>
public class UpSampling2D(Size2D? size = null, int[]? input_shape = null, string? name = null) : Layer(name, input_shape: input_shape)
{
    /// <inheritdoc />
    public override Tensor call(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var s = size ?? 2;
        var h = inputs.shape[1];
        var w = inputs.shape[2];
        if (h < 0 || w < 0) throw new ValueError("UpSampling2D needs the height and width of its inputs.");
        return Ops.Image.ResizeNearestNeighbor.Build(inputs, new[] { h * s.Height, w * s.Width });
    }
}
