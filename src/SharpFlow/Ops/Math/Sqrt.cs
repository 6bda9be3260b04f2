using SharpFlow.Kernels;

namespace SharpFlow.Ops.Math;

/// <summary>Sqrt: square root element-wise (float32/float64).</summary>
internal sealed class Sqrt : FloatUnaryOp
{
    public static readonly Sqrt Def = new();

    public override string Type => "Sqrt";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<SqrtOperator>(x, y);

    /// <summary><c>tf.sqrt</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Sqrt");
}
