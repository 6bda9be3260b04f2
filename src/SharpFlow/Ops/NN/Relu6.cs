using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Relu6: min(max(x, 0), 6) element-wise (float32, float64, int32, int64).</summary>
internal sealed class Relu6 : MathOps.UnaryElementwiseOp
{
    public static readonly Relu6 Def = new();

    public override string Type => "Relu6";

    // TensorFlow's Relu6 is defined on the real number types: the integer ones too.
    protected override bool Accepts(DType dtype) => dtype.is_floating || dtype == DType.int32 || dtype == DType.int64;

    protected override void Compute(NDArray x, NDArray y)
    {
        if (x.dtype.is_floating) ElementwiseKernels.FloatUnary<Relu6Operator>(x, y);
        else ElementwiseKernels.Unary<IntegerRelu6Operator>(x, y);
    }

    /// <summary><c>tf.nn.relu6</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Relu6");

    /// <summary>Relu6Grad(g, y): the gradient passes where 0 &lt; y &lt; 6.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [Relu6Grad.Def.Apply(grads[0]!, op.outputs[0])];
}
