using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>SigmoidGrad: dy*y*(1-y), the gradient of Sigmoid from its output y.</summary>
internal sealed class SigmoidGrad : MathOps.FloatBinaryOp
{
    public static readonly SigmoidGrad Def = new();

    public override string Type => "SigmoidGrad";

    protected override (string A, string B) InputNames => ("y", "dy");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<SigmoidGradOperator>(a, b, d);

    /// <summary>TensorFlow's <c>_SigmoidGradGrad</c>: (g*dy - 2*g*dy*y, SigmoidGrad(y, g)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (y, dy, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var gb = MathOps.Mul.Build(g, dy);
        return [MathOps.Sub.Build(gb, MathOps.Mul.Build(MathOps.Mul.Build(Literal.ToNDArray(2, y.dtype), gb), y)), Apply(y, g)];
    }
}
