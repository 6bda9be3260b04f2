using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Asin: the arcsine element-wise.</summary>
internal sealed class Asin : FloatUnaryOp
{
    public static readonly Asin Def = new();

    public override string Type => "Asin";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<AsinOperator>(x, y);

    /// <summary><c>tf.asin</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Asin");

    /// <summary>TensorFlow's <c>_AsinGrad</c>: g/√(1-x²).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x) = (grads[0]!, op.inputs[0]);
        return [Mul.Build(g, Reciprocal.Build(Sqrt.Build(Sub.Build(Literal.ToNDArray(1, x.dtype), Square.Build(x)))))];
    }
}
