using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>NotEqual: <c>x != y</c> element-wise, a bool tensor.</summary>
internal sealed class NotEqual : ComparisonOp
{
    public static readonly NotEqual Def = new();

    public override string Type => "NotEqual";

    protected override bool Accepts(DType dtype) => true;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Compare<NotEqualOperator>(x, y, z);

    /// <summary><c>tf.not_equal</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "NotEqual");
}
