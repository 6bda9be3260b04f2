using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Functions;

/// <summary>
/// <c>tf.nn.moments</c> and <c>tf.nn.batch_normalization</c>: the mean and variance over some axes, and
/// <c>(x - mean) / sqrt(variance + ε) · scale + offset</c>.
/// </summary>
internal static class Moments
{
    /// <summary>Mean and (biased) variance over <paramref name="axes"/>, computed as TensorFlow's <c>nn.moments</c>.</summary>
    public static (Tensor Mean, Tensor Variance) Build(TensorLike x, int[] axes, bool keepDims, string? name)
    {
        using var b = OpBuilder.Begin(name, "moments", x);
        var input = b.Convert(x, "x");
        var axis = Shapes.Const(b.Graph, axes, "reduction_indices");
        var mean = Mean.Build(input, axis, keepDims: true, name: "mean");
        // The mean is a constant for the variance's gradient: its own derivative there is zero.
        var variance = Mean.Build(SquaredDifference.Build(input, StopGradient.Build(mean)), axis, keepDims: true, name: "variance");
        if (keepDims) return (mean, variance);
        return (Squeeze.Build(mean, axes), Squeeze.Build(variance, axes));
    }

    /// <summary><c>tf.nn.batch_normalization(x, mean, variance, offset, scale, variance_epsilon)</c>.</summary>
    public static Tensor Normalize(TensorLike x, TensorLike mean, TensorLike variance, Tensor? offset, Tensor? scale, double epsilon, string? name)
    {
        using var b = OpBuilder.Begin(name, "batchnorm", x, mean, variance);
        var input = b.Convert(x, "x");
        Tensor inv = RealDiv.Build(Literal.ToNDArray(1.0, input.dtype), Sqrt.Build(Add.Build(variance, Literal.ToNDArray(epsilon, input.dtype))), "Rsqrt");
        if (scale is { } s) inv = Mul.Build(inv, s);
        var shift = Mul.Build(mean, inv);
        var bias = offset is { } o ? Sub.Build(o, shift) : Neg.Build(shift);
        return Add.Build(Mul.Build(input, inv), bias, "add_1");
    }
}
