using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>FloorDiv: <c>floor(x / y)</c> element-wise (Python's <c>//</c>); integer division by zero is an error.</summary>
internal sealed class FloorDiv : BinaryElementwiseOp
{
    public static readonly FloorDiv Def = new();

    public override string Type => "FloorDiv";

    public override bool NotDifferentiable => true;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<FloorDivideOperator>(x, y, z);

    /// <summary><c>tf.floordiv</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "FloorDiv");
}
