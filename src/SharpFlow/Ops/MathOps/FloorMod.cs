using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>FloorMod: the remainder of floor division, with the divisor's sign (Python's <c>%</c>).</summary>
internal sealed class FloorMod : BinaryElementwiseOp
{
    public static readonly FloorMod Def = new();

    public override string Type => "FloorMod";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<FloorModOperator>(x, y, z);

    /// <summary><c>tf.floormod</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "FloorMod");

    /// <summary>The <c>%</c> operator (op name <c>mod</c>).</summary>
    public static Tensor Operator(TensorLike x, TensorLike y) => Def.Apply(x, y, null, "mod");

    /// <summary>x mod y = x - floor(x/y)*y, so the gradient is (g, -g*floor(x/y)) (TensorFlow's rule).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y) = (grads[0]!, op.inputs[0], op.inputs[1]);
        return [g, Mul.Build(g, Neg.Build(FloorDiv.Build(x, y)))];
    }
}
