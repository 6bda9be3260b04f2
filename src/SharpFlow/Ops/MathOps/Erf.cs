using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Erf: the error function element-wise.</summary>
internal sealed class Erf : FloatUnaryOp
{
    public static readonly Erf Def = new();

    public override string Type => "Erf";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<ErfOperator>(x, y);

    /// <summary><c>tf.erf</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Erf");

    /// <summary>TensorFlow's <c>_ErfGrad</c>: g·2/√π·e^(-x²).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Mul.Build(Literal.ToNDArray(2 / System.Math.Sqrt(System.Math.PI), x.dtype), Exp.Build(Neg.Build(Square.Build(x)))))];
    }
}
