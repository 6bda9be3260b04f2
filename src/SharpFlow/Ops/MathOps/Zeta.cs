using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Zeta: the Hurwitz zeta function ζ(x, q) = Σₖ (q + k)^-x, element-wise with broadcasting.</summary>
internal sealed class Zeta : BinaryElementwiseOp
{
    public static readonly Zeta Def = new();

    public override string Type => "Zeta";

    protected override bool Accepts(DType dtype) => dtype.is_floating;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<ZetaOperator>(x, y, z);

    /// <summary><c>tf.zeta(x, q)</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike q, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Zeta", x, q);
        var inputs = b.SameType("Zeta", [x, q], ["x", "q"]);
        return b.Create(Def, inputs, new() { { T, inputs[0].dtype } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_ZetaGrad</c>: nothing for x, -x·ζ(x + 1, q)·g for q.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, q) = (grads[0]!, op.inputs[0], op.inputs[1]);
        return [null, Mul.Build(Mul.Build(Neg.Build(x), Build(Add.Build(x, Literal.ToNDArray(1, x.dtype)), q)), g)];
    }
}
