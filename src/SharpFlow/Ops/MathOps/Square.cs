using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Square: <c>x * x</c> element-wise.</summary>
internal sealed class Square : UnaryElementwiseOp
{
    public static readonly Square Def = new();

    public override string Type => "Square";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.Unary<SquareOperator>(x, y);

    /// <summary><c>tf.square</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Square");

    /// <summary>d(x²) = g*(2x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var x = op.inputs[0];
        return [Mul.Build(grads[0]!, Mul.Build(x, Literal.ToNDArray(2, x.dtype)))];
    }
}
