using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>ReluGrad: the gradient where the features (Relu's output) are positive, else 0.</summary>
internal sealed class ReluGrad : MathOps.FloatBinaryOp
{
    public static readonly ReluGrad Def = new();

    public override string Type => "ReluGrad";

    protected override (string A, string B) InputNames => ("gradients", "features");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<ReluGradOperator>(a, b, d);

    /// <summary>Linear in the gradient: (ReluGrad(g, features), 0).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var f = op.inputs[1];
        return [Apply(grads[0]!, f), ArrayOps.ZerosLike.Def.Apply(f, null, optimize: true, null)];
    }
}
