using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Softsign: x / (1 + |x|) element-wise.</summary>
internal sealed class Softsign : MathOps.FloatUnaryOp
{
    public static readonly Softsign Def = new();

    public override string Type => "Softsign";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SoftsignOperator>(x, y);

    /// <summary><c>tf.nn.softsign</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Softsign");

    /// <summary>TensorFlow's <c>_SoftsignGrad</c>: SoftsignGrad(g, x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [SoftsignGrad.Def.Apply(grads[0]!, op.inputs[0])];
}
