using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Relu: max(x, 0) element-wise.</summary>
internal sealed class Relu : Math.FloatUnaryOp
{
    public static readonly Relu Def = new();

    public override string Type => "Relu";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<ReluOperator>(x, y);

    /// <summary><c>tf.nn.relu</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Relu");

    /// <summary>ReluGrad(g, y): the gradient passes where the output is positive.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [ReluGrad.Def.Apply(grads[0]!, op.outputs[0])];
}
