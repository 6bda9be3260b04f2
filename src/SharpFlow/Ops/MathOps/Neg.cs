using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Neg: <c>-x</c> element-wise (the unary <c>-</c> operator).</summary>
internal sealed class Neg : UnaryElementwiseOp
{
    public static readonly Neg Def = new();

    public override string Type => "Neg";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.Unary<NegateOperator>(x, y);

    /// <summary><c>tf.negative</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Neg");

    /// <summary>d(-x) = -g.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Build(grads[0]!)];
}
