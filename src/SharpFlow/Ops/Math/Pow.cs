using SharpFlow.Kernels;

namespace SharpFlow.Ops.Math;

/// <summary>Pow: <c>x ** y</c> element-wise, with broadcasting; integer powers are exact and reject negative exponents.</summary>
internal sealed class Pow : BinaryElementwiseOp
{
    public static readonly Pow Def = new();

    public override string Type => "Pow";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<PowOperator>(x, y, z);

    /// <summary><c>tf.pow</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Pow");
}
