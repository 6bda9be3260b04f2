using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Elu: e^x - 1 below 0, x above (ELU), element-wise.</summary>
internal sealed class Elu : MathOps.FloatUnaryOp
{
    public static readonly Elu Def = new();

    public override string Type => "Elu";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<EluOperator>(x, y);

    /// <summary><c>tf.nn.elu</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Elu");

    /// <summary>TensorFlow's <c>_EluGrad</c>: EluGrad(g, y) from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [EluGrad.Def.Apply(grads[0]!, op.outputs[0])];
}
