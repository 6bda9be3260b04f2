using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Digamma: ψ(x), the derivative of lgamma, element-wise.</summary>
internal sealed class Digamma : FloatUnaryOp
{
    public static readonly Digamma Def = new();

    public override string Type => "Digamma";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<DigammaOperator>(x, y);

    /// <summary><c>tf.digamma</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Digamma");

    /// <summary>TensorFlow's <c>_DigammaGrad</c>: g·polygamma(1, x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Polygamma.Build(Literal.ToNDArray(1, x.dtype), x))];
    }
}
