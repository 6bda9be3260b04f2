#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.NN;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class nn
        {
            /// <summary>
            /// 1-D convolution of <c>[batch, in_width, in_channels]</c> with <c>[filter_width, in_channels, out_channels]</c>
            /// filters (TensorFlow 1.x builds it as expand_dims, Conv2D and squeeze).
            /// </summary>
            public static Tensor conv1d(TensorLike value, TensorLike filters, int stride, string padding, string? name = null, int dilations = 1) =>
                Convolutions.Conv1D(value, filters, stride, padding, dilations, name);

            /// <summary>Atrous (dilated) 2-D convolution: the filter's taps are <paramref name="rate"/> pixels apart, stride 1.</summary>
            public static Tensor atrous_conv2d(TensorLike value, TensorLike filters, int rate, string padding, string? name = null) =>
                Convolutions.AtrousConv2D(value, filters, rate, padding, name);

            /// <summary>
            /// A depthwise convolution (<paramref name="depthwise_filter"/> <c>[h, w, in, multiplier]</c>) followed by a 1×1
            /// pointwise one (<paramref name="pointwise_filter"/> <c>[1, 1, in * multiplier, out]</c>).
            /// </summary>
            public static Tensor separable_conv2d(TensorLike input, TensorLike depthwise_filter, TensorLike pointwise_filter, int[] strides, string padding,
                int[]? rate = null, string? name = null) =>
                Convolutions.SeparableConv2D(input, depthwise_filter, pointwise_filter, strides, padding, rate, name);

            /// <summary>
            /// Local response normalization over the last axis:
            /// <c>input / (bias + alpha * sum(input[d - depth_radius .. d + depth_radius]^2))^beta</c>.
            /// </summary>
            public static Tensor local_response_normalization(TensorLike input, int depth_radius = 5, double bias = 1, double alpha = 1, double beta = 0.5, string? name = null) =>
                LRN.Build(input, depth_radius, bias, alpha, beta, name);

            /// <summary>The same as <see cref="local_response_normalization"/>.</summary>
            public static Tensor lrn(TensorLike input, int depth_radius = 5, double bias = 1, double alpha = 1, double beta = 0.5, string? name = null) =>
                LRN.Build(input, depth_radius, bias, alpha, beta, name);

            /// <summary>
            /// Max pooling that also returns the flattened index of each maximum, <c>(y * width + x) * channels + c</c>
            /// (with <paramref name="include_batch_in_index"/> also <c>+ b * height * width * channels</c>).
            /// </summary>
            public static (Tensor output, Tensor argmax) max_pool_with_argmax(TensorLike input, int[] ksize, int[] strides, string padding, DType? Targmax = null,
                string? name = null, bool include_batch_in_index = false) =>
                MaxPoolWithArgmax.Build(input, ksize, strides, padding, Targmax, include_batch_in_index, name);
        }
    }
}
