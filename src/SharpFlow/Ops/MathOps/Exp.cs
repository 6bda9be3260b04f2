using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Exp: natural exponential element-wise (float32/float64).</summary>
internal sealed class Exp : FloatUnaryOp
{
    public static readonly Exp Def = new();

    public override string Type => "Exp";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<ExpOperator>(x, y);

    /// <summary><c>tf.exp</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Exp");

    /// <summary>d(e^x) = g*y, from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Mul.Build(grads[0]!, op.outputs[0])];
}
