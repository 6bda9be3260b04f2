using SharpFlow.Ops.NN;

namespace SharpFlow.Tests.Gradients;

public static partial class GradientCases
{
    /// <summary>
    /// FusedBatchNorm, V2 and V3 (float64, SharpFlow's extension of TensorFlow's float32 kernels): the gradient
    /// with respect to x, scale and offset, through FusedBatchNormGrad*, in training (batch statistics) and inference
    /// (constant population statistics, which get no gradient) for NHWC and NCHW; V3 also for 5-D NDHWC.
    /// </summary>
    private static IEnumerable<GradientCase> FusedBatchNormCases()
    {
        // This area draws its inputs where it stands, then puts the random sequence back, so no other area's inputs move.
        var seed = _seed;
        var empty = NDArray.Zeros(DType.float64, new Shape(0));
        var mean = NDArray.FromFlat(new[] { 0.3, -0.2, 0.1 }, new Shape(3));
        var variance = NDArray.FromFlat(new[] { 0.8, 1.3, 0.5 }, new Shape(3));
        foreach (var version in new[] { 1, 2, 3 })
            foreach (var format in new[] { "NHWC", "NCHW" })
            {
                var shape = format == "NHWC" ? new Shape(2, 2, 2, 3) : new Shape(2, 3, 2, 2);
                yield return C("fused batch norm", $"FusedBatchNorm v{version} training {format}",
                    x => Build(version, x[0], x[1], x[2], tf.constant(empty), tf.constant(empty), format, true),
                    U(shape, -2, 2), U(new Shape(3), 0.5, 1.5), U(new Shape(3))) with { Tolerance = 1e-5 };
                yield return C("fused batch norm", $"FusedBatchNorm v{version} inference {format}",
                    x => Build(version, x[0], x[1], x[2], tf.constant(mean), tf.constant(variance), format, false),
                    U(shape, -2, 2), U(new Shape(3), 0.5, 1.5), U(new Shape(3))) with { Tolerance = 1e-5 };
            }
        yield return C("fused batch norm", "FusedBatchNormV3 training NDHWC",
            x => Build(3, x[0], x[1], x[2], tf.constant(empty), tf.constant(empty), "NDHWC", true),
            U(new Shape(2, 2, 1, 2, 3), -2, 2), U(new Shape(3), 0.5, 1.5), U(new Shape(3))) with { Tolerance = 1e-5 };
        yield return C("fused batch norm", "tf.nn.fused_batch_norm, training",
            x => tf.nn.fused_batch_norm(x[0], x[1], x[2]).y,
            U(new Shape(3, 1, 2, 3), -2, 2), U(new Shape(3), 0.5, 1.5), U(new Shape(3))) with { Tolerance = 1e-5 };
        _seed = seed;
    }

    private static Tensor Build(int version, Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor variance, string format, bool training) => version switch
    {
        1 => FusedBatchNorm.Build(x, scale, offset, mean, variance, 0.001, format, training)[0],
        2 => FusedBatchNormV2.Build(x, scale, offset, mean, variance, 0.001, format, training)[0],
        _ => FusedBatchNormV3.Build(x, scale, offset, mean, variance, 0.001, format, training)[0],
    };
}
