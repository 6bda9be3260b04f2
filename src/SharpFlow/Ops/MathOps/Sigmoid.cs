using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Sigmoid: 1/(1 + e^-x) element-wise.</summary>
internal sealed class Sigmoid : FloatUnaryOp
{
    public static readonly Sigmoid Def = new();

    public override string Type => "Sigmoid";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SigmoidOperator>(x, y);

    /// <summary><c>tf.sigmoid</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Sigmoid");

    /// <summary>From the output y: SigmoidGrad(y, g) = g*y*(1-y).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [SigmoidGrad.Def.Apply(op.outputs[0], grads[0]!)];
}
