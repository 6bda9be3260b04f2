using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Erfc: the complementary error function element-wise.</summary>
internal sealed class Erfc : FloatUnaryOp
{
    public static readonly Erfc Def = new();

    public override string Type => "Erfc";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<ErfcOperator>(x, y);

    /// <summary><c>tf.erfc</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Erfc");

    /// <summary>TensorFlow's <c>_ErfcGrad</c>: -g·2/√π·e^(-x²).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Mul.Build(Literal.ToNDArray(-2 / System.Math.Sqrt(System.Math.PI), x.dtype), Exp.Build(Neg.Build(Square.Build(x)))))];
    }
}
