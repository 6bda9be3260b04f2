using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// DivNoNan (<c>tf.div_no_nan</c>, <c>tf.math.divide_no_nan</c>): <c>x / y</c> with broadcasting, and 0 wherever
/// <c>y</c> is 0 (even for a NaN or infinite <c>x</c>), for floating-point types. TensorFlow 1.15's metrics and
/// losses build it (<c>tf.metrics.mean</c>'s <c>total / count</c>).
/// </summary>
internal sealed class DivNoNan : BinaryElementwiseOp
{
    public static readonly DivNoNan Def = new();

    public override string Type => "DivNoNan";

    protected override bool Accepts(DType dtype) => dtype.is_floating;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<DivNoNanOperator>(x, y, z);

    /// <summary><c>tf.div_no_nan(x, y)</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "div_no_nan");

    /// <summary>TensorFlow's <c>_DivNoNanGrad</c>: (div_no_nan(g, y), g · div_no_nan(div_no_nan(-x, y), y)).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y) = (grads[0]!, op.inputs[0], op.inputs[1]);
        return [Build(g, y), Mul.Build(g, Build(Build(Neg.Build(x), y), y))];
    }
}
