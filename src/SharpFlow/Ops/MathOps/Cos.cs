using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Cos: the cosine element-wise.</summary>
internal sealed class Cos : FloatUnaryOp
{
    public static readonly Cos Def = new();

    public override string Type => "Cos";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<CosOperator>(x, y);

    /// <summary><c>tf.cos</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Cos");

    /// <summary>TensorFlow's <c>_CosGrad</c>: -g·sin(x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Neg.Build(Mul.Build(g, Sin.Build(x)))];
    }
}
