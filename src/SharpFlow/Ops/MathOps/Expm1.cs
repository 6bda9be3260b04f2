using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Expm1: e^x - 1 element-wise, accurate near 0.</summary>
internal sealed class Expm1 : FloatUnaryOp
{
    public static readonly Expm1 Def = new();

    public override string Type => "Expm1";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<Expm1Operator>(x, y);

    /// <summary><c>tf.expm1</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Expm1");

    /// <summary>TensorFlow's <c>_Expm1Grad</c>: g·e^x.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Exp.Build(x))];
    }
}
