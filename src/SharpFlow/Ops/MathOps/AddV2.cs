using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// AddV2: <c>x + y</c> element-wise with broadcasting, for numbers only (Add also joins strings). TensorFlow 2 (and
/// 1.15 under its v2 behaviour) builds it for <c>tf.add</c> and <c>+</c>, so V1 graphs written by TensorFlow 2 are
/// full of it; SharpFlow's own <c>+</c> keeps building Add, as TensorFlow 1.x does.
/// </summary>
internal sealed class AddV2 : BinaryElementwiseOp
{
    public static readonly AddV2 Def = new();

    public override string Type => "AddV2";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<AddOperator>(x, y, z);

    protected override bool InPlace => true;

    /// <summary><c>gen_math_ops.add_v2(x, y)</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "AddV2");

    /// <summary>d(x+y) = (g, g); the gradient pass sums each back to its input's shape.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) => [grads[0], grads[0]];
}
