using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Minimum: the smaller of <c>x</c> and <c>y</c> element-wise, with broadcasting.</summary>
internal sealed class Minimum : BinaryElementwiseOp
{
    public static readonly Minimum Def = new();

    public override string Type => "Minimum";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<MinimumOperator>(x, y, z);

    /// <summary><c>tf.minimum</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Minimum");

    /// <summary>The gradient goes to x where x &lt;= y, else to y (ties go to x, as in TensorFlow).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var xmask = LessEqual.Build(x, y);
        var zeros = ArrayOps.ZerosLike.Def.Apply(g, null, optimize: true, null);
        return [Select.Build(xmask, g, zeros), Select.Build(xmask, zeros, g)];
    }
}
