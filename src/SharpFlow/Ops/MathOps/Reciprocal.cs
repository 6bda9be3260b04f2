using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Reciprocal: 1/x element-wise (integer division for int32 and int64, as TensorFlow).</summary>
internal sealed class Reciprocal : UnaryElementwiseOp
{
    public static readonly Reciprocal Def = new();

    public override string Type => "Reciprocal";

    protected override bool Accepts(DType dtype) => dtype.is_floating || dtype == DType.int32 || dtype == DType.int64;

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.Unary<ReciprocalOperator>(x, y);

    public override OpKernel CreateKernel(Operation op)
    {
        var inner = base.CreateKernel(op);
        return OpKernel.From(ctx =>
        {
            try
            {
                inner.Compute(ctx);
            }
            catch (DivideByZeroException)
            {
                throw ctx.InvalidArgument("Integer division by zero");
            }
        });
    }

    /// <summary><c>tf.reciprocal</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Reciprocal");

    /// <summary>TensorFlow's <c>_ReciprocalGrad</c>: ReciprocalGrad(y, g) from the output y.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [ReciprocalGrad.Def.Apply(op.outputs[0], grads[0]!)];
}
