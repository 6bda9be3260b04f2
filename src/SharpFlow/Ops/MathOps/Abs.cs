using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Abs: <c>|x|</c> element-wise.</summary>
internal sealed class Abs : UnaryElementwiseOp
{
    public static readonly Abs Def = new();

    public override string Type => "Abs";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.Unary<AbsOperator>(x, y);

    /// <summary><c>tf.abs</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Abs");

    /// <summary>d|x| = g*sign(x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Mul.Build(grads[0]!, Sign.Build(op.inputs[0]))];
}
