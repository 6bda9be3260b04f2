using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Relu: max(x, 0) element-wise (float32, float64, int32, int64).</summary>
internal sealed class Relu : MathOps.UnaryElementwiseOp
{
    public static readonly Relu Def = new();

    public override string Type => "Relu";

    // TensorFlow's Relu is defined on the real number types: the integer ones too.
    protected override bool Accepts(DType dtype) => dtype.IsNumeric;

    protected override bool InPlace => true;

    protected override void Compute(NDArray x, NDArray y)
    {
        if (x.dtype.is_floating) ElementwiseKernels.FloatUnary<ReluOperator>(x, y);
        else ElementwiseKernels.Unary<IntegerReluOperator>(x, y);
    }

    /// <summary><c>tf.nn.relu</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Relu");

    /// <summary>ReluGrad(g, y): the gradient passes where the output is positive.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [ReluGrad.Def.Apply(grads[0]!, op.outputs[0])];
}
