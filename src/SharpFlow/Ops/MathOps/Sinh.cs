using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Sinh: the hyperbolic sine element-wise.</summary>
internal sealed class Sinh : FloatUnaryOp
{
    public static readonly Sinh Def = new();

    public override string Type => "Sinh";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SinhOperator>(x, y);

    /// <summary><c>tf.sinh</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Sinh");

    /// <summary>TensorFlow's <c>_SinhGrad</c>: g·cosh(x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Cosh.Build(x))];
    }
}
