using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Equal: <c>x == y</c> element-wise, a bool tensor.</summary>
internal sealed class Equal : ComparisonOp
{
    public static readonly Equal Def = new();

    public override string Type => "Equal";

    protected override bool Accepts(DType dtype) => true;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Compare<EqualOperator>(x, y, z);

    /// <summary><c>tf.equal</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Equal");
}
