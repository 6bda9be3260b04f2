using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Atan: the arctangent element-wise.</summary>
internal sealed class Atan : FloatUnaryOp
{
    public static readonly Atan Def = new();

    public override string Type => "Atan";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<AtanOperator>(x, y);

    /// <summary><c>tf.atan</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Atan");

    /// <summary>TensorFlow's <c>_AtanGrad</c>: g/(1+x²).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Reciprocal.Build(Add.Build(Literal.ToNDArray(1, x.dtype), Square.Build(x))))];
    }
}
