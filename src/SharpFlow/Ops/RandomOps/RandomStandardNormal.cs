using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// RandomStandardNormal: samples of N(0, 1) (Box–Muller on Philox, as TensorFlow). <c>tf.random_normal</c>
/// scales and shifts them: <c>sample * stddev + mean</c>.
/// </summary>
internal sealed class RandomStandardNormal : RandomOp
{
    public static readonly RandomStandardNormal Def = new();

    public override string Type => "RandomStandardNormal";

    public override bool NotDifferentiable => true;

    protected override void Fill(Philox generator, NDArray output)
    {
        if (output.dtype == DType.float32) Distributions.NormalFloat(generator, output.AsSpan<float>());
        else Distributions.NormalDouble(generator, output.AsSpan<double>());
    }

    /// <summary><c>tf.random_normal(shape, mean, stddev, dtype, seed)</c>.</summary>
    public static Tensor Build(ShapeInput shape, TensorLike? mean = null, TensorLike? stddev = null, DType? dtype = null, int? seed = null, string? name = null) =>
        Def.ScaledSample(shape, mean ?? 0.0, stddev ?? 1.0, dtype ?? DType.float32, seed, name, "random_normal");
}
