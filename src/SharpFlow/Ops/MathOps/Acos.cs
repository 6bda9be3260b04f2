using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Acos: the arccosine element-wise.</summary>
internal sealed class Acos : FloatUnaryOp
{
    public static readonly Acos Def = new();

    public override string Type => "Acos";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<AcosOperator>(x, y);

    /// <summary><c>tf.acos</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Acos");

    /// <summary>TensorFlow's <c>_AcosGrad</c>: -g/√(1-x²).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Neg.Build(Mul.Build(g, Reciprocal.Build(Sqrt.Build(Sub.Build(Literal.ToNDArray(1, x.dtype), Square.Build(x))))))];
    }
}
