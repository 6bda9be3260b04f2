using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Cosh: the hyperbolic cosine element-wise.</summary>
internal sealed class Cosh : FloatUnaryOp
{
    public static readonly Cosh Def = new();

    public override string Type => "Cosh";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<CoshOperator>(x, y);

    /// <summary><c>tf.cosh</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Cosh");

    /// <summary>TensorFlow's <c>_CoshGrad</c>: g·sinh(x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Sinh.Build(x))];
    }
}
