using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Lgamma: log|Γ(x)| element-wise.</summary>
internal sealed class Lgamma : FloatUnaryOp
{
    public static readonly Lgamma Def = new();

    public override string Type => "Lgamma";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<LgammaOperator>(x, y);

    /// <summary><c>tf.lgamma</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Lgamma");

    /// <summary>TensorFlow's <c>_LgammaGrad</c>: g·digamma(x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Digamma.Build(x))];
    }
}
