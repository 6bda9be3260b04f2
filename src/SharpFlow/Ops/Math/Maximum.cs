using SharpFlow.Kernels;

namespace SharpFlow.Ops.Math;

/// <summary>Maximum: the larger of <c>x</c> and <c>y</c> element-wise, with broadcasting.</summary>
internal sealed class Maximum : BinaryElementwiseOp
{
    public static readonly Maximum Def = new();

    public override string Type => "Maximum";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<MaximumOperator>(x, y, z);

    /// <summary><c>tf.maximum</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Maximum");
}
