using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Pow: <c>x ** y</c> element-wise, with broadcasting; integer powers are exact and reject negative exponents.</summary>
internal sealed class Pow : BinaryElementwiseOp
{
    public static readonly Pow Def = new();

    public override string Type => "Pow";

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<PowOperator>(x, y, z);

    /// <summary><c>tf.pow</c>.</summary>
    public static Tensor Build(TensorLike x, TensorLike y, string? name = null) => Def.Apply(x, y, name, "Pow");

    /// <summary>
    /// d(x^y) = (g*y*x^(y-1), g*z*log x), with log x taken as 0 where x &lt;= 0 so that x = 0 gives no false
    /// singularity (TensorFlow's rule).
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, x, y, z) = (grads[0]!, op.inputs[0], op.inputs[1], op.outputs[0]);
        var gx = Mul.Build(Mul.Build(g, y), Build(x, Sub.Build(y, Literal.ToNDArray(1, y.dtype))));
        var mask = Greater.Build(x, Literal.ToNDArray(0, x.dtype));
        var safeX = Select.Build(mask, x, ArrayOps.OnesLike.Def.Apply(x, null, optimize: true, null));
        var logX = Select.Build(mask, Log.Build(safeX), ArrayOps.ZerosLike.Def.Apply(x, null, optimize: true, null));
        return [gx, Mul.Build(Mul.Build(g, z), logX)];
    }
}
