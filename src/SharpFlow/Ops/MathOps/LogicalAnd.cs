using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>LogicalAnd: <c>x &amp;&amp; y</c> on bool tensors, with broadcasting.</summary>
internal sealed class LogicalAnd : BinaryElementwiseOp
{
    public static readonly LogicalAnd Def = new();

    public override string Type => "LogicalAnd";

    public override bool NotDifferentiable => true;

    protected override bool HasTypeAttr => false;

    protected override bool Accepts(DType dtype) => dtype == DType.@bool;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<LogicalAndOperator>(x, y, z);

    /// <summary><c>tf.logical_and</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "LogicalAnd");
}
