using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Softplus: log(1 + e^x) element-wise, without overflow.</summary>
internal sealed class Softplus : MathOps.FloatUnaryOp
{
    public static readonly Softplus Def = new();

    public override string Type => "Softplus";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SoftplusOperator>(x, y);

    /// <summary><c>tf.nn.softplus</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Softplus");

    /// <summary>SoftplusGrad(g, x) = g*sigmoid(x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [SoftplusGrad.Def.Apply(grads[0]!, op.inputs[0])];
}
