using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Polygamma: ψ⁽ᵃ⁾(x), the a-th derivative of digamma, element-wise with broadcasting (NaN unless a is a non-negative integer).</summary>
internal sealed class Polygamma : BinaryElementwiseOp
{
    public static readonly Polygamma Def = new();

    public override string Type => "Polygamma";

    protected override bool Accepts(DType dtype) => dtype.is_floating;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<PolygammaOperator>(x, y, z);

    /// <summary><c>tf.polygamma(a, x)</c>.</summary>
    public static Tensor Build(TensorLike a, TensorLike x, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Polygamma", a, x);
        var inputs = b.SameType("Polygamma", [a, x], ["a", "x"]);
        return b.Create(Def, inputs, new() { { T, inputs[0].dtype } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_PolygammaGrad</c>: nothing for a, g·polygamma(a + 1, x) for x.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, a, x) = (grads[0]!, op.inputs[0], op.inputs[1]);
        return [null, Mul.Build(g, Build(Add.Build(a, Literal.ToNDArray(1, a.dtype)), x))];
    }
}
