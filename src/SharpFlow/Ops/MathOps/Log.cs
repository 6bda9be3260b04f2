using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Log: natural logarithm element-wise (float32/float64).</summary>
internal sealed class Log : FloatUnaryOp
{
    public static readonly Log Def = new();

    public override string Type => "Log";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<LogOperator>(x, y);

    /// <summary><c>tf.log</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Log");

    /// <summary>d(log x) = g/x.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
        => [RealDiv.Build(grads[0]!, op.inputs[0])];
}
