using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Atan2: the angle atan(y/x) of the point (x, y) in (-π, π], element-wise with broadcasting.</summary>
internal sealed class Atan2 : BinaryElementwiseOp
{
    public static readonly Atan2 Def = new();

    public override string Type => "Atan2";

    protected override bool Accepts(DType dtype) => dtype.is_floating;

    protected override void Compute(NDArray x, NDArray y, NDArray z) => ElementwiseKernels.Binary<Atan2Operator>(x, y, z);

    /// <summary><c>tf.atan2(y, x)</c>: TensorFlow's inputs are named y and x, in that order.</summary>
    public static Tensor Build(TensorLike y, TensorLike x, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "Atan2", y, x);
        var inputs = b.SameType("Atan2", [y, x], ["y", "x"]);
        return b.Create(Def, inputs, new() { { T, inputs[0].dtype } }).outputs[0];
    }

    /// <summary>TensorFlow's <c>_Atan2Grad</c>: (g·x, -g·y) / (x² + y²).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, y, x) = (grads[0]!, op.inputs[0], op.inputs[1]);
        var gradInv = RealDiv.Build(g, Add.Build(Square.Build(x), Square.Build(y)));
        return [Mul.Build(x, gradInv), Mul.Build(Neg.Build(y), gradInv)];
    }
}
