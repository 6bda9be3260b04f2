using SharpFlow.Kernels;

namespace SharpFlow.Ops.Math;

/// <summary>Minimum: the smaller of <c>x</c> and <c>y</c> element-wise, with broadcasting.</summary>
internal sealed class Minimum : BinaryElementwiseOp
{
    public static readonly Minimum Def = new();

    public override string Type => "Minimum";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<MinimumOperator>(x, y, z);

    /// <summary><c>tf.minimum</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Minimum");
}
