using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Tan: the tangent element-wise.</summary>
internal sealed class Tan : FloatUnaryOp
{
    public static readonly Tan Def = new();

    public override string Type => "Tan";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<TanOperator>(x, y);

    /// <summary><c>tf.tan</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Tan");

    /// <summary>TensorFlow's <c>_TanGrad</c>: g·(1/cos(x))².</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Square.Build(Reciprocal.Build(Cos.Build(x))))];
    }
}
