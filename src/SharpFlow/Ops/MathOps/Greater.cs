using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Greater: <c>x &gt; y</c> element-wise, a bool tensor.</summary>
internal sealed class Greater : ComparisonOp
{
    public static readonly Greater Def = new();

    public override string Type => "Greater";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Compare<GreaterOperator>(x, y, z);

    /// <summary><c>tf.greater</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Greater");
}
