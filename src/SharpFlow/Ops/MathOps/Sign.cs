using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Sign: -1, 0 or 1 element-wise.</summary>
internal sealed class Sign : UnaryElementwiseOp
{
    public static readonly Sign Def = new();

    public override string Type => "Sign";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.Unary<SignOperator>(x, y);

    /// <summary><c>tf.sign</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Sign");

    /// <summary>Sign is piecewise constant: its gradient is zero.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [ArrayOps.ZerosLike.Def.Apply(op.inputs[0], null, optimize: true, null)];
}
