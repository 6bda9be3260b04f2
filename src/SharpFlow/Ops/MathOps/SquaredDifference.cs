using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>SquaredDifference: <c>(x - y)²</c> element-wise, with broadcasting.</summary>
internal sealed class SquaredDifference : BinaryElementwiseOp
{
    public static readonly SquaredDifference Def = new();

    public override string Type => "SquaredDifference";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<SquaredDifferenceOperator>(x, y, z);

    /// <summary><c>tf.squared_difference</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "SquaredDifference");

    /// <summary>d(x-y)² = (2g(x-y), -2g(x-y)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var gx = Mul.Build(Mul.Build(Literal.ToNDArray(2, g.dtype), g), Sub.Build(x, y));
        return [gx, Neg.Build(gx)];
    }
}
