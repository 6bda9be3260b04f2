using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Tanh: the hyperbolic tangent element-wise.</summary>
internal sealed class Tanh : FloatUnaryOp
{
    public static readonly Tanh Def = new();

    public override string Type => "Tanh";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<TanhOperator>(x, y);

    /// <summary><c>tf.tanh</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Tanh");

    /// <summary>From the output y: TanhGrad(y, g) = g*(1-y²).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [TanhGrad.Def.Apply(op.outputs[0], grads[0]!)];
}
