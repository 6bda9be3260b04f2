using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Gradients;

/// <summary>The NN area's gradient checks: conv1d, atrous_conv2d, separable_conv2d, LRN, MaxPoolWithArgmax, the 3-D convolution and pooling.</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> NNCases()
    {
        yield return C("nn", "conv1d SAME stride 1", x => tf.nn.conv1d(x[0], x[1], 1, "SAME"), U(new Shape(2, 7, 2)), U(new Shape(3, 2, 3)));
        yield return C("nn", "conv1d VALID stride 2", x => tf.nn.conv1d(x[0], x[1], 2, "VALID"), U(new Shape(1, 8, 3)), U(new Shape(2, 3, 2)));
        yield return C("nn", "conv1d SAME dilation 2", x => tf.nn.conv1d(x[0], x[1], 1, "SAME", dilations: 2), U(new Shape(1, 7, 2)), U(new Shape(3, 2, 2)));
        yield return C("nn", "atrous_conv2d rate 2 SAME", x => tf.nn.atrous_conv2d(x[0], x[1], 2, "SAME"), U(new Shape(1, 6, 5, 2)), U(new Shape(3, 2, 2, 2)));
        yield return C("nn", "atrous_conv2d rate 2 VALID", x => tf.nn.atrous_conv2d(x[0], x[1], 2, "VALID"), U(new Shape(1, 6, 6, 1)), U(new Shape(2, 2, 1, 2)));
        yield return C("nn", "separable_conv2d SAME", x => tf.nn.separable_conv2d(x[0], x[1], x[2], [1, 1, 1, 1], "SAME"),
            U(new Shape(1, 5, 4, 2)), U(new Shape(3, 3, 2, 2)), U(new Shape(1, 1, 4, 3)));
        yield return C("nn", "separable_conv2d VALID stride 2", x => tf.nn.separable_conv2d(x[0], x[1], x[2], [1, 2, 2, 1], "VALID"),
            U(new Shape(2, 5, 5, 1)), U(new Shape(2, 2, 1, 3)), U(new Shape(1, 1, 3, 2)));
        yield return C("nn", "separable_conv2d rate 2", x => tf.nn.separable_conv2d(x[0], x[1], x[2], [1, 1, 1, 1], "SAME", [2, 2]),
            U(new Shape(1, 5, 5, 2)), U(new Shape(2, 2, 2, 1)), U(new Shape(1, 1, 2, 2)));
        yield return C("nn", "lrn defaults", x => tf.nn.lrn(x[0]), U(new Shape(1, 2, 2, 7)));
        yield return C("nn", "lrn radius 2 bias 2 alpha 0.5 beta 0.75", x => tf.nn.local_response_normalization(x[0], 2, 2.0, 0.5, 0.75), U(new Shape(2, 2, 1, 6)));
        yield return C("nn", "lrn radius 0 beta 1", x => tf.nn.lrn(x[0], 0, 1.0, 0.3, 1.0), U(new Shape(1, 1, 3, 4)));
        yield return C("nn", "max_pool_with_argmax 2x2 s2 SAME", x => tf.nn.max_pool_with_argmax(x[0], [1, 2, 2, 1], [1, 2, 2, 1], "SAME").output, Distinct(new Shape(2, 5, 5, 2)));
        yield return C("nn", "max_pool_with_argmax 3x3 s1 VALID, batch in index", x => tf.nn.max_pool_with_argmax(x[0], [1, 3, 3, 1], [1, 1, 1, 1], "VALID", include_batch_in_index: true).output,
            Distinct(new Shape(2, 4, 5, 1)));

        foreach (var (padding, stride) in new[] { ("SAME", 1), ("VALID", 1), ("SAME", 2), ("VALID", 2) })
        {
            int[] strides = [1, stride, stride, stride, 1];
            var volume = new Shape(1, 4, 3, 4, 2);
            yield return C("nn", $"conv3d {padding} s{stride}", x => tf.nn.conv3d(x[0], x[1], strides, padding), U(volume), U(new Shape(2, 2, 3, 2, 2)));
            yield return C("nn", $"max_pool3d {padding} s{stride}", x => tf.nn.max_pool3d(x[0], [1, 2, 2, 2, 1], strides, padding), Distinct(volume));
            yield return C("nn", $"avg_pool3d {padding} s{stride}", x => tf.nn.avg_pool3d(x[0], [1, 2, 3, 2, 1], strides, padding), U(volume));
        }
        yield return C("nn", "conv3d dilation 2", x => tf.nn.conv3d(x[0], x[1], [1, 1, 1, 1, 1], "SAME", dilations: [1, 2, 1, 2, 1]), U(new Shape(1, 4, 3, 4, 1)), U(new Shape(2, 2, 2, 1, 2)));
        var attrs = Volumetric.ForConv([1, 1, 1, 1, 1], "SAME", null);
        Tensor Sizes(int[] v) => tf.constant(v);
        yield return C("second order", "Conv3DBackpropInputV2", x => Conv3DBackpropInputV2.Build(Sizes([1, 3, 3, 3, 2]), x[0], x[1], attrs),
            U(new Shape(2, 2, 2, 2, 3)), U(new Shape(1, 3, 3, 3, 3)));
        yield return C("second order", "Conv3DBackpropFilterV2", x => Conv3DBackpropFilterV2.Build(x[0], Sizes([2, 2, 2, 2, 3]), x[1], attrs),
            U(new Shape(1, 3, 3, 3, 2)), U(new Shape(1, 3, 3, 3, 3)));
        yield return C("second order", "AvgPool3DGrad", x => AvgPool3DGrad.Build(Sizes([1, 4, 4, 4, 1]), x[0], Volumetric.ForPool([1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "SAME")),
            U(new Shape(1, 2, 2, 2, 1)));
        yield return C("nn", "bias_add NCHW", x => tf.nn.bias_add(x[0], x[1], data_format: "NCHW"), U(new Shape(2, 3, 2, 2)), U(new Shape(3)));
        yield return C("nn", "bias_add NCHW second derivative", x => tf.gradients(tf.reduce_sum(tf.square(tf.nn.bias_add(x[0], x[1], data_format: "NCHW"))), x[1])[0]!,
            U(new Shape(2, 3, 2)), U(new Shape(3)));
    }
}
