using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Log1p: log(1 + x), accurate near 0.</summary>
internal sealed class Log1p : FloatUnaryOp
{
    public static readonly Log1p Def = new();

    public override string Type => "Log1p";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<Log1pOperator>(x, y);

    /// <summary><c>tf.log1p</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Log1p");

    /// <summary>d log(1+x) = g/(1+x).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [RealDiv.Build(grads[0]!, Add.Build(Literal.ToNDArray(1, op.inputs[0].dtype), op.inputs[0]))];
}
