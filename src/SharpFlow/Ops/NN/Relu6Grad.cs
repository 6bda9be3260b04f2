using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.NN;

/// <summary>Relu6Grad: the gradient where 0 &lt; features &lt; 6, else 0.</summary>
internal sealed class Relu6Grad : MathOps.FloatBinaryOp
{
    public static readonly Relu6Grad Def = new();

    public override string Type => "Relu6Grad";

    protected override (string A, string B) InputNames => ("gradients", "features");

    protected override void Compute(NDArray a, NDArray b, NDArray d) => ElementwiseKernels.FloatBinary<Relu6GradOperator>(a, b, d);

    /// <summary>Linear in the gradient: (Relu6Grad(g, features), 0).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var f = op.inputs[1];
        return [Apply(grads[0]!, f), ArrayOps.ZerosLike.Def.Apply(f, null, optimize: true, null)];
    }
}
