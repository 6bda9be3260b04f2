using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>SoftsignGrad: gradients / (1 + |features|)², the gradient of Softsign.</summary>
internal sealed class SoftsignGrad : MathOps.FloatBinaryOp
{
    public static readonly SoftsignGrad Def = new();

    public override string Type => "SoftsignGrad";

    protected override (string A, string B) InputNames => ("gradients", "features");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<SoftsignGradOperator>(a, b, d);

    /// <summary>
    /// Differentiated again (TensorFlow registers no rule; this one is the calculus): SoftsignGrad(g, x) for the
    /// gradients, and g·gradients·(-2)·sign(x)/(1 + |x|)³ for the features.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (gradients, x, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var s = MathOps.Add.Build(Literal.ToNDArray(1, x.dtype), MathOps.Abs.Build(x));
        var dx = MathOps.RealDiv.Build(MathOps.Mul.Build(MathOps.Mul.Build(MathOps.Mul.Build(g, gradients), Literal.ToNDArray(-2, x.dtype)), MathOps.Sign.Build(x)),
            MathOps.Mul.Build(MathOps.Mul.Build(s, s), s));
        return [Apply(g, x), dx];
    }
}
