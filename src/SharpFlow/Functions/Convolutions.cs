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
}
