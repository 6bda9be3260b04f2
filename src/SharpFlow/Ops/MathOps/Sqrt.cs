using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Sqrt: square root element-wise (float32/float64).</summary>
internal sealed class Sqrt : FloatUnaryOp
{
    public static readonly Sqrt Def = new();

    public override string Type => "Sqrt";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SqrtOperator>(x, y);

    /// <summary><c>tf.sqrt</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Sqrt");

    /// <summary>d√x = g*0.5/y, from the output y (TensorFlow's SqrtGrad).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var y = op.outputs[0];
        return [RealDiv.Build(Mul.Build(grads[0]!, Literal.ToNDArray(0.5, y.dtype)), y)];
    }
}
