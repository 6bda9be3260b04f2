using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// TruncatedNormal: samples of N(0, 1) redrawn until |x| &lt; 2 (two standard deviations), as TensorFlow.
/// <c>tf.truncated_normal</c> scales and shifts them: <c>sample * stddev + mean</c>.
/// </summary>
internal sealed class TruncatedNormal : RandomOp
{
    public static readonly TruncatedNormal Def = new();

    public override string Type => "TruncatedNormal";

    public override bool NotDifferentiable => true;

    protected override void Fill(Philox generator, NDArray output)
    {
        if (output.dtype == DType.float32) Distributions.TruncatedNormalFloat(generator, output.AsSpan<float>());
        else Distributions.TruncatedNormalDouble(generator, output.AsSpan<double>());
    }

    /// <summary><c>tf.truncated_normal(shape, mean, stddev, dtype, seed)</c>.</summary>
    public static Tensor Build(ShapeInput shape, TensorLike? mean = null, TensorLike? stddev = null, DType? dtype = null, int? seed = null, string? name = null) =>
        Def.ScaledSample(shape, mean ?? 0.0, stddev ?? 1.0, dtype ?? DType.float32, seed, name, "truncated_normal");
}
