using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Selu: scale·x above 0, scale·α·(e^x - 1) below (SELU), element-wise.</summary>
internal sealed class Selu : MathOps.FloatUnaryOp
{
    public static readonly Selu Def = new();

    public override string Type => "Selu";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SeluOperator>(x, y);

    /// <summary><c>tf.nn.selu</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Selu");

    /// <summary>TensorFlow's <c>_SeluGrad</c>: SeluGrad(g, y) from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [SeluGrad.Def.Apply(grads[0]!, op.outputs[0])];
}
