using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>TanhGrad: dy*(1-y²), the gradient of Tanh from its output y.</summary>
internal sealed class TanhGrad : MathOps.FloatBinaryOp
{
    public static readonly TanhGrad Def = new();

    public override string Type => "TanhGrad";

    protected override (string A, string B) InputNames => ("y", "dy");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<TanhGradOperator>(a, b, d);

    /// <summary>TensorFlow's <c>_TanhGradGrad</c>: (g*(-2)*dy*y, TanhGrad(y, g)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (y, dy, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        return [MathOps.Mul.Build(MathOps.Mul.Build(MathOps.Mul.Build(g, Literal.ToNDArray(-2, y.dtype)), dy), y), Apply(y, g)];
    }
}
