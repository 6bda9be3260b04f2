using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>LogicalOr: <c>x || y</c> on bool tensors, with broadcasting.</summary>
internal sealed class LogicalOr : BinaryElementwiseOp
{
    public static readonly LogicalOr Def = new();

    public override string Type => "LogicalOr";

    public override bool NotDifferentiable => true;

    protected override bool HasTypeAttr => false;

    protected override bool Accepts(DType dtype) => dtype == DType.@bool;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<LogicalOrOperator>(x, y, z);

    /// <summary><c>tf.logical_or</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "LogicalOr");
}
