using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>SoftplusGrad: gradients/(1 + e^-features), the gradient of Softplus.</summary>
internal sealed class SoftplusGrad : Math.FloatBinaryOp
{
    public static readonly SoftplusGrad Def = new();

    public override string Type => "SoftplusGrad";

    protected override (string A, string B) InputNames => ("gradients", "features");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<SoftplusGradOperator>(a, b, d);

    /// <summary>TensorFlow's <c>_SoftplusGradGrad</c>: (SoftplusGrad(g, x), g*dy/(e^-x + 2 + e^x)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (dy, x, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var denominator = Math.Add.Build(Math.Add.Build(Math.Exp.Build(Math.Neg.Build(x)), Literal.ToNDArray(2, x.dtype)), Math.Exp.Build(x));
        return [Apply(g, x), Math.RealDiv.Build(Math.Mul.Build(g, dy), denominator)];
    }
}
