using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Sin: the sine element-wise.</summary>
internal sealed class Sin : FloatUnaryOp
{
    public static readonly Sin Def = new();

    public override string Type => "Sin";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SinOperator>(x, y);

    /// <summary><c>tf.sin</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Sin");

    /// <summary>TensorFlow's <c>_SinGrad</c>: g·cos(x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Cos.Build(x))];
    }
}
