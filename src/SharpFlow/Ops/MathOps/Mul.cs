using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Mul: <c>x * y</c> element-wise, with broadcasting.</summary>
internal sealed class Mul : BinaryElementwiseOp
{
    public static readonly Mul Def = new();

    public override string Type => "Mul";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<MultiplyOperator>(x, y, z);

    protected override bool InPlace => true;

    /// <summary><c>tf.multiply</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Mul");

    /// <summary>The <c>*</c> operator (op name <c>mul</c>).</summary>
    public static Tensor Operator(TensorLike x, TensorLike y) => Def.Apply(x, y, null, "mul");

    /// <summary>d(x*y) = (g*y, x*g).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var g = grads[0]!;
        return [Build(g, op.inputs[1]), Build(op.inputs[0], g)];
    }
}
