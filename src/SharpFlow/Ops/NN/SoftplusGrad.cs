using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>SoftplusGrad: gradients/(1 + e^-features), the gradient of Softplus.</summary>
internal sealed class SoftplusGrad : MathOps.FloatBinaryOp
{
    public static readonly SoftplusGrad Def = new();

    public override string Type => "SoftplusGrad";

    protected override (string A, string B) InputNames => ("gradients", "features");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<SoftplusGradOperator>(a, b, d);

    /// <summary>TensorFlow's <c>_SoftplusGradGrad</c>: (SoftplusGrad(g, x), g*dy/(e^-x + 2 + e^x)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (dy, x, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var denominator = MathOps.Add.Build(MathOps.Add.Build(MathOps.Exp.Build(MathOps.Neg.Build(x)), Literal.ToNDArray(2, x.dtype)), MathOps.Exp.Build(x));
        return [Apply(g, x), MathOps.RealDiv.Build(MathOps.Mul.Build(g, dy), denominator)];
    }
}
