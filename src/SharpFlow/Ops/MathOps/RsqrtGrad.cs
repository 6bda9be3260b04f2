using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>RsqrtGrad: dy·(-0.5)·y³, the gradient of Rsqrt from its output y.</summary>
internal sealed class RsqrtGrad : FloatBinaryOp
{
    public static readonly RsqrtGrad Def = new();

    public override string Type => "RsqrtGrad";

    protected override (string A, string B) InputNames => ("y", "dy");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<RsqrtGradOperator>(a, b, d);

    /// <summary>TensorFlow's <c>_RsqrtGradGrad</c>: (-1.5·g·dy·y², RsqrtGrad(y, g)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (y, dy, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        return [Mul.Build(Mul.Build(Mul.Build(Literal.ToNDArray(-1.5, y.dtype), g), dy), Square.Build(y)), Apply(y, g)];
    }
}
