using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>ReciprocalGrad: -dy·y², the gradient of Reciprocal from its output y.</summary>
internal sealed class ReciprocalGrad : FloatBinaryOp
{
    public static readonly ReciprocalGrad Def = new();

    public override string Type => "ReciprocalGrad";

    protected override (string A, string B) InputNames => ("y", "dy");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<ReciprocalGradOperator>(a, b, d);

    /// <summary>TensorFlow's <c>_ReciprocalGradGrad</c>: (-2·g·dy·y, ReciprocalGrad(y, g)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (y, dy, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        return [Mul.Build(Mul.Build(Mul.Build(Literal.ToNDArray(-2, y.dtype), g), dy), y), Apply(y, g)];
    }
}
