using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Gradients;

/// <summary>
/// The explicit-padding area's gradient checks: Conv2D and DepthwiseConv2dNative with <c>padding="EXPLICIT"</c>,
/// the two Conv2D backprop ops with it (second order), and PadV2.
/// </summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> ExplicitCases()
    {
        // Its own point of the random sequence: the areas after it keep their inputs.
        var saved = _seed;
        _seed = 70_000;
        try
        {
            yield return C("explicit", "conv2d EXPLICIT asymmetric", x => tf.nn.conv2d(x[0], x[1], [1, 1, 1, 1], [[0, 0], [2, 0], [1, 2], [0, 0]]),
                U(new Shape(1, 4, 4, 2)), U(new Shape(3, 3, 2, 2)));
            yield return C("explicit", "conv2d EXPLICIT stride 2", x => tf.nn.conv2d(x[0], x[1], [1, 2, 2, 1], [[0, 0], [1, 1], [0, 1], [0, 0]]),
                U(new Shape(2, 5, 4, 1)), U(new Shape(2, 3, 1, 3)));
            yield return C("explicit", "conv2d EXPLICIT 1x1 padded after", x => tf.nn.conv2d(x[0], x[1], [1, 1, 1, 1], [[0, 0], [0, 1], [0, 2], [0, 0]]),
                U(new Shape(1, 3, 3, 2)), U(new Shape(1, 1, 2, 2)));
            yield return C("explicit", "depthwise EXPLICIT", x => DepthwiseConv2dNative.Def.Build(x[0], x[1], WindowAttrs.ForConv([1, 1, 1, 1], "EXPLICIT", null, [0, 0, 1, 0, 0, 2, 0, 0])),
                U(new Shape(1, 4, 3, 2)), U(new Shape(2, 2, 2, 2)));
            var conv = WindowAttrs.ForConv([1, 1, 1, 1], "EXPLICIT", null, [0, 0, 1, 0, 2, 1, 0, 0]);
            Tensor Sizes(int[] v) => tf.constant(v);
            yield return C("explicit", "Conv2DBackpropInput EXPLICIT", x => Conv2DBackpropInput.Def.Build(Sizes([1, 4, 3, 2]), x[0], x[1], conv),
                U(new Shape(3, 3, 2, 3)), U(new Shape(1, 3, 4, 3)));
            yield return C("explicit", "Conv2DBackpropFilter EXPLICIT", x => Conv2DBackpropFilter.Def.Build(x[0], Sizes([3, 3, 2, 3]), x[1], conv),
                U(new Shape(1, 4, 3, 2)), U(new Shape(1, 3, 4, 3)));
            yield return C("explicit", "PadV2", x => PadV2.Build(x[0], new[,] { { 1, 0 }, { 2, 1 } }, 0.5), U(new Shape(2, 3)));
        }
        finally
        {
            _seed = saved;
        }
    }
}
