using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>EluGrad: the gradient of Elu from the gradients and Elu's outputs.</summary>
internal sealed class EluGrad : MathOps.FloatBinaryOp
{
    public static readonly EluGrad Def = new();

    public override string Type => "EluGrad";

    protected override (string A, string B) InputNames => ("gradients", "outputs");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<EluGradOperator>(a, b, d);

    /// <summary>
    /// TensorFlow's <c>_EluGradGrad</c>: (EluGrad(g, outputs), g·gradients where outputs &lt; 0, else 0).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (gradients, outputs, g) = (op.inputs[0], op.inputs[1], grads[0]!);
        var zeros = ArrayOps.ZerosLike.Def.Apply(outputs, null, optimize: true, null);
        var negative = MathOps.Less.Build(outputs, zeros);
        return [Apply(g, outputs), MathOps.Select.Build(negative, MathOps.Mul.Build(g, gradients), zeros)];
    }
}
