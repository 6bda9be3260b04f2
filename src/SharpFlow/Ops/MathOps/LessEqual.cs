using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>LessEqual: <c>x &lt;= y</c> element-wise, a bool tensor.</summary>
internal sealed class LessEqual : ComparisonOp
{
    public static readonly LessEqual Def = new();

    public override string Type => "LessEqual";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Compare<LessEqualOperator>(x, y, z);

    /// <summary><c>tf.less_equal</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "LessEqual");
}
