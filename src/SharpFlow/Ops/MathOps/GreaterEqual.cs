using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>GreaterEqual: <c>x &gt;= y</c> element-wise, a bool tensor.</summary>
internal sealed class GreaterEqual : ComparisonOp
{
    public static readonly GreaterEqual Def = new();

    public override string Type => "GreaterEqual";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Compare<GreaterEqualOperator>(x, y, z);

    /// <summary><c>tf.greater_equal</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "GreaterEqual");
}
