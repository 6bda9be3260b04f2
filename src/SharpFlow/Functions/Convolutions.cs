using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Functions;

/// <summary>
/// The convolutions TensorFlow 1.x's Python builds from other ops: <c>tf.nn.conv1d</c> (expand_dims, Conv2D,
/// squeeze), <c>tf.nn.atrous_conv2d</c> (a dilated Conv2D) and <c>tf.nn.separable_conv2d</c> (a depthwise then a
/// 1×1 pointwise convolution).
/// </summary>
internal static class Convolutions
{
    /// <summary>
    /// <c>tf.nn.conv1d(value, filters, stride, padding)</c>: <c>[batch, width, in]</c> with <c>[k, in, out]</c>
    /// filters as a Conv2D of height 1 (strides <c>[1, 1, stride, 1]</c>).
    /// </summary>
    public static Tensor Conv1D(TensorLike value, TensorLike filters, int stride, string padding, int dilation, string? name)
    {
        using var b = OpBuilder.Begin(name, "conv1d", value, filters);
        var input = b.Convert(value, "value");
        var filter = b.Convert(filters, "filters");
        if (input.shape.IsKnownRank && input.shape.ndims != 3)
            throw new ValueError($"conv1d: value must be 3-dimensional [batch, in_width, in_channels], got shape {input.shape.ToListString()}");
        if (filter.shape.IsKnownRank && filter.shape.ndims != 3)
            throw new ValueError($"conv1d: filters must be 3-dimensional [filter_width, in_channels, out_channels], got shape {filter.shape.ToListString()}");
        var expanded = ExpandDims.Build(input, 1);
        var expandedFilter = ExpandDims.Build(filter, 0);
        var result = Conv2D.Build(expanded, expandedFilter, [1, 1, stride, 1], padding, [1, 1, dilation, 1]);
        return Squeeze.Build(result, [1]);
    }

    /// <summary>
    /// <c>tf.nn.atrous_conv2d(value, filters, rate, padding)</c>: a Conv2D whose filter taps are
    /// <paramref name="rate"/> pixels apart (stride 1).
    /// </summary>
    public static Tensor AtrousConv2D(TensorLike value, TensorLike filters, int rate, string padding, string? name)
    {
        if (rate < 1) throw new ValueError($"rate {rate} cannot be less than one");
        return Conv2D.Build(value, filters, [1, 1, 1, 1], padding, [1, rate, rate, 1], name ?? "convolution");
    }

    /// <summary>
    /// <c>tf.nn.separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, rate)</c>: a depthwise
    /// convolution (<c>[h, w, in, multiplier]</c>) then a 1×1 convolution (<c>[1, 1, in * multiplier, out]</c>, VALID).
    /// </summary>
    public static Tensor SeparableConv2D(TensorLike input, TensorLike depthwiseFilter, TensorLike pointwiseFilter, int[] strides, string padding, int[]? rate, string? name)
    {
        using var b = OpBuilder.Begin(name, "separable_conv2d", input, depthwiseFilter, pointwiseFilter);
        var x = b.Convert(input, "tensor_in");
        var depthwise = b.Convert(depthwiseFilter, "depthwise_filter");
        var pointwise = b.Convert(pointwiseFilter, "pointwise_filter");
        var ps = pointwise.shape;
        if (ps.IsKnownRank)
        {
            if (ps.ndims != 4) throw new ValueError($"Shape {ps.ToListString()} must have rank 4");
            if (ps[0] > 1 || ps[1] > 1 || ps[0] == 0 || ps[1] == 0)
                throw new ValueError($"Dimensions {ps[0]} and 1 are not compatible: the pointwise filter must be [1, 1, in_channels * channel_multiplier, out_channels], got {ps.ToListString()}");
        }
        var dilations = rate is null ? null : new[] { 1, rate[0], rate[1], 1 };
        var dw = DepthwiseConv2dNative.Def.Build(x, depthwise, WindowAttrs.ForConv(strides, padding, dilations), "depthwise");
        return Conv2D.Build(dw, pointwise, [1, 1, 1, 1], "VALID", null, b.Scope);
    }

    /// <summary>
    /// <c>tf.nn.conv2d_transpose(value, filter, output_shape, strides, padding)</c>: the gradient of Conv2D with
    /// respect to its input; <paramref name="filter"/> is <c>[h, w, out_channels, in_channels]</c> and the result has
    /// <paramref name="outputShape"/> (a tensor, or values made a constant named "output_shape").
    /// </summary>
    public static Tensor Conv2DTranspose(TensorLike value, TensorLike filter, TensorLike outputShape, int[] strides, string padding, string? name)
    {
        var shape = outputShape.Value as Tensor ?? Const.Create(OpBuilder.GraphOf([value, filter]), Literal.ToNDArray(outputShape.Value, DType.int32), "output_shape");
        return Conv2DBackpropInput.Def.Build(shape, filter, value, WindowAttrs.ForConv(strides, padding, null), name ?? "conv2d_transpose");
    }

    /// <summary><c>tf.nn.depthwise_conv2d(input, filter, strides, padding, rate)</c>: DepthwiseConv2dNative, dilated by <c>[1, rate[0], rate[1], 1]</c>.</summary>
    public static Tensor DepthwiseConv2D(TensorLike input, TensorLike filter, int[] strides, string padding, int[]? rate, string? name) =>
        DepthwiseConv2dNative.Def.Build(input, filter, WindowAttrs.ForConv(strides, padding, rate is null ? null : [1, rate[0], rate[1], 1]), name ?? "depthwise");

    /// <summary><c>tf.nn.conv3d</c> of NDHWC <paramref name="input"/>; strides and dilations are <c>[1, d, h, w, 1]</c>.</summary>
    public static Tensor Conv3D(TensorLike input, TensorLike filter, int[] strides, string padding, string dataFormat, int[]? dilations, string? name)
    {
        CheckNdhwc(dataFormat, "conv3d");
        return Ops.NN.Conv3D.Build(input, filter, Volumetric.ForConv(strides, padding, dilations), name);
    }

    /// <summary><c>tf.nn.max_pool3d</c> over <c>[1, d, h, w, 1]</c> windows of NDHWC volumes.</summary>
    public static Tensor MaxPool3D(TensorLike input, int[] ksize, int[] strides, string padding, string dataFormat, string? name)
    {
        CheckNdhwc(dataFormat, "max_pool3d");
        return Ops.NN.MaxPool3D.Build(input, ksize, strides, padding, name);
    }

    /// <summary><c>tf.nn.avg_pool3d</c>; padding is not counted in the mean.</summary>
    public static Tensor AvgPool3D(TensorLike input, int[] ksize, int[] strides, string padding, string dataFormat, string? name)
    {
        CheckNdhwc(dataFormat, "avg_pool3d");
        return Ops.NN.AvgPool3D.Build(input, ksize, strides, padding, name);
    }

    private static void CheckNdhwc(string dataFormat, string function)
    {
        if (dataFormat != "NDHWC") throw new ValueError($"{function}: data_format {dataFormat} is not supported on CPU; use NDHWC");
    }
}
