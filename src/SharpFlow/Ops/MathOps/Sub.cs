using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Sub: <c>x - y</c> element-wise, with broadcasting.</summary>
internal sealed class Sub : BinaryElementwiseOp
{
    public static readonly Sub Def = new();

    public override string Type => "Sub";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<SubtractOperator>(x, y, z);

    protected override bool InPlace => true;

    /// <summary><c>tf.subtract</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Sub");

    /// <summary>The <c>-</c> operator (op name <c>sub</c>).</summary>
    public static Tensor Operator(TensorLike x, TensorLike y) => Def.Apply(x, y, null, "sub");

    /// <summary>d(x-y) = (g, -g).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [grads[0], Neg.Build(grads[0]!)];
}
