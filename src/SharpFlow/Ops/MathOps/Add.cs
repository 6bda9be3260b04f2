using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Add: <c>x + y</c> element-wise, with broadcasting.</summary>
internal sealed class Add : BinaryElementwiseOp
{
    public static readonly Add Def = new();

    public override string Type => "Add";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<AddOperator>(x, y, z);

    protected override bool InPlace => true;

    /// <summary><c>tf.add</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Add");

    /// <summary>The <c>+</c> operator (op name <c>add</c>).</summary>
    public static Tensor Operator(TensorLike x, TensorLike y) => Def.Apply(x, y, null, "add");

    /// <summary>d(x+y) = (g, g); the gradient pass sums each back to its input's shape.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [grads[0], grads[0]];
}
