using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Rsqrt: 1/√x element-wise.</summary>
internal sealed class Rsqrt : FloatUnaryOp
{
    public static readonly Rsqrt Def = new();

    public override string Type => "Rsqrt";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<RsqrtOperator>(x, y);

    /// <summary><c>tf.rsqrt</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Rsqrt");

    /// <summary>TensorFlow's <c>_RsqrtGrad</c>: RsqrtGrad(y, g) from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [RsqrtGrad.Def.Apply(op.outputs[0], grads[0]!)];
}
