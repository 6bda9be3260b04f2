using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.MathOps;

/// <summary>Ceil: the smallest integer not less than x, element-wise.</summary>
internal sealed class Ceil : FloatUnaryOp
{
    public static readonly Ceil Def = new();

    public override string Type => "Ceil";

    protected override void Compute(NDArray x, NDArray y) => ElementwiseKernels.FloatUnary<CeilOperator>(x, y);

    /// <summary><c>tf.ceil</c>.</summary>
    public static Tensor Build(TensorLike x, string? name = null) => Def.Apply(x, name, "Ceil");

    // TensorFlow's gradient of Ceil is None: it is piecewise constant.
    public override bool NotDifferentiable => true;
}
