using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Less: <c>x &lt; y</c> element-wise, a bool tensor.</summary>
internal sealed class Less : ComparisonOp
{
    public static readonly Less Def = new();

    public override string Type => "Less";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Compare<LessOperator>(x, y, z);

    /// <summary><c>tf.less</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Less");
}
